import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IniParser } from '../../node-agent/config/ini.js';
import { FleetvisorError } from '../../node-agent/api/errors.js';

function parse(text: string, source = 'c.conf'): IniParser {
  const parser = new IniParser();
  parser.read(text, source);
  return parser;
}

test('= and : delimiters, first one wins, keys lower-cased and trimmed, values trimmed', () => {
  const p = parse('[s]\nKey One = a:b=c\nother: x = y\nempty=\n');
  assert.deepEqual(p.options('s'), ['key one', 'other', 'empty']);
  assert.equal(p.get('s', 'key one'), 'a:b=c');
  assert.equal(p.get('s', 'OTHER'), 'x = y');
  assert.equal(p.get('s', 'empty'), '');
});

test('inline comments only after whitespace, with configparser round-based search', () => {
  const p = parse(
    "[s]\na=x ; comment\nb=a;b\nc=v#x\nd=sh -c 'a ; b'\ne=a;b ;c #d\nf=x\t#tab comment\n",
  );
  assert.equal(p.get('s', 'a'), 'x');
  assert.equal(p.get('s', 'b'), 'a;b');
  assert.equal(p.get('s', 'c'), 'v#x');
  assert.equal(p.get('s', 'd'), "sh -c 'a");
  // The ';' at 4 follows whitespace, but the first round already found '#' at 7.
  assert.equal(p.get('s', 'e'), 'a;b ;c');
  assert.equal(p.get('s', 'f'), 'x');
});

test('full-line comments, including indented ones inside a value', () => {
  const p = parse('; top\n# top\n[s]\n  ; indented comment\nk=1\n  # not a continuation\n  more\n');
  assert.equal(p.get('s', 'k'), '1\nmore');
});

test('continuation lines join with newline, inner blank lines kept, trailing dropped', () => {
  const p = parse('[s]\nk = first\n   second\n\n   third\n\n\nnext=1\n');
  assert.equal(p.get('s', 'k'), 'first\nsecond\n\nthird');
  assert.equal(p.get('s', 'next'), '1');
});

test('section names are case-sensitive and untrimmed; text after ] is ignored; greedy to the last ]', () => {
  const p = parse('[Program:x]\na=1\n[ program:y]\nb=2\n[program:z] junk\nc=3\n[a]b]\nd=4\n');
  assert.deepEqual(p.sections(), ['Program:x', ' program:y', 'program:z', 'a]b']);
});

test('duplicate sections merge and repeated keys keep the last value', () => {
  const p = parse('[s]\na=1\nb=1\n[t]\n[s]\na=2\nc=3\n');
  assert.deepEqual(p.sections(), ['s', 't']);
  assert.equal(p.get('s', 'a'), '2');
  assert.equal(p.get('s', 'b'), '1');
  assert.equal(p.get('s', 'c'), '3');
});

test('[DEFAULT] values are inherited by every section and listed after own options', () => {
  const p = parse('[DEFAULT]\nshared=d\nk=default\n[s]\nk=own\n[t]\n');
  assert.deepEqual(p.sections(), ['s', 't']);
  assert.equal(p.get('s', 'k'), 'own');
  assert.equal(p.get('t', 'k'), 'default');
  assert.deepEqual(p.options('s'), ['k', 'shared']);
  assert.equal(p.get('t', 'missing'), undefined);
});

test('CRLF and CR line endings are universal newlines', () => {
  const p = parse('[s]\r\na=1\r\n  b\rc=2');
  assert.equal(p.get('s', 'a'), '1\nb');
  assert.equal(p.get('s', 'c'), '2');
});

test('lines without a delimiter are collected into one parsing error', () => {
  assert.throws(
    () => parse('[s]\na=1\nbad line\n  cont\nworse\n=novalue\n'),
    (err: unknown) => {
      assert.ok(err instanceof FleetvisorError);
      assert.equal(err.code, 'FV_CONFIG_SYNTAX');
      assert.equal(
        err.message,
        "Source contains parsing errors: 'c.conf'\n\t[line  3]: 'bad line\\n'\n\t[line  5]: 'worse\\n'\n\t[line  6]: '=novalue\\n'",
      );
      return true;
    },
  );
});

test('an option before any section header', () => {
  assert.throws(() => parse("\nfoo=bar\n[s]\n"), {
    code: 'FV_CONFIG_SYNTAX',
    message: "File contains no section headers.\nfile: 'c.conf', line: 2\n'foo=bar\\n'",
  });
  assert.throws(() => parse('[]\n', 'x.conf'), {
    message: "File contains no section headers.\nfile: 'x.conf', line: 1\n'[]\\n'",
  });
});

test('a second file merges into the same parser', () => {
  const p = parse('[s]\na=1\n');
  p.read('[s]\nb=2\n[u]\nc=3\n', 'other.conf');
  assert.deepEqual(p.sections(), ['s', 'u']);
  assert.equal(p.get('s', 'a'), '1');
  assert.equal(p.get('s', 'b'), '2');
});
