/**
 * Process groups from [group:g], [program:x], [eventlistener:x] (in that
 * order, as supervisord builds them), sorted by (priority, name) at the end.
 * [fcgi-program:x] is refused: fleetvisord does not run FastCGI programs.
 */
import { byPriorityThenName, processesFromSection } from './programs.js';
import { resolveSpec, STOCK_RESULT_HANDLER } from './plugins.js';
import { badValue, missing, unsupported, type ConfigSource } from './source.js';
import type { GroupConfig } from './types.js';
import { toBoolean, toInteger, toListOfStrings, toProcessOrGroupName } from './values.js';

/** Event type names a listener may subscribe to (supervisor.events.EventTypes). */
export const LISTENER_EVENT_TYPES: ReadonlySet<string> = new Set([
  'EVENT',
  'PROCESS_STATE',
  'PROCESS_STATE_STOPPED',
  'PROCESS_STATE_STARTING',
  'PROCESS_STATE_RUNNING',
  'PROCESS_STATE_BACKOFF',
  'PROCESS_STATE_STOPPING',
  'PROCESS_STATE_EXITED',
  'PROCESS_STATE_FATAL',
  'PROCESS_STATE_UNKNOWN',
  'PROCESS_LOG',
  'PROCESS_LOG_STDOUT',
  'PROCESS_LOG_STDERR',
  'PROCESS_COMMUNICATION',
  'PROCESS_COMMUNICATION_STDOUT',
  'PROCESS_COMMUNICATION_STDERR',
  'REMOTE_COMMUNICATION',
  'SUPERVISOR_STATE_CHANGE',
  'SUPERVISOR_STATE_CHANGE_RUNNING',
  'SUPERVISOR_STATE_CHANGE_STOPPING',
  'TICK',
  'TICK_5',
  'TICK_60',
  'TICK_3600',
  'PROCESS_GROUP',
  'PROCESS_GROUP_ADDED',
  'PROCESS_GROUP_REMOVED',
]);

function fcgiUnsupported(section: string): Error {
  return unsupported(
    `[${section}] is not supported: fleetvisord does not run FastCGI programs (remove the section or turn it into a [program:x])`,
  );
}

export function readProcessGroups(src: ConfigSource): GroupConfig[] {
  const sections = src.parser.sections();
  const all = new Set(sections);
  const inHeterogeneousGroup = new Set<string>();
  const groups: GroupConfig[] = [];
  const here = { here: src.here };
  const get = <D extends string | undefined>(section: string, option: string, fallback: D) =>
    src.get(section, option, fallback, { expansions: here });

  for (const section of sections.filter((s) => s.startsWith('group:'))) {
    const name = toProcessOrGroupName(section.slice('group:'.length));
    const members = toListOfStrings(get(section, 'programs', undefined));
    const priority = toInteger(get(section, 'priority', '999'));
    // supervisord 4.2.5 names the previous member's section in these errors (compat spec §1.5).
    let reported = section;
    const processes = [];
    for (const member of members) {
      const programSection = `program:${member}`;
      const fcgiSection = `fcgi-program:${member}`;
      const hasProgram = all.has(programSection);
      const hasFcgi = all.has(fcgiSection);
      if (!hasProgram && !hasFcgi) {
        throw missing(`[${reported}] names unknown program or fcgi-program ${member}`);
      }
      if (hasProgram && hasFcgi) {
        throw badValue(`[${reported}] name ${member} is ambiguous (exists as program and fcgi-program)`);
      }
      reported = hasProgram ? programSection : fcgiSection;
      if (hasFcgi) throw fcgiUnsupported(fcgiSection);
      inHeterogeneousGroup.add(reported);
      processes.push(...processesFromSection(src, reported, name));
    }
    groups.push({ name, kind: 'group', priority, processes, section });
  }

  for (const section of sections.filter((s) => s.startsWith('program:') && !inHeterogeneousGroup.has(s))) {
    const name = toProcessOrGroupName(section.slice('program:'.length));
    const priority = toInteger(get(section, 'priority', '999'));
    groups.push({ name, kind: 'program', priority, processes: processesFromSection(src, section, name), section });
  }

  for (const section of sections.filter((s) => s.startsWith('eventlistener:'))) {
    groups.push(readListenerPool(src, section, get));
  }

  const fcgi = sections.find((s) => s.startsWith('fcgi-program:') && !inHeterogeneousGroup.has(s));
  if (fcgi !== undefined) throw fcgiUnsupported(fcgi);

  return groups.sort(byPriorityThenName);
}

type SectionGetter = <D extends string | undefined>(section: string, option: string, fallback: D) => string | D;

function readListenerPool(src: ConfigSource, section: string, get: SectionGetter): GroupConfig {
  const name = section.slice('eventlistener:'.length);
  const priority = toInteger(get(section, 'priority', '-1'));
  const bufferSize = toInteger(get(section, 'buffer_size', '10'));
  if (bufferSize < 1) throw badValue(`[${section}] section sets invalid buffer_size (${bufferSize})`);
  const resultHandler = resolveSpec(get(section, 'result_handler', STOCK_RESULT_HANDLER), section, [
    STOCK_RESULT_HANDLER,
  ]);
  const events = [...new Set(toListOfStrings(get(section, 'events', '')).map((e) => e.toUpperCase()))];
  if (events.length === 0) throw missing(`[${section}] section requires an "events" line`);
  for (const event of events) {
    if (!LISTENER_EVENT_TYPES.has(event)) throw badValue(`Unknown event type ${event} in [${section}] events`);
  }
  if (toBoolean(get(section, 'redirect_stderr', 'false'))) {
    throw badValue(
      `[${section}] section sets redirect_stderr=true but this is not allowed because it will interfere ` +
        'with the eventlistener protocol',
    );
  }
  const processes = processesFromSection(src, section, name).map((p) => ({
    ...p,
    listener: { events, bufferSize, resultHandler },
  }));
  return { name, kind: 'eventlistener', priority, processes, section };
}
