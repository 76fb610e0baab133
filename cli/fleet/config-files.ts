/**
 * Where fleet mode finds its hub and token, and where `login` keeps them:
 * the `[fleetvisorctl]` section (`hub =`, `token =`) of the user's
 * fleetvisorctl.ini ($XDG_CONFIG_HOME/fleetvisor, else ~/.config/fleetvisor)
 * or of a config file given with -c. Kept free of heavy imports: the single
 * mode's start-up reads it to decide which mode runs.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { readIniSection, setIniKeys } from './ini.js';

export const FLEET_SECTION = 'fleetvisorctl';

export interface FleetFileSettings {
  hub?: string;
  token?: string;
}

export function userConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg !== undefined && xdg.startsWith('/') ? xdg : join(env.HOME ?? homedir(), '.config');
  return join(base, 'fleetvisor', 'fleetvisorctl.ini');
}

/** The [fleetvisorctl] hub and token of `file`; empty when it is missing or unreadable. */
export function readFleetSection(file: string): FleetFileSettings {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  const section = readIniSection(text, FLEET_SECTION);
  const settings: FleetFileSettings = {};
  if (section.hub) settings.hub = section.hub;
  if (section.token) settings.token = section.token;
  return settings;
}

/**
 * Sets hub and token in the [fleetvisorctl] section of `file`, keeping the
 * rest of it; the file (new or not) ends with mode 0600 and its directory
 * is made 0700 when created. Written to a temp file first, then renamed.
 */
export function saveFleetLogin(file: string, hub: string, token: string): void {
  const dir = dirname(file);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // a new file
  }
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, setIniKeys(text, FLEET_SECTION, { hub, token }), { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, file);
}

/** Same hub, written differently (trailing slash, case of the host). */
export function sameHub(a: string, b: string): boolean {
  const norm = (url: string): string => {
    try {
      return new URL(url).href.replace(/\/+$/, '');
    } catch {
      return url.replace(/\/+$/, '');
    }
  };
  return norm(a) === norm(b);
}
