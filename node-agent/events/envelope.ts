import type { AgentEvent, EventType } from './types.js';

/** Event types whose payload is a header line, a newline, then a body (compat spec §4.3). */
const TYPES_WITH_BODY: ReadonlySet<EventType> = new Set<EventType>([
  'PROCESS_LOG_STDOUT',
  'PROCESS_LOG_STDERR',
  'PROCESS_COMMUNICATION_STDOUT',
  'PROCESS_COMMUNICATION_STDERR',
  'REMOTE_COMMUNICATION',
  'PROCESS_GROUP_ADDED',
  'PROCESS_GROUP_REMOVED',
]);

/** The payload text supervisord sends for an event: `name:value` pairs joined by spaces, then `\n<body>` for body-carrying types. */
export function formatPayload(event: AgentEvent): string {
  const header = event.fields.map(([name, value]) => `${name}:${value}`).join(' ');
  return TYPES_WITH_BODY.has(event.type) ? `${header}\n${event.data ?? ''}` : header;
}

export interface EnvelopeHeader {
  /** [supervisord] identifier. */
  identifier: string;
  serial: number;
  pool: string;
  poolSerial: number;
  eventName: EventType;
}

/** `ver:3.0 server:… serial:… pool:… poolserial:… eventname:… len:…\n<payload>` (compat spec §4.2). */
export function formatEnvelope(header: EnvelopeHeader, payload: string): string {
  return (
    `ver:3.0 server:${header.identifier} serial:${header.serial} pool:${header.pool} ` +
    `poolserial:${header.poolSerial} eventname:${header.eventName} len:${characterLength(payload)}\n${payload}`
  );
}

/**
 * Python's len() of a str: code points, so a character outside the BMP counts
 * once although JavaScript stores it as two UTF-16 units.
 */
export function characterLength(text: string): number {
  let pairs = 0;
  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        pairs++;
        i++;
      }
    }
  }
  return text.length - pairs;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Output bytes as event text: UTF-8, or `Undecodable: b'…'` (Python's repr) when the bytes are not valid UTF-8. */
export function decodeEventData(bytes: Buffer): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return `Undecodable: ${pythonBytesRepr(bytes)}`;
  }
}

/** repr() of a Python bytes object. */
export function pythonBytesRepr(bytes: Buffer): string {
  const hasSingle = bytes.includes(0x27);
  const quote = hasSingle && !bytes.includes(0x22) ? '"' : "'";
  let out = 'b' + quote;
  for (const byte of bytes) {
    if (byte === 0x5c) out += '\\\\';
    else if (byte === quote.charCodeAt(0)) out += '\\' + quote;
    else if (byte === 0x09) out += '\\t';
    else if (byte === 0x0a) out += '\\n';
    else if (byte === 0x0d) out += '\\r';
    else if (byte < 0x20 || byte >= 0x7f) out += '\\x' + byte.toString(16).padStart(2, '0');
    else out += String.fromCharCode(byte);
  }
  return out + quote;
}
