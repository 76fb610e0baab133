/**
 * What the web view's benchmark does in Chromium: sign in (the login route's
 * session cookie, set on the browser context), time navigation → process
 * table on screen, and during a storm of live changes collect long tasks,
 * slow input events, frames and the state changes the page's own
 * EventSource received, while typing into the search box and scrolling.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ADMIN_PASSWORD } from './web-fleet-real.js';

export const VIEWPORT = { width: 1366, height: 768 };

/**
 * Installed before any page script (a string: tsx's name-keeping helper does
 * not exist in the page). EventSource is wrapped so every stream the app
 * opens also counts what arrives on it.
 */
const PROBE = `(() => {
  const probe = { longTasks: [], inputDelays: [], inputDurations: [], frames: 0, counting: false, stateChanges: [], snapshots: 0 };
  window.__probe = probe;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (probe.counting) probe.longTasks.push(entry.duration);
  }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (!probe.counting) continue;
      probe.inputDelays.push(entry.processingStart - entry.startTime);
      probe.inputDurations.push(entry.duration);
    }
  }).observe({ type: 'event', buffered: true, durationThreshold: 16 });
  const Original = window.EventSource;
  const Counted = function (url, init) {
    const source = new Original(url, init);
    source.addEventListener('hub-event', (message) => {
      if (probe.counting && message.data.includes('"PROCESS_STATE_')) probe.stateChanges.push(performance.now());
    });
    source.addEventListener('snapshot', () => {
      if (probe.counting) probe.snapshots++;
    });
    return source;
  };
  Counted.prototype = Original.prototype;
  Object.assign(Counted, { CONNECTING: 0, OPEN: 1, CLOSED: 2 });
  window.EventSource = Counted;
  const countFrame = () => {
    if (probe.counting) probe.frames++;
    requestAnimationFrame(countFrame);
  };
  requestAnimationFrame(countFrame);
})()`;

export interface Probe {
  longTasks: number[];
  inputDelays: number[];
  inputDurations: number[];
  frames: number;
  counting: boolean;
  /** performance.now() of each PROCESS_STATE_* hub-event the page received. */
  stateChanges: number[];
  snapshots: number;
}

export interface LoadSample {
  /** Navigation start → the table's rows on screen with the header counting every process. */
  ms: number;
  /** Navigation start → app.js received, and → the /api/v1/processes request sent. */
  appScriptEndMs: number;
  processesRequestStartMs: number;
  /** Navigation start → the end of the /api/v1/processes answer. */
  processesResponseEndMs: number;
  /** Time the /api/v1/processes request took (request start → response end). */
  processesRequestMs: number;
  processesBytes: number;
  rowsInDom: number;
}

/** A context signed in as admin through the login route (which sets the session cookie). */
export async function signedInContext(browser: Browser, url: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const answer = await context.request.post(`${url}/api/v1/auth/login`, { data: { username: 'admin', password: ADMIN_PASSWORD } });
  if (answer.status() !== 200) throw new Error(`sign-in: ${answer.status()} ${await answer.text()}`);
  return context;
}

/** The table is on screen: rows rendered and the header says all `expected` processes are loaded; the time since navigation start. */
function tableReady(expected: number): number | false {
  const shown = document.querySelector('.section-head .muted')?.textContent ?? '';
  return document.querySelectorAll('tr.process-row').length > 0 && shown.includes(`of ${expected}`) ? performance.now() : false;
}

export async function measureLoad(browser: Browser, url: string, total: number): Promise<LoadSample> {
  const context = await signedInContext(browser, url);
  try {
    const page = await context.newPage();
    await page.goto(`${url}/`, { waitUntil: 'commit' });
    // performance.now() counts from the navigation's start, so this is navigation → table on screen.
    const handle = await page.waitForFunction(tableReady, total, { polling: 'raf', timeout: 30_000 });
    const ms = (await handle.jsonValue()) as number;
    const details = (await page.evaluate(`(() => {
      const resources = performance.getEntriesByType('resource');
      const entry = resources.find((e) => new URL(e.name).pathname === '/api/v1/processes');
      const script = resources.find((e) => new URL(e.name).pathname.endsWith('.js'));
      return {
        script: script ? script.responseEnd : -1,
        start: entry ? entry.startTime : -1,
        end: entry ? entry.responseEnd : -1,
        request: entry ? entry.responseEnd - entry.requestStart : -1,
        bytes: entry ? entry.encodedBodySize : -1,
        rows: document.querySelectorAll('tr.process-row').length,
      };
    })()`)) as { script: number; start: number; end: number; request: number; bytes: number; rows: number };
    return { ms, appScriptEndMs: details.script, processesRequestStartMs: details.start, processesResponseEndMs: details.end, processesRequestMs: details.request, processesBytes: details.bytes, rowsInDom: details.rows };
  } finally {
    await context.close();
  }
}

/** A signed-in page showing the whole table, with the probe installed (not yet counting). */
export async function openProbedPage(browser: Browser, url: string, total: number): Promise<{ page: Page; context: BrowserContext }> {
  const context = await signedInContext(browser, url);
  await context.addInitScript(PROBE);
  const page = await context.newPage();
  await page.goto(`${url}/`);
  await page.waitForFunction(tableReady, total, { polling: 'raf', timeout: 30_000 });
  return { page, context };
}

/** Clears what the probe collected and starts counting. */
export async function startCounting(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const probe = window.__probe;
    for (const list of [probe.longTasks, probe.inputDelays, probe.inputDurations, probe.stateChanges]) list.length = 0;
    probe.frames = 0;
    probe.snapshots = 0;
    probe.counting = true;
  })()`);
}

/** Stops counting and returns what was collected. */
export async function stopCounting(page: Page): Promise<Probe> {
  return (await page.evaluate(`(() => { window.__probe.counting = false; return window.__probe; })()`)) as Probe;
}

/** Types a filter into the search box, clears it, scrolls the table down and back, until `seconds` pass. */
export async function interact(page: Page, seconds: number): Promise<{ typed: number; scrolled: number }> {
  const deadline = Date.now() + seconds * 1000;
  let typed = 0;
  let scrolled = 0;
  const search = page.getByLabel('Search');
  const table = page.locator('.table-scroll').first();
  while (Date.now() < deadline) {
    await search.pressSequentially('host01', { delay: 40 });
    typed += 6;
    await search.fill('');
    await table.hover();
    for (let i = 0; i < 5; i++) {
      await page.mouse.wheel(0, 900);
      scrolled++;
      await page.waitForTimeout(60);
    }
    await page.mouse.wheel(0, -4500);
    await page.waitForTimeout(100);
  }
  return { typed, scrolled };
}
