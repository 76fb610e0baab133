/**
 * supervisord's namespecs (compat spec §3.4): `g:p` names a process, `g:` and
 * `g:*` a whole group, a bare `p` the group `p` and its process `p`.
 */
export interface Namespec {
  group: string;
  /** undefined when the spec names the whole group. */
  process: string | undefined;
}

export function splitNamespec(spec: string): Namespec {
  const colon = spec.indexOf(':');
  if (colon < 0) return { group: spec, process: spec };
  const group = spec.slice(0, colon);
  const process = spec.slice(colon + 1);
  return { group, process: process === '' || process === '*' ? undefined : process };
}

export function makeNamespec(group: string, process: string): string {
  return group === process ? process : `${group}:${process}`;
}
