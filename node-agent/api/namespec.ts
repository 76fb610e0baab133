/**
 * supervisorctl's process names (compat spec §3.4: *namespec*), the one rule
 * fleetvisord, the hub and fleetvisorctl print and read them by:
 *
 *   makeNamespec('web', 'web')        → 'web'        (a plain [program:web])
 *   makeNamespec('grp', 'member')     → 'grp:member'
 *   makeNamespec('multi', 'multi_00') → 'multi:multi_00'
 *
 * and, read back, `web` and `web:web` name the same process, `grp:` and
 * `grp:*` a whole group.
 */

export interface SplitNamespec {
  group: string;
  /** undefined when the spec names the whole group (`g:` or `g:*`). */
  process: string | undefined;
}

/** The name supervisorctl shows: `name` when group and process share it, else `group:name`. */
export function makeNamespec(group: string, process: string): string {
  return group === process ? process : `${group}:${process}`;
}

/** `g:p` → (g, p); `g:` and `g:*` → (g, undefined); a bare `p` → (p, p). */
export function splitNamespec(spec: string): SplitNamespec {
  const colon = spec.indexOf(':');
  if (colon < 0) return { group: spec, process: spec };
  const process = spec.slice(colon + 1);
  return { group: spec.slice(0, colon), process: process === '' || process === '*' ? undefined : process };
}

/** A namespec in either form, as the hub prints it (`web:web` → `web`); a whole-group spec as `g:*`. */
export function canonicalNamespec(spec: string): string {
  const { group, process } = splitNamespec(spec);
  return process === undefined ? `${group}:*` : makeNamespec(group, process);
}
