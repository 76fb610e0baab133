/**
 * Subscription to a fleetvisord: long-polls fleetvisor.getEvents from the
 * stored cursor and stores each batch with the cursor it reaches in one
 * ingest, so a restart resumes exactly where the store stopped. A resync
 * answer (new boot, or the ring moved past the cursor) is recorded as a gap
 * followed by a fresh snapshot.
 */
import { HubEventTypes, type HubEvent } from '../types.js';
import { attachCrashContext } from './crash-context.js';
import { eventsAnswerFrom, hubEventFromRing, hubMadeEvent, processInfosFrom, type EventsAnswer } from './normalize.js';
import type { AgentSession } from './session.js';

export const EVENTS_PER_CALL = 1000;

export async function runSubscription(session: AgentSession): Promise<void> {
  const { agent, sink } = session;
  const refresher = new SnapshotRefresher(session);
  session.snapshot.replace(processInfosFrom(await session.call('supervisor.getAllProcessInfo')));
  session.connected();
  let cursor = sink.getCursor(agent) ?? '';
  try {
    while (!session.isStopped()) {
      const answer = eventsAnswerFrom(
        await session.call('fleetvisor.getEvents', [cursor, session.timeouts.longPollSeconds, EVENTS_PER_CALL], { longPoll: true }),
      );
      if (session.isStopped()) return;
      session.health.setBoot(answer.boot);
      const events = answer.events.map((value) => hubEventFromRing(agent, answer.boot, value));
      if (answer.resync) {
        if (!(await storeResync(session, cursor, answer, events))) return;
      } else if (events.length > 0) {
        await attachCrashContext(events, session.fetchTail);
        if (session.isStopped()) return;
        sink.ingest(agent, events, answer.cursor);
        let moved = false;
        for (const event of events) moved = session.snapshot.applyEvent(event) || moved;
        if (moved) refresher.request();
      } else if (answer.cursor !== cursor) {
        sink.ingest(agent, [], answer.cursor);
      }
      cursor = answer.cursor;
    }
  } finally {
    refresher.close();
  }
}

/** Gap, the events the ring still holds, resync — one ingest — then the new snapshot. False when stopped meanwhile. */
async function storeResync(session: AgentSession, cursor: string, answer: EventsAnswer, events: HubEvent[]): Promise<boolean> {
  const infos = processInfosFrom(await session.call('supervisor.getAllProcessInfo'));
  await attachCrashContext(events, session.fetchTail);
  if (session.isStopped()) return false;
  const previousBoot = bootOfCursor(cursor);
  const now = session.clock.now();
  const gap = hubMadeEvent(session.agent, answer.boot, now, HubEventTypes.GAP, {
    reason: previousBoot !== answer.boot ? 'boot_changed' : 'ring_overflow',
    previousCursor: cursor,
    previousBoot,
    boot: answer.boot,
    firstSerial: events[0]?.serial ?? null,
  });
  const resync = hubMadeEvent(session.agent, answer.boot, now, HubEventTypes.RESYNC, { processes: infos.length });
  session.sink.ingest(session.agent, [gap, ...events, resync], answer.cursor);
  session.snapshot.replace(infos);
  return true;
}

/** Cursors are `<boot>:<serial>`; the hub reads the boot only to say why a gap happened. */
function bootOfCursor(cursor: string): string {
  const colon = cursor.lastIndexOf(':');
  return colon > 0 ? cursor.slice(0, colon) : '';
}

/**
 * After state events, one getAllProcessInfo in the background brings the
 * rows' descriptions and exact times (the events already set the states).
 * At most one a second per agent: a busy agent's changes would otherwise
 * cost a whole table per event on both sides (measured at 10 changes/s per
 * agent: ~30 % of the hub's and the agents' CPU, and the latency of the
 * events themselves on a loaded machine). Requests meanwhile coalesce into
 * one refresh at the end of the second, so the table converges on the
 * newest answer.
 */
export const REFRESH_MIN_INTERVAL_MS = 1000;

class SnapshotRefresher {
  #running = false;
  #again = false;
  #closed = false;
  #lastStartedAt = -Infinity;
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly session: AgentSession) {}

  request(): void {
    if (this.#closed) return;
    if (this.#running || this.#timer) {
      this.#again = true;
      return;
    }
    const wait = this.#lastStartedAt + REFRESH_MIN_INTERVAL_MS - this.session.clock.now();
    if (wait > 0) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#start();
      }, wait);
      this.#timer.unref();
      return;
    }
    this.#start();
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #start(): void {
    if (this.#closed) return;
    this.#again = false;
    this.#running = true;
    this.#lastStartedAt = this.session.clock.now();
    void this.#run();
  }

  async #run(): Promise<void> {
    try {
      const infos = processInfosFrom(await this.session.call('supervisor.getAllProcessInfo'));
      if (this.#closed || this.session.isStopped()) return;
      this.session.snapshot.merge(infos);
    } catch {
      // The subscription's own calls will notice a dead agent; a lost refresh only leaves a description stale.
    } finally {
      this.#running = false;
      if (this.#again) {
        this.#again = false;
        this.request();
      }
    }
  }
}
