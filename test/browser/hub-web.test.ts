/**
 * The hub's web view in a real headless Chromium, against a real
 * fleetvisor-hub following two real fleetvisord agents (hub-fixture.ts):
 * sign in; see both hosts' processes; a process killed on an agent turns
 * EXITED on screen without a reload; a rolling restart across both hosts
 * shows its progress and ends green; the history lists the events just
 * caused; a viewer sees no action buttons. Screenshots go to
 * $FLEETVISOR_SCREENSHOTS (or a temp dir, removed unless FLEETVISOR_KEEP_TMP=1).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { fleetvisordAvailable } from '../hub-fleet/agents.js';
import { launchChromium, screenshotDir } from '../helpers/browser.js';
import { REPO_ROOT } from '../helpers/kinds.js';
import { ADMIN_PASSWORD, OPERATOR, startWebFixture, VIEWER, type WebFixture } from './hub-fixture.js';

const shotsDir = screenshotDir();
const keepShots = (process.env.FLEETVISOR_SCREENSHOTS ?? '') !== '' || process.env.FLEETVISOR_KEEP_TMP === '1';

async function signIn(page: Page, url: string, user: string, password: string): Promise<void> {
  await page.goto(`${url}/`);
  await page.getByLabel('User').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('tr.process-row').first().waitFor();
}

function row(page: Page, agent: string, namespec: string) {
  return page.locator(`tr.process-row[data-key="${agent}/${namespec}"]`);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(shotsDir, `${name}.png`), fullPage: true });
}

describe('hub web view in Chromium against a real hub and two real agents', { skip: !fleetvisordAvailable() && 'dist/node-agent/main.js not built (npm run build)' }, () => {
  let fixture: WebFixture | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    const built = spawnSync(process.execPath, [join(REPO_ROOT, 'web', 'build.mjs'), '--no-check'], { encoding: 'utf8' });
    assert.equal(built.status, 0, `web/build.mjs failed: ${built.stderr}`);
    [fixture, browser] = await Promise.all([startWebFixture(), launchChromium()]);
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (err) => pageErrors.push(err.message));
  });

  after(async () => {
    await browser?.close();
    await fixture?.stop();
    if (keepShots) process.stdout.write(`# screenshots in ${shotsDir}\n`);
    else rmSync(shotsDir, { recursive: true, force: true });
  });

  test('the sign-in page refuses a wrong password, then an admin signs in and sees both hosts', async () => {
    const { url } = fixture!;
    await page.goto(`${url}/`);
    await page.getByLabel('User').fill('admin');
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /wrong user name or password/);
    await shot(page, '01-sign-in-refused');

    await signIn(page, url, 'admin', ADMIN_PASSWORD);
    for (const agent of ['alpha', 'beta']) {
      for (const namespec of ['web', 'worker', 'chatty']) {
        assert.equal(await row(page, agent, namespec).getAttribute('data-state'), 'RUNNING', `${agent}/${namespec}`);
      }
      assert.match(await page.locator('.host-card', { hasText: agent }).innerText(), /online/);
    }
    assert.match(await page.locator('.who').innerText(), /admin\s+admin/);
    await shot(page, '02-overview-admin');
  });

  test('a process killed on an agent turns EXITED on screen without a reload', async (t) => {
    const { agents } = fixture!;
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    const info = (await agents.get('beta')!.client.call('supervisor.getProcessInfo', ['worker:worker'])) as { pid: number };
    assert.ok(info.pid > 0);
    const killedAt = Date.now();
    process.kill(info.pid, 'SIGKILL');
    await page.waitForSelector('tr.process-row[data-key="beta/worker"][data-state="EXITED"]', { timeout: 5000 });
    const latencyMs = Date.now() - killedAt;
    t.diagnostic(`kill → EXITED on screen: ${latencyMs} ms`);
    assert.ok(latencyMs < 3000, `took ${latencyMs} ms`);
    assert.equal(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded), true, 'the page was reloaded');
    assert.match(await row(page, 'beta', 'worker').locator('.badge').innerText(), /EXITED/);
    assert.equal(await row(page, 'alpha', 'worker').getAttribute('data-state'), 'RUNNING');
    await shot(page, '03-killed-process-exited');
  });

  test('a rolling restart of web on both hosts asks for confirmation, shows progress per target and ends green', async () => {
    const { agents } = fixture!;
    const pidsBefore = await Promise.all(['alpha', 'beta'].map(async (name) => ((await agents.get(name)!.client.call('supervisor.getProcessInfo', ['web:web'])) as { pid: number }).pid));
    await page.getByLabel('Name').fill('web');
    await page.locator('tr.process-row').nth(1).waitFor({ state: 'detached' }).catch(() => undefined);
    assert.equal(await page.locator('tr.process-row').count(), 2);
    await page.getByRole('button', { name: /Select all 2 matching/ }).click();
    assert.match(await page.locator('.selection-count').innerText(), /2 processes on 2 hosts selected/);
    await page.getByRole('button', { name: 'Rolling restart…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    assert.match(await dialog.locator('h2').innerText(), /Rolling restart 2 processes on 2 hosts\?/);
    await dialog.getByLabel(/Batch size/).fill('1');
    await shot(page, '04-rolling-restart-confirm');
    await dialog.getByRole('button', { name: 'Rolling restart 2 processes on 2 hosts' }).click();

    await page.waitForURL(/#\/ops\/\d+$/);
    await page.locator('tr[data-target="alpha/web"]').waitFor();
    await page.locator('.progress-text', { hasText: /batch \d of 2/ }).waitFor();
    await shot(page, '05-rolling-restart-progress');
    await page.locator('[data-outcome="succeeded"]').waitFor({ timeout: 20_000 });
    for (const target of ['alpha/web', 'beta/web']) {
      assert.equal(await page.locator(`tr[data-target="${target}"]`).getAttribute('data-status'), 'ok', target);
    }
    assert.match(await page.locator('.progress-text').innerText(), /2 of 2 targets done/);
    assert.match(await page.locator('tr[data-target="alpha/web"]').innerText(), /^alpha\/web\s+1\b/);
    assert.match(await page.locator('tr[data-target="beta/web"]').innerText(), /^beta\/web\s+2\b/);
    await shot(page, '06-rolling-restart-succeeded');
    const pidsAfter = await Promise.all(['alpha', 'beta'].map(async (name) => ((await agents.get(name)!.client.call('supervisor.getProcessInfo', ['web:web'])) as { pid: number }).pid));
    pidsAfter.forEach((pid, i) => assert.notEqual(pid, pidsBefore[i], 'web was not restarted'));

    await page.getByRole('link', { name: 'Operations' }).click();
    const logged = page.locator('table.ops tbody tr').first();
    await logged.waitFor();
    assert.match(await logged.innerText(), /admin\s+restart \(rolling\)\s+alpha\/web beta\/web\s+succeeded/);
    await shot(page, '07-operations-log');
  });

  test('the history lists the kill and the restarts just caused, with a timeline', async () => {
    await page.goto(`${fixture!.url}/#/history?since=10m&process=worker`);
    const exited = page.locator('table.events tr[data-agent="beta"][data-process="worker"]', { hasText: 'EXITED' });
    await exited.first().waitFor();
    assert.match(await exited.first().innerText(), /RUNNING → EXITED/);
    await shot(page, '08-history-worker');

    await page.goto(`${fixture!.url}/#/history?since=10m&process=web&state=STOPPING`);
    await page.locator('table.events tr[data-process="web"]').first().waitFor();
    const hosts = await page.locator('table.events tr[data-process="web"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-agent')));
    assert.deepEqual([...new Set(hosts)].sort(), ['alpha', 'beta']);

    await page.getByRole('link', { name: 'Timeline' }).click();
    const bars = page.locator('.timeline-row', { has: page.locator('.timeline-label', { hasText: /^\w+\/web$/ }) });
    await bars.first().waitFor();
    assert.equal(await bars.count(), 2);
    await page.goto(`${fixture!.url}/#/history?since=10m&tab=timeline`);
    await page.locator('.timeline-row', { has: page.locator('.timeline-label', { hasText: /^beta\/worker$/ }) }).locator('.band.state-exited').waitFor();
    await shot(page, '09-history-timeline');

    await page.getByRole('link', { name: 'Crash details' }).click();
    await page.locator('details.crash', { hasText: /\bworker\b(?!:)/ }).first().waitFor();
    await shot(page, '10-history-crashes');
  });

  test('process detail shows the live log tail with search', async () => {
    await page.goto(`${fixture!.url}/#/process/alpha/chatty`);
    const log = page.locator('pre.log');
    await log.filter({ hasText: /chatty line \d+/ }).waitFor();
    const before = (await log.innerText()).match(/chatty line (\d+)/g)!.length;
    await page.waitForFunction((n) => (document.querySelector('pre.log')?.textContent?.match(/chatty line \d+/g)?.length ?? 0) > n, before, { timeout: 5000 });
    await page.getByPlaceholder('Search loaded text').fill('line 1');
    assert.ok((await log.locator('mark').count()) > 0, 'no match marked');
    await page.getByRole('button', { name: 'stderr' }).click();
    await log.filter({ hasText: /chatty warning \d+/ }).waitFor();
    await shot(page, '11-process-detail');
  });

  test('a viewer sees the fleet but no action button, selection or admin page', async () => {
    const context = await browser!.newContext({ viewport: { width: 390, height: 844 } });
    const phone = await context.newPage();
    phone.setDefaultTimeout(10_000);
    try {
      await signIn(phone, fixture!.url, VIEWER.name, VIEWER.password);
      assert.equal(await phone.locator('tr.process-row').count(), 6);
      assert.equal(await phone.locator('button.action').count(), 0);
      assert.equal(await phone.locator('input[type="checkbox"]').count(), 0);
      assert.equal(await phone.getByRole('link', { name: 'Hosts' }).count(), 0);
      await shot(phone, '12-viewer-phone');
      await phone.goto(`${fixture!.url}/#/process/alpha/web`);
      await phone.locator('dl.facts').waitFor();
      assert.equal(await phone.locator('button.action').count(), 0);
      // The API refuses a viewer's operation even when the buttons are bypassed.
      const status = await phone.evaluate(async () => {
        const csrf = decodeURIComponent(document.cookie.match(/fv_csrf=([^;]+)/)?.[1] ?? '');
        const answer = await fetch('/api/v1/operations', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify({ action: 'stop', selectors: ['alpha/web:web'] }) });
        return answer.status;
      });
      assert.equal(status, 403);
    } finally {
      await context.close();
    }
  });

  test('an operator gets the action buttons but no hosts admin; a state change without the CSRF header is refused', async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    const operatorPage = await context.newPage();
    operatorPage.setDefaultTimeout(10_000);
    try {
      await signIn(operatorPage, fixture!.url, OPERATOR.name, OPERATOR.password);
      assert.equal(await operatorPage.locator('button.action').count(), 5);
      assert.equal(await operatorPage.getByRole('link', { name: 'Hosts' }).count(), 0);
      const status = await operatorPage.evaluate(async () => {
        const answer = await fetch('/api/v1/operations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'stop', selectors: ['alpha/web:web'] }) });
        return answer.status;
      });
      assert.equal(status, 403);
    } finally {
      await context.close();
    }
    assert.deepEqual(pageErrors, []);
  });
});
