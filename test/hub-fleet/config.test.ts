import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { agentSpecFrom, defaultHubConfig, HUB_DEFAULTS, loadHubConfig, parseHubConfig } from '../../hub/config.js';

const dir = mkdtempSync(join(tmpdir(), 'fv-hubconfig-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function load(text: string): ReturnType<typeof loadHubConfig> {
  const path = join(dir, 'hub.ini');
  writeFileSync(path, text);
  return loadHubConfig(path);
}

const parse = (text: string) => parseHubConfig(text, 'hub.ini', '/etc/fleetvisor');

describe('hub.ini', () => {
  test('a full file: every option read, relative paths against the file, agents with tags', () => {
    const config = load(`
; the hub
[hub]
listen = 0.0.0.0:9200
data_dir = data
retention = 7d
retention_rows = 5000
poll_interval = 500ms
long_poll = 10
call_timeout = 3s
concurrency = 16
flapping_count = 3
flapping_minutes = 2
tls_cert = certs/hub.crt
tls_key = certs/hub.key

[agent:web1.example.com]
url = http://web1.example.com:9001
username = hub
password = "p;ss#word"
tags = web, eu , web

[agent:local]
url = unix:///var/run/fleetvisor.sock
`);
    assert.equal(config.path, join(dir, 'hub.ini'));
    assert.deepEqual(config.listen, { host: '0.0.0.0', port: 9200 });
    assert.equal(config.dataDir, join(dir, 'data'));
    assert.deepEqual(config.retention, { maxAgeMs: 7 * 86_400_000, maxRows: 5000 });
    assert.equal(config.pollIntervalMs, 500);
    assert.equal(config.longPollSeconds, 10);
    assert.equal(config.callTimeoutMs, 3000);
    assert.equal(config.concurrency, 16);
    assert.deepEqual(config.flapping, { count: 3, minutes: 2 });
    assert.deepEqual(config.tls, { cert: join(dir, 'certs/hub.crt'), key: join(dir, 'certs/hub.key') });
    assert.deepEqual(config.agents, [
      { name: 'web1.example.com', url: 'http://web1.example.com:9001', username: 'hub', password: 'p;ss#word', tags: ['web', 'eu'], source: 'config' },
      { name: 'local', url: 'unix:///var/run/fleetvisor.sock', tags: [], source: 'config' },
    ]);
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.agents[0]));
  });

  test('defaults when [hub] is absent or empty', () => {
    const config = parse('[agent:a]\nurl=https://a:9001\n');
    assert.deepEqual(config.listen, { host: HUB_DEFAULTS.host, port: HUB_DEFAULTS.port });
    assert.equal(config.dataDir, '/etc/fleetvisor/hub-data');
    assert.equal(config.pollIntervalMs, 2000);
    assert.equal(config.callTimeoutMs, 10_000);
    assert.equal(config.concurrency, 64);
    assert.equal(config.tls, undefined);
    assert.deepEqual(parse('[hub]\nlisten = 9300\n').listen, { host: '127.0.0.1', port: 9300 });
    assert.deepEqual(parse('[hub]\nlisten = [::1]:9300\n').listen, { host: '::1', port: 9300 });
    assert.equal(parse('[hub]\npoll_interval = 3\n').pollIntervalMs, 3000, 'a bare number of seconds');
  });

  test('defaultHubConfig: no agents, data in the given dir', () => {
    const config = defaultHubConfig('rel-data');
    assert.equal(config.dataDir, join(process.cwd(), 'rel-data'));
    assert.deepEqual(config.agents, []);
    assert.equal(config.pollIntervalMs, 2000);
  });

  const errors: Array<[string, string, RegExp]> = [
    ['bad url scheme', '[agent:web1]\nurl = ftp://x\n', /^hub\.ini \[agent:web1\] url: 'ftp:\/\/x' is not http:\/\/, https:\/\/ or unix:\/\/$/],
    ['missing url', '[agent:web1]\ntags = a\n', /^hub\.ini \[agent:web1\] url: required/],
    ['relative unix path', '[agent:w]\nurl = unix://run/x.sock\n', /\[agent:w\] url: .*absolute path/],
    ['unknown agent option', '[agent:w]\nurl = http://w:1\nhost = w\n', /^hub\.ini \[agent:w\] host: unknown option$/],
    ['password without username', '[agent:w]\nurl = http://w:1\npassword = x\n', /\[agent:w\] username: password is set but username is not/],
    ['bad tag', '[agent:w]\nurl = http://w:1\ntags = ok, not ok\n', /\[agent:w\] tags: 'not ok'/],
    ['bad agent name', '[agent:bad name]\nurl = http://w:1\n', /\[agent:bad name\]: agent name 'bad name'/],
    ['unknown section', '[hubb]\nlisten = 1\n', /^hub\.ini \[hubb\]: unknown section/],
    ['unknown hub option', '[hub]\npoll = 2s\n', /^hub\.ini \[hub\] poll: unknown option$/],
    ['bad duration', '[hub]\npoll_interval = soon\n', /^hub\.ini \[hub\] poll_interval: 'soon' is not a duration/],
    ['zero duration', '[hub]\ncall_timeout = 0s\n', /\[hub\] call_timeout: '0s' must be more than zero/],
    ['bad listen', '[hub]\nlisten = here\n', /^hub\.ini \[hub\] listen: 'here' is not host:port or port$/],
    ['port too high', '[hub]\nlisten = 70000\n', /\[hub\] listen: port 70000 is above 65535/],
    ['concurrency out of range', '[hub]\nconcurrency = 0\n', /\[hub\] concurrency: 0 is outside 1-10000/],
    ['tls half set', '[hub]\ntls_cert = a.crt\n', /\[hub\] tls_key: tls_cert and tls_key go together/],
    ['option outside a section', 'listen = 1\n', /option 'listen' is outside any section/],
  ];
  for (const [name, text, message] of errors) {
    test(`error names section and option: ${name}`, () => {
      assert.throws(
        () => parse(text),
        (err: Error & { code?: string }) => {
          assert.match(err.message, message);
          assert.match(err.code ?? '', /^FV_CONFIG_/);
          return true;
        },
      );
    });
  }

  test('a missing file is FV_CONFIG_NOT_FOUND', () => {
    assert.throws(() => loadHubConfig(join(dir, 'nope.ini')), { code: 'FV_CONFIG_NOT_FOUND' });
  });

  test('agentSpecFrom checks an agent added at runtime the same way', () => {
    assert.deepEqual(agentSpecFrom('db1', { url: 'https://db1:9001', tags: 'db' }, 'api'), {
      name: 'db1',
      url: 'https://db1:9001',
      tags: ['db'],
      source: 'api',
    });
    assert.throws(() => agentSpecFrom('db1', { url: 'db1:9001' }, 'api'), { message: /^agent \[agent:db1\] url: 'db1:9001' is not http/ });
  });
});
