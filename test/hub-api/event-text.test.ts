import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventDetailsText, eventPayloadText } from '../../hub/api/event-text.js';

test('health changes read as state, agent kind and version, and the error', () => {
  assert.equal(eventPayloadText('HUB_AGENT_HEALTH', JSON.stringify({ state: 'online', kind: 'fleetvisord', version: '0.1.0' })), 'online (fleetvisord 0.1.0)');
  assert.equal(
    eventPayloadText('HUB_AGENT_HEALTH', JSON.stringify({ state: 'offline', kind: 'unknown', error: 'connect ECONNREFUSED' })),
    'offline: connect ECONNREFUSED',
  );
});

test('gaps say why and, when known, for how long', () => {
  const since = Date.UTC(2026, 10, 24, 7, 0, 0);
  const until = Date.UTC(2026, 10, 24, 7, 5, 30);
  assert.equal(
    eventPayloadText('HUB_GAP', JSON.stringify({ reason: 'not_watching', previousBoot: 'pid:10', boot: 'pid:10', since, until })),
    'the hub was not watching from 2026-11-24 07:00:00Z to 2026-11-24 07:05:30Z',
  );
  assert.equal(
    eventPayloadText('HUB_GAP', JSON.stringify({ reason: 'boot_changed', previousBoot: 'pid:10', boot: 'pid:22' })),
    'the agent restarted (boot pid:10 → pid:22)',
  );
  assert.equal(
    eventPayloadText('HUB_GAP', JSON.stringify({ reason: 'ring_overflow', previousBoot: 'b', boot: 'b', firstSerial: 1200 })),
    "events lost: the agent no longer held the hub's position (first event held: 1200)",
  );
  assert.equal(eventPayloadText('HUB_RESYNC', JSON.stringify({ processes: 20 })), 'resynced from a table of 20 processes');
});

test('an observed restart shows its note; anything unknown is shown as it came', () => {
  assert.equal(eventPayloadText('PROCESS_STATE_RUNNING', JSON.stringify({ note: 'restarted between two polls', previousPid: 7 })), 'restarted between two polls');
  assert.equal(eventPayloadText('HUB_GAP', JSON.stringify({ reason: 'something_new' })), '{"reason":"something_new"}');
  assert.equal(eventPayloadText('HUB_GAP', 'not json'), 'not json');
  assert.equal(eventPayloadText('HUB_RESYNC', '42'), '42');
});

test('event tables show details of hub-made and observed events only, never process output', () => {
  assert.equal(eventDetailsText({ type: 'PROCESS_LOG_STDOUT', payload: 'a line of output' }), undefined);
  assert.equal(eventDetailsText({ type: 'PROCESS_STATE_RUNNING' }), undefined);
  assert.equal(eventDetailsText({ type: 'PROCESS_STATE_RUNNING', observed: true, payload: JSON.stringify({ note: 'restarted', previousPid: 3 }) }), 'restarted');
  assert.equal(eventDetailsText({ type: 'HUB_RESYNC', payload: JSON.stringify({ processes: 2 }) }), 'resynced from a table of 2 processes');
});
