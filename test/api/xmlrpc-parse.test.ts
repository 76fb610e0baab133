import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FleetvisorError } from '../../node-agent/api/errors.js';
import { RpcFault } from '../../node-agent/api/faults.js';
import { parseMethodCall, parseMethodResponse } from '../../node-agent/api/xmlrpc-parse.js';

function call(valuesXml: string): unknown[] {
  return parseMethodCall(
    `<?xml version='1.0'?>\n<methodCall>\n<methodName>m</methodName>\n<params>\n${valuesXml
      .split('|')
      .map((v) => `<param>${v}</param>`)
      .join('\n')}\n</params>\n</methodCall>\n`,
  ).params;
}

function parseError(fn: () => unknown, code = 'FV_XMLRPC_PARSE'): void {
  assert.throws(fn, (err: unknown) => err instanceof FleetvisorError && err.code === code);
}

test('scalars: int, i4, i8 as text, boolean, string, untyped, double', () => {
  assert.deepEqual(
    call(
      '<value><int>42</int></value>|<value><i4> -7 </i4></value>|<value><i8>3000000000</i8></value>|' +
        '<value><boolean>1</boolean></value>|<value><boolean>0</boolean></value>|' +
        '<value><string> a b </string></value>|<value>untyped text</value>|<value><double>-1.5e3</double></value>|' +
        '<value></value>|<value/>|<value><string/></value>',
    ),
    [42, -7, 3000000000, true, false, ' a b ', 'untyped text', -1500, '', '', ''],
  );
});

test('entities, character references, CDATA and comments decode into one string', () => {
  assert.deepEqual(call('<value><string>&lt;a&gt; &amp; &quot;&apos; &#233;&#x1F600; <![CDATA[<raw&>]]><!-- c -->x</string></value>'), [
    `<a> & "' é😀 <raw&>x`,
  ]);
});

test('dateTime.iso8601 reads Python\'s form as UTC, and zones when given', () => {
  const [plain, dashed, zoned] = call(
    '<value><dateTime.iso8601>20240102T03:04:05</dateTime.iso8601></value>|' +
      '<value><dateTime.iso8601>2024-01-02T03:04:05Z</dateTime.iso8601></value>|' +
      '<value><dateTime.iso8601>2024-01-02T05:04:05+02:00</dateTime.iso8601></value>',
  ) as Date[];
  assert.equal(plain.toISOString(), '2024-01-02T03:04:05.000Z');
  assert.equal(dashed.toISOString(), '2024-01-02T03:04:05.000Z');
  assert.equal(zoned.toISOString(), '2024-01-02T03:04:05.000Z');
});

test('base64 becomes a Buffer, line breaks allowed', () => {
  const [bytes] = call('<value><base64>AP8A\nYWJj</base64></value>') as Buffer[];
  assert.ok(Buffer.isBuffer(bytes));
  assert.deepEqual([...bytes], [0, 255, 0, 97, 98, 99]);
});

test('arrays and nested structs; __proto__ stays an ordinary key', () => {
  const [value] = call(
    '<value><struct><member><name>list</name><value><array><data><value><int>1</int></value>' +
      '<value><array><data/></array></value><value><struct/></value></data></array></value></member>' +
      '<member><name>__proto__</name><value><string>x</string></value></member></struct></value>',
  ) as Record<string, unknown>[];
  assert.deepEqual(value.list, [1, [], {}]);
  assert.equal(Object.getPrototypeOf(value), Object.prototype);
  assert.equal(Object.getOwnPropertyDescriptor(value, '__proto__')?.value, 'x');
});

test('a call without <params> has no params; an empty methodName is refused', () => {
  assert.deepEqual(parseMethodCall('<methodCall><methodName>a.b</methodName></methodCall>'), {
    methodName: 'a.b',
    params: [],
  });
  parseError(() => parseMethodCall('<methodCall><methodName></methodName><params/></methodCall>'));
  parseError(() => parseMethodCall('<methodCall><params/></methodCall>'));
});

test('nil is refused as unsupported, not as malformed', () => {
  parseError(() => call('<value><nil/></value>'), 'FV_XMLRPC_UNSUPPORTED');
  parseError(() => call('<value><ex:nil/></value>'), 'FV_XMLRPC_UNSUPPORTED');
});

test('malformed documents are refused', () => {
  for (const body of [
    '',
    'garbage',
    '<methodCall><methodName>m</methodName>',
    '<methodCall><methodName>m</methodName><params><param><value><int>1</int></value></param></params></methodCall><x/>',
    '<methodCall><methodName>m</methodName><params><param><value><int>1.5</int></value></param></params></methodCall>',
    '<methodCall><methodName>m</methodName><params><param><value><boolean>yes</boolean></value></param></params></methodCall>',
    '<methodCall><methodName>m</methodName><params><param><value><base64>abc</base64></value></param></params></methodCall>',
    '<methodCall><methodName>m</methodName><params><param><value><date>x</date></value></param></params></methodCall>',
    '<methodCall><methodName>m</methodName><params><param><value><string>a &unknown; b</string></value></param></params></methodCall>',
    '<methodCall><methodName>m</methodName><params><param><value><string>a & b</string></value></param></params></methodCall>',
    '<methodCall><methodName>m</methodName><params><param><value><string>&#0;</string></value></param></params></methodCall>',
    '<methodCall><methodName>m</methodName><params><param><value>x<int>1</int></value></param></params></methodCall>',
    '<methodResponse><params/></methodResponse>',
  ]) {
    parseError(() => parseMethodCall(body));
  }
});

test('DOCTYPE and entity declarations are refused: no billion laughs', () => {
  const laughs =
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>' +
    '<methodCall><methodName>&lol2;</methodName></methodCall>';
  parseError(() => parseMethodCall(laughs));
  parseError(() => parseMethodCall('<methodCall><!ENTITY x "y"><methodName>m</methodName></methodCall>'));
});

test('size and depth limits', () => {
  const big = `<methodCall><methodName>m</methodName><params><param><value>${'x'.repeat(5000)}</value></param></params></methodCall>`;
  parseError(() => parseMethodCall(big, { maxBytes: 1000 }));
  assert.equal(parseMethodCall(big, { maxBytes: 10_000 }).methodName, 'm');
  const deep = '<value><array><data>'.repeat(100) + '</data></array></value>'.repeat(100);
  parseError(() => call(deep));
  assert.deepEqual(call('<value><array><data>'.repeat(3) + '</data></array></value>'.repeat(3)), [[[[]]]]);
});

test('invalid UTF-8 in a Buffer body is refused', () => {
  const body = Buffer.concat([
    Buffer.from('<methodCall><methodName>m'),
    Buffer.from([0xc3]),
    Buffer.from('</methodName></methodCall>'),
  ]);
  parseError(() => parseMethodCall(body));
});

test('responses: a value, or a fault as RpcFault with the wire code and string', () => {
  assert.deepEqual(
    parseMethodResponse(
      "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><array><data>\n<value><string>a</string></value>\n</data></array></value>\n</param>\n</params>\n</methodResponse>\n",
    ),
    { ok: true, value: ['a'] },
  );
  const result = parseMethodResponse(
    '<methodResponse><fault><value><struct><member><name>faultCode</name><value><int>99</int></value></member>' +
      '<member><name>faultString</name><value><string>WHATEVER: x</string></value></member></struct></value></fault></methodResponse>',
  );
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.ok(result.fault instanceof RpcFault);
  assert.equal(result.fault.faultCode, 99);
  assert.equal(result.fault.faultString, 'WHATEVER: x');
  parseError(() => parseMethodResponse('<methodResponse><fault><value><int>1</int></value></fault></methodResponse>'));
});
