/*
 * Listeners that exit right after answering, restarted by autorestart.
 * supervisord reads what a listener wrote before acting on its exit
 * (Subprocess.finish drains the dispatchers, then closes the pipes), so a
 * `RESULT 2\nOK` written just before the exit clears the event, and nothing
 * written into the old pipes afterwards reaches the restarted listener. An
 * event whose listener dies without a RESULT is delivered again.
 * Runs on supervisord, fleetvisord, and fleetvisord on the node spawn backend.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { daemonKinds, PYTHON, startDaemon, type Daemon, type DaemonKind } from '../helpers/daemon.js';

const LISTENER = readFileSync(fileURLToPath(new URL('./exit-listener.py', import.meta.url)), 'utf8');

function conf(mode: 'answer' | 'grandchild', bufferSize: number): string {
  return `
[eventlistener:lst]
command=${PYTHON} -u {dir}/exit-listener.py ${mode} {dir}/received.jsonl {dir}/marker
events=REMOTE_COMMUNICATION
buffer_size=${bufferSize}
startsecs=0
startretries=100
autorestart=true
`;
}

interface Received {
  pid: number;
  header: string;
  data: string;
}

function received(d: Daemon): Received[] {
  const path = `${d.dir}/received.jsonl`;
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Received);
}

async function waitFor(d: Daemon, what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`${what} not seen within ${timeoutMs} ms; received:\n${JSON.stringify(received(d))}\n${d.mainLog()}`);
    }
    await sleep(50);
  }
}

const waitForData = (d: Daemon, data: string) =>
  waitFor(d, `event ${data}`, () => received(d).some((r) => r.data === data)).then(() => received(d));

const running: Daemon[] = [];
after(async () => {
  for (const d of running) await d.stop();
});

interface Variant {
  kind: DaemonKind;
  label: string;
  nodeBackend: boolean;
  /** supervisord restarts an EXITED listener on its next one-second poll, so it gets fewer rounds. */
  rounds: number;
}

const variants: Variant[] = daemonKinds().flatMap((kind): Variant[] =>
  kind === 'fleetvisord'
    ? [
        { kind, label: 'fleetvisord', nodeBackend: false, rounds: 20 },
        { kind, label: 'fleetvisord (node spawn backend)', nodeBackend: true, rounds: 20 },
      ]
    : [{ kind, label: kind, nodeBackend: false, rounds: 5 }],
);

async function start(variant: Variant, body: string): Promise<Daemon> {
  const saved = process.env.FLEETVISOR_NATIVE_SPAWN;
  // The daemon (spawned right away) inherits the environment: the only way to pick its backend.
  if (variant.nodeBackend) process.env.FLEETVISOR_NATIVE_SPAWN = '0';
  try {
    const d = await startDaemon(variant.kind, body, { files: [{ path: 'exit-listener.py', content: LISTENER }] });
    running.push(d);
    return d;
  } finally {
    if (saved === undefined) delete process.env.FLEETVISOR_NATIVE_SPAWN;
    else process.env.FLEETVISOR_NATIVE_SPAWN = saved;
  }
}

for (const variant of variants) {
  test(`${variant.label}: an event answered OK just before the listener exits is not delivered again`, async () => {
    const { rounds } = variant;
    const d = await start(variant, conf('answer', rounds + 10));
    for (let i = 0; i < rounds; i++) await d.rpc('supervisor.sendRemoteCommEvent', ['t', `e${i}`]);
    await waitForData(d, `e${rounds - 1}`);
    // A re-queued event goes to the head of the queue: any re-delivery comes before this one.
    await d.rpc('supervisor.sendRemoteCommEvent', ['t', 'end']);
    const got = await waitForData(d, 'end');

    assert.deepEqual(
      got.map((r) => r.data),
      ['e0', 'e0', ...Array.from({ length: rounds - 1 }, (_, i) => `e${i + 1}`), 'end'],
      'e0 twice (its first listener died without a RESULT), every other event once',
    );
    assert.equal(got[0].header, got[1].header, 'the re-delivered e0 keeps its serial and poolserial');
    assert.equal(new Set(got.map((r) => r.pid)).size, got.length, 'one event per listener instance');
  });

  test(`${variant.label}: what a grandchild writes into an exited listener's stdout does not reach the restarted listener`, async () => {
    const d = await start(variant, conf('grandchild', 10));
    await waitFor(d, "the grandchild's line", () => existsSync(`${d.dir}/marker.written`));
    await d.rpc('supervisor.sendRemoteCommEvent', ['t', 'after']);
    const got = await waitForData(d, 'after');
    assert.deepEqual(got.map((r) => r.data), ['after']);
  });
}
