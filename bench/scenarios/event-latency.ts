/**
 * Scenario 7: how long after a stopProcess / startProcess call an event
 * listener (Python, supervisor.childutils) receives PROCESS_STATE_STOPPED /
 * PROCESS_STATE_RUNNING. The listener stamps each event with time.time() on
 * receipt and reports it over a unix socket this process serves.
 */
import net from 'node:net';
import { Daemon, DaemonHome, REPO_ROOT, section, type DaemonKind } from '../daemons.js';
import { wallClockMs, sleep } from '../measure.js';
import { atMostTimesSupervisord, withinOf, type Scenario } from '../scenario.js';

const LISTENER = `${REPO_ROOT}/bench/event-listener.py`;
const TARGET = 'target';

interface ReceivedEvent {
  name: string;
  process: string;
  /** Wall clock, ms. */
  at: number;
}

/** Lines from the listener, as a queue the rounds wait on. */
class EventFeed {
  private readonly events: ReceivedEvent[] = [];
  private wake: (() => void) | undefined;
  private readonly sockets = new Set<net.Socket>();
  connected = false;

  constructor(private readonly server: net.Server) {
    server.on('connection', (socket) => {
      this.connected = true;
      this.sockets.add(socket);
      let buffered = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        buffered += chunk;
        let newline: number;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const [name, process, seconds] = buffered.slice(0, newline).split(' ');
          buffered = buffered.slice(newline + 1);
          this.events.push({ name, process, at: Number(seconds) * 1000 });
        }
        this.wake?.();
      });
      socket.on('error', () => {});
    });
  }

  static async listen(path: string): Promise<EventFeed> {
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, resolve);
    });
    return new EventFeed(server);
  }

  clear(): void {
    this.events.length = 0;
  }

  /** The first event named `name` for `process` since the last clear(). */
  async next(name: string, process: string, timeoutMs: number): Promise<ReceivedEvent> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const found = this.events.find((event) => event.name === name && event.process === process);
      if (found) return found;
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`no ${name} for ${process} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  close(): void {
    for (const socket of this.sockets) socket.destroy();
    this.server.close();
  }
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await sleep(25);
  }
}

async function measure(kind: DaemonKind, rounds: number, own: (d: Daemon) => Daemon, add: (id: string, v: number) => void): Promise<void> {
  const home = new DaemonHome(kind);
  const feed = await EventFeed.listen(home.path('events.sock'));
  try {
    const daemon = own(
      await Daemon.launch(home, {
        sections: [
          section(`program:${TARGET}`, { command: '/bin/sleep 600', startsecs: 0, autorestart: false, stopwaitsecs: 2 }),
          section('eventlistener:latency', {
            command: `/usr/bin/python3 ${LISTENER} ${home.path('events.sock')}`,
            events: 'PROCESS_STATE',
            stdout_logfile: 'NONE',
            stderr_logfile: home.path('listener.err'),
          }),
        ],
      }),
    );
    const stateOf = async (name: string): Promise<string> =>
      (await daemon.call<{ statename: string }>('supervisor.getProcessInfo', [name])).statename;
    await waitFor(() => feed.connected, 15_000, 'the listener connecting');
    await waitFor(async () => (await stateOf('latency')) === 'RUNNING', 15_000, 'the listener reaching RUNNING');
    await waitFor(async () => (await stateOf(TARGET)) === 'RUNNING', 15_000, `${TARGET} reaching RUNNING`);
    await sleep(1_200); // let the boot events drain to the listener
    for (let round = 0; round < rounds; round++) {
      feed.clear();
      let calledAt = wallClockMs();
      await daemon.call('supervisor.stopProcess', [TARGET, true]);
      const stopped = await feed.next('PROCESS_STATE_STOPPED', TARGET, 5_000);
      add('stopped', stopped.at - calledAt);
      feed.clear();
      calledAt = wallClockMs();
      await daemon.call('supervisor.startProcess', [TARGET, true]);
      const running = await feed.next('PROCESS_STATE_RUNNING', TARGET, 5_000);
      add('running', running.at - calledAt);
    }
  } finally {
    feed.close();
  }
}

export const eventLatencyScenario: Scenario = {
  id: 'event-latency',
  title: 'Event latency to a PROCESS_STATE listener',
  method:
    'A Python listener (`bench/event-listener.py`, supervisor.childutils) subscribed to PROCESS_STATE stamps each event ' +
    'with time.time() when childutils.listener.wait returns; latency is that stamp minus the wall clock just before the ' +
    'stopProcess(wait=true) / startProcess(wait=true) call (startsecs=0). 30 stop/start rounds (10 with --quick). ' +
    'Targets from the issue: STOPPED median ≤ half of supervisord\'s (measured 5.5 ms; mean 146 ms), RUNNING median ≤ a fifth ' +
    'of supervisord\'s (measured 29 ms), each mean within a few (here 5) ms of its median.',
  metrics: [
    { id: 'stoppedMedian', label: 'stop → STOPPED received, median', unit: 'ms', better: 'lower', target: atMostTimesSupervisord(0.5) },
    { id: 'stoppedMean', label: 'stop → STOPPED received, mean', unit: 'ms', better: 'lower', summary: 'mean', target: withinOf('stoppedMedian', 5, 'ms') },
    { id: 'runningMedian', label: 'start → RUNNING received, median', unit: 'ms', better: 'lower', target: atMostTimesSupervisord(0.2) },
    { id: 'runningMean', label: 'start → RUNNING received, mean', unit: 'ms', better: 'lower', summary: 'mean', target: withinOf('runningMedian', 5, 'ms') },
  ],
  timeoutMs: 240_000,
  async run(kind, ctx, samples) {
    await measure(kind, ctx.pick(30, 10), (daemon) => ctx.own(daemon), (id, value) => {
      samples.add(`${id}Median`, value);
      samples.add(`${id}Mean`, value);
    });
  },
};
