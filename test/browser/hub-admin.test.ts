/**
 * The hub's admin pages in a real headless Chromium, against a real
 * fleetvisor-hub following two real fleetvisord agents (hub-fixture.ts) and
 * a third real fleetvisord the test adds through the Hosts page: refused
 * input is explained on the page and nothing typed is lost; the added host's
 * processes appear live on another tab; an edit of its tags and URL takes
 * effect, the new tags reaching the other tab's cards and filter live;
 * removing it takes it off the overview, on the other tab live too (the
 * hub's stream announces agent changes). On Users & tokens an admin
 * makes a viewer and a token for them; the viewer sees no admin page and no
 * action button, the token reads the REST API until it is revoked in the
 * page. An operator has no admin page either. The forms are driven by the
 * keyboard (Tab between fields, Enter submits).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { fleetvisordAvailable, startAgent, type TestAgent } from '../hub-fleet/agents.js';
import { launchChromium, screenshotDir } from '../helpers/browser.js';
import { REPO_ROOT } from '../helpers/kinds.js';
import { ADMIN_PASSWORD, OPERATOR, PROGRAMS, startWebFixture, type WebFixture } from './hub-fixture.js';

const shotsDir = screenshotDir();
const keepShots = (process.env.FLEETVISOR_SCREENSHOTS ?? '') !== '' || process.env.FLEETVISOR_KEEP_TMP === '1';
const NEW_VIEWER = { name: 'vera', password: 'vera-pw-123' } as const;
/** Namespecs as the hub shows them (supervisorctl's: `web`, not `web:web`). */
const PROGRAM_NAMES = ['web', 'worker', 'chatty'];

async function signIn(page: Page, url: string, user: string, password: string): Promise<void> {
  await page.goto(`${url}/`);
  await page.getByLabel('User').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Password').press('Enter');
  await page.locator('tr.process-row').first().waitFor();
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(shotsDir, `${name}.png`) });
}

/** The `name` attribute of the focused element: where the keyboard is. */
function focusedField(page: Page): Promise<string | null> {
  return page.evaluate(() => document.activeElement?.getAttribute('name') ?? null);
}

/** Waits briefly for the keyboard focus to land on the field named `name` (a page moves focus after it renders). */
async function expectFocus(page: Page, name: string, why = `the cursor is not in ${name}`): Promise<void> {
  await page.waitForFunction((wanted) => document.activeElement?.getAttribute('name') === wanted, name, { timeout: 2000 }).catch(() => undefined);
  assert.equal(await focusedField(page), name, why);
}

/** Answers the next confirm() with `accept` and returns its question. */
function answerConfirm(page: Page, accept: boolean): Promise<string> {
  return new Promise((resolve) => {
    page.once('dialog', (dialog) => {
      resolve(dialog.message());
      void (accept ? dialog.accept() : dialog.dismiss());
    });
  });
}

async function withBearer(url: string, token: string, path: string, init: RequestInit = {}): Promise<number> {
  const answer = await fetch(`${url}/api/v1${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
  await answer.arrayBuffer();
  return answer.status;
}

async function navLabels(page: Page): Promise<string[]> {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts();
}

describe('hub admin pages in Chromium against a real hub and real agents', { skip: !fleetvisordAvailable() && 'dist/node-agent/main.js not built (npm run build)' }, () => {
  let fixture: WebFixture | undefined;
  let browser: Browser | undefined;
  let gamma: TestAgent | undefined;
  let adminContext: BrowserContext;
  /** The admin's pages: one on the admin views, one left on the overview to watch it change live. */
  let page: Page;
  let overview: Page;
  const pageErrors: string[] = [];

  before(async () => {
    const built = spawnSync(process.execPath, [join(REPO_ROOT, 'web', 'build.mjs'), '--no-check'], { encoding: 'utf8' });
    assert.equal(built.status, 0, `web/build.mjs failed: ${built.stderr}`);
    [fixture, browser, gamma] = await Promise.all([startWebFixture(), launchChromium(), startAgent('fleetvisord', PROGRAMS)]);
    adminContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    [page, overview] = await Promise.all([adminContext.newPage(), adminContext.newPage()]);
    for (const each of [page, overview]) {
      each.setDefaultTimeout(10_000);
      each.on('pageerror', (err) => pageErrors.push(err.message));
    }
  });

  after(async () => {
    await browser?.close();
    await Promise.all([fixture?.stop(), gamma?.dispose()]);
    if (keepShots) process.stdout.write(`# screenshots in ${shotsDir}\n`);
    else rmSync(shotsDir, { recursive: true, force: true });
  });

  test('adding a host: bad input is explained and keeps what was typed; the host and its processes then appear live', async () => {
    const { url } = fixture!;
    await signIn(page, url, 'admin', ADMIN_PASSWORD);
    await overview.goto(`${url}/`);
    await overview.locator('tr.process-row').first().waitFor();
    await overview.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    await page.getByRole('link', { name: 'Hosts' }).press('Enter');
    const hostRow = (name: string) => page.locator(`tr[data-agent="${name}"]`);
    await hostRow('alpha').waitFor();
    assert.match(await hostRow('alpha').innerText(), /hub\.ini \(read-only\)/);
    assert.equal(await hostRow('alpha').getByRole('button', { name: 'Edit alpha' }).isDisabled(), true);

    const form = page.locator('form', { has: page.getByRole('button', { name: 'Add host' }) });
    const alert = form.getByRole('alert');
    const nameField = form.getByLabel('Name', { exact: true });

    // Enter on an empty form: the page says what is missing and the cursor goes to it.
    await nameField.focus();
    await page.keyboard.press('Enter');
    await alert.waitFor();
    assert.match(await alert.innerText(), /Name is required/);
    await expectFocus(page, 'name');
    assert.equal(await nameField.getAttribute('aria-invalid'), 'true');

    // Tab walks the fields in order; a URL the hub refuses is explained, and every field keeps its text.
    await page.keyboard.type('gamma');
    await page.keyboard.press('Tab');
    await expectFocus(page, 'url');
    await page.keyboard.type('ftp://gamma.example:9001');
    for (const next of ['username', 'password', 'tags']) {
      await page.keyboard.press('Tab');
      assert.equal(await focusedField(page), next);
    }
    await page.keyboard.type('lab');
    await page.keyboard.press('Enter');
    await alert.filter({ hasText: /url/ }).waitFor();
    assert.match(await alert.innerText(), /'ftp:\/\/gamma\.example:9001' is not http:\/\/, https:\/\/ or unix:\/\//);
    await expectFocus(page, 'url');
    assert.equal(await nameField.inputValue(), 'gamma');
    assert.equal(await form.getByLabel(/^Tags/).inputValue(), 'lab');

    // A name the hub already follows is refused as a duplicate.
    await page.keyboard.press('Control+A');
    await page.keyboard.type(gamma!.url);
    await nameField.fill('alpha');
    await page.keyboard.press('Enter');
    await alert.filter({ hasText: /already exists/ }).waitFor();
    assert.match(await alert.innerText(), /agent alpha already exists/);
    await expectFocus(page, 'name');
    assert.equal(await form.getByLabel('URL', { exact: true }).inputValue(), gamma!.url);
    assert.equal(await form.getByLabel(/^Tags/).inputValue(), 'lab');
    await shot(page, 'admin-01-add-host-refused');

    await page.keyboard.press('Control+A');
    await page.keyboard.type('gamma');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Added gamma.' }).waitFor();
    assert.equal(await alert.count(), 0);
    assert.equal(await nameField.inputValue(), '', 'the form is not cleared after adding');
    assert.match(await hostRow('gamma').innerText(), /added here/);
    await page.locator('tr[data-agent="gamma"][data-health="online"]').waitFor();

    // The other tab, untouched since it loaded, shows the new host and its processes.
    for (const namespec of PROGRAM_NAMES) {
      await overview.locator(`tr.process-row[data-key="gamma/${namespec}"][data-state="RUNNING"]`).waitFor();
    }
    const card = overview.locator('.host-card', { hasText: 'gamma' });
    await card.filter({ hasText: 'online' }).waitFor();
    assert.match(await card.locator('.tags').innerText(), /lab/);
    assert.equal(await overview.locator('tr.process-row').count(), 9);
    assert.equal(await overview.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded), true, 'the overview was reloaded');
    await shot(overview, 'admin-03-overview-with-added-host');
  });

  test('editing a host: new tags filter the overview, a dead URL turns it offline and the right one back online', async () => {
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Save' }) });
    const gammaRow = page.locator('tr[data-agent="gamma"]');

    await gammaRow.getByRole('button', { name: 'Edit gamma' }).press('Enter');
    await form.waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Edit gamma' }).count(), 1);
    await expectFocus(page, 'url', 'Edit does not put the cursor in the form');
    assert.equal(await form.getByLabel('Name', { exact: true }).isDisabled(), true);
    assert.equal(await form.getByLabel('URL', { exact: true }).inputValue(), gamma!.url);

    const tags = form.getByLabel(/^Tags/);
    await tags.fill('lab, canary');
    await tags.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Saved gamma.' }).waitFor();
    assert.match(await gammaRow.innerText(), /lab, canary/);
    // The other tab, still not reloaded, hears of the edit on the live stream: its card and its tag filter know canary.
    await overview.locator('.host-card', { hasText: 'gamma' }).locator('.tag', { hasText: 'canary' }).waitFor();
    await overview.evaluate(() => (location.hash = '#/?tag=canary'));
    await overview.waitForFunction(() => document.querySelectorAll('tr.process-row').length === 3);
    const filtered = await overview.locator('tr.process-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-key')));
    assert.deepEqual(filtered.sort(), PROGRAM_NAMES.map((namespec) => `gamma/${namespec}`).sort());
    await overview.evaluate(() => (location.hash = '#/'));
    await overview.waitForFunction(() => document.querySelectorAll('tr.process-row').length === 9);
    assert.equal(await overview.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded), true, 'the overview was reloaded');
    await page.evaluate(() => (location.hash = '#/?tag=canary'));
    await page.locator('.host-card', { hasText: 'gamma' }).locator('.tag', { hasText: 'canary' }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('tr.process-row').length === 3);
    const shown = await page.locator('tr.process-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-key')));
    assert.deepEqual(shown.sort(), PROGRAM_NAMES.map((namespec) => `gamma/${namespec}`).sort());
    await page.getByRole('link', { name: 'Hosts' }).press('Enter');

    const setUrl = async (next: string): Promise<void> => {
      await gammaRow.getByRole('button', { name: 'Edit gamma' }).press('Enter');
      await page.getByRole('heading', { name: 'Edit gamma' }).waitFor();
      const field = form.getByLabel('URL', { exact: true });
      await field.fill(next);
      await field.press('Enter');
      await page.getByRole('status').filter({ hasText: 'Saved gamma.' }).waitFor();
    };
    const deadUrl = `unix://${join(gamma!.dir, 'no-such.sock')}`;
    await setUrl(deadUrl);
    assert.ok((await gammaRow.innerText()).includes(deadUrl), 'the new URL is not listed');
    await page.locator('tr[data-agent="gamma"][data-health="offline"]').waitFor();
    await overview.locator('.host-card', { hasText: 'gamma' }).filter({ hasText: 'offline' }).waitFor();
    await shot(page, 'admin-05-host-offline-after-url-edit');
    await setUrl(gamma!.url);
    await page.locator('tr[data-agent="gamma"][data-health="online"]').waitFor();
    await overview.locator('.host-card', { hasText: 'gamma' }).filter({ hasText: 'online' }).waitFor();
  });

  test('removing a host asks first, then takes it and its processes off this page and, live, off another open tab', async () => {
    const { url } = fixture!;
    const gammaRow = page.locator('tr[data-agent="gamma"]');
    const declined = answerConfirm(page, false);
    await gammaRow.getByRole('button', { name: 'Remove gamma' }).press('Enter');
    assert.match(await declined, /Remove gamma\?/);
    assert.equal(await gammaRow.count(), 1, 'removed although the question was declined');

    const accepted = answerConfirm(page, true);
    await gammaRow.getByRole('button', { name: 'Remove gamma' }).press('Enter');
    await accepted;
    await page.getByRole('status').filter({ hasText: 'Removed gamma.' }).waitFor();
    assert.equal(await gammaRow.count(), 0);
    const listed = await page.evaluate(async () => ((await (await fetch('/api/v1/agents')).json()) as { name: string }[]).map((agent) => agent.name));
    assert.deepEqual(listed.sort(), ['alpha', 'beta']);

    await page.getByRole('link', { name: 'Overview' }).press('Enter');
    await page.locator('tr.process-row').first().waitFor();
    assert.equal(await page.locator('.host-card', { hasText: 'gamma' }).count(), 0);
    assert.equal(await page.locator('tr.process-row[data-key^="gamma/"]').count(), 0);
    assert.equal(await page.locator('tr.process-row').count(), 6);

    // Another open tab drops the removed host live: its card and its process rows, without a reload.
    await overview.locator('.host-card', { hasText: 'gamma' }).waitFor({ state: 'detached' });
    await overview.waitForFunction(() => document.querySelectorAll('tr.process-row').length === 6);
    assert.equal(await overview.locator('tr.process-row[data-key^="gamma/"]').count(), 0);
    assert.equal(await overview.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded), true, 'the overview was reloaded');
    await shot(overview, 'admin-06-other-tab-after-remove');
    // A fresh load (what the other tab shows after a reload) agrees.
    await overview.goto(`${url}/`);
    await overview.locator('tr.process-row').first().waitFor();
    assert.equal(await overview.locator('.host-card', { hasText: 'gamma' }).count(), 0);
    assert.equal(await overview.locator('tr.process-row').count(), 6);
  });

  test('an admin makes a viewer and a token for them; the viewer sees no admin page or action, the token works until revoked', async () => {
    const { url } = fixture!;
    await page.getByRole('link', { name: 'Users & tokens' }).press('Enter');
    const userForm = page.locator('form', { has: page.getByRole('button', { name: 'Add user' }) });
    const alert = userForm.getByRole('alert');
    const nameField = userForm.getByLabel('Name', { exact: true });
    await page.locator('tr[data-user="victor"]').waitFor();

    await nameField.focus();
    await page.keyboard.press('Enter');
    await alert.waitFor();
    assert.match(await alert.innerText(), /Name is required/);
    await expectFocus(page, 'name');

    await page.keyboard.type(NEW_VIEWER.name);
    await page.keyboard.press('Tab');
    await expectFocus(page, 'password');
    await page.keyboard.type('short');
    await page.keyboard.press('Enter');
    await alert.filter({ hasText: /at least 8 characters/ }).waitFor();
    await expectFocus(page, 'password');
    assert.equal(await nameField.inputValue(), NEW_VIEWER.name);

    await nameField.fill('victor');
    await userForm.getByLabel('Password', { exact: true }).fill(NEW_VIEWER.password);
    await nameField.press('Enter');
    await alert.filter({ hasText: /already exists/ }).waitFor();
    assert.match(await alert.innerText(), /user victor already exists/);
    assert.equal(await userForm.getByLabel('Password', { exact: true }).inputValue(), NEW_VIEWER.password);

    await nameField.fill(NEW_VIEWER.name);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expectFocus(page, 'role');
    assert.equal(await userForm.locator('select[name="role"]').inputValue(), 'viewer');
    await userForm.getByLabel('Password', { exact: true }).press('Enter');
    await page.getByRole('status').filter({ hasText: `Added ${NEW_VIEWER.name} (viewer).` }).waitFor();
    const veraRow = page.locator(`tr[data-user="${NEW_VIEWER.name}"]`);
    await veraRow.waitFor();
    assert.equal(await veraRow.getByLabel(`Role of ${NEW_VIEWER.name}`).inputValue(), 'viewer');
    assert.equal(await nameField.inputValue(), '');

    const tokenForm = page.locator('form', { has: page.getByRole('button', { name: 'Create token' }) });
    await tokenForm.getByLabel('For user').selectOption(NEW_VIEWER.name);
    const tokenName = tokenForm.getByLabel('New token name');
    await tokenName.fill('vera-script');
    await tokenName.press('Enter');
    const shown = page.locator('code.token');
    await shown.waitFor();
    const token = (await shown.innerText()).trim();
    assert.match(await page.getByRole('status').filter({ has: shown }).innerText(), /vera-script for vera/);
    await page.locator(`tr[data-token="vera-script"][data-user="${NEW_VIEWER.name}"]`).waitFor();
    await shot(page, 'admin-07-viewer-and-token-made');

    assert.equal(await withBearer(url, token, '/processes'), 200);
    assert.equal(await withBearer(url, token, '/users'), 403);
    assert.equal(await withBearer(url, token, '/operations', { method: 'POST', body: JSON.stringify({ action: 'stop', selectors: ['alpha/web:web'] }) }), 403);

    const viewerContext = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const viewer = await viewerContext.newPage();
      viewer.setDefaultTimeout(10_000);
      viewer.on('pageerror', (err) => pageErrors.push(err.message));
      await signIn(viewer, url, NEW_VIEWER.name, NEW_VIEWER.password);
      assert.match(await viewer.locator('.who').innerText(), /vera\s+viewer/);
      assert.deepEqual(await navLabels(viewer), ['Overview', 'History', 'Operations', 'Tokens']);
      assert.equal(await viewer.locator('tr.process-row').count(), 6);
      assert.equal(await viewer.locator('button.action').count(), 0);
      assert.equal(await viewer.locator('input[type="checkbox"]').count(), 0);
      await viewer.goto(`${url}/#/hosts`);
      await viewer.getByText('No such page').waitFor();
      assert.equal(await viewer.getByRole('button', { name: 'Add host' }).count(), 0);
      await viewer.goto(`${url}/#/users`);
      await viewer.getByRole('heading', { name: 'API tokens' }).waitFor();
      await viewer.locator('tr[data-token="vera-script"]').waitFor();
      assert.equal(await viewer.getByRole('heading', { name: 'Users', exact: true }).count(), 0);
      assert.equal(await viewer.getByRole('button', { name: 'Add user' }).count(), 0);
      assert.equal(await viewer.getByLabel('For user').count(), 0);
      await shot(viewer, 'admin-08-viewer-tokens-page');
    } finally {
      await viewerContext.close();
    }

    const accepted = answerConfirm(page, true);
    await page.getByRole('button', { name: 'Revoke token vera-script of vera' }).press('Enter');
    assert.match(await accepted, /Revoke token vera-script of vera\?/);
    await page.getByRole('status').filter({ hasText: 'Revoked vera-script' }).waitFor();
    await page.locator('tr[data-token="vera-script"]').waitFor({ state: 'detached' });
    assert.equal(await page.locator('code.token').count(), 0, 'the revoked token text is still shown');
    assert.equal(await withBearer(url, token, '/processes'), 401);
  });

  test('an operator has no Hosts or Users page', async () => {
    const { url } = fixture!;
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const operator = await context.newPage();
      operator.setDefaultTimeout(10_000);
      operator.on('pageerror', (err) => pageErrors.push(err.message));
      await signIn(operator, url, OPERATOR.name, OPERATOR.password);
      assert.deepEqual(await navLabels(operator), ['Overview', 'History', 'Operations', 'Tokens']);
      await operator.goto(`${url}/#/hosts`);
      await operator.getByText('No such page').waitFor();
      await operator.goto(`${url}/#/users`);
      await operator.getByRole('heading', { name: 'API tokens' }).waitFor();
      assert.equal(await operator.getByRole('heading', { name: 'Users', exact: true }).count(), 0);
      assert.equal(await operator.getByLabel('For user').count(), 0);
      const status = await operator.evaluate(async () => (await fetch('/api/v1/users')).status);
      assert.equal(status, 403);
    } finally {
      await context.close();
    }
    assert.deepEqual(pageErrors, []);
  });
});
