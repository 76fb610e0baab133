import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ListenerProtocol } from '../../node-agent/events/listener-protocol.js';
import { memoryLogger } from '../../node-agent/logs/memory-logger.js';

const UNKNOWN_WARNING =
  'WARN lst: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol';

function protocol() {
  const logger = memoryLogger('info');
  return { p: new ListenerProtocol('lst', logger), logger };
}

const feed = (p: ListenerProtocol, text: string) => p.feed(Buffer.from(text));

test('READY may arrive in pieces; RESULT OK acknowledges', () => {
  const { p, logger } = protocol();
  assert.equal(p.state, 'ACKNOWLEDGED');
  assert.deepEqual(feed(p, 'REA'), []);
  assert.deepEqual(feed(p, 'DY\n'), [{ kind: 'ready' }]);
  p.markBusy();
  assert.deepEqual(feed(p, 'RESULT 2'), []);
  assert.deepEqual(feed(p, '\nO'), []);
  assert.deepEqual(feed(p, 'KREADY\n'), [{ kind: 'processed' }, { kind: 'ready' }]);
  assert.equal(p.state, 'READY');
  assert.equal(logger.text(), '');
});

test('anything but OK is a rejection', () => {
  const { p, logger } = protocol();
  feed(p, 'READY\n');
  p.markBusy();
  const [signal] = feed(p, 'RESULT 4\nFAIL');
  assert.equal(signal.kind, 'rejected');
  assert.equal(p.state, 'ACKNOWLEDGED');
  assert.equal(logger.text(), 'WARN lst: event was rejected\n');
});

test('only the text after the first 7 bytes is parsed, with Python int() leniency', () => {
  const { p } = protocol();
  feed(p, 'READY\n');
  p.markBusy();
  assert.deepEqual(feed(p, 'XXXXXXX 2 \nOK'), [{ kind: 'processed' }]);
});

test('violations: output while READY, non-READY while ACKNOWLEDGED, bad result line', () => {
  {
    const { p, logger } = protocol();
    feed(p, 'READY\n');
    assert.deepEqual(feed(p, 'x'), [{ kind: 'unknown', requeue: false }]);
    assert.equal(p.state, 'UNKNOWN');
    assert.equal(logger.text(), UNKNOWN_WARNING + '\n');
    assert.deepEqual(feed(p, 'READY\n'), [], 'UNKNOWN is final until respawn');
    p.reset();
    assert.deepEqual(feed(p, 'READY\n'), [{ kind: 'ready' }]);
  }
  {
    const { p } = protocol();
    assert.deepEqual(feed(p, 'hello there\n'), [{ kind: 'unknown', requeue: false }]);
  }
  {
    const { p, logger } = protocol();
    feed(p, 'READY\n');
    p.markBusy();
    assert.deepEqual(feed(p, 'RESULT two\nOK'), [{ kind: 'unknown', requeue: true }]);
    assert.equal(logger.text(), "WARN lst: bad result line: 'RESULT two'\n" + UNKNOWN_WARNING + '\n');
  }
  {
    const { p } = protocol();
    feed(p, 'READY\nREADY\n');
    assert.equal(p.state, 'UNKNOWN', 'a second READY while READY is spurious output');
  }
});
