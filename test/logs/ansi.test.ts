import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnsiStripper } from '../../node-agent/logs/ansi.js';

const strip = (s: string) => new AnsiStripper().strip(Buffer.from(s, 'latin1')).toString('latin1');

// Expected values produced by supervisor.dispatchers.stripEscapes 4.2.5.
const VECTORS: [string, string][] = [
  ['a\x1b[31mred\x1b[0m b\x1b[2Jc\n', 'ared bc\n'],
  ['x\x1b[1;32;40mgreen\x1b[K!', 'xgreen!'],
  ['no\x1b[', 'no'],
  ['\x1b]0;title\x07ok', '\x1b]0;title\x07ok'],
  ['a\x1bb\x1b[?25lz', 'a\x1bbz'],
  ['plain text\n', 'plain text\n'],
];

for (const [input, expected] of VECTORS) {
  test(`strips like supervisord: ${JSON.stringify(input)}`, () => {
    assert.equal(strip(input), expected);
  });
}

test('a chunk without ESC is returned as is (no copy)', () => {
  const chunk = Buffer.from('hello\n');
  assert.equal(new AnsiStripper().strip(chunk), chunk);
});

test('a sequence split across chunks is still removed', () => {
  const stripper = new AnsiStripper();
  const parts = ['red\x1b', '[3', '1mX\x1b[0', 'm!'].map((p) => stripper.strip(Buffer.from(p)).toString());
  assert.deepEqual(parts, ['red', '', 'X', '!']);
});

test('a held ESC not followed by [ is emitted with the next chunk', () => {
  const stripper = new AnsiStripper();
  assert.equal(stripper.strip(Buffer.from('a\x1b')).toString(), 'a');
  assert.equal(stripper.strip(Buffer.from('b')).toString(), '\x1bb');
});
