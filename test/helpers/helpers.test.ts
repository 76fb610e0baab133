/** The harness's own pure parts: normalisation, config building, the mini XML-RPC codec. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildConf, optionOf, socketPathOf } from './conf.js';
import { mainLogLines, normalize } from './normalize.js';
import { parseResponse, serializeCall } from './xmlrpc-mini.js';
import { RpcFault } from '../../node-agent/api/faults.js';

test('normalize replaces pids, uptimes, dates, temp dir, AUTO suffixes and argv0', () => {
  const raw =
    'sleeper                          RUNNING   pid 8190, uptime 1 day, 0:00:04\n' +
    'exit1                            EXITED    Nov 24 02:56 AM\n' +
    '/tmp/fv-x/sleeper-stdout---supervisor-ab3_x9yz.log\n' +
    "2026-11-24 02:56:04,074 WARN killing 'stubborn' (9777) with SIGKILL\n" +
    'For help, use /usr/bin/supervisord -h\n';
  assert.equal(
    normalize(raw, { dir: '/tmp/fv-x' }),
    'sleeper                          RUNNING   pid PID, uptime UPTIME\n' +
      'exit1                            EXITED    DATE\n' +
      '{dir}/sleeper-stdout---supervisor-AUTO.log\n' +
      "TIME WARN killing 'stubborn' (PID) with SIGKILL\n" +
      'For help, use ARGV0 -h\n',
  );
});

test('normalize keeps 0 pids and only sorts when asked', () => {
  assert.equal(normalize('0\n8162\n', { barePids: true }), '0\nPID\n');
  assert.equal(normalize('b\na\n'), 'b\na\n');
  assert.equal(normalize('b\na\n', { sortLines: true }), 'a\nb\n');
});

test('mainLogLines drops timestamps and continuation lines', () => {
  assert.deepEqual(mainLogLines("2026-11-24 02:56:04,096 INFO spawned: 'exit1' with pid 7876\nnot a log line\n"), [
    "INFO spawned: 'exit1' with pid PID",
  ]);
});

test('buildConf adds the sections a test daemon needs, and keeps the ones given', () => {
  const conf = buildConf('[program:a]\ncommand=/bin/true\n', '/tmp/d');
  assert.equal(socketPathOf(conf), '/tmp/d/sock');
  assert.equal(optionOf(conf, '[supervisord]', 'logfile'), '/tmp/d/supervisord.log');
  assert.equal(optionOf(conf, '[supervisorctl]', 'serverurl'), 'unix:///tmp/d/sock');
  assert.match(conf, /\[rpcinterface:supervisor\]\nsupervisor\.rpcinterface_factory/);

  const own = buildConf('[unix_http_server]\nfile=/tmp/other.sock\n\n[supervisord]\nloglevel=debug\nlogfile={dir}/x.log\n', '/tmp/d');
  assert.equal(socketPathOf(own), '/tmp/other.sock');
  assert.equal(optionOf(own, '[supervisord]', 'logfile'), '/tmp/d/x.log');
  assert.equal(optionOf(own, '[supervisord]', 'pidfile'), '/tmp/d/supervisord.pid');
  assert.equal(own.match(/^\[supervisord\]/gm)?.length, 1);
});

test('the mini XML-RPC codec round-trips values and turns faults into RpcFault', () => {
  assert.equal(
    serializeCall('supervisor.x', ['a<b', 5, true, [1.5], { k: 'v' }]),
    '<?xml version="1.0"?>\n<methodCall><methodName>supervisor.x</methodName><params>' +
      '<param><value><string>a&lt;b</string></value></param><param><value><int>5</int></value></param>' +
      '<param><value><boolean>1</boolean></value></param>' +
      '<param><value><array><data><value><double>1.5</double></value></data></array></value></param>' +
      '<param><value><struct><member><name>k</name><value><string>v</string></value></member></struct></value></param>' +
      '</params></methodCall>',
  );
  const reply =
    "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><array><data>\n" +
    '<value><string>ed\n</string></value>\n<value><int>8</int></value>\n<value><boolean>1</boolean></value>\n' +
    '<value>untyped &amp; plain</value>\n<value><string></string></value>\n' +
    '</data></array></value>\n</param>\n</params>\n</methodResponse>\n';
  assert.deepEqual(parseResponse(reply), ['ed\n', 8, true, 'untyped & plain', '']);

  const fault =
    "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n" +
    '<member>\n<name>faultCode</name>\n<value><int>10</int></value>\n</member>\n' +
    '<member>\n<name>faultString</name>\n<value><string>BAD_NAME: x</string></value>\n</member>\n' +
    '</struct></value>\n</fault>\n</methodResponse>\n';
  assert.throws(
    () => parseResponse(fault),
    (err: unknown) => err instanceof RpcFault && err.faultCode === 10 && err.faultString === 'BAD_NAME: x',
  );
});
