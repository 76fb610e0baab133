import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  configSearchPaths,
  findConfigFile,
  findConfigFileOptional,
  loadSupervisorctlConfig,
} from '../../node-agent/config/index.js';

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'fv-locate-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('search list follows argv0 like supervisord', () => {
  assert.deepEqual(configSearchPaths('/opt/x/bin/supervisord'), [
    '/opt/x/etc/supervisord.conf',
    '/opt/x/supervisord.conf',
    'supervisord.conf',
    'etc/supervisord.conf',
    '/etc/supervisord.conf',
    '/etc/supervisor/supervisord.conf',
  ]);
  assert.deepEqual(configSearchPaths('supervisord').slice(0, 2), ['etc/supervisord.conf', 'supervisord.conf']);
});

test('first existing file wins; relative entries are looked up in cwd', () => {
  withDir((dir) => {
    mkdirSync(join(dir, 'prefix', 'etc'), { recursive: true });
    mkdirSync(join(dir, 'work', 'etc'), { recursive: true });
    const argv0 = join(dir, 'prefix', 'bin', 'fleetvisord');
    const cwd = join(dir, 'work');
    writeFileSync(join(cwd, 'etc', 'supervisord.conf'), '');
    assert.equal(findConfigFile(argv0, cwd), 'etc/supervisord.conf');
    writeFileSync(join(cwd, 'supervisord.conf'), '');
    assert.equal(findConfigFile(argv0, cwd), 'supervisord.conf');
    writeFileSync(join(dir, 'prefix', 'etc', 'supervisord.conf'), '');
    assert.equal(findConfigFile(argv0, cwd), join(dir, 'prefix', 'etc', 'supervisord.conf'));
  });
});

test('nothing found: supervisord usage text, optional variant returns undefined', () => {
  withDir((dir) => {
    const argv0 = join(dir, 'bin', 'fleetvisord');
    const onlyInDir = (p: string) => p.startsWith(dir) && existsSync(p);
    assert.equal(findConfigFileOptional(argv0, dir, { exists: onlyInDir }), undefined);
    assert.throws(() => findConfigFile(argv0, dir, { exists: onlyInDir }), {
      code: 'FV_CONFIG_NOT_FOUND',
      message:
        `No config file found at default paths (${dir}/etc/supervisord.conf, ${dir}/supervisord.conf, supervisord.conf, ` +
        'etc/supervisord.conf, /etc/supervisord.conf, /etc/supervisor/supervisord.conf); use the -c option to specify a ' +
        'config file at a different path',
    });
  });
});

test('supervisorctl settings', () => {
  withDir((dir) => {
    writeFileSync(join(dir, 'c.conf'), '[supervisorctl]\nserverurl=unix://%(here)s/x/../s.sock\nusername=u\npassword=p\nprompt=fv\nhistory_file=~/.hist\n');
    assert.deepEqual(loadSupervisorctlConfig('c.conf', { cwd: dir, env: { HOME: '/home/me' } }), {
      serverurl: `unix://${dir}/s.sock`,
      username: 'u',
      password: 'p',
      prompt: 'fv',
      historyFile: '/home/me/.hist',
    });
    writeFileSync(join(dir, 'd.conf'), '[supervisorctl]\n');
    assert.deepEqual(loadSupervisorctlConfig('d.conf', { cwd: dir }), { serverurl: 'http://localhost:9001', prompt: 'supervisor' });
    assert.deepEqual(loadSupervisorctlConfig(undefined), { serverurl: 'http://localhost:9001', prompt: 'supervisor' });
    writeFileSync(join(dir, 'e.conf'), '[supervisord]\n');
    assert.throws(() => loadSupervisorctlConfig('e.conf', { cwd: dir }), {
      code: 'FV_CONFIG_MISSING',
      message: '.ini file does not include supervisorctl section',
    });
    assert.throws(() => loadSupervisorctlConfig('nope.conf', { cwd: dir }), { message: 'could not find config file nope.conf' });
  });
});
