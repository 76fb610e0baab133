/** The client's pure parts: getopt rules, Python formatting, names, line parsing, completion, output, the logtail parser. */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { parseArgs } from '../../cli/args.js';
import { Output } from '../../cli/output.js';
import { columnize, padRight, pyRepr } from '../../cli/py-format.js';
import { Completer } from '../../cli/single/completion.js';
import { parseLine } from '../../cli/single/controller.js';
import { exitStatusForFault } from '../../cli/single/exit-status.js';
import { openLogtail, requestBytes } from '../../cli/single/logtail.js';
import { makeNamespec, splitNamespec } from '../../cli/single/namespec.js';
import { looksLikeUrl, SINGLE_OPTION_SPECS } from '../../cli/single/options.js';
import type { ProcessInfo } from '../../node-agent/api/types.js';

test('getopt: clustered flags, attached values, unique long prefixes, stop at the command', () => {
  const parsed = parseArgs(SINGLE_OPTION_SPECS, ['-ic', 'x.conf', '--server=unix:///s', '--user', 'me', 'status', '-c', 'y']);
  assert.deepEqual(
    parsed.options.map((o) => [o.key, o.shown, o.value]),
    [
      ['interactive', '-i', undefined],
      ['configuration', '-c', 'x.conf'],
      ['serverurl', '--serverurl', 'unix:///s'],
      ['username', '--username', 'me'],
    ],
  );
  assert.deepEqual(parsed.rest, ['status', '-c', 'y']);
  assert.deepEqual(parseArgs(SINGLE_OPTION_SPECS, ['--', '-x']).rest, ['-x']);
  for (const [argv, message] of [
    [['-x'], 'option -x not recognized'],
    [['-c'], 'option -c requires argument'],
    [['--h'], 'option --h not a unique prefix'],
    [['--help=2'], 'option --help must not have an argument'],
    [['--nope'], 'option --nope not recognized'],
  ] as const) {
    assert.throws(() => parseArgs(SINGLE_OPTION_SPECS, argv), { code: 'FV_USAGE', message });
  }
});

test('Python formatting: repr quotes, %-Ns padding by code point, cmd.columnize', () => {
  assert.equal(pyRepr('foo'), "'foo'");
  assert.equal(pyRepr("it's"), '"it\'s"');
  assert.equal(pyRepr('a\'b"c\n'), "'a\\'b\"c\\n'");
  assert.equal(padRight('é', 3), 'é  ');
  assert.equal(padRight('toolong', 3), 'toolong');
  const names = ['add', 'avail', 'clear', 'exit', 'fg', 'maintail', 'open', 'pid', 'quit', 'reload', 'remove', 'reread', 'restart', 'shutdown', 'signal', 'start', 'status', 'stop', 'tail', 'update', 'version'];
  assert.deepEqual(columnize(names, 79), [
    'add    exit      open  reload  restart   start   tail   ',
    'avail  fg        pid   remove  shutdown  status  update ',
    'clear  maintail  quit  reread  signal    stop    version',
  ]);
});

test('names and lines', () => {
  assert.deepEqual(splitNamespec('g:*'), { group: 'g', process: undefined });
  assert.deepEqual(splitNamespec('g:'), { group: 'g', process: undefined });
  assert.deepEqual(splitNamespec('g:p:q'), { group: 'g', process: 'p:q' });
  assert.deepEqual(splitNamespec('p'), { group: 'p', process: 'p' });
  assert.equal(makeNamespec('p', 'p'), 'p');
  assert.equal(makeNamespec('g', undefined), 'g:None');
  assert.deepEqual(parseLine('  ?tail '), { command: 'help', arg: 'tail', line: 'help tail' });
  assert.deepEqual(parseLine('foo-bar x'), { command: 'foo', arg: '-bar x', line: 'foo-bar x' });
  assert.equal(parseLine('!ls').command, '');
  assert.ok(looksLikeUrl('unix:///tmp/s') && looksLikeUrl('http://h:1') && looksLikeUrl('localhost:9001'));
  assert.ok(!looksLikeUrl('foo') && !looksLikeUrl('http://') && !looksLikeUrl('/tmp/sock'));
});

test('result-code rule: tolerated faults keep the status, dead-program faults are 7, others 1', () => {
  assert.equal(exitStatusForFault(80), undefined);
  assert.equal(exitStatusForFault(60, 60), undefined);
  assert.equal(exitStatusForFault(50), 7);
  assert.equal(exitStatusForFault(70), 7);
  assert.equal(exitStatusForFault(10), 1);
});

test('completion: commands, groups, process names with group:* entries', async () => {
  const info = (group: string, name: string): ProcessInfo => ({ group, name }) as ProcessInfo;
  let fetches = 0;
  const c = new Completer(
    () => ['start', 'status', 'stop', 'update', 'version'],
    async () => {
      fetches++;
      return [info('web', 'web'), info('worker', 'w_0'), info('worker', 'w_1')];
    },
  );
  assert.deepEqual(await c.complete('st'), [['start ', 'status ', 'stop '], 'st']);
  assert.deepEqual(await c.complete('stop '), [['web ', 'worker:w_0 ', 'worker:* ', 'worker:w_1 '], '']);
  assert.deepEqual(await c.complete('stop worker:'), [['worker:w_0 ', 'worker:* ', 'worker:w_1 '], 'worker:']);
  assert.deepEqual(await c.complete('update w'), [['web ', 'worker '], 'w']);
  assert.deepEqual(await c.complete('help ver'), [['version '], 'ver']);
  assert.equal(fetches, 1);
  c.reset();
  await c.complete('stop ');
  assert.equal(fetches, 2);
});

test('Output: text lines at once; JSON as one document per command', () => {
  const written: string[] = [];
  const sink = { stdout: (t: string) => void written.push(t), stderr: (t: string) => void written.push(`ERR ${t}`) };
  const text = new Output(sink, false);
  text.row('a: started', { name: 'a' });
  text.note('usage');
  text.finish();
  assert.deepEqual(written.splice(0), ['a: started\n', 'usage\n']);
  const json = new Output(sink, true);
  json.row('a: started', { name: 'a' });
  json.note('usage');
  json.finish();
  json.result('4.2.5', { version: '4.2.5' });
  json.finish();
  json.row('x', { name: 'x' });
  json.fail('boom');
  json.finish();
  assert.deepEqual(written, ['[{"name":"a"}]\n', '{"version":"4.2.5"}\n', '{"error":"boom","results":[{"name":"x"}]}\n']);
});

test('logtail: supervisorctl\'s request bytes, chunked body delivered piece by piece, 404 reported', async () => {
  assert.equal(
    requestBytes({ serverurl: 'unix:///s', path: '/logtail/a:b/stdout', username: 'u', password: 'p' }, ''),
    'GET /logtail/a:b/stdout HTTP/1.1\r\nHost: \r\nAccept-Encoding: chunked\r\nAccept: */*\r\n' +
      'User-agent: Supervisor HTTP Client\r\nAuthorization: Basic dTpw\r\n\r\n\r\n',
  );
  const requests: string[] = [];
  const server = createServer((socket) => {
    socket.once('data', (req) => {
      requests.push(req.toString('latin1'));
      if (req.includes('/missing')) {
        socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel');
      setTimeout(() => socket.end('lo\r\n6\r\n world\r\n0\r\n\r\n'), 20);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  try {
    const data: string[] = [];
    const errors: string[] = [];
    const handlers = { onData: (b: Buffer) => void data.push(b.toString()), onError: (m: string) => void errors.push(m) };
    await openLogtail({ serverurl: url, path: '/logtail/x/stdout' }, handlers).done;
    assert.equal(data.join(''), 'hello world');
    assert.ok(data.length >= 2, 'delivered as it arrived');
    await openLogtail({ serverurl: url, path: '/missing' }, handlers).done;
    assert.deepEqual(errors, ['Cannot read, status code 404']);
    assert.match(requests[0], /^GET \/logtail\/x\/stdout HTTP\/1\.1\r\nHost: 127\.0\.0\.1:\d+\r\n/);
  } finally {
    server.close();
  }
});
