/**
 * [rpcinterface:NAME] with a JavaScript factory adds NAME.* methods; the
 * fleetvisor namespace is there by default; a Python factory other than the
 * stock one is refused with supervisord's wording.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runDaemonToExit, startDaemon, type Daemon } from '../helpers/daemon.js';

const PLUGIN = `
export function makeGreeter(ctx) {
  ctx.method({
    name: 'hello',
    signature: ['string', 'string'],
    help: 'Greet someone.',
    handler: (who) => {
      if (typeof who !== 'string' || who === '') throw new ctx.RpcFault('BAD_ARGUMENTS', 'who');
      return ctx.options.greeting + ' ' + who;
    },
  });
  ctx.method({
    name: 'processCount',
    signature: ['int'],
    help: 'How many processes the daemon supervises.',
    handler: () => ctx.supervisor.allByName().length,
  });
}
`;

const CONF = `[rpcinterface:greeter]
supervisor.rpcinterface_factory = ./greeter.mjs:makeGreeter
greeting = hi

[program:sleeper]
command=/bin/sleep 1000
`;

describe('rpcinterface plugins (fleetvisord)', () => {
  let d: Daemon;
  before(async () => {
    d = await startDaemon('fleetvisord', CONF, { files: [{ path: 'greeter.mjs', content: PLUGIN }] });
  });
  after(() => d?.stop());

  test('a JavaScript factory publishes NAME.* methods with help and signatures', async () => {
    assert.equal(await d.rpc('greeter.hello', ['world']), 'hi world');
    assert.equal(await d.rpc('greeter.processCount', []), 1);
    const methods = (await d.rpc('system.listMethods', [])) as string[];
    assert.ok(methods.includes('greeter.hello') && methods.includes('greeter.processCount'));
    assert.deepEqual(await d.rpc('system.methodSignature', ['greeter.hello']), ['string', 'string']);
    assert.equal(await d.rpc('system.methodHelp', ['greeter.hello']), 'Greet someone.');
    const outcome = await d.rpcOutcome('greeter.hello', ['']);
    assert.deepEqual(outcome, { faultCode: 3, faultString: 'BAD_ARGUMENTS: who' });
  });

  test('the fleetvisor namespace is there without its own section, next to supervisor.*', async () => {
    const methods = (await d.rpc('system.listMethods', [])) as string[];
    assert.ok(methods.includes('fleetvisor.getEvents'));
    assert.ok(methods.includes('supervisor.getState'));
  });
});

test('an unknown Python factory is refused naming the section', async () => {
  const result = await runDaemonToExit(
    'fleetvisord',
    '[rpcinterface:x]\nsupervisor.rpcinterface_factory = mypkg.rpc:make_x\n',
  );
  assert.equal(result.code, 2);
  assert.match(result.stderr, /^Error: mypkg\.rpc:make_x cannot be resolved within \[rpcinterface:x\]\n/);
});

test('a JavaScript factory file that does not exist is a config error', async () => {
  const result = await runDaemonToExit('fleetvisord', '[rpcinterface:x]\nsupervisor.rpcinterface_factory = ./nope.mjs:make\n');
  assert.equal(result.code, 2);
  assert.match(result.stderr, /cannot be resolved within \[rpcinterface:x\]: no such file .*nope\.mjs/);
});
