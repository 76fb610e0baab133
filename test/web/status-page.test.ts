import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeDispatcher, FakeSupervisor, request, startWebApp, type WebApp } from './fake-supervisor.js';

const supervisor = new FakeSupervisor([
  { group: 'zeta', name: 'zeta', state: 'RUNNING', description: 'pid 42, uptime 0:01:02' },
  { group: 'grp', name: 'manual', state: 'STOPPED', description: 'Not started' },
  { group: 'grp', name: 'crashy', state: 'FATAL', description: 'Exited too quickly (process log may have details)' },
  { group: 'alpha', name: 'alpha', state: 'BACKOFF', description: '<b>odd & "quoted"</b>' },
  { group: 'beta', name: 'beta', state: 'STARTING' },
  { group: 'gamma', name: 'gamma', state: 'EXITED', description: 'Nov 24 12:55 AM' },
  { group: 'delta', name: 'delta', state: 'STOPPING' },
]);

let web: WebApp;
before(async () => {
  web = await startWebApp(supervisor, new FakeDispatcher());
});
after(() => web.close());

/** The <tr> of one process, by its namespec link text. */
function rowOf(html: string, namespec: string): string {
  const rows = html.split('<tr').filter((r) => r.includes(`>${namespec}</a>`));
  assert.equal(rows.length, 1, `one row for ${namespec}`);
  return rows[0];
}

describe('status page', () => {
  test('is served at / and /index.html with no-cache headers', async () => {
    for (const path of ['/', '/index.html']) {
      const res = await request(web.base, path);
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], 'text/html;charset=utf-8');
      assert.equal(res.headers.pragma, 'no-cache');
      assert.equal(res.headers['cache-control'], 'no-cache');
      assert.equal(res.headers.expires, 'Thu, 01 Jan 1970 00:00:00 GMT');
      assert.match(res.body, /<title>Supervisor Status<\/title>/);
    }
  });

  test('lists every process sorted by (group, process) with tail links', async () => {
    const { body } = await request(web.base, '/');
    const names = [...body.matchAll(/<a href="tail\.html\?processname=([^"]+)" target="_blank">([^<]+)<\/a>/g)];
    assert.deepEqual(
      names.map((m) => m[2]),
      ['alpha', 'beta', 'delta', 'gamma', 'grp:crashy', 'grp:manual', 'zeta'],
    );
    assert.equal(names[4][1], 'grp%3Acrashy');
  });

  test('shows the lower-case state with the class of its kind', async () => {
    const { body } = await request(web.base, '/');
    assert.match(rowOf(body, 'zeta'), /<span class="statusrunning">running<\/span>/);
    assert.match(rowOf(body, 'grp:crashy'), /<span class="statuserror">fatal<\/span>/);
    assert.match(rowOf(body, 'alpha'), /<span class="statuserror">backoff<\/span>/);
    assert.match(rowOf(body, 'grp:manual'), /<span class="statusnominal">stopped<\/span>/);
    assert.match(rowOf(body, 'beta'), /<span class="statusnominal">starting<\/span>/);
  });

  test('escapes descriptions', async () => {
    const { body } = await request(web.base, '/');
    assert.match(rowOf(body, 'alpha'), /&lt;b&gt;odd &amp; &quot;quoted&quot;&lt;\/b&gt;/);
    assert.doesNotMatch(body, /<b>odd/);
    assert.match(rowOf(body, 'zeta'), /pid 42, uptime 0:01:02/);
  });

  test('offers the row actions supervisord offers for each state', async () => {
    const { body } = await request(web.base, '/');
    const actionsOf = (ns: string) =>
      [...rowOf(body, ns).matchAll(/<li class="hidden"><\/li>|<button type="submit" name="action" value="(\w+)">([^<]+)<\/button>|<a href="(logtail\/[^"]+)" target="_blank">([^<]+)<\/a>/g)].map(
        (m) => (m[0].startsWith('<li class="hidden"') ? '-' : m[2] ?? `${m[4]}=${m[3]}`),
      );
    assert.deepEqual(actionsOf('zeta'), ['Restart', 'Stop', 'Clear Log', 'Tail -f Stdout=logtail/zeta', 'Tail -f Stderr=logtail/zeta/stderr']);
    for (const ns of ['grp:manual', 'grp:crashy', 'gamma']) {
      const quoted = ns.replace(':', '%3A');
      assert.deepEqual(actionsOf(ns), ['Start', '-', 'Clear Log', `Tail -f Stdout=logtail/${quoted}`, `Tail -f Stderr=logtail/${quoted}/stderr`], ns);
    }
    for (const ns of ['alpha', 'beta', 'delta']) {
      assert.deepEqual(actionsOf(ns), ['-', '-', 'Clear Log', `Tail -f Stdout=logtail/${ns}`, `Tail -f Stderr=logtail/${ns}/stderr`], ns);
    }
  });

  test('row buttons post the action with the process name', async () => {
    const { body } = await request(web.base, '/');
    const row = rowOf(body, 'grp:manual');
    assert.match(row, /<form action="index.html" method="post"><input type="hidden" name="processname" value="grp:manual">/);
  });

  test('has Refresh, Restart All and Stop All as POST buttons', async () => {
    const { body } = await request(web.base, '/');
    const top = body.slice(0, body.indexOf('<table'));
    assert.match(top, /<form action="index.html" method="post">/);
    assert.match(top, /value="refresh">Refresh</);
    assert.match(top, /value="restartall">Restart All</);
    assert.match(top, /value="stopall">Stop All</);
  });

  test('footer names the compatible version and the current year', async () => {
    const { body } = await request(web.base, '/');
    assert.match(body, /<span id="supervisor_version">4\.2\.5<\/span>/);
    assert.match(body, new RegExp(`<span id="copyright_date">${new Date().getFullYear()}</span>`));
  });

  test('shows the redirect message at the top, escaped', async () => {
    const { body } = await request(web.base, '/?message=Process%20%3Cx%3E%20started');
    assert.match(body, /<div class="status_msg" id="statusmessage">Process &lt;x&gt; started<\/div>/);
    assert.ok(body.indexOf('statusmessage') < body.indexOf('<table'));
    const plain = await request(web.base, '/');
    assert.doesNotMatch(plain.body, /statusmessage/);
  });

  test('HEAD answers with the headers and no body', async () => {
    const res = await request(web.base, '/index.html', { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/html;charset=utf-8');
    assert.equal(res.body, '');
  });

  test('other methods get 400', async () => {
    const res = await request(web.base, '/index.html', { method: 'DELETE' });
    assert.equal(res.status, 400);
    assert.match(res.body, /<p>Error code 400\.\r\n<p>Message: Bad Request\./);
  });

  test('says "No programs to manage" when there is nothing', async () => {
    const empty = await startWebApp(new FakeSupervisor([]), new FakeDispatcher());
    try {
      const { body } = await request(empty.base, '/');
      assert.match(body, /No programs to manage/);
      assert.doesNotMatch(body, /<table/);
    } finally {
      await empty.close();
    }
  });
});

describe('ok.html', () => {
  test('answers OK as text/plain', async () => {
    const res = await request(web.base, '/ok.html');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/plain');
    assert.equal(res.body, 'OK');
  });
});
