/**
 * A plain supervisord has no event feed: poll getAllProcessInfo every
 * interval and turn differences into events marked observed.
 */
import type { ProcessInfo } from '../../node-agent/api/types.js';
import { HubEventTypes, type HubEvent, type ProcessSnapshot } from '../types.js';
import { attachCrashContext } from './crash-context.js';
import { diffSnapshots, observedEvents } from './diff.js';
import { hubMadeEvent, namespecOf, processInfosFrom, snapshotFromInfo } from './normalize.js';
import type { AgentSession } from './session.js';
import type { LastKnownTable } from './types.js';

/**
 * `previousBoot` is the boot of the connector's last session: a table from the
 * same daemon is diffed (changes during an outage become observed events), one
 * from a restarted daemon is a gap. A connector that just started (the hub
 * restarted) has no last session, but may have the table the store kept: the
 * first table is diffed against that one (see catchUp).
 */
export async function runPolling(session: AgentSession, boot: string, previousBoot: string | undefined): Promise<void> {
  const { agent, sink, snapshot } = session;
  const first = processInfosFrom(await session.call('supervisor.getAllProcessInfo'));
  if (session.isStopped()) return;
  session.connected();
  const recalled = snapshot.recalled;
  if (recalled !== undefined && recalled.rows.length > 0) {
    await catchUp(session, boot, first, recalled);
  } else if (previousBoot === boot && snapshot.map.size > 0) {
    await storeChanges(session, boot, first, snapshot.map);
  } else {
    if (previousBoot !== undefined && previousBoot !== boot) {
      const now = session.clock.now();
      sink.ingest(agent, [
        hubMadeEvent(agent, boot, now, HubEventTypes.GAP, { reason: 'boot_changed', previousBoot, boot }),
        hubMadeEvent(agent, boot, now, HubEventTypes.RESYNC, { processes: first.length }),
      ]);
    }
    snapshot.replace(first);
  }
  let started = session.clock.now();
  while (!session.isStopped()) {
    await session.sleep(Math.max(0, session.pollIntervalMs - (session.clock.now() - started)));
    if (session.isStopped()) return;
    started = session.clock.now();
    const infos = processInfosFrom(await session.call('supervisor.getAllProcessInfo'));
    if (session.isStopped()) return;
    await storeChanges(session, boot, infos, snapshot.map);
  }
}

/**
 * The first table after the connector started, against the one stored before
 * the hub stopped watching. Same daemon: what differs is recorded as observed
 * events (one per process whatever happened in between: the hub cannot know
 * more), after a gap marker saying since when the hub was not watching; no
 * difference records nothing. Another daemon (its pid changed): a gap and a
 * resync, as when the boot changes while the hub watches.
 */
async function catchUp(session: AgentSession, boot: string, infos: readonly ProcessInfo[], recalled: LastKnownTable): Promise<void> {
  const { agent } = session;
  const now = session.clock.now();
  const window = { since: recalled.lastContact ?? null, until: now };
  if (recalled.boot !== undefined && recalled.boot !== boot) {
    session.sink.ingest(agent, [
      hubMadeEvent(agent, boot, now, HubEventTypes.GAP, { reason: 'boot_changed', previousBoot: recalled.boot, boot, ...window }),
      hubMadeEvent(agent, boot, now, HubEventTypes.RESYNC, { processes: infos.length }),
    ]);
    session.snapshot.replace(infos);
    return;
  }
  const before = new Map(recalled.rows.map((row) => [namespecOf(row), row]));
  const gap = hubMadeEvent(agent, boot, now, HubEventTypes.GAP, { reason: 'not_watching', previousBoot: recalled.boot ?? null, boot, ...window });
  await storeChanges(session, boot, infos, before, { gap, restartNote: 'restarted while the hub was not watching' });
}

interface CatchUpMarks {
  /** Stored ahead of the observed events, when there are any. */
  gap: HubEvent;
  restartNote: string;
}

/**
 * Events first, then the table: a hub stopped in between (while it fetches
 * crash context) has stored neither, so its next start still sees the change.
 */
async function storeChanges(
  session: AgentSession,
  boot: string,
  infos: readonly ProcessInfo[],
  before: ReadonlyMap<string, ProcessSnapshot>,
  catchUpMarks?: CatchUpMarks,
): Promise<void> {
  const now = session.clock.now();
  const diff = diffSnapshots(before, infos.map((info) => snapshotFromInfo(session.agent, info, now)));
  const events = observedEvents(session.agent, boot, diff, now, catchUpMarks?.restartNote);
  if (events.length > 0) {
    await attachCrashContext(events, session.fetchTail);
    if (session.isStopped()) return;
    session.sink.ingest(session.agent, catchUpMarks !== undefined ? [catchUpMarks.gap, ...events] : events);
  }
  if (catchUpMarks !== undefined) session.snapshot.adopt(before.values());
  session.snapshot.merge(infos);
}
