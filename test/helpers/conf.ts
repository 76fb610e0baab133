/**
 * Builds a supervisord.conf for a test daemon from a template body: `{dir}`
 * becomes the daemon's temp dir, and the sections every test needs (socket,
 * logs in the temp dir, the supervisor RPC namespace, the ctl server URL) are
 * added unless the body already has them.
 */

const DEFAULT_SECTIONS: ReadonlyArray<{ header: string; lines: string[] }> = [
  { header: '[unix_http_server]', lines: ['file={dir}/sock'] },
  {
    header: '[supervisord]',
    lines: ['logfile={dir}/supervisord.log', 'pidfile={dir}/supervisord.pid', 'childlogdir={dir}'],
  },
  {
    header: '[rpcinterface:supervisor]',
    lines: ['supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface'],
  },
  { header: '[supervisorctl]', lines: ['serverurl=unix://{dir}/sock'] },
];

interface Section {
  header: string;
  start: number;
  end: number;
}

function sectionsOf(lines: readonly string[]): Section[] {
  const sections: Section[] = [];
  lines.forEach((line, index) => {
    const m = /^(\[[^\]]*\])/.exec(line);
    if (!m) return;
    const previous = sections[sections.length - 1];
    if (previous) previous.end = index;
    sections.push({ header: m[1], start: index, end: lines.length });
  });
  return sections;
}

function keyOf(line: string): string | undefined {
  const m = /^([^=:;#\s][^=:]*?)\s*[=:]/.exec(line);
  return m ? m[1].trim().toLowerCase() : undefined;
}

/** The value of `key` in the first section with `header`, as written (templates not expanded). */
export function optionOf(body: string, header: string, key: string): string | undefined {
  const lines = body.split('\n');
  for (const section of sectionsOf(lines).filter((s) => s.header === header)) {
    for (const line of lines.slice(section.start + 1, section.end)) {
      if (keyOf(line) === key) return line.slice(line.search(/[=:]/) + 1).trim();
    }
  }
  return undefined;
}

/** The full config text for `body`, with `{dir}` replaced by `dir`. */
export function buildConf(body: string, dir: string): string {
  const lines = body.split('\n');
  const sections = sectionsOf(lines);
  const appended: string[] = [];
  const insertions = new Map<number, string[]>();
  for (const wanted of DEFAULT_SECTIONS) {
    const existing = sections.find((s) => s.header === wanted.header);
    if (!existing) {
      appended.push('', wanted.header, ...wanted.lines);
      continue;
    }
    if (wanted.header !== '[supervisord]') continue;
    const present = new Set(lines.slice(existing.start + 1, existing.end).map(keyOf));
    const missing = wanted.lines.filter((l) => !present.has(keyOf(l)));
    insertions.set(existing.start, missing);
  }
  const out: string[] = [];
  lines.forEach((line, index) => {
    out.push(line);
    out.push(...(insertions.get(index) ?? []));
  });
  out.push(...appended, '');
  return out.join('\n').replaceAll('{dir}', dir);
}

/** The unix socket path the built config serves on. */
export function socketPathOf(conf: string): string {
  const file = optionOf(conf, '[unix_http_server]', 'file');
  if (!file) throw new Error('test config has no [unix_http_server] file');
  return file;
}
