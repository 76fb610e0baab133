import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { IdleMemoryRelease, releaseMemory } from '../../node-agent/daemon/memory-release.js';
import { nativeSpawnAddon } from '../../node-agent/process/fast-spawn.js';

const QUIET_MS = 40;

function recorder(resident: { bytes: number }) {
  const releases: number[] = [];
  const idle = new IdleMemoryRelease({
    release: () => releases.push(Date.now()),
    residentBytes: () => resident.bytes,
    quietMs: QUIET_MS,
    growthBytes: 1000,
  });
  return { idle, releases };
}

test('releases once after a quiet period that follows activity, never without activity', async () => {
  const { idle, releases } = recorder({ bytes: 5000 });
  await sleep(QUIET_MS * 3);
  assert.equal(releases.length, 0, 'no activity, no release');
  idle.touch();
  await sleep(QUIET_MS * 4);
  assert.equal(releases.length, 1);
  await sleep(QUIET_MS * 3);
  assert.equal(releases.length, 1, 'nothing more until the next activity');
  idle.close();
});

test('keeps waiting while activity goes on', async () => {
  const resident = { bytes: 5000 };
  const { idle, releases } = recorder(resident);
  const until = Date.now() + QUIET_MS * 5;
  while (Date.now() < until) {
    idle.touch();
    await sleep(QUIET_MS / 4);
  }
  assert.equal(releases.length, 0, 'busy the whole time');
  await sleep(QUIET_MS * 4);
  assert.equal(releases.length, 1);
  idle.close();
});

test('after the first release, releases again only when the daemon has grown', async () => {
  const resident = { bytes: 5000 };
  const { idle, releases } = recorder(resident);
  idle.touch();
  await sleep(QUIET_MS * 4);
  assert.equal(releases.length, 1);

  resident.bytes += 500; // a poll's worth: below growthBytes
  idle.touch();
  await sleep(QUIET_MS * 4);
  assert.equal(releases.length, 1, 'small growth: no collection');

  resident.bytes += 2000;
  idle.touch();
  await sleep(QUIET_MS * 4);
  assert.equal(releases.length, 2);
  idle.close();
});

test('close cancels a pending release', async () => {
  const { idle, releases } = recorder({ bytes: 5000 });
  idle.touch();
  idle.close();
  await sleep(QUIET_MS * 4);
  assert.equal(releases.length, 0);
});

test('releaseMemory runs a full collection (garbage is gone) and trims malloc when the addon is built', async () => {
  const ref = new WeakRef(Array.from({ length: 2000 }, () => Array.from({ length: 256 }, (_, i) => i)));
  await sleep(0); // a WeakRef holds its target until the end of the job that made it
  releaseMemory();
  assert.equal(ref.deref(), undefined, 'a full collection frees unreachable objects');
  const addon = nativeSpawnAddon();
  if (addon) assert.equal(typeof addon.trimMemory, 'function', 'the built addon exports trimMemory');
});
