/** The pieces of fleet mode that need no hub: SSE parsing, INI editing, mode choice, arguments, selectors, output. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseCommandArgs } from '../../cli/fleet/command-args.js';
import { readFleetSection, saveFleetLogin, userConfigPath } from '../../cli/fleet/config-files.js';
import type { FleetIO } from '../../cli/fleet/context.js';
import { fleetModeWanted } from '../../cli/fleet/detect.js';
import { globRegExp, table } from '../../cli/fleet/format.js';
import { readIniSection, setIniKeys } from '../../cli/fleet/ini.js';
import { processLabel } from '../../cli/fleet/commands/history.js';
import { OperationView } from '../../cli/fleet/progress.js';
import { parseProcessRef, selectorFilter } from '../../cli/fleet/selectors.js';
import { resolveFleetSettings } from '../../cli/fleet/settings.js';
import { readSse, type SseMessage } from '../../cli/fleet/sse.js';

async function collect(chunks: string[]): Promise<SseMessage[]> {
  async function* body(): AsyncGenerator<Uint8Array> {
    for (const chunk of chunks) yield new TextEncoder().encode(chunk);
  }
  const out: SseMessage[] = [];
  for await (const message of readSse(body())) out.push(message);
  return out;
}

describe('readSse', () => {
  it('splits messages across chunk boundaries, CRLF and comments included', async () => {
    const messages = await collect(['retry: 2000\n\n: keep-alive\n\nid: 7\nev', 'ent: hub-event\ndata: {"a":', '1}\r', '\n\r\nevent: log\ndata: line one\ndata: line two\n\n', 'data: tail']);
    assert.deepEqual(messages, [
      { event: 'hub-event', data: '{"a":1}', id: '7' },
      { event: 'log', data: 'line one\nline two', id: '7' },
    ]);
  });
  it('decodes UTF-8 split inside a character', async () => {
    const bytes = new TextEncoder().encode('data: é\n\n');
    async function* body(): AsyncGenerator<Uint8Array> {
      yield bytes.slice(0, 7);
      yield bytes.slice(7);
    }
    const out: SseMessage[] = [];
    for await (const m of readSse(body())) out.push(m);
    assert.deepEqual(out, [{ event: 'message', data: 'é' }]);
  });
});

describe('INI and the user config', () => {
  it('sets keys in place, keeping other sections and comments', () => {
    const text = '; mine\n[supervisorctl]\nserverurl = unix:///x\n\n[fleetvisorctl]\nhub = http://old\n\n[other]\na=1\n';
    const updated = setIniKeys(text, 'fleetvisorctl', { hub: 'http://new:1', token: 'abc' });
    assert.equal(updated, '; mine\n[supervisorctl]\nserverurl = unix:///x\n\n[fleetvisorctl]\nhub = http://new:1\ntoken = abc\n\n[other]\na=1\n');
    assert.deepEqual(readIniSection(updated, 'fleetvisorctl'), { hub: 'http://new:1', token: 'abc' });
    assert.equal(setIniKeys('', 'fleetvisorctl', { hub: 'h' }), '[fleetvisorctl]\nhub = h\n');
  });

  it('saveFleetLogin writes 0600 under XDG_CONFIG_HOME; a stored hub chooses fleet mode unless -s is given', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fv-cli-fleet-unit-'));
    try {
      const env = { HOME: join(dir, 'home'), XDG_CONFIG_HOME: join(dir, 'xdg') };
      const file = userConfigPath(env);
      assert.equal(file, join(dir, 'xdg', 'fleetvisor', 'fleetvisorctl.ini'));
      assert.equal(userConfigPath({ HOME: '/h' }), '/h/.config/fleetvisor/fleetvisorctl.ini');
      assert.equal(fleetModeWanted(['status'], env), false);
      saveFleetLogin(file, 'http://127.0.0.1:8700', 'tok1');
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.deepEqual(readFleetSection(file), { hub: 'http://127.0.0.1:8700', token: 'tok1' });
      assert.equal(fleetModeWanted(['status'], env), true);
      assert.equal(fleetModeWanted(['-s', 'http://localhost:9001', 'status'], env), false);
      assert.equal(fleetModeWanted(['-s', 'http://localhost:9001', '--hub', 'http://h', 'status'], env), true);

      const conf = join(dir, 'supervisord.conf');
      writeFileSync(conf, '[supervisorctl]\nserverurl=unix:///tmp/x.sock\n');
      assert.equal(fleetModeWanted(['-c', conf, 'status'], env), false, '-c FILE without [fleetvisorctl] hub= means single mode');
      writeFileSync(conf, '[fleetvisorctl]\nhub = http://other:1\n');
      assert.equal(fleetModeWanted(['-c', conf, 'status'], {}), true);
      assert.equal(fleetModeWanted(['status'], { FLEETVISOR_HUB: 'http://h' }), true);
      assert.equal(fleetModeWanted(['login'], {}), true);

      // The stored token goes only to the hub it was made for.
      const same = resolveFleetSettings(['status'], { env, stdoutIsTty: false });
      assert.equal(same.hub, 'http://127.0.0.1:8700');
      assert.equal(same.token, 'tok1');
      const other = resolveFleetSettings(['--hub', 'http://elsewhere:1', 'status'], { env, stdoutIsTty: false });
      assert.equal(other.token, undefined);
      const envWins = resolveFleetSettings(['status'], { env: { ...env, FLEETVISOR_TOKEN: 'envtok', FLEETVISOR_HUB: 'http://127.0.0.1:8700/' }, stdoutIsTty: true });
      assert.equal(envWins.token, 'envtok');
      assert.equal(envWins.colour, true);
      assert.equal(resolveFleetSettings(['--no-color', 'status'], { env, stdoutIsTty: true }).colour, false);
      assert.equal(readFileSync(file, 'utf8'), '[fleetvisorctl]\nhub = http://127.0.0.1:8700\ntoken = tok1\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('command arguments and selectors', () => {
  it('options interleave with positional words; --opt=value; repeats; --', () => {
    const args = parseCommandArgs('status', [{ long: 'state', takesValue: true }, { long: 'follow', short: 'f', takesValue: false }], ['web*', '--state=FATAL', '-f', 'x', '--state', 'EXITED', '--json', '--', '--state']);
    assert.deepEqual(args.positional, ['web*', 'x', '--state']);
    assert.deepEqual(args.all('state'), ['FATAL', 'EXITED']);
    assert.ok(args.has('follow') && args.has('json'));
    assert.throws(() => parseCommandArgs('status', [], ['--bogus']), /status: unknown option --bogus/);
    assert.throws(() => parseCommandArgs('status', [{ long: 'state', takesValue: true }], ['--state']), /needs a value/);
  });

  it('selectors become process filters', () => {
    assert.deepEqual(selectorFilter('web*/app:*'), { host: 'web*', group: 'app' });
    assert.deepEqual(selectorFilter('@prod/worker'), { tag: 'prod', group: 'worker', name: 'worker' });
    assert.deepEqual(selectorFilter('*/all'), {});
    assert.deepEqual(selectorFilter('grp:one'), { group: 'grp', name: 'one' });
    assert.throws(() => selectorFilter('a/b/c'), /more than one '\/'/);
    assert.throws(() => selectorFilter('/web'), /nothing before/);
    assert.deepEqual(parseProcessRef('tail', 'h1/g:n'), { host: 'h1', group: 'g', name: 'n', namespec: 'g:n' });
    // Either form of a plain program's name, printed as supervisorctl prints it; `g:*` is the whole group.
    assert.deepEqual(parseProcessRef('crash', 'h1/web'), { host: 'h1', group: 'web', name: 'web', namespec: 'web' });
    assert.deepEqual(parseProcessRef('crash', 'h1/web:web'), { host: 'h1', group: 'web', name: 'web', namespec: 'web' });
    assert.deepEqual(parseProcessRef('crash', 'h1/multi:*'), { host: 'h1', group: 'multi', name: '*', namespec: 'multi:*' });
    assert.throws(() => parseProcessRef('tail', 'h1/:x'), /no group before ':'/);
    assert.throws(() => parseProcessRef('tail', 'web'), /tail: expected HOST\/NAME/);
  });

  it('events name their process as supervisorctl does', () => {
    const event = { agent: 'h1', time: 0, type: 'PROCESS_STATE_RUNNING' };
    assert.equal(processLabel({ ...event, group: 'web', process: 'web' }), 'web');
    assert.equal(processLabel({ ...event, group: 'multi', process: 'multi_00' }), 'multi:multi_00');
    assert.equal(processLabel({ ...event, group: 'pool' }), '-');
  });

  it('globs and tables', () => {
    assert.ok(globRegExp('web[0-9]?').test('web1a'));
    assert.ok(!globRegExp('web[!0-9]').test('web1'));
    assert.ok(globRegExp('a.b*').test('a.bcd') && !globRegExp('a.b').test('axb'));
    assert.deepEqual(table([['a', 'bbb', 'c'], ['dddd', 'e', '']], ['H1', 'H2', 'H3']), ['H1    H2   H3', 'a     bbb  c', 'dddd  e']);
  });
});

describe('OperationView', () => {
  const fakeIO = (colour: boolean): FleetIO & { out: string } => {
    const io = { out: '', colour, stdout: (t: string) => void (io.out += t), stderr: () => undefined, onInterrupt: () => () => undefined, prompt: async () => '' };
    return io;
  };
  const run = (view: OperationView): void => {
    view.started({ id: 4, targets: [{ agent: 'a', namespec: 'w' }, { agent: 'b', namespec: 'w' }], batches: 2 });
    view.progress({ type: 'batch', index: 1, total: 2, targets: ['a/w'] });
    view.progress({ type: 'target', agent: 'a', namespec: 'w', status: 'ok', message: 'restarted', ms: 1200 });
    view.progress({ type: 'batch', index: 2, total: 2, targets: ['b/w'] });
    view.progress({ type: 'target', agent: 'b', namespec: 'w', status: 'failed', message: 'spawn error', ms: 80 });
    view.progress({ type: 'done', status: 'failed', counts: { total: 2, ok: 1, failed: 1, skipped: 0 } });
    view.close();
  };
  it('prints one line per step; a terminal also gets a bar, cleared at the end', () => {
    const plain = fakeIO(false);
    run(new OperationView(plain, { json: false, colour: false, mode: 'rolling', action: 'restart' }));
    const lines = plain.out.trimEnd().split('\n');
    assert.deepEqual(lines.slice(0, 5), [
      'operation 4: restart 2 processes on 2 hosts, rolling in 2 batches',
      'batch 1/2: a/w',
      '  a/w  ok        1.2s  restarted',
      'batch 2/2: b/w',
      '  b/w  failed    80ms  spawn error',
    ]);
    assert.match(lines[5], /^failed: 1 ok, 1 failed, 0 skipped in \d+ms$/);

    const tty = fakeIO(true);
    run(new OperationView(tty, { json: false, colour: true, mode: 'rolling', action: 'restart' }));
    assert.match(tty.out, /\[\.{30}\] 0\/2\r\x1b\[K/);
    assert.match(tty.out, /\[#{15}\.{15}\] 1\/2\r\x1b\[K/);
    assert.ok(!/\] 2\/2/.test(tty.out), 'no bar once every target finished');

    const json = fakeIO(false);
    run(new OperationView(json, { json: true, colour: false, mode: 'rolling', action: 'restart' }));
    assert.deepEqual(json.out.trimEnd().split('\n').map((l) => (JSON.parse(l) as { type: string }).type), ['started', 'batch', 'target', 'batch', 'target', 'done']);
  });
});
