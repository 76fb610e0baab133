/**
 * Reaching the server: missing socket, refused connection, authentication,
 * bad options, `tail -f` over the raw logtail stream, and shutdown
 * (compat spec §5.1–5.2). fleetvisorctl must print and exit like supervisorctl.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { SUPERVISORCTL, startDaemon, type Daemon } from '../helpers/daemon.js';
import { bothClients, comparable, fleetvisorctl, fleetvisorctlCommand, supervisorctl, type Comparable } from './harness.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs a client for `ms`, then sends Ctrl-C (SIGINT), and returns what it printed. */
async function interrupted(d: Daemon, command: string[], ms: number): Promise<Comparable> {
  const result = await new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve, reject) => {
    const child = spawn(command[0], [...command.slice(1), '-c', d.conf, 'tail', '-f', 'talker'], { cwd: d.dir });
    let stdout = '';
    let stderr = '';
    // Interrupt once the first line arrived (a fixed delay can hit a slow client still importing), or after ms.
    let interrupted = false;
    const interrupt = () => {
      if (interrupted) return;
      interrupted = true;
      child.kill('SIGINT');
    };
    child.stdout.setEncoding('utf8').on('data', (t: string) => {
      stdout += t;
      if (stdout.includes('hello\n')) setTimeout(interrupt, 100);
    });
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    const timer = setTimeout(interrupt, ms);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
  });
  return comparable(d, result);
}

describe('connection and authentication (supervisord)', () => {
  let d: Daemon;
  let port: number;
  before(async () => {
    port = await freePort();
    const conf = `[inet_http_server]
port=127.0.0.1:${port}
username=admin
password=secret

[program:talker]
command=sh -c "echo hello; echo oops >&2; exec sleep 1000"
startsecs=0
`;
    [d] = await Promise.all([startDaemon('supervisord', conf), fleetvisorctlCommand()]);
    await d.waitForStates({ talker: 'RUNNING' });
  });
  after(() => d?.stop());

  const same = async (line: string, pre: string[], input?: string): Promise<Comparable> => {
    const { expected, actual } = await bothClients(d, line, { pre, input });
    assert.deepEqual(actual, expected, line);
    return actual;
  };

  test('no such socket file: status 4, other upchecked commands 7, the rest a Python error line', async () => {
    const pre = ['-s', `unix://${d.dir}/nosock`];
    assert.equal((await same('status', pre)).code, 4);
    assert.equal((await same('start talker', pre)).code, 7);
    assert.match((await same('avail', pre)).stdout, /^error: <class 'FileNotFoundError'>, \[Errno 2\] No such file or directory/);
    assert.match((await same('shutdown', pre)).stdout, /no such file \(already shut down\?\)/);
  });

  test('refused connection', async () => {
    const pre = ['-s', `http://127.0.0.1:${await freePort()}`];
    const status = await same('status', pre);
    assert.match(status.stdout, /refused connection\n$/);
    assert.equal(status.code, 4);
    await same('version', pre);
    await same('reread', pre);
  });

  test('authentication: missing, wrong and right credentials; a shell asks for them', async () => {
    const pre = ['-s', `http://127.0.0.1:${port}`];
    const missing = await same('status', pre);
    assert.match(missing.stdout, /^Server requires authentication\nerror: <class 'xmlrpc.client.ProtocolError'>, <ProtocolError for 127.0.0.1\/RPC2: 401 Unauthorized>/);
    assert.equal(missing.code, 1);
    await same('version', [...pre, '-u', 'admin', '-p', 'wrong']);
    assert.equal((await same('version', [...pre, '-u', 'admin', '-p', 'secret'])).stdout, '4.2.5\n');
    // only the username: supervisorctl sends no credentials at all
    await same('version', [...pre, '-u', 'admin']);
    // supervisorctl's getpass adds Python warnings on stderr without a terminal: compare stdout and status
    const { expected, actual } = await bothClients(d, '', { pre, input: 'admin\nwrong\nadmin\nsecret\nversion\n' });
    assert.deepEqual({ stdout: actual.stdout, code: actual.code }, { stdout: expected.stdout, code: expected.code });
    assert.match(actual.stdout, /supervisor> 4\.2\.5\n/);
    assert.equal(actual.stderr, 'Password:\nPassword:\n');
  });

  test('bad options and config files are usage errors (exit 2)', async () => {
    for (const args of [['-x'], ['--h'], ['-s', 'foo', 'status'], ['-i', '-i'], ['--help=1']]) {
      const [real, ours] = [await supervisorctl(d, args), await fleetvisorctl(d, args)];
      assert.deepEqual(comparable(d, ours), comparable(d, real), args.join(' '));
      assert.equal(ours.code, 2);
    }
    for (const conf of ['/nonexistent.conf', d.dir]) {
      const args = ['-c', conf, 'status'];
      const [real, ours] = [await supervisorctl(d, args, { noConf: true }), await fleetvisorctl(d, args, { noConf: true })];
      assert.deepEqual(comparable(d, ours), comparable(d, real), args.join(' '));
    }
    const help = await fleetvisorctl(d, ['-h']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /-s\/--serverurl URL/);
  });

  test('tail -f streams until Ctrl-C; an unknown name is a 404 on stderr', async () => {
    const [real, ours] = await Promise.all([interrupted(d, [SUPERVISORCTL], 10_000), interrupted(d, await fleetvisorctlCommand(), 10_000)]);
    assert.deepEqual(ours, real);
    assert.equal(ours.stdout, '==> Press Ctrl-C to exit <==\nhello\n\n');
    const missing = await same('tail -f nosuch stderr', []);
    assert.match(missing.stderr, /\/logtail\/nosuch\/stderr Cannot read, status code 404\n$/);
  });
});

describe('shutdown (each client shuts its own daemon down)', () => {
  for (const kind of ['supervisord', 'fleetvisord'] as const) {
    test(kind, async () => {
      const conf = '[program:p]\ncommand=/bin/sleep 1000\nstartsecs=0\n';
      const [a, b] = await Promise.all([startDaemon(kind, conf), startDaemon(kind, conf), fleetvisorctlCommand()]);
      try {
        const run = async (d: Daemon, client: typeof supervisorctl): Promise<string> => {
          const first = comparable(d, await client(d, ['shutdown']));
          await d.exited;
          const again = comparable(d, await client(d, ['shutdown']));
          return JSON.stringify([first, again]);
        };
        const [expected, actual] = await Promise.all([run(a, supervisorctl), run(b, fleetvisorctl)]);
        assert.equal(actual, expected);
        assert.match(actual, /Shut down.*no such file \(already shut down\?\)/);
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    });
  }
});
