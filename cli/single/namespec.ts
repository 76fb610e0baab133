/** supervisorctl's process names, by the rule the hub shares (hub/namespec.ts). */
import { makeNamespec as sharedMakeNamespec } from '../../node-agent/api/namespec.js';

export { splitNamespec } from '../../node-agent/api/namespec.js';

/**
 * The short name when group and process share a name. A whole-group spec
 * prints as `g:None`, which is what supervisorctl shows for `clear g:*`.
 */
export function makeNamespec(group: string, process: string | undefined): string {
  return process === undefined ? `${group}:None` : sharedMakeNamespec(group, process);
}
