/**
 * A plain supervisord has no event feed: poll getAllProcessInfo every
 * interval and turn differences into events marked observed.
 */
import { HubEventTypes } from '../types.js';
import { attachCrashContext } from './crash-context.js';
import { observedEvents } from './diff.js';
import { hubMadeEvent, processInfosFrom } from './normalize.js';
import type { AgentSession } from './session.js';

/**
 * `previousBoot` is the boot of the connector's last session: a table from the
 * same daemon is diffed (changes during an outage become observed events), one
 * from a restarted daemon is a gap.
 */
export async function runPolling(session: AgentSession, boot: string, previousBoot: string | undefined): Promise<void> {
  const { agent, sink, snapshot } = session;
  const first = processInfosFrom(await session.call('supervisor.getAllProcessInfo'));
  if (session.isStopped()) return;
  session.connected();
  if (previousBoot === boot && snapshot.map.size > 0) {
    await storeChanges(session, boot, first);
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
    await storeChanges(session, boot, infos);
  }
}

async function storeChanges(session: AgentSession, boot: string, infos: Parameters<AgentSession['snapshot']['merge']>[0]): Promise<void> {
  const diff = session.snapshot.merge(infos);
  const events = observedEvents(session.agent, boot, diff, session.clock.now());
  if (events.length === 0) return;
  await attachCrashContext(events, session.fetchTail);
  if (session.isStopped()) return;
  session.sink.ingest(session.agent, events);
}
