import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expand, formatWithMapping } from '../../node-agent/config/expand.js';

const names = { program_name: 'web', process_num: 3, numprocs: 12, here: '/etc/sv' };

test('Python %-format with a mapping: outputs checked against CPython 3.11', () => {
  const table: [string, string][] = [
    ['%(program_name)s', 'web'],
    ['%(program_name)s_%(process_num)02d', 'web_03'],
    ['%(process_num)d of %(numprocs)d', '3 of 12'],
    ['100%%', '100%'],
    ['%(process_num)s', '3'],
    ['%(process_num)5.2f', ' 3.00'],
    ['%(process_num)e', '3.000000e+00'],
    ['%(process_num)g', '3'],
    ['%(numprocs)#x', '0xc'],
    ['%(numprocs)X', 'C'],
    ['%(numprocs)#o', '0o14'],
    ['%(process_num)+05d', '+0003'],
    ['%(process_num)-5d|', '3    |'],
    ['%(process_num) d', ' 3'],
    ['%(program_name)5s|', '  web|'],
    ['%(program_name)-5s|', 'web  |'],
    ['%(program_name).1s', 'w'],
    ['%(program_name)r', "'web'"],
    ['%(process_num)ld', '3'],
    ['no format at all', 'no format at all'],
  ];
  for (const [fmt, expected] of table) {
    assert.equal(formatWithMapping(fmt, names), expected, fmt);
  }
});

test('unknown names: supervisord message with sorted available names', () => {
  assert.throws(() => expand('/bin/%(nope)s', names, 'program:web.command'), {
    code: 'FV_CONFIG_BAD_VALUE',
    message:
      "Format string '/bin/%(nope)s' for 'program:web.command' contains names ('nope') which cannot be " +
      'expanded. Available names: here, numprocs, process_num, program_name',
  });
});

test('malformed formats: the Python error text after "is badly formatted:"', () => {
  const table: [string, string][] = [
    ['%(program_name', 'incomplete format key'],
    ['%(program_name)', 'incomplete format'],
    ['abc%', 'incomplete format'],
    ['%(program_name)z', "unsupported format character 'z' (0x7a) at index 15"],
    ['%(program_name)%', "unsupported format character '%' (0x25) at index 15"],
    ['%(program_name)d', '%d format: a real number is required, not str'],
    ['%(program_name)i', '%i format: a real number is required, not str'],
    ['%(program_name)x', '%x format: an integer is required, not str'],
    ['%(program_name)f', 'must be real number, not str'],
    ['%s %s', 'not enough arguments for format string'],
    ['%d', '%d format: a real number is required, not dict'],
  ];
  for (const [fmt, message] of table) {
    assert.throws(() => expand(fmt, names, 'x.y'), {
      message: `Format string ${JSON.stringify(fmt).replaceAll('"', "'")} for 'x.y' is badly formatted: ${message}`,
    }, fmt);
  }
});

test('a missing name is reported before a bad conversion character', () => {
  assert.throws(() => expand('%(zz)z', names, 'x.y'), /contains names \('zz'\)/);
});

test('a bare %s formats the whole mapping like Python does', () => {
  assert.equal(formatWithMapping('%s', { a: 'x', n: 3 }), "{'a': 'x', 'n': 3}");
});
