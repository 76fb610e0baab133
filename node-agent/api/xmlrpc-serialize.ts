/**
 * Outbound XML-RPC: methodCall, methodResponse and fault bodies.
 *
 * Built by string concatenation (V8 ropes) rather than a DOM or the `xmlrpc`
 * package's xmlbuilder: getAllProcessInfo for hundreds of processes must
 * serialise in well under a millisecond (see bench/xmlrpc-serialize.ts).
 * Measured here for 200 processes: xmlrpc 1.3.2's serializer 43 ms, this
 * 1.2 ms; its sax-based deserializer 81 ms, xmlrpc-parse.ts 16 ms. With the
 * package an agent could not answer more than ~20 getAllProcessInfo calls a
 * second, so fleetvisord does not use it.
 */
import type { XmlRpcValue } from './types.js';

const XML_DECLARATION = '<?xml version="1.0"?>\n';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const I8_LIMIT = 2 ** 63;

/**
 * Characters that cannot appear verbatim in text. `\r` is written as a
 * reference because a parser would fold it into `\n`. Characters that XML 1.0
 * forbids even as references (C0 controls such as ESC in coloured logs,
 * U+FFFE/U+FFFF) become U+FFFD: a well-formed body for every client beats a
 * byte-exact one that expat-based clients (supervisorctl) reject.
 */
const NEEDS_ESCAPE = /[&<>\r\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;
const ESCAPABLE = /[&<>\r\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g;

function escapeChar(ch: string): string {
  switch (ch) {
    case '&':
      return '&amp;';
    case '<':
      return '&lt;';
    case '>':
      return '&gt;';
    case '\r':
      return '&#13;';
    default:
      return '\uFFFD';
  }
}

export function escapeXmlText(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(ESCAPABLE, escapeChar) : text;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** `YYYYMMDDTHH:MM:SS` in UTC, the form Python's xmlrpc.client writes and reads. */
export function formatDateTime(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new TypeError('XML-RPC cannot carry an invalid Date');
  return (
    pad(date.getUTCFullYear(), 4) +
    pad(date.getUTCMonth() + 1, 2) +
    pad(date.getUTCDate(), 2) +
    'T' +
    pad(date.getUTCHours(), 2) +
    ':' +
    pad(date.getUTCMinutes(), 2) +
    ':' +
    pad(date.getUTCSeconds(), 2)
  );
}

function numberXml(n: number, path: string): string {
  if (Number.isInteger(n)) {
    if (n >= INT32_MIN && n <= INT32_MAX) return '<int>' + n + '</int>';
    // supervisord fails with a 500 here; <i8> is understood by Python's client and ours.
    if (Math.abs(n) < I8_LIMIT) return '<i8>' + BigInt(n).toString() + '</i8>';
  }
  if (!Number.isFinite(n)) throw new TypeError(`XML-RPC cannot carry ${n} (at ${path})`);
  return '<double>' + n + '</double>';
}

/**
 * Collects output in chunks of about CHUNK_CHARS. A body of a few hundred KB
 * built as one string lands in V8's large-object space, whose allocation
 * (mmap and page faults) costs more than building it; small chunks stay in the
 * young generation and are written to the socket one after another.
 */
const CHUNK_CHARS = 32 * 1024;
const NON_ASCII = /[^\x00-\x7F]/;
/** One test for the common case: plain ASCII that needs no escaping. */
const NOT_PLAIN = /[&<>\r\x00-\x08\x0B\x0C\x0E-\x1F\u0080-\uFFFF]/;

/** Struct keys repeat across calls (ProcessInfo has the same 14); their markup is cached. */
const MEMBER_OPEN_CACHE = new Map<string, string>();
const MEMBER_OPEN_CACHE_LIMIT = 2048;

class XmlChunks {
  readonly chunks: string[] = [];
  private current = '';
  /** True while every character written is ASCII, so chunks can be encoded as latin1 (much faster). */
  ascii = true;

  raw(s: string): void {
    this.current += s;
    if (this.current.length >= CHUNK_CHARS) {
      this.chunks.push(this.current);
      this.current = '';
    }
  }

  text(s: string): void {
    if (!NOT_PLAIN.test(s)) {
      this.raw(s);
      return;
    }
    if (this.ascii && NON_ASCII.test(s)) this.ascii = false;
    this.raw(escapeXmlText(s));
  }

  memberOpen(key: string): void {
    const cached = MEMBER_OPEN_CACHE.get(key);
    if (cached !== undefined) {
      this.raw(cached);
      return;
    }
    const markup = '<member><name>' + escapeXmlText(key) + '</name>';
    if (NON_ASCII.test(key)) this.ascii = false;
    else if (MEMBER_OPEN_CACHE.size < MEMBER_OPEN_CACHE_LIMIT) MEMBER_OPEN_CACHE.set(key, markup);
    this.raw(markup);
  }

  finish(): string[] {
    if (this.current !== '' || this.chunks.length === 0) this.chunks.push(this.current);
    this.current = '';
    return this.chunks;
  }

  value(value: XmlRpcValue, path: string): void {
    switch (typeof value) {
      case 'string':
        this.raw('<value><string>');
        this.text(value);
        this.raw('</string></value>');
        return;
      case 'number':
        this.raw('<value>' + numberXml(value, path) + '</value>');
        return;
      case 'boolean':
        this.raw(value ? '<value><boolean>1</boolean></value>' : '<value><boolean>0</boolean></value>');
        return;
      case 'object':
        break;
      default:
        throw new TypeError(`XML-RPC cannot carry a ${typeof value} (at ${path})`);
    }
    if (value === null) throw new TypeError(`XML-RPC never carries nil: got null at ${path}`);
    if (Array.isArray(value)) {
      this.raw('<value><array><data>');
      for (let i = 0; i < value.length; i++) this.value(value[i], path + '[' + i + ']');
      this.raw('</data></array></value>');
    } else if (Buffer.isBuffer(value)) {
      this.raw('<value><base64>' + value.toString('base64') + '</base64></value>');
    } else if (value instanceof Date) {
      this.raw('<value><dateTime.iso8601>' + formatDateTime(value) + '</dateTime.iso8601></value>');
    } else {
      this.raw('<value><struct>');
      for (const key of Object.keys(value)) {
        const member = value[key];
        if (member === undefined) throw new TypeError(`XML-RPC never carries nil: got undefined at ${path}.${key}`);
        this.memberOpen(key);
        this.value(member, path + '.' + key);
        this.raw('</member>');
      }
      this.raw('</struct></value>');
    }
  }
}

/** A serialised body ready for a socket: Buffers of at most a few tens of KB each. */
export interface XmlBody {
  chunks: Buffer[];
  byteLength: number;
}

function toBody(out: XmlChunks): XmlBody {
  const encoding = out.ascii ? 'latin1' : 'utf8';
  const chunks = out.finish().map((chunk) => Buffer.from(chunk, encoding));
  let byteLength = 0;
  for (const chunk of chunks) byteLength += chunk.length;
  return { chunks, byteLength };
}

function methodCallChunks(methodName: string, params: readonly XmlRpcValue[]): XmlChunks {
  const out = new XmlChunks();
  out.raw(XML_DECLARATION + '<methodCall><methodName>');
  out.text(methodName);
  out.raw('</methodName><params>');
  for (let i = 0; i < params.length; i++) {
    out.raw('<param>');
    out.value(params[i], 'params[' + i + ']');
    out.raw('</param>');
  }
  out.raw('</params></methodCall>');
  return out;
}

function methodResponseChunks(value: XmlRpcValue): XmlChunks {
  const out = new XmlChunks();
  out.raw(XML_DECLARATION + '<methodResponse><params><param>');
  out.value(value, 'result');
  out.raw('</param></params></methodResponse>');
  return out;
}

export function serializeMethodCall(methodName: string, params: readonly XmlRpcValue[]): string {
  return methodCallChunks(methodName, params).finish().join('');
}

export function serializeMethodCallBody(methodName: string, params: readonly XmlRpcValue[]): XmlBody {
  return toBody(methodCallChunks(methodName, params));
}

/** Throws TypeError for null/undefined/NaN anywhere inside `value`: that is a bug in the caller. */
export function serializeMethodResponse(value: XmlRpcValue): string {
  return methodResponseChunks(value).finish().join('');
}

/** Same as serializeMethodResponse, encoded for a socket. */
export function serializeMethodResponseBody(value: XmlRpcValue): XmlBody {
  return toBody(methodResponseChunks(value));
}

export function serializeFault(faultCode: number, faultString: string): string {
  return (
    XML_DECLARATION +
    '<methodResponse><fault><value><struct>' +
    '<member><name>faultCode</name><value><int>' +
    Math.trunc(faultCode) +
    '</int></value></member>' +
    '<member><name>faultString</name><value><string>' +
    escapeXmlText(faultString) +
    '</string></value></member>' +
    '</struct></value></fault></methodResponse>'
  );
}
