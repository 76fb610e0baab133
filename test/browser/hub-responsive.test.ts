/**
 * Issue #6's "works on a laptop screen and a phone; keyboard-usable; readable
 * states (colour plus text)", checked in a real headless Chromium against a
 * real fleetvisor-hub following two real fleetvisord agents (hub-fixture.ts):
 * on a phone (390×844, touch) and a laptop (1366×768) the overview, process
 * detail, history and operation pages fit the screen width (tables may
 * scroll inside their own box), the main navigation is on screen (or behind
 * a menu that opens); on the phone the header does not stay over a sixth of
 * the screen, checkboxes and buttons are big enough to tap, and a restart is
 * started by touch and followed to its end. With the keyboard alone an
 * operator filters, selects, restarts and sees it succeed, the focus drawn
 * at every step and kept inside the confirmation dialog. Every state badge
 * (and timeline band) names its state in text that is not cut off, in
 * colours of at least 4.5:1 contrast. Screenshots go to
 * $FLEETVISOR_SCREENSHOTS (or a temp dir, removed unless FLEETVISOR_KEEP_TMP=1).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { fleetvisordAvailable } from '../hub-fleet/agents.js';
import { launchChromium, screenshotDir } from '../helpers/browser.js';
import { REPO_ROOT } from '../helpers/kinds.js';
import { ADMIN_PASSWORD, startWebFixture, type WebFixture } from './hub-fixture.js';

const shotsDir = screenshotDir();
const keepShots = (process.env.FLEETVISOR_SCREENSHOTS ?? '') !== '' || process.env.FLEETVISOR_KEEP_TMP === '1';

const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const LAPTOP: BrowserContextOptions = { viewport: { width: 1366, height: 768 } };
/** WCAG 2.x AA for normal-size text. */
const MIN_CONTRAST = 4.5;
/** WCAG 2.2's minimum target size (2.5.8), for what a finger taps. */
const MIN_TARGET_PX = 24;
/** At most this share of a phone's screen may stay pinned over the content while scrolling. */
const MAX_PINNED_SHARE = 0.15;
const ALL_PROCESSES = ['alpha', 'beta'].flatMap((agent) => ['web', 'worker', 'chatty'].map((namespec) => `${agent}/${namespec}`)).sort();

async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: join(shotsDir, `${name}.png`), fullPage });
}

async function signIn(page: Page, url: string, touch: boolean): Promise<void> {
  await page.goto(`${url}/`);
  await page.getByLabel('User').fill('admin');
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  const signInButton = page.getByRole('button', { name: 'Sign in' });
  await (touch ? signInButton.tap() : signInButton.click());
  await page.locator('tr.process-row').first().waitFor();
}

async function shownProcesses(page: Page): Promise<string[]> {
  const keys = await page.locator('tr.process-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-key') ?? ''));
  return keys.sort();
}

interface Overflow {
  scrollWidth: number;
  innerWidth: number;
  /** Elements reaching past the right edge outside any box that scrolls or clips them: what widens the page. */
  culprits: string[];
}

function measureOverflow(page: Page): Promise<Overflow> {
  return page.evaluate(() => {
    const clipsX = (element: Element): boolean => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(element).overflowX);
    const culprits: string[] = [];
    for (const element of document.body.querySelectorAll('*')) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.right <= innerWidth + 0.5) continue;
      let inside = false;
      for (let up = element.parentElement; up !== null && up !== document.body; up = up.parentElement) {
        if (clipsX(up)) inside = true;
      }
      if (!inside && culprits.length < 8) {
        const classes = typeof element.className === 'string' && element.className !== '' ? `.${element.className.trim().split(/\s+/).join('.')}` : '';
        culprits.push(`${element.tagName.toLowerCase()}${classes} right=${Math.round(box.right)}`);
      }
    }
    return { scrollWidth: document.scrollingElement!.scrollWidth, innerWidth, culprits };
  });
}

async function assertNoOverflow(page: Page, where: string): Promise<void> {
  const overflow = await measureOverflow(page);
  assert.ok(
    overflow.scrollWidth <= overflow.innerWidth,
    `${where}: the page is ${overflow.scrollWidth}px wide on a ${overflow.innerWidth}px screen; too wide: ${overflow.culprits.join(', ')}`,
  );
}

/**
 * The main navigation's links, after opening its menu if the layout hides
 * them behind one. Each must be on screen and big enough to tap.
 */
async function assertNavigationReachable(page: Page, where: string): Promise<void> {
  const menu = page.getByRole('button', { name: /menu/i });
  if ((await menu.count()) > 0 && (await menu.isVisible())) {
    if ((await menu.getAttribute('aria-expanded')) !== 'true') await menu.click();
    assert.equal(await menu.getAttribute('aria-expanded'), 'true', `${where}: the menu button does not say it opened`);
  }
  const links = page.getByRole('navigation', { name: 'Main' }).getByRole('link');
  const labels = await links.allInnerTexts();
  assert.deepEqual(labels, ['Overview', 'History', 'Operations', 'Hosts', 'Users & tokens'], `${where}: navigation`);
  const screenWidth = await page.evaluate(() => window.innerWidth);
  for (let i = 0; i < labels.length; i++) {
    const link = links.nth(i);
    assert.ok(await link.isVisible(), `${where}: ${labels[i]} is not visible`);
    const box = (await link.boundingBox())!;
    assert.ok(box.x >= 0 && box.x + box.width <= screenWidth, `${where}: ${labels[i]} is off screen (${box.x}..${box.x + box.width} of ${screenWidth})`);
    assert.ok(box.height >= MIN_TARGET_PX && box.width >= MIN_TARGET_PX, `${where}: ${labels[i]} is ${box.width}×${box.height}px, too small to tap`);
  }
}

/** What stays pinned over the content while the page scrolls (position fixed or sticky), in px of height. */
function pinnedHeight(page: Page): Promise<{ height: number; what: string[] }> {
  return page.evaluate(() => {
    let height = 0;
    const what: string[] = [];
    for (const element of document.body.querySelectorAll('*')) {
      const position = getComputedStyle(element).position;
      if ((position !== 'fixed' && position !== 'sticky') || element.closest('[role="dialog"], .backdrop, table') !== null) continue;
      const box = element.getBoundingClientRect();
      if (box.height === 0) continue;
      height += box.height;
      what.push(`${element.tagName.toLowerCase()}.${element.className} ${Math.round(box.height)}px`);
    }
    return { height, what };
  });
}

async function assertContentGetsTheScreen(page: Page, where: string): Promise<void> {
  const innerHeight = await page.evaluate(() => window.innerHeight);
  const pinned = await pinnedHeight(page);
  assert.ok(pinned.height <= MAX_PINNED_SHARE * innerHeight, `${where}: ${Math.round(pinned.height)}px of the ${innerHeight}px screen stay pinned over the content (${pinned.what.join(', ')})`);
}

async function assertTappable(page: Page, selector: string, where: string): Promise<void> {
  const boxes = await page.locator(selector).evaluateAll((elements) => elements.map((element) => {
    const box = element.getBoundingClientRect();
    return { label: element.getAttribute('aria-label') ?? (element.textContent ?? '').trim(), width: box.width, height: box.height };
  }));
  assert.ok(boxes.length > 0, `${where}: nothing matches ${selector}`);
  for (const box of boxes) {
    assert.ok(box.width >= MIN_TARGET_PX && box.height >= MIN_TARGET_PX, `${where}: "${box.label}" is ${box.width}×${box.height}px, too small to tap`);
  }
}

/** Follows a main navigation link by tap or click, opening the menu first when there is one. */
async function navigateTo(page: Page, label: string, touch: boolean): Promise<void> {
  const menu = page.getByRole('button', { name: /menu/i });
  if ((await menu.count()) > 0 && (await menu.isVisible()) && (await menu.getAttribute('aria-expanded')) !== 'true') {
    await (touch ? menu.tap() : menu.click());
  }
  const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true });
  await (touch ? link.tap() : link.click());
}

interface FocusReport {
  tag: string;
  name: string;
  label: string;
  action: string;
  focusVisible: boolean;
  outline: string;
  boxShadow: string;
}

/** Where the keyboard focus is, and whether it is drawn: :focus-visible with an outline or a box shadow. */
function focusReport(page: Page): Promise<FocusReport> {
  return page.evaluate(() => {
    const element = document.activeElement ?? document.body;
    const style = getComputedStyle(element);
    return {
      tag: element.tagName.toLowerCase(),
      name: element.getAttribute('name') ?? '',
      label: element.getAttribute('aria-label') ?? (element.textContent ?? '').trim().slice(0, 40),
      action: element.getAttribute('data-action') ?? '',
      focusVisible: element.matches(':focus-visible'),
      outline: style.outlineStyle === 'none' || parseFloat(style.outlineWidth) === 0 ? 'none' : `${style.outlineWidth} ${style.outlineStyle} ${style.outlineColor}`,
      boxShadow: style.boxShadow,
    };
  });
}

function assertFocusVisible(report: FocusReport): void {
  const where = `${report.tag}${report.name !== '' ? `[name=${report.name}]` : ''} "${report.label}"`;
  assert.ok(report.focusVisible, `the focus on ${where} is not :focus-visible`);
  assert.ok(report.outline !== 'none' || report.boxShadow !== 'none', `the focus on ${where} is not drawn (no outline, no box shadow)`);
}

/** Presses `key` until `arrived` holds of the focused element, checking the focus is drawn at every stop. */
async function keyUntil(page: Page, key: string, arrived: (focus: FocusReport) => boolean, what: string, limit = 40): Promise<FocusReport> {
  const path: string[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(key);
    const focus = await focusReport(page);
    if (focus.tag !== 'body') assertFocusVisible(focus);
    path.push(`${focus.tag}:${focus.name || focus.label}`);
    if (arrived(focus)) return focus;
  }
  assert.fail(`${limit} × ${key} never reached ${what}; went through ${path.join(' → ')}`);
}

interface BadgeColours {
  kind: string;
  /** The rendered text (innerText: what is shown, not what is hidden). */
  text: string;
  /** Cut off: its text overflows it, or a box that scrolls or clips it hides part of it. */
  clipped: boolean;
  title: string;
  described: string;
  color: string;
  background: string;
  contrast: number;
}

/**
 * Every visible state indicator with text (badges, operation outcomes,
 * timeline bands) with its state class, text and measured contrast. The
 * background is the first non-transparent one up the tree, blended.
 */
function badgeColours(page: Page, selector = '.badge, .outcome, .band'): Promise<BadgeColours[]> {
  return page.evaluate((wanted) => {
    type Rgba = [number, number, number, number];
    const parse = (css: string): Rgba => {
      const numbers = (css.match(/[\d.]+/g) ?? []).map(Number);
      return [numbers[0] ?? 0, numbers[1] ?? 0, numbers[2] ?? 0, numbers[3] ?? 1];
    };
    const over = (top: Rgba, below: Rgba): Rgba => {
      const a = top[3];
      return [top[0] * a + below[0] * (1 - a), top[1] * a + below[1] * (1 - a), top[2] * a + below[2] * (1 - a), 1];
    };
    const backgroundOf = (element: Element): Rgba => {
      const layers: Rgba[] = [];
      for (let at: Element | null = element; at !== null; at = at.parentElement) {
        const layer = parse(getComputedStyle(at).backgroundColor);
        if (layer[3] > 0) layers.push(layer);
        if (layer[3] >= 1) break;
      }
      return layers.reduceRight<Rgba>((below, layer) => over(layer, below), [255, 255, 255, 1]);
    };
    const luminance = ([r, g, b]: Rgba): number => {
      const channel = (value: number) => {
        const c = value / 255;
        return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    return [...document.querySelectorAll(wanted)]
      .filter((element) => element.getClientRects().length > 0)
      .map((element) => {
        const background = backgroundOf(element);
        const color = over(parse(getComputedStyle(element).color), background);
        const [light, dark] = [luminance(color), luminance(background)].sort((a, b) => b - a) as [number, number];
        const kind = [...element.classList].find((name) => /^(state|result|outcome|stream)-/.test(name)) ?? '(no state class)';
        const box = element.getBoundingClientRect();
        let clipped = element.scrollWidth > element.clientWidth + 1;
        for (let up = element.parentElement; up !== null && !clipped; up = up.parentElement) {
          if (getComputedStyle(up).overflowX === 'visible') continue;
          const frame = up.getBoundingClientRect();
          const left = frame.left + up.clientLeft;
          clipped = box.left < left - 0.5 || box.right > left + up.clientWidth + 0.5;
        }
        return {
          kind,
          clipped,
          text: (element as HTMLElement).innerText.trim(),
          title: element.getAttribute('title') ?? '',
          described: element.parentElement?.getAttribute('aria-label') ?? '',
          color: `rgb(${color.slice(0, 3).map(Math.round).join(',')})`,
          background: `rgb(${background.slice(0, 3).map(Math.round).join(',')})`,
          contrast: Math.round(((light + 0.05) / (dark + 0.05)) * 100) / 100,
        };
      });
  }, selector);
}

/** The state a badge's class names must be in its words: its text, or for a band too narrow for text, its title and its bar's label. */
function assertReadable(badges: readonly BadgeColours[], where: string): void {
  assert.ok(badges.length > 0, `${where}: no state badge found`);
  const normal = (text: string) => text.toLowerCase().replace(/[-_\s]+/g, ' ');
  for (const badge of badges) {
    const state = badge.kind.replace(/^(state|result|outcome|stream)-/, '');
    assert.notEqual(badge.kind, '(no state class)', `${where}: a badge "${badge.text}" has no state class`);
    const words = badge.text !== '' ? badge.text : `${badge.title} ${badge.described}`;
    assert.ok(normal(words).includes(normal(state)), `${where}: the ${badge.kind} badge says "${words}", not its state`);
    assert.ok(!badge.clipped, `${where}: the ${badge.kind} badge "${badge.text}" is cut off`);
    assert.ok(badge.contrast >= MIN_CONTRAST, `${where}: "${badge.text || badge.kind}" is ${badge.color} on ${badge.background}, contrast ${badge.contrast}:1 < ${MIN_CONTRAST}:1`);
  }
}

describe('hub web view on a phone, a laptop and the keyboard, against a real hub and two real agents', { skip: !fleetvisordAvailable() && 'dist/node-agent/main.js not built (npm run build)' }, () => {
  let fixture: WebFixture | undefined;
  let browser: Browser | undefined;
  const pageErrors: string[] = [];

  before(async () => {
    const built = spawnSync(process.execPath, [join(REPO_ROOT, 'web', 'build.mjs'), '--no-check'], { encoding: 'utf8' });
    assert.equal(built.status, 0, `web/build.mjs failed: ${built.stderr}`);
    [fixture, browser] = await Promise.all([startWebFixture(), launchChromium()]);
  });

  after(async () => {
    await browser?.close();
    await fixture?.stop();
    if (keepShots) process.stdout.write(`# screenshots in ${shotsDir}\n`);
    else rmSync(shotsDir, { recursive: true, force: true });
  });

  async function openPage(options: BrowserContextOptions): Promise<Page> {
    const context = await browser!.newContext(options);
    // tsx compiles this file with esbuild's keepNames, which wraps the named helpers inside page.evaluate() callbacks in __name().
    await context.addInitScript({ content: 'globalThis.__name = (fn) => fn;' });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (err) => pageErrors.push(err.message));
    return page;
  }

  test('on a phone: every page fits the screen, the navigation is at hand, and a restart is started by touch and seen through', async () => {
    const { url, agents } = fixture!;
    const phone = await openPage(PHONE);
    try {
      await signIn(phone, url, true);
      assert.deepEqual(await shownProcesses(phone), ALL_PROCESSES);
      await assertNoOverflow(phone, 'phone overview');
      await assertNavigationReachable(phone, 'phone overview');
      await assertContentGetsTheScreen(phone, 'phone overview');
      await assertTappable(phone, 'tr.process-row input[type="checkbox"], .selection-bar button', 'phone overview');
      assertReadable(await badgeColours(phone), 'phone overview');
      await shot(phone, 'responsive-phone-overview');

      const pidBefore = ((await agents.get('beta')!.client.call('supervisor.getProcessInfo', ['worker:worker'])) as { pid: number }).pid;
      await phone.getByRole('checkbox', { name: 'Select beta worker' }).tap();
      await phone.locator('.selection-count', { hasText: '1 process on 1 host selected' }).waitFor();
      await phone.locator('button.action[data-action="restart"]').tap();
      const dialog = phone.getByRole('dialog');
      await dialog.waitFor();
      await assertNoOverflow(phone, 'phone restart dialog');
      const confirm = dialog.getByRole('button', { name: 'Restart 1 process on 1 host' });
      const box = (await confirm.boundingBox())!;
      assert.ok(box.x >= 0 && box.x + box.width <= PHONE.viewport!.width, 'the confirm button is off screen');
      await shot(phone, 'responsive-phone-restart-confirm', false);
      await confirm.tap();
      await phone.waitForURL(/#\/ops\/\d+$/);
      await phone.locator('tr[data-target="beta/worker"]').waitFor();
      await phone.locator('[data-outcome="succeeded"]').waitFor({ timeout: 15_000 });
      assert.equal(await phone.locator('tr[data-target="beta/worker"]').getAttribute('data-status'), 'ok');
      assert.match(await phone.locator('.progress-text').innerText(), /1 of 1 target done/);
      await assertNoOverflow(phone, 'phone operation progress');
      assertReadable(await badgeColours(phone), 'phone operation progress');
      await shot(phone, 'responsive-phone-operation');
      const pidAfter = ((await agents.get('beta')!.client.call('supervisor.getProcessInfo', ['worker:worker'])) as { pid: number }).pid;
      assert.notEqual(pidAfter, pidBefore, 'beta worker was not restarted');

      await navigateTo(phone, 'Overview', true);
      await phone.getByRole('link', { name: 'chatty' }).first().tap();
      await phone.waitForURL(/#\/process\/alpha\/chatty$/);
      await phone.locator('pre.log').filter({ hasText: /chatty line \d+/ }).waitFor();
      await phone.locator('dl.facts').waitFor();
      await phone.locator('.timeline-row').first().waitFor();
      await phone.locator('table.events tbody tr').first().waitFor();
      await assertNoOverflow(phone, 'phone process detail');
      assertReadable(await badgeColours(phone), 'phone process detail');
      await shot(phone, 'responsive-phone-process');

      await navigateTo(phone, 'History', true);
      await phone.locator('table.events tr[data-process="worker"]').first().waitFor();
      await assertNoOverflow(phone, 'phone history');
      await assertNavigationReachable(phone, 'phone history');
      assertReadable(await badgeColours(phone), 'phone history events');
      await shot(phone, 'responsive-phone-history');
      await phone.getByRole('link', { name: 'Timeline' }).tap();
      await phone.locator('.timeline-row').first().waitFor();
      await assertNoOverflow(phone, 'phone history timeline');
      assertReadable(await badgeColours(phone), 'phone history timeline');
      await shot(phone, 'responsive-phone-timeline');
    } finally {
      await phone.context().close();
    }
  });

  test('on a laptop: the overview, process detail and history fit the screen and the navigation is in view', async () => {
    const laptop = await openPage(LAPTOP);
    try {
      await signIn(laptop, fixture!.url, false);
      assert.deepEqual(await shownProcesses(laptop), ALL_PROCESSES);
      await assertNoOverflow(laptop, 'laptop overview');
      await assertNavigationReachable(laptop, 'laptop overview');
      await shot(laptop, 'responsive-laptop-overview');

      await laptop.locator('tr.process-row[data-key="beta/web"]').getByRole('link', { name: 'web' }).click();
      await laptop.locator('dl.facts').waitFor();
      await laptop.locator('table.events tr').first().waitFor();
      await assertNoOverflow(laptop, 'laptop process detail');
      await shot(laptop, 'responsive-laptop-process');

      await navigateTo(laptop, 'History', false);
      await laptop.locator('table.events tbody tr').first().waitFor();
      await assertNoOverflow(laptop, 'laptop history');
      await shot(laptop, 'responsive-laptop-history');
    } finally {
      await laptop.context().close();
    }
  });

  test('keyboard only: filter, select, restart and confirm; the focus is drawn at every step', async () => {
    const { agents } = fixture!;
    const page = await openPage(LAPTOP);
    try {
      await signIn(page, fixture!.url, false);
      // From here on, no mouse: the page is started fresh so nothing has focus.
      await page.goto(`${fixture!.url}/#/`);
      await page.locator('tr.process-row').first().waitFor();
      const pidBefore = ((await agents.get('alpha')!.client.call('supervisor.getProcessInfo', ['worker:worker'])) as { pid: number }).pid;

      await keyUntil(page, 'Tab', (focus) => focus.name === 'name', 'the Name filter');
      await page.keyboard.type('worker');
      await page.waitForFunction(() => document.querySelectorAll('tr.process-row').length === 2);
      assert.deepEqual(await shownProcesses(page), ['alpha/worker', 'beta/worker']);

      await keyUntil(page, 'Tab', (focus) => focus.label === 'Select alpha worker', 'the alpha worker checkbox');
      await page.keyboard.press('Space');
      assert.equal(await page.getByRole('checkbox', { name: 'Select alpha worker' }).isChecked(), true);
      assert.match(await page.locator('.selection-count').innerText(), /1 process on 1 host selected/);
      await shot(page, 'responsive-keyboard-selected');

      await keyUntil(page, 'Shift+Tab', (focus) => focus.action === 'restart', 'the Restart button');
      await page.keyboard.press('Enter');
      await page.getByRole('dialog').waitFor();
      const confirm = await focusReport(page);
      assert.equal(confirm.label, 'Restart 1 process on 1 host', 'the dialog does not put the focus on its confirm button');
      assertFocusVisible(confirm);
      await shot(page, 'responsive-keyboard-confirm');
      // A modal dialog keeps the focus: Tab and Shift+Tab cycle inside it; Escape closes it and gives the focus back.
      for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
        await page.keyboard.press(key);
        assert.equal(await page.evaluate(() => document.activeElement?.closest('[role="dialog"]') !== null), true, `${key} took the focus out of the dialog`);
        assertFocusVisible(await focusReport(page));
      }
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      // The focus moves back when the dialog's effects are cleaned up, which may be a frame after it left the DOM.
      await page.waitForFunction(() => document.activeElement?.getAttribute('data-action') === 'restart', null, { timeout: 2000 }).catch(() => undefined);
      assert.equal((await focusReport(page)).action, 'restart', 'closing the dialog did not give the focus back to Restart');
      await page.keyboard.press('Enter');
      await page.getByRole('dialog').waitFor();
      assert.equal((await focusReport(page)).label, 'Restart 1 process on 1 host');
      await page.keyboard.press('Enter');

      await page.waitForURL(/#\/ops\/\d+$/);
      await page.locator('[data-outcome="succeeded"]').waitFor({ timeout: 15_000 });
      assert.equal(await page.locator('tr[data-target="alpha/worker"]').getAttribute('data-status'), 'ok');
      await shot(page, 'responsive-keyboard-operation');
      const pidAfter = ((await agents.get('alpha')!.client.call('supervisor.getProcessInfo', ['worker:worker'])) as { pid: number }).pid;
      assert.notEqual(pidAfter, pidBefore, 'alpha worker was not restarted');
    } finally {
      await page.context().close();
    }
  });

  test('every state badge names its state in text, in colours of at least 4.5:1 contrast', async () => {
    const { url, agents } = fixture!;
    // More states on screen than the healthy fleet has: STOPPED and EXITED.
    await agents.get('alpha')!.client.call('supervisor.stopProcess', ['chatty:chatty', true]);
    const chatty = (await agents.get('beta')!.client.call('supervisor.getProcessInfo', ['chatty:chatty'])) as { pid: number };
    process.kill(chatty.pid, 'SIGKILL');

    const page = await openPage(LAPTOP);
    try {
      await signIn(page, url, false);
      await page.locator('tr.process-row[data-key="alpha/chatty"][data-state="STOPPED"]').waitFor();
      await page.locator('tr.process-row[data-key="beta/chatty"][data-state="EXITED"]').waitFor();
      const overview = await badgeColours(page);
      assert.deepEqual([...new Set(overview.map((badge) => badge.kind))].sort(), ['state-exited', 'state-online', 'state-running', 'state-stopped']);
      assertReadable(overview, 'overview');

      await page.goto(`${url}/#/history?since=10m`);
      await page.locator('table.events tbody tr').first().waitFor();
      const history = await badgeColours(page);
      for (const kind of ['state-starting', 'state-running', 'state-stopping', 'state-stopped', 'state-exited']) {
        assert.ok(history.some((badge) => badge.kind === kind), `history shows no ${kind} badge`);
      }
      assertReadable(history, 'history');

      await page.goto(`${url}/#/history?since=10m&tab=timeline`);
      await page.locator('.timeline-row').first().waitFor();
      assertReadable(await badgeColours(page), 'history timeline');

      await page.goto(`${url}/#/process/beta/chatty`);
      await page.locator('dl.facts').waitFor();
      await page.locator('.timeline-row').first().waitFor();
      assertReadable(await badgeColours(page), 'process detail');

      await page.goto(`${url}/#/ops`);
      await page.locator('table.ops tbody tr').first().waitFor();
      await page.locator('table.ops tbody tr a').first().click();
      await page.locator('[data-outcome="succeeded"]').waitFor();
      assertReadable(await badgeColours(page), 'operation');
      await shot(page, 'responsive-states-operation');

      // The states not on screen now (FATAL, BACKOFF, offline, a failed target…): the page's own
      // stylesheet measured on probe elements added to it, since they cannot all be caused here.
      await page.evaluate(() => {
        const probes = document.createElement('div');
        probes.id = 'probes';
        const kinds = [
          ...['running', 'starting', 'backoff', 'stopping', 'stopped', 'exited', 'fatal', 'unknown', 'online', 'offline', 'auth_failed', 'incompatible'].map((s) => ['badge', `state-${s}`]),
          ...['pending', 'running', 'ok', 'failed', 'skipped'].map((s) => ['badge', `result-${s}`]),
          ...['succeeded', 'running', 'partial', 'failed', 'cancelled'].map((s) => ['outcome', `outcome-${s}`]),
        ];
        const bar = document.createElement('div');
        bar.className = 'timeline-bar';
        for (const [base, kind] of kinds) {
          const probe = document.createElement('span');
          probe.className = `${base} ${kind} probe`;
          probe.textContent = kind!.replace(/^\w+-/, '');
          probes.append(probe);
        }
        for (const state of ['running', 'starting', 'backoff', 'stopping', 'stopped', 'exited', 'fatal']) {
          const band = document.createElement('span');
          band.className = `band state-${state} probe`;
          band.style.cssText = 'position: relative; display: inline-flex; width: 80px';
          band.textContent = state;
          bar.append(band);
        }
        probes.append(bar);
        document.querySelector('main')!.append(probes);
      });
      const probed = await badgeColours(page, '#probes .probe');
      assert.equal(probed.length, 29);
      assertReadable(probed, 'stylesheet');
    } finally {
      await page.context().close();
    }
    assert.deepEqual(pageErrors, []);
  });
});
