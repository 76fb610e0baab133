/** Text helpers for the web interface: HTML escaping and the date formats supervisord prints. */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escape text for an HTML element body or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** Python's time.ctime() in local time: `Tue Nov  4 01:02:03 2026` (day padded with a space). */
export function ctime(at: Date): string {
  const day = String(at.getDate()).padStart(2, ' ');
  const clock = `${pad2(at.getHours())}:${pad2(at.getMinutes())}:${pad2(at.getSeconds())}`;
  return `${DAYS[at.getDay()]} ${MONTHS[at.getMonth()]} ${day} ${clock} ${at.getFullYear()}`;
}

/** RFC 1123 date as HTTP headers carry it: `Thu, 01 Jan 1970 00:00:00 GMT`. */
export function httpDate(at: Date): string {
  return at.toUTCString();
}

/**
 * The HTML body medusa (supervisord's HTTP server) sends with every error
 * status, 301 included (compat spec §3.1).
 */
export function medusaErrorBody(code: number, reason: string): string {
  return [
    '<head>',
    '<title>Error response</title>',
    '</head>',
    '<body>',
    '<h1>Error response</h1>',
    `<p>Error code ${code}.`,
    `<p>Message: ${reason}.`,
    '</body>',
    '',
  ].join('\r\n');
}
