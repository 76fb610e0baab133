/**
 * A deliberately tiny XML-RPC client for tests: one POST per call over a unix
 * socket. It is independent of node-agent/api so the harness can judge the
 * agent without sharing its wire code.
 */
import { request } from 'node:http';
import { RpcFault } from '../../node-agent/api/faults.js';

export type XmlRpcValue =
  | string
  | number
  | boolean
  | XmlRpcValue[]
  | { [key: string]: XmlRpcValue };

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function serializeValue(value: XmlRpcValue): string {
  if (typeof value === 'string') return `<value><string>${escapeXml(value)}</string></value>`;
  if (typeof value === 'boolean') return `<value><boolean>${value ? 1 : 0}</boolean></value>`;
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? `<value><int>${value}</int></value>`
      : `<value><double>${value}</double></value>`;
  }
  if (Array.isArray(value)) {
    return `<value><array><data>${value.map(serializeValue).join('')}</data></array></value>`;
  }
  const members = Object.entries(value)
    .map(([k, v]) => `<member><name>${escapeXml(k)}</name>${serializeValue(v)}</member>`)
    .join('');
  return `<value><struct>${members}</struct></value>`;
}

export function serializeCall(method: string, params: readonly XmlRpcValue[]): string {
  const body = params.map((p) => `<param>${serializeValue(p)}</param>`).join('');
  return `<?xml version="1.0"?>\n<methodCall><methodName>${escapeXml(method)}</methodName><params>${body}</params></methodCall>`;
}

type Token = { kind: 'open' | 'close' | 'empty'; name: string } | { kind: 'text'; text: string };

function tokenize(xml: string): Token[] {
  const tokens: Token[] = [];
  const re = /<\?[^>]*\?>|<(\/?)([A-Za-z0-9_.:-]+)[^>]*?(\/?)>|([^<]+)/g;
  for (const m of xml.matchAll(re)) {
    if (m[0].startsWith('<?')) continue;
    if (m[4] !== undefined) tokens.push({ kind: 'text', text: m[4] });
    else if (m[1] === '/') tokens.push({ kind: 'close', name: m[2] });
    else if (m[3] === '/') tokens.push({ kind: 'empty', name: m[2] });
    else tokens.push({ kind: 'open', name: m[2] });
  }
  return tokens;
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-fA-F]+);/g, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&amp;/g, '&');
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private skipBlank(): void {
    while (this.pos < this.tokens.length) {
      const t = this.tokens[this.pos];
      if (t.kind === 'text' && t.text.trim() === '') this.pos++;
      else break;
    }
  }

  private peek(): Token | undefined {
    this.skipBlank();
    return this.tokens[this.pos];
  }

  expectOpen(name: string): void {
    const t = this.peek();
    if (!t || t.kind !== 'open' || t.name !== name) throw new Error(`expected <${name}> at token ${this.pos}`);
    this.pos++;
  }

  expectClose(name: string): void {
    const t = this.peek();
    if (!t || t.kind !== 'close' || t.name !== name) throw new Error(`expected </${name}> at token ${this.pos}`);
    this.pos++;
  }

  nextIsOpen(name: string): boolean {
    const t = this.peek();
    return t !== undefined && t.kind === 'open' && t.name === name;
  }

  /** Text up to the closing tag; empty when the element has no text. */
  private textUntilClose(name: string): string {
    let text = '';
    while (this.pos < this.tokens.length) {
      const t = this.tokens[this.pos];
      if (t.kind === 'text') {
        text += t.text;
        this.pos++;
      } else break;
    }
    this.expectClose(name);
    return unescapeXml(text);
  }

  value(): XmlRpcValue {
    this.expectOpen('value');
    const first = this.tokens[this.pos];
    if (first && (first.kind === 'text' || first.kind === 'close')) {
      // <value>text</value> is an untyped string
      return this.textUntilClose('value');
    }
    const t = this.peek();
    if (!t) throw new Error('truncated value');
    if (t.kind === 'empty') throw new Error(`unsupported empty element <${t.name}/>`);
    if (t.kind !== 'open') throw new Error('malformed value');
    this.pos++;
    let result: XmlRpcValue;
    switch (t.name) {
      case 'string':
        result = this.textUntilClose('string');
        break;
      case 'int':
      case 'i4':
      case 'i8':
        result = parseInt(this.textUntilClose(t.name).trim(), 10);
        break;
      case 'double':
        result = parseFloat(this.textUntilClose('double').trim());
        break;
      case 'boolean':
        result = this.textUntilClose('boolean').trim() === '1';
        break;
      case 'dateTime.iso8601':
      case 'base64':
        result = this.textUntilClose(t.name);
        break;
      case 'array': {
        const items: XmlRpcValue[] = [];
        this.expectOpen('data');
        while (this.nextIsOpen('value')) items.push(this.value());
        this.expectClose('data');
        this.expectClose('array');
        result = items;
        break;
      }
      case 'struct': {
        const struct: { [key: string]: XmlRpcValue } = {};
        while (this.nextIsOpen('member')) {
          this.pos++;
          this.expectOpen('name');
          const key = this.textUntilClose('name');
          struct[key] = this.value();
          this.expectClose('member');
        }
        this.expectClose('struct');
        result = struct;
        break;
      }
      default:
        throw new Error(`unsupported XML-RPC type <${t.name}>`);
    }
    this.expectClose('value');
    return result;
  }
}

/** Parses a methodResponse; a fault becomes a thrown RpcFault. */
export function parseResponse(xml: string): XmlRpcValue {
  const parser = new Parser(tokenize(xml));
  parser.expectOpen('methodResponse');
  if (parser.nextIsOpen('fault')) {
    parser.expectOpen('fault');
    const fault = parser.value() as { faultCode?: unknown; faultString?: unknown };
    throw RpcFault.fromWire(Number(fault.faultCode), String(fault.faultString));
  }
  parser.expectOpen('params');
  parser.expectOpen('param');
  const value = parser.value();
  parser.expectClose('param');
  parser.expectClose('params');
  return value;
}

export interface HttpReply {
  status: number;
  body: string;
}

export function postXml(socketPath: string, body: string, timeoutMs = 30_000): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath,
        path: '/RPC2',
        method: 'POST',
        headers: { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body), Host: 'localhost' },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`XML-RPC call timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** One XML-RPC call over a unix socket. Resolves the value, rejects with RpcFault or a transport Error. */
export async function callUnix(socketPath: string, method: string, params: readonly XmlRpcValue[] = []): Promise<XmlRpcValue> {
  const reply = await postXml(socketPath, serializeCall(method, params));
  if (reply.status !== 200) throw new Error(`HTTP ${reply.status} from ${method}`);
  return parseResponse(reply.body);
}
