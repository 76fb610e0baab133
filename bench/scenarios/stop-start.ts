/**
 * Scenario 4: stopAllProcesses(wait) followed by startAllProcesses(wait) of
 * 100 running programs (startsecs=0), repeated on one daemon.
 */
import type { ProcessStatus } from '../../node-agent/api/types.js';
import { Daemon, DaemonHome } from '../daemons.js';
import { expectAllSucceeded, waitAllRunning } from '../measure.js';
import { atMost, type Scenario } from '../scenario.js';
import { fleetSections } from './spawn.js';

const SIZE = 100;

export const stopStartScenario: Scenario = {
  id: 'stopAll-startAll',
  title: `stopAllProcesses + startAllProcesses of ${SIZE}, startsecs=0`,
  method:
    `A daemon with ${SIZE} \`/bin/sleep 600\` programs (startsecs=0) all RUNNING; one sample is the time of ` +
    `stopAllProcesses(wait=true) then startAllProcesses(wait=true), back to back; 3 samples (1 with --quick) on the same daemon. ` +
    `The issue's target (≤ 1.5 s, supervisord measured 4.8 s) does not name startsecs; this uses startsecs=0.`,
  metrics: [{ id: 'cycle', label: `stopAll + startAll of ${SIZE}`, unit: 's', better: 'lower', target: atMost(1.5, 's') }],
  timeoutMs: 300_000,
  async run(kind, ctx, samples) {
    const daemon = ctx.own(await Daemon.launch(new DaemonHome(kind), { sections: fleetSections(0, true, SIZE) }));
    await waitAllRunning(daemon, SIZE, 120_000);
    for (let round = 0; round < ctx.pick(3, 1); round++) {
      const started = performance.now();
      const stopped = await daemon.call<ProcessStatus[]>('supervisor.stopAllProcesses', [true], 180_000);
      const restarted = await daemon.call<ProcessStatus[]>('supervisor.startAllProcesses', [true], 180_000);
      samples.add('cycle', (performance.now() - started) / 1000);
      expectAllSucceeded('stopAllProcesses', stopped, SIZE);
      expectAllSucceeded('startAllProcesses', restarted, SIZE);
    }
  },
};
