/**
 * Scenarios 2 and 3: how many getAllProcessInfo / getState calls per second
 * the daemon answers with 200 processes running, from one caller over one
 * keep-alive connection and from 4 concurrent callers.
 */
import type { XmlRpcValue } from '../../node-agent/api/types.js';
import { Daemon, DaemonHome, type DaemonKind } from '../daemons.js';
import { callRate, waitAllRunning } from '../measure.js';
import { RawCaller } from '../raw-caller.js';
import { atLeast, atLeastTimesSupervisord, type RunContext, type Scenario, type Target } from '../scenario.js';
import { FLEET_SIZE, fleetSections } from './spawn.js';

export const FLEET_KEY = 'fleet200';

/** The shared daemon with 200 `sleep` programs RUNNING (startsecs=0). */
export function runningFleet(kind: DaemonKind, ctx: RunContext): Promise<Daemon> {
  return ctx.shared(kind, FLEET_KEY, async () => {
    const daemon = await Daemon.launch(new DaemonHome(kind), { sections: fleetSections(0) });
    await waitAllRunning(daemon, FLEET_SIZE, 120_000);
    return daemon;
  });
}

const CONCURRENT_CLIENTS = 4;

function rateScenario(id: string, method: string, target: Target, targetNote: string, check: (value: XmlRpcValue) => void): Scenario {
  const name = method.replace('supervisor.', '');
  return {
    id,
    title: `${name} calls/s, ${FLEET_SIZE} processes running`,
    method:
      `Back-to-back ${method} calls for a fixed time (2 s, 1 s with --quick), 3 rounds (1 with --quick): one caller on one ` +
      `keep-alive unix-socket connection, then ${CONCURRENT_CLIENTS} callers with a connection each. The callers read each ` +
      `answer in full but do not parse it (one answer is parsed and checked first), so the rate is the daemon's. ${targetNote}`,
    metrics: [
      { id: 'sequential', label: `${name}, 1 caller`, unit: 'calls/s', better: 'higher', target },
      { id: 'concurrent', label: `${name}, ${CONCURRENT_CLIENTS} callers`, unit: 'calls/s', better: 'higher', target },
    ],
    shares: [FLEET_KEY],
    timeoutMs: 300_000,
    async run(kind, ctx, samples) {
      const daemon = await runningFleet(kind, ctx);
      const durationMs = ctx.pick(2_000, 1_000);
      check(await daemon.call(method));
      const caller = (): RawCaller => new RawCaller(daemon.socketPath, method);
      const single = [caller()];
      const many = Array.from({ length: CONCURRENT_CLIENTS }, caller);
      try {
        for (let round = 0; round < ctx.pick(3, 1); round++) {
          samples.add('sequential', await callRate(single, durationMs));
          samples.add('concurrent', await callRate(many, durationMs));
        }
      } finally {
        for (const each of [...single, ...many]) each.close();
      }
    },
  };
}

export const rateScenarios: Scenario[] = [
  rateScenario(
    'getAllProcessInfo-rate',
    'supervisor.getAllProcessInfo',
    atLeast(1000, 'calls/s'),
    'Target from the issue: ≥ 1000 calls/s (supervisord measured 55/s).',
    (value) => {
      if (!Array.isArray(value) || value.length !== FLEET_SIZE) throw new Error(`getAllProcessInfo did not list ${FLEET_SIZE} processes`);
    },
  ),
  rateScenario(
    'getState-rate',
    'supervisor.getState',
    atLeastTimesSupervisord(1),
    'No target in the issue; the table asks for at least supervisord\'s rate.',
    (value) => {
      if (typeof value !== 'object' || value === null || !('statecode' in value)) throw new Error('getState answered no statecode');
    },
  ),
];
