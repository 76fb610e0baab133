import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shlexSplit, ShlexError } from '../../node-agent/process/shlex.js';

// Expected values were produced by Python 3.11's shlex.split.
const CASES: Array<[string, string[]]> = [
  ['a b  c', ['a', 'b', 'c']],
  [' a ', ['a']],
  ['', []],
  ['   ', []],
  ['a"b c"d', ['ab cd']],
  ["'a b'", ['a b']],
  ['a\\ b', ['a b']],
  ['a "" b', ['a', '', 'b']],
  ["a '' b", ['a', '', 'b']],
  ['""', ['']],
  ['a""', ['a']],
  ['"a\\"b"', ['a"b']],
  ['"a\\nb"', ['a\\nb']],
  ['"a\\\\b"', ['a\\b']],
  ["'a\\b'", ['a\\b']],
  ['a\\"b', ['a"b']],
  ['a#b #c', ['a#b', '#c']],
  ['x\\\nb', ['x\nb']],
  ['a\tb\nc', ['a', 'b', 'c']],
  ['"\\$HOME"', ['\\$HOME']],
  ['é ü', ['é', 'ü']],
  ['a\x0bb', ['a\x0bb']],
  [`/bin/sh -c 'echo "hi there"; exit 3'`, ['/bin/sh', '-c', 'echo "hi there"; exit 3']],
];

test('splits like Python shlex.split (POSIX, no comments)', () => {
  for (const [input, expected] of CASES) {
    assert.deepEqual(shlexSplit(input), expected, `input ${JSON.stringify(input)}`);
  }
});

test('a dangling quote or backslash raises Python’s messages', () => {
  const failures: Array<[string, string]> = [
    ['"a', 'No closing quotation'],
    ["'a", 'No closing quotation'],
    ['a "b c', 'No closing quotation'],
    ['a\\', 'No escaped character'],
    ['"\\', 'No escaped character'],
  ];
  for (const [input, message] of failures) {
    assert.throws(() => shlexSplit(input), (err: unknown) => err instanceof ShlexError && err.message === message, input);
  }
});
