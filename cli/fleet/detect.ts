/**
 * Which command set runs: fleet mode (against a hub) or the single-agent
 * supervisorctl mode. Checked in this order:
 *
 *   1. `--hub URL` among the options before the command, or the command
 *      `login` (supervisorctl has none) → fleet;
 *   2. `-s/--serverurl` → single (an explicit agent wins over a stored hub);
 *   3. FLEETVISOR_HUB set → fleet;
 *   4. `-c FILE` given → fleet when FILE has `[fleetvisorctl] hub =`;
 *   5. otherwise → fleet when the user's fleetvisorctl.ini has `hub =`
 *      (what `login` writes).
 */
import { parseArgs, type OptionSpec } from '../args.js';
import { readFleetSection, userConfigPath } from './config-files.js';

type Key = 'configuration' | 'serverurl' | 'hub' | 'other' | 'otherValue';

/** Every option either mode knows before the command, so values are skipped correctly. */
const BOTH_MODES: readonly OptionSpec<Key>[] = [
  { key: 'configuration', short: 'c', long: 'configuration', takesValue: true },
  { key: 'serverurl', short: 's', long: 'serverurl', takesValue: true },
  { key: 'hub', long: 'hub', takesValue: true },
  { key: 'otherValue', long: 'token', takesValue: true },
  { key: 'otherValue', short: 'u', long: 'username', takesValue: true },
  { key: 'otherValue', short: 'p', long: 'password', takesValue: true },
  { key: 'otherValue', short: 'r', long: 'history_file', takesValue: true },
  { key: 'other', short: 'h', long: 'help', takesValue: false },
  { key: 'other', short: '?', takesValue: false },
  { key: 'other', short: 'i', long: 'interactive', takesValue: false },
  { key: 'other', long: 'json', takesValue: false },
  { key: 'other', long: 'no-color', takesValue: false },
];

export function fleetModeWanted(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  let parsed;
  try {
    parsed = parseArgs(BOTH_MODES, argv);
  } catch {
    return false; // the single mode reports the usage error in supervisorctl's words
  }
  const given = (key: Key): string | undefined => parsed.options.find((o) => o.key === key)?.value;
  if (parsed.options.some((o) => o.key === 'hub') || parsed.rest[0] === 'login') return true;
  if (given('serverurl') !== undefined) return false;
  if ((env.FLEETVISOR_HUB ?? '') !== '') return true;
  const configuration = given('configuration');
  if (configuration !== undefined) return readFleetSection(configuration).hub !== undefined;
  return readFleetSection(userConfigPath(env)).hub !== undefined;
}
