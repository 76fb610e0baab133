/**
 * Just enough INI for fleetvisorctl's own settings: read one section's keys,
 * and set keys in one section while leaving every other line of the file as
 * it was (a user's supervisord.conf or hand-edited fleetvisorctl.ini).
 */

const SECTION = /^\s*\[([^\]]+)\]\s*$/;
const KEY_VALUE = /^\s*([^=:#;\s][^=:]*?)\s*[=:]\s*(.*?)\s*$/;

/** The keys of `[section]` (lower-cased), values with `;`/`#` comments after white space removed. */
export function readIniSection(text: string, section: string): Record<string, string> {
  const values: Record<string, string> = {};
  let inside = false;
  for (const line of text.split(/\r?\n/)) {
    const header = SECTION.exec(line);
    if (header) {
      inside = header[1].trim() === section;
      continue;
    }
    if (!inside) continue;
    const pair = KEY_VALUE.exec(line);
    if (pair) values[pair[1].toLowerCase()] = pair[2].replace(/\s+[;#].*$/, '');
  }
  return values;
}

/** `text` with `values` set in `[section]` (added, or replaced in place); the section is appended when missing. */
export function setIniKeys(text: string, section: string, values: Readonly<Record<string, string>>): string {
  const lines = text === '' ? [] : text.replace(/\r?\n$/, '').split(/\r?\n/);
  const pending = new Map(Object.entries(values));
  let start = -1;
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const header = SECTION.exec(lines[i]);
    if (!header) continue;
    if (start >= 0) {
      end = i;
      break;
    }
    if (header[1].trim() === section) start = i;
  }
  if (start < 0) {
    if (lines.length > 0 && lines.at(-1)!.trim() !== '') lines.push('');
    lines.push(`[${section}]`, ...[...pending].map(([key, value]) => `${key} = ${value}`));
    return `${lines.join('\n')}\n`;
  }
  for (let i = start + 1; i < end; i++) {
    const pair = KEY_VALUE.exec(lines[i]);
    const key = pair?.[1].toLowerCase();
    if (key === undefined || !pending.has(key)) continue;
    lines[i] = `${key} = ${pending.get(key)}`;
    pending.delete(key);
  }
  // New keys go after the section's last non-blank line.
  let insertAt = end;
  while (insertAt > start + 1 && lines[insertAt - 1].trim() === '') insertAt--;
  lines.splice(insertAt, 0, ...[...pending].map(([key, value]) => `${key} = ${value}`));
  return `${lines.join('\n')}\n`;
}
