import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { XmlRpcValue } from '../../node-agent/api/types.js';
import { parseMethodCall, parseMethodResponse } from '../../node-agent/api/xmlrpc-parse.js';
import {
  serializeFault,
  serializeMethodCall,
  serializeMethodResponse,
  serializeMethodResponseBody,
} from '../../node-agent/api/xmlrpc-serialize.js';

const sample: XmlRpcValue = {
  int: 42,
  negative: -2147483648,
  big: 3_000_000_000,
  yes: true,
  no: false,
  text: 'héllo <b> & "q" \r\n 😀',
  double: 0.25,
  list: [1, 'a', [true, []]],
  nested: { a: { b: {} } },
  bytes: Buffer.from([0, 1, 254, 255]),
  when: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
};

test('types are written as XML-RPC tags', () => {
  const xml = serializeMethodResponse(sample);
  assert.match(xml, /^<\?xml version="1.0"\?>\n<methodResponse><params><param><value><struct>/);
  assert.match(xml, /<name>int<\/name><value><int>42<\/int><\/value>/);
  assert.match(xml, /<name>big<\/name><value><i8>3000000000<\/i8><\/value>/);
  assert.match(xml, /<name>yes<\/name><value><boolean>1<\/boolean><\/value>/);
  assert.match(xml, /<name>double<\/name><value><double>0.25<\/double><\/value>/);
  assert.match(xml, /<base64>AAH\+\/w==<\/base64>/);
  assert.match(xml, /<dateTime.iso8601>20240102T03:04:05<\/dateTime.iso8601>/);
  assert.match(xml, /héllo &lt;b&gt; &amp; "q" &#13;\n 😀/);
});

test('a response round-trips through the parser, also as chunked Buffers', () => {
  assert.deepEqual(parseMethodResponse(serializeMethodResponse(sample)), { ok: true, value: sample });
  const body = serializeMethodResponseBody(sample);
  const joined = Buffer.concat(body.chunks);
  assert.equal(joined.length, body.byteLength);
  assert.deepEqual(parseMethodResponse(joined), { ok: true, value: sample });
});

test('large bodies are split into several chunks that join to the same text', () => {
  const many = Array.from({ length: 3000 }, (_, i) => ({ name: `p${i}`, description: 'ü'.repeat(i % 7) }));
  const body = serializeMethodResponseBody(many);
  assert.ok(body.chunks.length > 1);
  assert.equal(Buffer.concat(body.chunks).toString('utf8'), serializeMethodResponse(many));
});

test('a call round-trips, method name escaped', () => {
  const xml = serializeMethodCall('a<b', [1, 'x']);
  assert.deepEqual(parseMethodCall(xml), { methodName: 'a<b', params: [1, 'x'] });
});

test('null, undefined, NaN and functions are programming errors, never <nil/>', () => {
  for (const bad of [
    null,
    undefined,
    { a: undefined },
    [1, null],
    NaN,
    Infinity,
    () => 1,
  ]) {
    assert.throws(() => serializeMethodResponse(bad as unknown as XmlRpcValue), TypeError);
  }
  assert.throws(() => serializeMethodResponse({ deep: [{ x: null }] } as unknown as XmlRpcValue), /result\.deep\[0\]\.x/);
});

test('characters XML 1.0 cannot carry become U+FFFD; others survive', () => {
  const xml = serializeMethodResponse('a\x1b[31mred\x00\tb\n');
  assert.ok(!/[\x00-\x08\x1b]/.test(xml));
  assert.deepEqual(parseMethodResponse(xml), { ok: true, value: 'a\uFFFD[31mred\uFFFD\tb\n' });
});

test('faults carry code and escaped string', () => {
  const xml = serializeFault(10, 'BAD_NAME: <x&y>');
  const parsed = parseMethodResponse(xml);
  assert.equal(parsed.ok, false);
  if (!parsed.ok) {
    assert.equal(parsed.fault.faultCode, 10);
    assert.equal(parsed.fault.faultString, 'BAD_NAME: <x&y>');
  }
});
