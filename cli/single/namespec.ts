/** supervisorctl's process names: `group:process`, `group:*`, or a bare name meaning group and process. */

export interface SplitName {
  group: string;
  /** undefined for a whole group (`g:` or `g:*`). */
  process: string | undefined;
}

export function splitNamespec(namespec: string): SplitName {
  const colon = namespec.indexOf(':');
  if (colon < 0) return { group: namespec, process: namespec };
  const process = namespec.slice(colon + 1);
  return { group: namespec.slice(0, colon), process: process === '' || process === '*' ? undefined : process };
}

/**
 * The short name when group and process share a name. A whole-group spec
 * prints as `g:None`, which is what supervisorctl shows for `clear g:*`.
 */
export function makeNamespec(group: string, process: string | undefined): string {
  if (group === process) return process;
  return `${group}:${process ?? 'None'}`;
}
