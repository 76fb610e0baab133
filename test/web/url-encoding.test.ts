import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ctime } from '../../node-agent/http/web/html.js';
import { parseForm, parseQueryPairs, pyQuote, pyUnquote } from '../../node-agent/http/web/url-encoding.js';

const SAMPLES = ['grp:manual', 'Process grp:manual stopped', 'a/b c~d_e.f-g', "x!'()*&=+?#%", 'ünï €', 'All stopped at Tue Nov  4 01:02:03 2026'];

const noPython = !existsSync('/usr/bin/python3');

/** The system Python's urllib, which supervisord uses (those tests are skipped without it). */
function python(script: string, input: unknown): unknown {
  const out = execFileSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(input) });
  return JSON.parse(out.toString('utf8'));
}

describe('url encoding as Python urllib does it', () => {
  test('pyQuote matches urllib.parse.quote', { skip: noPython }, () => {
    const expected = python('import json,sys,urllib.parse as u; print(json.dumps([u.quote(s) for s in json.load(sys.stdin)]))', SAMPLES);
    assert.deepEqual(SAMPLES.map(pyQuote), expected);
  });

  test('parseQueryPairs matches urllib.parse.parse_qsl', { skip: noPython }, () => {
    const queries = ['a=1&b=&c&d=x+y&e=%3A%2f&a=2', 'processname=grp%3Amanual&action=stop', 'bad=%zz%4&u=%C3%BC&v=%FF', '&&=v&k='];
    const expected = python('import json,sys,urllib.parse as u; print(json.dumps([u.parse_qsl(q) for q in json.load(sys.stdin)]))', queries);
    assert.deepEqual(queries.map(parseQueryPairs), expected);
  });

  test('pyUnquote leaves malformed escapes alone', () => {
    assert.equal(pyUnquote('a%3Ab%zz%4'), 'a:b%zz%4');
    assert.equal(pyUnquote('plain'), 'plain');
  });

  test('parseForm: first query value wins, body values override', () => {
    const form = parseForm('action=stop&action=start&processname=a', 'processname=b&processname=c');
    assert.equal(form.get('action'), 'stop');
    assert.equal(form.get('processname'), 'c');
  });
});

describe('ctime', () => {
  test('pads the day with a space like time.ctime()', () => {
    assert.equal(ctime(new Date(2026, 10, 4, 1, 2, 3)), 'Wed Nov  4 01:02:03 2026');
    assert.equal(ctime(new Date(2026, 10, 24, 13, 5, 9)), 'Tue Nov 24 13:05:09 2026');
  });
});
