import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { hostInfo } from '../../node-agent/agent/host-info.js';
import { ProcessStatsSampler } from '../../node-agent/agent/process-stats.js';

test('host info describes the machine and the agent', () => {
  const info = hostInfo('boot-1');
  assert.equal(info.boot, 'boot-1');
  assert.equal(info.supervisor_version, '4.2.5');
  assert.equal(info.agent_version, '0.1.0');
  assert.equal(info.loadavg.length, 3);
  assert.ok(info.cpus >= 1 && info.memory_total > info.memory_free && info.host_uptime > 0 && info.daemon_uptime > 0);
  assert.ok(Object.values(info).every((v) => v !== undefined && v !== null));
});

async function started(child: ChildProcess, marker: string): Promise<void> {
  let out = '';
  child.stdout?.setEncoding('utf8');
  for await (const chunk of child.stdout!) {
    out += chunk;
    if (out.includes(marker)) return;
  }
}

test('process stats: CPU since start then since the previous call, RSS, process-group sums', async () => {
  // Burns ~150 ms of CPU, then idles.
  const burner = spawn(process.execPath, ['-e', 'const t=Date.now(); while (Date.now()-t<150); console.log("done"); setTimeout(()=>{}, 30000)'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const family = spawn('sh', ['-c', 'sleep 30 & sleep 30 & echo up; wait'], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    await Promise.all([started(burner, 'done'), started(family, 'up')]);
    const sampler = new ProcessStatsSampler();
    const targets = [
      { name: 'burner', group: 'b', pid: burner.pid!, asGroup: false },
      { name: 'family', group: 'f', pid: family.pid!, asGroup: true },
      { name: 'gone', group: 'g', pid: 2 ** 22 + 12345, asGroup: false },
    ];
    const [burn1, fam] = sampler.sample(targets);
    assert.equal(burn1.name, 'burner');
    assert.ok(burn1.cpu_percent > 1, `since start: ${burn1.cpu_percent}%`);
    assert.ok(burn1.rss > 10 * 1024 * 1024, `rss ${burn1.rss}`);
    assert.equal(burn1.processes, 1);
    assert.equal(fam.processes, 3, 'sh and its two sleeps share the process group');
    assert.ok(fam.rss > 0);
    await new Promise((r) => setTimeout(r, 200));
    const [burn2] = sampler.sample(targets);
    assert.ok(burn2.cpu_percent < 5, `since previous call (idle): ${burn2.cpu_percent}%`);
    assert.equal(sampler.sample(targets).length, 2, 'a pid that does not exist is left out');
  } finally {
    burner.kill('SIGKILL');
    try {
      process.kill(-family.pid!, 'SIGKILL');
    } catch {
      // gone
    }
    await Promise.all([once(burner, 'exit'), once(family, 'exit')]);
  }
});
