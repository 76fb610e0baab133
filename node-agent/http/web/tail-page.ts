import { Faults, RpcFault } from '../../api/faults.js';
import type { CallContext, RpcDispatcher } from '../../rpc/types.js';
import { escapeHtml } from './html.js';
import { pyQuote } from './url-encoding.js';

const MIN_TAIL_BYTES = 1024;

/** max(1024, limit) when limit is all digits, else 1024 (as supervisord reads `limit`). */
export function tailLimit(limit: string | undefined): number {
  if (limit === undefined || !/^[0-9]+$/.test(limit)) return MIN_TAIL_BYTES;
  return Math.max(MIN_TAIL_BYTES, Math.min(Number(limit), Number.MAX_SAFE_INTEGER));
}

export interface TailPageInput {
  processname: string | undefined;
  limit: string | undefined;
  dispatcher: RpcDispatcher;
  ctx: CallContext;
}

/** The text tail.html shows: the log's last bytes or one of supervisord's error lines. */
async function tailText(processname: string | undefined, bytes: number, input: TailPageInput): Promise<string> {
  if (!processname) return 'No process name found';
  try {
    const data = await input.dispatcher.call('supervisor.readProcessStdoutLog', [processname, -bytes, 0], input.ctx);
    return typeof data === 'string' ? data : String(data);
  } catch (err) {
    if (!(err instanceof RpcFault)) throw err;
    if (err.faultCode === Faults.NO_FILE) return `No file for ${processname}`;
    return `ERROR: unexpected rpc fault [${err.faultCode}] ${err.faultString}`;
  }
}

/** tail.html: the last max(1024, limit) bytes of a process's stdout log in a <pre>. */
export async function renderTailPage(input: TailPageInput): Promise<string> {
  const bytes = tailLimit(input.limit);
  const text = await tailText(input.processname, bytes, input);
  // supervisord titles the page with Python's None when no name was given.
  const title = `Supervisor tail of process ${input.processname ?? 'None'}`;
  const refresh =
    input.processname === undefined
      ? ''
      : `<div class="refresh"><a id="refresh_anchor" href="tail.html?processname=${escapeHtml(pyQuote(input.processname))}&amp;limit=${bytes}">Refresh</a></div>\n`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<link href="stylesheets/supervisor.css" rel="stylesheet" type="text/css">
<link href="images/icon.png" rel="icon" type="image/png">
</head>
<body class="tail">
<pre id="tailbody">${escapeHtml(text)}</pre>
${refresh}</body>
</html>
`;
}
