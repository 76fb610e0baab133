/** The shapes of the hub's answers that fleet mode reads (docs/hub-api.md). */

export interface ProcessRow {
  agent: string;
  group: string;
  name: string;
  namespec: string;
  state: string;
  statecode: number;
  pid: number;
  description: string;
  start: number;
  stop: number;
  exitstatus: number;
  spawnerr: string;
  updated: number;
}

export interface HostCounts {
  online: number;
  offline: number;
  total: number;
}

export interface ProcessesAnswer {
  processes: ProcessRow[];
  hosts: HostCounts;
  states: Record<string, number>;
}

export interface AgentHealthView {
  state: string;
  kind: string;
  version?: string;
  lastContact?: number;
  latencyMs?: number;
  error?: string;
  boot?: string;
}

export interface AgentView {
  name: string;
  url: string;
  tags: string[];
  source: string;
  hasCredentials: boolean;
  health: AgentHealthView;
}

export interface HubEventView {
  id?: number;
  agent: string;
  boot?: string;
  serial?: number | null;
  time: number;
  type: string;
  group?: string;
  process?: string;
  fromState?: string;
  toState?: string;
  pid?: number;
  expected?: boolean;
  exitStatus?: number;
  spawnErr?: string;
  observed?: boolean;
  payload?: string;
  crashStdout?: string;
  crashStderr?: string;
}

export interface EventPage {
  events: HubEventView[];
  next?: string;
}
