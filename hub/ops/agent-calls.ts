/**
 * How an operation reaches agents: through the fleet's connectors (bounded,
 * timed), plus each agent's process timings, read once per operation, so a
 * waiting start or stop gets a timeout that fits the program instead of the
 * short-call one.
 */
import { FleetvisorError } from '../../node-agent/api/errors.js';
import { Faults, faultName } from '../../node-agent/api/faults.js';
import type { ConfigInfo, XmlRpcValue } from '../../node-agent/api/types.js';
import type { Fleet } from '../fleet/fleet.js';
import { canonicalNamespec, makeNamespec } from '../../node-agent/api/namespec.js';

/** supervisord's defaults, used when an agent's config cannot be read. */
const DEFAULT_STARTSECS = 1;
const DEFAULT_STOPWAITSECS = 10;

export interface ProgramTimings {
  startsecs: number;
  stopwaitsecs: number;
}

export class AgentCalls {
  readonly #fleet: Fleet;
  readonly #callTimeoutMs: number;
  readonly #timings = new Map<string, Promise<Map<string, ProgramTimings>>>();

  constructor(fleet: Fleet, callTimeoutMs: number) {
    this.#fleet = fleet;
    this.#callTimeoutMs = callTimeoutMs;
  }

  get callTimeoutMs(): number {
    return this.#callTimeoutMs;
  }

  call<T = XmlRpcValue>(agent: string, method: string, params: readonly XmlRpcValue[] = [], timeoutMs = this.#callTimeoutMs): Promise<T> {
    const connector = this.#fleet.get(agent);
    if (connector === undefined) return Promise.reject(new FleetvisorError('FV_OPS_NO_MATCH', `agent '${agent}' is no longer followed by the hub`));
    return connector.call<T>(method, params, { timeoutMs });
  }

  /** A wait-start's timeout: its startsecs on top of a short call. */
  async startTimeoutMs(agent: string, namespec: string): Promise<number> {
    return (await this.#timingsOf(agent, namespec)).startsecs * 1000 + this.#callTimeoutMs;
  }

  /** A wait-stop's timeout: stopwaitsecs (then SIGKILL) on top of a short call. */
  async stopTimeoutMs(agent: string, namespec: string): Promise<number> {
    return (await this.#timingsOf(agent, namespec)).stopwaitsecs * 1000 + this.#callTimeoutMs;
  }

  /** The slowest stop of any program of the agent (for stopProcessGroup). */
  async groupStopTimeoutMs(agent: string): Promise<number> {
    const table = await this.#table(agent);
    const slowest = Math.max(DEFAULT_STOPWAITSECS, ...[...table.values()].map((timing) => timing.stopwaitsecs));
    return slowest * 1000 + this.#callTimeoutMs;
  }

  async #timingsOf(agent: string, namespec: string): Promise<ProgramTimings> {
    return (await this.#table(agent)).get(canonicalNamespec(namespec)) ?? { startsecs: DEFAULT_STARTSECS, stopwaitsecs: DEFAULT_STOPWAITSECS };
  }

  #table(agent: string): Promise<Map<string, ProgramTimings>> {
    let table = this.#timings.get(agent);
    if (table === undefined) {
      table = this.call<ConfigInfo[]>(agent, 'supervisor.getAllConfigInfo').then(
        (infos) => new Map(infos.map((info) => [makeNamespec(info.group, info.name), timingsFrom(info)])),
        // Without the config the defaults serve; the action itself will say if the agent is gone.
        () => new Map(),
      );
      this.#timings.set(agent, table);
    }
    return table;
  }
}

function timingsFrom(info: ConfigInfo): ProgramTimings {
  const startsecs = typeof info.startsecs === 'number' && info.startsecs >= 0 ? info.startsecs : DEFAULT_STARTSECS;
  const stopwaitsecs = typeof info.stopwaitsecs === 'number' && info.stopwaitsecs >= 0 ? info.stopwaitsecs : DEFAULT_STOPWAITSECS;
  return { startsecs, stopwaitsecs };
}

/** The fault's name when `err` is an RpcFault from the agent. */
export function faultOf(err: unknown): string | undefined {
  const fault = err as { name?: unknown; faultCode?: unknown };
  if (fault.name !== 'RpcFault' || typeof fault.faultCode !== 'number') return undefined;
  return faultName(fault.faultCode) ?? `FAULT_${fault.faultCode}`;
}

export function isFault(err: unknown, name: keyof typeof Faults): boolean {
  return faultOf(err) === name;
}

/** supervisorctl's words for the faults a process action meets; others keep the fault string. */
const FAULT_WORDS: Partial<Record<keyof typeof Faults, string>> = {
  BAD_NAME: 'no such process',
  NO_FILE: 'no such file',
  NOT_EXECUTABLE: 'file is not executable',
  ALREADY_STARTED: 'already started',
  SPAWN_ERROR: 'spawn error',
  ABNORMAL_TERMINATION: 'abnormal termination',
  NOT_RUNNING: 'not running',
  BAD_SIGNAL: 'bad signal name',
};

/** Why a call failed, in one line: `no such file: can't find command '/x'`, `spawn error`, or the transport error. */
export function describeFailure(err: unknown): string {
  const name = faultOf(err);
  if (name === undefined) return err instanceof Error ? err.message : String(err);
  const faultString = (err as { faultString?: unknown }).faultString;
  const words = FAULT_WORDS[name as keyof typeof Faults];
  if (words === undefined) return typeof faultString === 'string' ? faultString : name;
  const detail = typeof faultString === 'string' && faultString.startsWith(`${name}: `) ? faultString.slice(name.length + 2) : '';
  // SPAWN_ERROR and BAD_NAME repeat the name given as their detail: nothing to add.
  return detail !== '' && (name === 'NO_FILE' || name === 'NOT_EXECUTABLE') ? `${words}: ${detail}` : words;
}
