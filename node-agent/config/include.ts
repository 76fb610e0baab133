/**
 * Reading the main config file and the files its [include] section names
 * (compat spec §1.5 [include]): globs relative to the main file's directory,
 * matches read sorted, no nesting, `%(here)s` replaced textually per file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { FleetvisorError } from '../api/errors.js';
import { expand } from './expand.js';
import { pyGlob } from './glob.js';
import { IniParser } from './ini.js';
import { pyCompare } from './python.js';

const HERE_FORMAT = '%(here)s';

export interface ReadResult {
  parser: IniParser;
  /** Section → included file it first appeared in (sections of the main file are absent). */
  sectionToFile: Map<string, string>;
  /** Absolute paths of every file read, main first. */
  files: string[];
  warnings: string[];
  infos: string[];
}

/** The text of a config file, with supervisord's messages when it is missing or unreadable. */
export function readConfigText(path: string, cwd: string): string {
  const absolute = resolve(cwd, path);
  if (!existsSync(absolute)) {
    throw new FleetvisorError('FV_CONFIG_NOT_FOUND', `could not find config file ${path}`);
  }
  try {
    return readFileSync(absolute, 'utf8');
  } catch (err) {
    throw new FleetvisorError('FV_CONFIG_NOT_FOUND', `could not read config file ${path}`, { cause: err });
  }
}

export interface IncludeContext {
  configFile: string;
  cwd: string;
  here: string;
  hostNodeName: string;
  envExpansions: Record<string, string>;
}

export function readWithIncludes(ctx: IncludeContext): ReadResult {
  const parser = new IniParser();
  parser.read(readConfigText(ctx.configFile, ctx.cwd), ctx.configFile);
  const result: ReadResult = {
    parser,
    sectionToFile: new Map(),
    files: [resolve(ctx.cwd, ctx.configFile)],
    warnings: [],
    infos: [],
  };
  if (!parser.hasSection('include')) return result;

  expandHere(parser, ctx.here);
  const filesValue = parser.get('include', 'files');
  if (filesValue === undefined) {
    throw new FleetvisorError('FV_CONFIG_MISSING', '.ini file has [include] section, but no files setting');
  }
  const expansions = { here: ctx.here, host_node_name: ctx.hostNodeName, ...ctx.envExpansions };
  const patterns = expand(filesValue, expansions, 'include.files').split(/\s+/u).filter(Boolean);
  const base = dirname(resolve(ctx.cwd, ctx.configFile));
  for (const relative of patterns) {
    const pattern = relative.startsWith('/') ? relative : join2(base, relative);
    const matches = pyGlob(pattern);
    if (matches.length === 0) {
      result.warnings.push(`No file matches via include "${pattern}"`);
      continue;
    }
    for (const filename of matches.sort(pyCompare)) {
      result.infos.push(`Included extra file "${filename}" during parsing`);
      readIncluded(result, filename);
      expandHere(parser, dirname(resolve(ctx.cwd, filename)));
    }
  }
  return result;
}

/** os.path.join(base, pattern) without normalising the pattern. */
function join2(base: string, pattern: string): string {
  return base.endsWith('/') ? base + pattern : `${base}/${pattern}`;
}

/** RawConfigParser.read: unreadable files are skipped silently; parse errors are not. */
function readIncluded(result: ReadResult, filename: string): void {
  let text: string;
  try {
    text = readFileSync(filename, 'utf8');
  } catch {
    return;
  }
  const before = new Set(result.parser.sections());
  result.parser.read(text, filename);
  result.files.push(filename);
  for (const section of result.parser.sections()) {
    if (!before.has(section)) result.sectionToFile.set(section, filename);
  }
}

/** Replace `%(here)s` textually in every section's values (own and inherited) still holding it. */
function expandHere(parser: IniParser, here: string): void {
  for (const section of parser.sections()) {
    for (const option of parser.options(section)) {
      const value = parser.get(section, option);
      if (value !== undefined && value.includes(HERE_FORMAT)) {
        parser.set(section, option, value.replaceAll(HERE_FORMAT, here));
      }
    }
  }
}
