/**
 * Inbound XML-RPC: methodCall bodies (agent) and methodResponse bodies (client).
 *
 * Types as supervisord accepts them (compat spec §3.2): int/i4/i8 (i8 as a
 * number), boolean ("1" is true), string or untyped text, double,
 * dateTime.iso8601 (a Date, UTC when no zone is given), base64 (a Buffer),
 * array and struct. <nil/> is refused with FV_XMLRPC_UNSUPPORTED; everything
 * malformed throws FV_XMLRPC_PARSE.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { FleetvisorError } from './errors.js';
import { RpcFault } from './faults.js';
import type { XmlRpcValue } from './types.js';
import { XmlTokenizer, xmlParseError, type XmlToken } from './xmlrpc-tokenizer.js';

export interface MethodCall {
  methodName: string;
  params: XmlRpcValue[];
}

export type MethodResponse = { ok: true; value: XmlRpcValue } | { ok: false; fault: RpcFault };

export interface ParseLimits {
  /** Largest accepted body in bytes (UTF-8). */
  maxBytes?: number;
  /** Deepest accepted nesting of arrays/structs. */
  maxDepth?: number;
}

export const DEFAULT_MAX_CALL_BYTES = 2 * 1024 * 1024;
const DEFAULT_MAX_DEPTH = 64;

const INTEGER = /^\s*[+-]?[0-9]+\s*$/;
const DOUBLE = /^\s*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*$/;
const SPECIAL_DOUBLES: Record<string, number> = {
  inf: Infinity, '+inf': Infinity, '-inf': -Infinity, infinity: Infinity, '+infinity': Infinity,
  '-infinity': -Infinity, nan: NaN, '+nan': NaN, '-nan': NaN,
};
const DATE_TIME =
  /^\s*(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2}):?(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?\s*$/;
const BASE64_CLEAN = /^[A-Za-z0-9+/]*={0,2}$/;
const WHITESPACE_ONLY = /^\s*$/;


function describe(token: XmlToken): string {
  switch (token.kind) {
    case 'open':
      return `<${token.name}>`;
    case 'close':
      return `</${token.name}>`;
    case 'text':
      return 'text';
    case 'end':
      return 'end of body';
  }
}

function decodeBody(body: string | Buffer, maxBytes: number): string {
  const size = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  if (size > maxBytes) throw xmlParseError(`body of ${size} bytes exceeds the limit of ${maxBytes}`);
  if (typeof body === 'string') return body;
  if (isAscii(body)) return body.toString('latin1');
  if (!isUtf8(body)) throw xmlParseError('body is not valid UTF-8');
  return body.toString('utf8');
}

class XmlRpcReader {
  private readonly tokens: XmlTokenizer;

  constructor(src: string, private readonly maxDepth: number) {
    this.tokens = new XmlTokenizer(src.charCodeAt(0) === 0xfeff ? src.slice(1) : src);
  }

  /** Next token, skipping whitespace-only text between elements. */
  private nextElement(): XmlToken {
    let token = this.tokens.next();
    if (token.kind === 'text') {
      if (!WHITESPACE_ONLY.test(token.text)) throw xmlParseError('unexpected text between elements');
      token = this.tokens.next();
    }
    return token;
  }

  private expectOpen(name: string): boolean {
    const token = this.nextElement();
    if (token.kind !== 'open' || token.name !== name) {
      throw xmlParseError(`expected <${name}>, found ${describe(token)}`);
    }
    return token.selfClosing;
  }

  private expectClose(name: string): void {
    const token = this.nextElement();
    if (token.kind !== 'close' || token.name !== name) {
      throw xmlParseError(`expected </${name}>, found ${describe(token)}`);
    }
  }

  expectEnd(): void {
    const token = this.nextElement();
    if (token.kind !== 'end') throw xmlParseError(`unexpected ${describe(token)} after the document element`);
  }

  /** The text content of a leaf element whose start tag was just read. */
  private leafText(name: string, selfClosing: boolean): string {
    if (selfClosing) return '';
    let token = this.tokens.next();
    let text = '';
    if (token.kind === 'text') {
      text = token.text;
      token = this.tokens.next();
    }
    if (token.kind !== 'close' || token.name !== name) {
      throw xmlParseError(`expected text and </${name}>, found ${describe(token)}`);
    }
    return text;
  }

  /** Root element name, after the prolog. */
  root(): { name: string; selfClosing: boolean } {
    const token = this.nextElement();
    if (token.kind !== 'open') throw xmlParseError(`expected a document element, found ${describe(token)}`);
    return token;
  }

  methodName(): string {
    return this.leafText('methodName', this.expectOpen('methodName'));
  }

  /** Reads `<params>…</params>` (or nothing, when the element closes right away). */
  paramsUntilClose(closing: string): XmlRpcValue[] {
    const token = this.nextElement();
    if (token.kind === 'close' && token.name === closing) return [];
    if (token.kind !== 'open' || token.name !== 'params') {
      throw xmlParseError(`expected <params>, found ${describe(token)}`);
    }
    const params: XmlRpcValue[] = [];
    if (!token.selfClosing) {
      for (let t = this.nextElement(); !(t.kind === 'close' && t.name === 'params'); t = this.nextElement()) {
        if (t.kind !== 'open' || t.name !== 'param' || t.selfClosing) {
          throw xmlParseError(`expected <param>, found ${describe(t)}`);
        }
        params.push(this.valueElement(0));
        this.expectClose('param');
      }
    }
    this.expectClose(closing);
    return params;
  }

  /** After `<methodResponse>`: one `<params><param>` value, or a `<fault>` struct. */
  responseBody(): MethodResponse {
    const token = this.nextElement();
    if (token.kind === 'open' && token.name === 'fault' && !token.selfClosing) {
      const fault = this.valueElement(0);
      this.expectClose('fault');
      this.expectClose('methodResponse');
      return { ok: false, fault: faultFromValue(fault) };
    }
    if (token.kind !== 'open' || token.name !== 'params' || token.selfClosing) {
      throw xmlParseError(`expected <params> or <fault>, found ${describe(token)}`);
    }
    if (this.expectOpen('param')) throw xmlParseError('empty <param>');
    const value = this.valueElement(0);
    this.expectClose('param');
    this.expectClose('params');
    this.expectClose('methodResponse');
    return { ok: true, value };
  }

  /** Reads `<value>…</value>`, the start tag still to come. */
  valueElement(depth: number): XmlRpcValue {
    if (this.expectOpen('value')) return '';
    let token = this.tokens.next();
    let text = '';
    if (token.kind === 'text') {
      text = token.text;
      token = this.tokens.next();
      if (token.kind === 'close' && token.name === 'value') return text;
      if (!WHITESPACE_ONLY.test(text)) throw xmlParseError('mixed text and elements inside <value>');
    }
    if (token.kind === 'close' && token.name === 'value') return text;
    if (token.kind !== 'open') throw xmlParseError(`expected a typed value, found ${describe(token)}`);
    const value = this.typedValue(token.name, token.selfClosing, depth);
    this.expectClose('value');
    return value;
  }

  private typedValue(type: string, selfClosing: boolean, depth: number): XmlRpcValue {
    switch (type) {
      case 'string':
        return this.leafText(type, selfClosing);
      case 'int':
      case 'i4':
      case 'i8':
        return parseInteger(this.leafText(type, selfClosing), type);
      case 'boolean':
        return parseBoolean(this.leafText(type, selfClosing));
      case 'double':
        return parseDouble(this.leafText(type, selfClosing));
      case 'dateTime.iso8601':
        return parseDateTime(this.leafText(type, selfClosing));
      case 'base64':
        return parseBase64(this.leafText(type, selfClosing));
      case 'array':
        return this.array(selfClosing, depth + 1);
      case 'struct':
        return this.struct(selfClosing, depth + 1);
      case 'nil':
      case 'ex:nil':
        throw new FleetvisorError('FV_XMLRPC_UNSUPPORTED', 'nil values are not accepted');
      default:
        throw xmlParseError(`unknown value type <${type}>`);
    }
  }

  private checkDepth(depth: number): void {
    if (depth > this.maxDepth) throw xmlParseError(`values nested deeper than ${this.maxDepth}`);
  }

  private array(selfClosing: boolean, depth: number): XmlRpcValue[] {
    this.checkDepth(depth);
    const items: XmlRpcValue[] = [];
    if (selfClosing) return items;
    if (!this.expectOpen('data')) {
      for (let t = this.tokens.peek(); ; t = this.tokens.peek()) {
        if (t.kind === 'text' && WHITESPACE_ONLY.test(t.text)) {
          this.tokens.next();
          continue;
        }
        if (t.kind === 'close' && t.name === 'data') break;
        items.push(this.valueElement(depth));
      }
      this.expectClose('data');
    }
    this.expectClose('array');
    return items;
  }

  private struct(selfClosing: boolean, depth: number): { [key: string]: XmlRpcValue } {
    this.checkDepth(depth);
    const members: { [key: string]: XmlRpcValue } = {};
    if (selfClosing) return members;
    for (let t = this.nextElement(); !(t.kind === 'close' && t.name === 'struct'); t = this.nextElement()) {
      if (t.kind !== 'open' || t.name !== 'member' || t.selfClosing) {
        throw xmlParseError(`expected <member>, found ${describe(t)}`);
      }
      const key = this.leafText('name', this.expectOpen('name'));
      const value = this.valueElement(depth);
      this.expectClose('member');
      if (key === '__proto__') {
        // Plain assignment would replace the prototype instead of adding a key.
        Object.defineProperty(members, key, { value, enumerable: true, writable: true, configurable: true });
      } else {
        members[key] = value;
      }
    }
    return members;
  }
}

function faultFromValue(value: XmlRpcValue): RpcFault {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Buffer.isBuffer(value) || value instanceof Date) {
    throw xmlParseError('<fault> does not hold a struct');
  }
  const { faultCode, faultString } = value;
  if (typeof faultCode !== 'number' || typeof faultString !== 'string') {
    throw xmlParseError('<fault> lacks an int faultCode or a string faultString');
  }
  return RpcFault.fromWire(faultCode, faultString);
}

function parseInteger(text: string, type: string): number {
  if (!INTEGER.test(text)) throw xmlParseError(`bad <${type}> value`);
  return Number.parseInt(text, 10);
}

function parseBoolean(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed === '1') return true;
  if (trimmed === '0') return false;
  throw xmlParseError('bad <boolean> value');
}

function parseDouble(text: string): number {
  if (DOUBLE.test(text)) return Number.parseFloat(text);
  const special = SPECIAL_DOUBLES[text.trim().toLowerCase()];
  if (special === undefined) throw xmlParseError('bad <double> value');
  return special;
}

function parseDateTime(text: string): Date {
  const m = DATE_TIME.exec(text);
  if (!m) throw xmlParseError('bad <dateTime.iso8601> value');
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = frac === undefined ? 0 : Math.round(Number(`0.${frac}`) * 1000);
  let time = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, ms);
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    time -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) throw xmlParseError('bad <dateTime.iso8601> value');
  return date;
}

function parseBase64(text: string): Buffer {
  const clean = text.replace(/\s+/g, '');
  if (clean.length % 4 !== 0 || !BASE64_CLEAN.test(clean)) throw xmlParseError('bad <base64> value');
  return Buffer.from(clean, 'base64');
}

/** Parses a request body. An empty or missing methodName is a parse error. */
export function parseMethodCall(body: string | Buffer, limits: ParseLimits = {}): MethodCall {
  const reader = new XmlRpcReader(
    decodeBody(body, limits.maxBytes ?? DEFAULT_MAX_CALL_BYTES),
    limits.maxDepth ?? DEFAULT_MAX_DEPTH,
  );
  const root = reader.root();
  if (root.name !== 'methodCall' || root.selfClosing) throw xmlParseError('expected a <methodCall> document');
  const methodName = reader.methodName();
  if (methodName === '') throw xmlParseError('empty methodName');
  const params = reader.paramsUntilClose('methodCall');
  reader.expectEnd();
  return { methodName, params };
}

/** Parses a response body; a <fault> becomes `{ ok: false, fault }`. */
export function parseMethodResponse(body: string | Buffer, limits: ParseLimits = {}): MethodResponse {
  const reader = new XmlRpcReader(
    decodeBody(body, limits.maxBytes ?? Number.MAX_SAFE_INTEGER),
    limits.maxDepth ?? DEFAULT_MAX_DEPTH,
  );
  const root = reader.root();
  if (root.name !== 'methodResponse' || root.selfClosing) throw xmlParseError('expected a <methodResponse> document');
  const result = reader.responseBody();
  reader.expectEnd();
  return result;
}
