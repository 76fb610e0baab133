import { ProcessState, type ProcessStateName } from '../../api/states.js';
import { SUPERVISOR_VERSION } from '../../api/types.js';
import { makeNamespec } from '../../api/namespec.js';
import { escapeHtml } from './html.js';
import type { WebSupervisor } from './types.js';
import { pyQuote } from './url-encoding.js';

/** One line of the status table. */
export interface StatusRow {
  group: string;
  name: string;
  namespec: string;
  /** The model's state, which decides the row's buttons. */
  state: ProcessStateName;
  /** getProcessInfo's state code and name, which the row shows. */
  stateCode: number;
  statename: string;
  description: string;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every process, sorted by (group, process) as supervisord's page sorts them. */
export function collectStatusRows(supervisor: WebSupervisor, now = Math.floor(Date.now() / 1000)): StatusRow[] {
  const rows = supervisor.allByName().map(([group, proc]): StatusRow => {
    const info = proc.info(now);
    return {
      group: group.name,
      name: info.name,
      namespec: makeNamespec(group.name, info.name),
      state: proc.state,
      stateCode: info.state,
      statename: info.statename,
      description: info.description,
    };
  });
  return rows.sort((a, b) => compareText(a.group, b.group) || compareText(a.name, b.name));
}

export function statusClass(stateCode: number): 'statusrunning' | 'statuserror' | 'statusnominal' {
  if (stateCode === ProcessState.RUNNING) return 'statusrunning';
  if (stateCode === ProcessState.FATAL || stateCode === ProcessState.BACKOFF) return 'statuserror';
  return 'statusnominal';
}

type ControlAction = 'start' | 'stop' | 'restart' | 'clearlog';
const CONTROL_LABELS: Record<ControlAction, string> = {
  start: 'Start',
  stop: 'Stop',
  restart: 'Restart',
  clearlog: 'Clear Log',
};

/** The two leading button slots of a row (undefined = an empty slot), as supervisord lays them out. */
export function controlActionsFor(state: ProcessStateName): [ControlAction | undefined, ControlAction | undefined, ControlAction] {
  if (state === 'RUNNING') return ['restart', 'stop', 'clearlog'];
  if (state === 'STOPPED' || state === 'EXITED' || state === 'FATAL') return ['start', undefined, 'clearlog'];
  return [undefined, undefined, 'clearlog'];
}

function renderActionCell(row: StatusRow): string {
  const quoted = pyQuote(row.namespec);
  const items = controlActionsFor(row.state).map((action) =>
    action === undefined
      ? '<li class="hidden"></li>'
      : `<li><button type="submit" name="action" value="${action}">${CONTROL_LABELS[action]}</button></li>`,
  );
  items.push(
    `<li><a href="logtail/${escapeHtml(quoted)}" target="_blank">Tail -f Stdout</a></li>`,
    `<li><a href="logtail/${escapeHtml(quoted)}/stderr" target="_blank">Tail -f Stderr</a></li>`,
  );
  return (
    '<form action="index.html" method="post">' +
    `<input type="hidden" name="processname" value="${escapeHtml(row.namespec)}">` +
    `<ul>${items.join('')}</ul></form>`
  );
}

function renderRow(row: StatusRow, shaded: boolean): string {
  const cls = shaded ? ' class="shade"' : '';
  return [
    `<tr${cls}>`,
    `<td class="status"><span class="${statusClass(row.stateCode)}">${escapeHtml(row.statename.toLowerCase())}</span></td>`,
    `<td class="desc"><span>${escapeHtml(row.description)}</span></td>`,
    `<td class="name"><a href="tail.html?processname=${escapeHtml(pyQuote(row.namespec))}" target="_blank">${escapeHtml(row.namespec)}</a></td>`,
    `<td class="action">${renderActionCell(row)}</td>`,
    '</tr>',
  ].join('');
}

function renderTable(rows: StatusRow[]): string {
  if (rows.length === 0) return '<p class="empty">No programs to manage</p>';
  const body = rows.map((row, i) => renderRow(row, i % 2 === 1)).join('\n');
  return [
    '<table cellspacing="0" id="statustable">',
    '<thead><tr><th class="state">State</th><th class="desc">Description</th><th class="name">Name</th><th class="action">Action</th></tr></thead>',
    `<tbody>\n${body}\n</tbody>`,
    '</table>',
  ].join('\n');
}

export interface StatusPageInput {
  rows: StatusRow[];
  /** The `message` of the redirect after an action, shown above the table. */
  message?: string;
  year: number;
}

/** The whole status page; works without JavaScript (every action is a POST form). */
export function renderStatusPage(input: StatusPageInput): string {
  const message =
    input.message === undefined
      ? ''
      : `<div class="status_msg" id="statusmessage">${escapeHtml(input.message)}</div>\n`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Supervisor Status</title>
<link href="stylesheets/supervisor.css" rel="stylesheet" type="text/css">
<link href="images/icon.png" rel="icon" type="image/png">
</head>
<body>
<div id="wrapper">
<div id="header"><img src="images/supervisor.gif" alt="" width="24" height="24"> <span class="title">Supervisor status</span></div>
<div id="content">
${message}<form action="index.html" method="post">
<ul id="buttons" class="clr">
<li class="action-button"><button type="submit" name="action" value="refresh">Refresh</button></li>
<li class="action-button"><button type="submit" name="action" value="restartall">Restart All</button></li>
<li class="action-button"><button type="submit" name="action" value="stopall">Stop All</button></li>
</ul>
</form>
${renderTable(input.rows)}
</div>
</div>
<div id="footer" class="clr">
<div class="left">Fleetvisor, compatible with Supervisor <span id="supervisor_version">${SUPERVISOR_VERSION}</span></div>
<div class="right">&copy; <span id="copyright_date">${input.year}</span> Fleetvisor contributors</div>
</div>
</body>
</html>
`;
}
