/**
 * The supervisord-compatible status page in a real headless Chromium, served
 * by each daemon's [inet_http_server] on 127.0.0.1: load it, press Stop on a
 * RUNNING process, see the message, reload and see it STOPPED; then Start it
 * again. Screenshots go to $FLEETVISOR_SCREENSHOTS (or a temp dir, removed
 * afterwards unless FLEETVISOR_KEEP_TMP=1).
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshotDir } from '../helpers/browser.js';
import { daemonKinds, startDaemon, type Daemon } from '../helpers/daemon.js';
import { freePort } from '../helpers/raw-http.js';

function pageConf(port: number): string {
  return `[inet_http_server]
port=127.0.0.1:${port}

[program:sleeper]
command=/bin/sleep 1000

[program:manual]
command=/bin/sleep 1000
autostart=false

[group:grp]
programs=manual
`;
}

const shotsDir = screenshotDir();
const keepShots = process.env.FLEETVISOR_SCREENSHOTS !== undefined && process.env.FLEETVISOR_SCREENSHOTS !== '';

let browser: Browser | undefined;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  if (!keepShots && process.env.FLEETVISOR_KEEP_TMP !== '1') rmSync(shotsDir, { recursive: true, force: true });
});

/** The status cell text of the row whose name link reads `namespec`. */
function stateOf(page: Page, namespec: string): Promise<string> {
  return rowOf(page, namespec).locator('td.status span').innerText();
}

function rowOf(page: Page, namespec: string) {
  return page.locator('tr', { has: page.locator('td a', { hasText: new RegExp(`^${namespec}$`) }) });
}

/** A row's action control: supervisord renders links, fleetvisord form buttons. */
function controlOf(page: Page, namespec: string, label: string) {
  return rowOf(page, namespec).locator('a, button').filter({ hasText: new RegExp(`^${label}$`) });
}

for (const kind of daemonKinds()) {
  describe(`status page in Chromium against ${kind}`, () => {
    let daemon: Daemon | undefined;
    let page: Page | undefined;
    let base = '';
    const failedRequests: string[] = [];
    before(async () => {
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      daemon = await startDaemon(kind, pageConf(port));
      await daemon.waitForStates({ sleeper: 'RUNNING' });
      assert.ok(browser, 'chromium did not start');
      page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
      page.setDefaultTimeout(10_000);
      page.on('requestfailed', (r) => failedRequests.push(`${r.url()} ${r.failure()?.errorText ?? ''}`));
      page.on('response', (r) => {
        if (r.status() >= 400) failedRequests.push(`${r.url()} ${r.status()}`);
      });
    });
    after(async () => {
      await page?.close();
      await daemon?.stop();
    });
    const p = (): Page => {
      assert.ok(page, 'no page');
      return page;
    };
    const shot = (name: string) => p().screenshot({ path: join(shotsDir, `${kind}-${name}.png`), fullPage: true });

    test('loads with every process, its state and its stylesheet and images', async (t) => {
      const response = await p().goto(`${base}/`);
      assert.equal(response?.status(), 200);
      assert.equal(await p().title(), 'Supervisor Status');
      assert.equal(await stateOf(p(), 'sleeper'), 'running');
      assert.equal(await stateOf(p(), 'grp:manual'), 'stopped');
      assert.match(await rowOf(p(), 'sleeper').innerText(), /pid \d+, uptime \d+:\d{2}:\d{2}/);
      // the stylesheet applied: the running state is drawn in its colour
      const colour = await rowOf(p(), 'sleeper').locator('td.status span').evaluate((el) => getComputedStyle(el).color);
      assert.notEqual(colour, 'rgb(0, 0, 0)');
      const logo = await p().locator('img').first().evaluate((img) => (img as HTMLImageElement).naturalWidth);
      assert.ok(logo > 0, 'the logo image did not load');
      await shot('1-loaded');
      t.diagnostic(`screenshots in ${shotsDir}`);
      assert.deepEqual(failedRequests, []);
    });

    test('Stop on a RUNNING process stops it and says so', async () => {
      await Promise.all([p().waitForURL(/\?message=/), controlOf(p(), 'sleeper', 'Stop').click()]);
      assert.match(p().url(), /\/\?message=Process%20sleeper%20stopped$/);
      assert.equal(await p().locator('.status_msg').innerText(), 'Process sleeper stopped');
      assert.equal(await stateOf(p(), 'sleeper'), 'stopped');
      await shot('2-stopped');
      assert.ok(daemon);
      await daemon.waitForStates({ sleeper: 'STOPPED' }, 2_000);
    });

    test('the reloaded page shows it STOPPED, with Start instead of Stop', async () => {
      await p().goto(`${base}/`);
      assert.equal(await stateOf(p(), 'sleeper'), 'stopped');
      assert.equal(await p().locator('.status_msg').count(), 0);
      assert.equal(await controlOf(p(), 'sleeper', 'Stop').count(), 0);
      assert.equal(await controlOf(p(), 'sleeper', 'Start').count(), 1);
      await shot('3-reloaded');
    });

    test('Start brings it back to RUNNING', async () => {
      await Promise.all([p().waitForURL(/\?message=/), controlOf(p(), 'sleeper', 'Start').click()]);
      assert.equal(await p().locator('.status_msg').innerText(), 'Process sleeper started');
      await p().goto(`${base}/`);
      assert.equal(await stateOf(p(), 'sleeper'), 'running');
      await shot('4-started');
      assert.deepEqual(failedRequests, []);
    });
  });
}
