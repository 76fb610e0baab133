/**
 * hub.ini: the hub's own settings and the agents it follows, read with the
 * `ini` package, checked once and frozen. Every error names the file, the
 * section and the option, e.g.
 * `hub.ini [agent:web1] url: 'ftp://x' is not http://, https:// or unix://`.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ini from 'ini';
import { FleetvisorError, type ErrorCode } from '../node-agent/api/errors.js';
import type { AgentSpec } from './types.js';

export interface HubConfig {
  /** The file read, absolute; undefined for defaultHubConfig. */
  path?: string;
  listen: { host: string; port: number };
  /** Where the SQLite history lives, absolute. */
  dataDir: string;
  retention: { maxAgeMs: number; maxRows: number };
  /** Cadence of getAllProcessInfo polls of a plain supervisord. */
  pollIntervalMs: number;
  /** waitSeconds of each fleetvisor.getEvents long-poll. */
  longPollSeconds: number;
  /** Timeout of every short call (a long-poll gets longPollSeconds on top). */
  callTimeoutMs: number;
  /** Calls in flight at once across the whole fleet (long-polls excluded). */
  concurrency: number;
  /** A process that exits unexpectedly `count` times within `minutes` is flapping. */
  flapping: { count: number; minutes: number };
  tls?: { cert: string; key: string };
  agents: AgentSpec[];
}

export const HUB_DEFAULTS = {
  host: '127.0.0.1',
  port: 9100,
  retentionMaxAgeMs: 30 * 24 * 3600 * 1000,
  retentionMaxRows: 1_000_000,
  pollIntervalMs: 2000,
  longPollSeconds: 25,
  callTimeoutMs: 10_000,
  concurrency: 64,
  flappingCount: 5,
  flappingMinutes: 10,
} as const;

const HUB_OPTIONS = new Set([
  'listen',
  'data_dir',
  'retention',
  'retention_rows',
  'poll_interval',
  'long_poll',
  'call_timeout',
  'concurrency',
  'flapping_count',
  'flapping_minutes',
  'tls_cert',
  'tls_key',
]);
const AGENT_OPTIONS = new Set(['url', 'username', 'password', 'tags']);
const AGENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The settings `npm start` uses when there is no hub.ini: no agents, history in dataDir. */
export function defaultHubConfig(dataDir: string): HubConfig {
  return freeze({
    listen: { host: HUB_DEFAULTS.host, port: HUB_DEFAULTS.port },
    dataDir: resolve(dataDir),
    retention: { maxAgeMs: HUB_DEFAULTS.retentionMaxAgeMs, maxRows: HUB_DEFAULTS.retentionMaxRows },
    pollIntervalMs: HUB_DEFAULTS.pollIntervalMs,
    longPollSeconds: HUB_DEFAULTS.longPollSeconds,
    callTimeoutMs: HUB_DEFAULTS.callTimeoutMs,
    concurrency: HUB_DEFAULTS.concurrency,
    flapping: { count: HUB_DEFAULTS.flappingCount, minutes: HUB_DEFAULTS.flappingMinutes },
    agents: [],
  });
}

export function loadHubConfig(path: string): HubConfig {
  const absolute = resolve(path);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (err) {
    throw new FleetvisorError('FV_CONFIG_NOT_FOUND', `${path}: cannot read hub config: ${(err as Error).message}`, { cause: err });
  }
  return parseHubConfig(text, path, dirname(absolute), absolute);
}

/** Parses hub.ini text; `label` prefixes errors, relative paths resolve against `baseDir`. */
export function parseHubConfig(text: string, label: string, baseDir: string, path?: string): HubConfig {
  const sections = readSections(text, label);
  const hub = sections.get('hub') ?? {};
  const at = new Where(label, 'hub');
  for (const option of Object.keys(hub)) {
    if (!HUB_OPTIONS.has(option)) at.fail('FV_CONFIG_BAD_VALUE', option, 'unknown option');
  }
  const listen = parseListen(hub.listen, at);
  const tlsCert = hub.tls_cert;
  const tlsKey = hub.tls_key;
  if ((tlsCert === undefined) !== (tlsKey === undefined)) {
    at.fail('FV_CONFIG_MISSING', tlsCert === undefined ? 'tls_cert' : 'tls_key', 'tls_cert and tls_key go together');
  }
  const agents: AgentSpec[] = [];
  for (const [name, options] of sections) {
    if (name === 'hub') continue;
    if (!name.startsWith('agent:')) {
      throw new FleetvisorError('FV_CONFIG_BAD_VALUE', `${label} [${name}]: unknown section (expected [hub] or [agent:NAME])`);
    }
    agents.push(agentSpecFrom(name.slice('agent:'.length), options, 'config', new Where(label, name)));
  }
  return freeze({
    ...(path !== undefined ? { path } : {}),
    listen,
    dataDir: resolve(baseDir, hub.data_dir ?? 'hub-data'),
    retention: {
      maxAgeMs: parseDuration(hub.retention, HUB_DEFAULTS.retentionMaxAgeMs, 'retention', at, 'd'),
      maxRows: parseInteger(hub.retention_rows, HUB_DEFAULTS.retentionMaxRows, 'retention_rows', at, 1),
    },
    pollIntervalMs: parseDuration(hub.poll_interval, HUB_DEFAULTS.pollIntervalMs, 'poll_interval', at, 's'),
    longPollSeconds: parseInteger(hub.long_poll, HUB_DEFAULTS.longPollSeconds, 'long_poll', at, 1, 300),
    callTimeoutMs: parseDuration(hub.call_timeout, HUB_DEFAULTS.callTimeoutMs, 'call_timeout', at, 's'),
    concurrency: parseInteger(hub.concurrency, HUB_DEFAULTS.concurrency, 'concurrency', at, 1, 10_000),
    flapping: {
      count: parseInteger(hub.flapping_count, HUB_DEFAULTS.flappingCount, 'flapping_count', at, 2),
      minutes: parseInteger(hub.flapping_minutes, HUB_DEFAULTS.flappingMinutes, 'flapping_minutes', at, 1),
    },
    ...(tlsCert !== undefined && tlsKey !== undefined
      ? { tls: { cert: resolve(baseDir, tlsCert), key: resolve(baseDir, tlsKey) } }
      : {}),
    agents,
  });
}

/**
 * Checks one agent's options (from an [agent:NAME] section or an API body)
 * and returns the spec. `where` names the origin in error messages.
 */
export function agentSpecFrom(
  name: string,
  options: Readonly<Record<string, string | undefined>>,
  source: AgentSpec['source'],
  where: Where = new Where('agent', `agent:${name}`),
): AgentSpec {
  if (!AGENT_NAME.test(name)) {
    throw new FleetvisorError(
      'FV_CONFIG_BAD_VALUE',
      `${where.prefix()}: agent name '${name}' must be 1-128 letters, digits, '.', '_' or '-' (starting with a letter or digit)`,
    );
  }
  for (const option of Object.keys(options)) {
    if (!AGENT_OPTIONS.has(option)) where.fail('FV_CONFIG_BAD_VALUE', option, 'unknown option');
  }
  const url = options.url;
  if (url === undefined || url === '') where.fail('FV_CONFIG_MISSING', 'url', 'required (http://host:port, https://host:port or unix:///path)');
  checkAgentUrl(url, where);
  const spec: AgentSpec = { name, url, tags: parseTags(options.tags, where), source };
  if (options.username !== undefined && options.username !== '') spec.username = options.username;
  if (options.password !== undefined) {
    if (spec.username === undefined) where.fail('FV_CONFIG_MISSING', 'username', 'password is set but username is not');
    spec.password = options.password;
  }
  return spec;
}

/** Where a value came from, for messages: `hub.ini [agent:web1] url: …`. */
export class Where {
  constructor(
    readonly file: string,
    readonly section: string,
  ) {}

  prefix(): string {
    return `${this.file} [${this.section}]`;
  }

  fail(code: ErrorCode, option: string, message: string): never {
    throw new FleetvisorError(code, `${this.prefix()} ${option}: ${message}`);
  }
}

function checkAgentUrl(url: string, where: Where): void {
  if (url.startsWith('unix://')) {
    if (!url.slice('unix://'.length).startsWith('/')) where.fail('FV_CONFIG_BAD_VALUE', 'url', `'${url}' must be unix:// followed by an absolute path`);
    return;
  }
  if (!/^https?:\/\//.test(url)) where.fail('FV_CONFIG_BAD_VALUE', 'url', `'${url}' is not http://, https:// or unix://`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    where.fail('FV_CONFIG_BAD_VALUE', 'url', `'${url}' is not a valid URL`);
  }
  if (parsed.hostname === '') where.fail('FV_CONFIG_BAD_VALUE', 'url', `'${url}' has no host`);
}

function parseTags(value: string | undefined, where: Where): string[] {
  if (value === undefined) return [];
  const tags = value
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
  for (const tag of tags) {
    if (!/^[A-Za-z0-9._:=-]+$/.test(tag)) where.fail('FV_CONFIG_BAD_VALUE', 'tags', `'${tag}' may hold only letters, digits and . _ : = -`);
  }
  return [...new Set(tags)];
}

type Options = Record<string, string>;

/**
 * ini splits section names on dots (`[agent:web1.example.com]` would nest);
 * escaping them first keeps host names whole. Values arrive as strings except
 * that ini turns true/false/null into JS values and `x[]` into arrays.
 */
function readSections(text: string, label: string): Map<string, Options> {
  const escaped = text.replace(/^(\s*\[)([^\]]*)(\]\s*)$/gm, (_line, open: string, name: string, close: string) => {
    return `${open}${name.replace(/\\?\./g, '\\.')}${close}`;
  });
  let parsed: Record<string, unknown>;
  try {
    parsed = ini.parse(escaped);
  } catch (err) {
    throw new FleetvisorError('FV_CONFIG_SYNTAX', `${label}: ${(err as Error).message}`, { cause: err });
  }
  // ini moves escaped-dot sections to the end; keep the file's order (agents list in it).
  const order = [...text.matchAll(/^\s*\[([^\]]*)\]\s*$/gm)].map((match) => match[1].trim());
  const rank = (name: string): number => (order.indexOf(name) + 1 || order.length + 1);
  const entries = Object.entries(parsed).sort(([a], [b]) => rank(a.trim()) - rank(b.trim()));
  const sections = new Map<string, Options>();
  for (const [name, body] of entries) {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new FleetvisorError('FV_CONFIG_SYNTAX', `${label}: option '${name}' is outside any section (put it under [hub])`);
    }
    const options: Options = {};
    for (const [option, value] of Object.entries(body as Record<string, unknown>)) {
      if (value !== null && typeof value === 'object') {
        throw new FleetvisorError('FV_CONFIG_SYNTAX', `${label} [${name}] ${option}: expected one value`);
      }
      options[option.trim().toLowerCase()] = value === null ? '' : String(value).trim();
    }
    sections.set(name.trim(), options);
  }
  return sections;
}

function parseListen(value: string | undefined, at: Where): HubConfig['listen'] {
  if (value === undefined || value === '') return { host: HUB_DEFAULTS.host, port: HUB_DEFAULTS.port };
  const match = /^(?:(\[[^\]]+\]|[^:]*):)?(\d+)$/.exec(value);
  if (!match) at.fail('FV_CONFIG_BAD_VALUE', 'listen', `'${value}' is not host:port or port`);
  const port = Number(match[2]);
  if (port > 65535) at.fail('FV_CONFIG_BAD_VALUE', 'listen', `port ${port} is above 65535`);
  const host = (match[1] ?? '').replace(/^\[(.*)\]$/, '$1');
  return { host: host === '' ? HUB_DEFAULTS.host : host, port };
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `250ms`, `2s`, `5m`, `12h`, `30d`; a bare number is in `bareUnit`. */
function parseDuration(value: string | undefined, fallback: number, option: string, at: Where, bareUnit: string): number {
  if (value === undefined || value === '') return fallback;
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(value);
  if (!match) at.fail('FV_CONFIG_BAD_VALUE', option, `'${value}' is not a duration (e.g. 500ms, 2s, 5m, 12h, 30d)`);
  const ms = Math.round(Number(match[1]) * UNIT_MS[match[2] ?? bareUnit]);
  if (ms < 1) at.fail('FV_CONFIG_BAD_VALUE', option, `'${value}' must be more than zero`);
  return ms;
}

function parseInteger(value: string | undefined, fallback: number, option: string, at: Where, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value)) at.fail('FV_CONFIG_BAD_VALUE', option, `'${value}' is not a whole number`);
  const number = Number(value);
  if (number < min || number > max) at.fail('FV_CONFIG_BAD_VALUE', option, `${number} is outside ${min}-${max}`);
  return number;
}

function freeze(config: HubConfig): HubConfig {
  for (const agent of config.agents) {
    Object.freeze(agent.tags);
    Object.freeze(agent);
  }
  Object.freeze(config.agents);
  Object.freeze(config.listen);
  Object.freeze(config.retention);
  Object.freeze(config.flapping);
  if (config.tls) Object.freeze(config.tls);
  return Object.freeze(config);
}
