/**
 * HTTP Basic authentication as supervisord checks it: every path is guarded
 * when a username is configured; a `{SHA}<hex>` password matches the SHA-1 hex
 * digest of the supplied plaintext; anything else compares as plain text.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export interface Credentials {
  username: string;
  password: string;
}

export type AuthOutcome =
  | { kind: 'ok'; username: string }
  | { kind: 'unauthorized' }
  /** The credentials are not decodable base64/UTF-8: supervisord answers 400. */
  | { kind: 'malformed' };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes base64 the lenient way Python's binascii.a2b_base64 does: characters
 * outside the alphabet are skipped, decoding stops at the first complete
 * padding, and only a truncated quantum is an error.
 */
export function decodeLenientBase64(text: string): Buffer | undefined {
  const cleaned = text.replace(/[^A-Za-z0-9+/=]/g, '');
  const firstPad = cleaned.indexOf('=');
  const data = firstPad < 0 ? cleaned : cleaned.slice(0, firstPad);
  const pads = firstPad < 0 ? 0 : /^=*/.exec(cleaned.slice(firstPad))![0].length;
  const remainder = data.length % 4;
  if (remainder === 1) return undefined;
  if (remainder === 2 && pads < 2) return undefined;
  if (remainder === 3 && pads < 1) return undefined;
  return Buffer.from(data, 'base64');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function passwordMatches(stored: string, supplied: string): boolean {
  if (stored.startsWith('{SHA}')) {
    const digest = createHash('sha1').update(supplied, 'utf8').digest('hex');
    return sameText(stored.slice(5), digest);
  }
  return sameText(stored, supplied);
}

/** Checks an Authorization header value against the configured credentials. */
export function checkBasicAuth(header: string | undefined, expected: Credentials): AuthOutcome {
  if (header === undefined) return { kind: 'unauthorized' };
  const match = /^([^ ]+) (.*)$/s.exec(header);
  if (!match || match[1].toLowerCase() !== 'basic') return { kind: 'unauthorized' };
  const bytes = decodeLenientBase64(match[2]);
  if (bytes === undefined) return { kind: 'malformed' };
  let decoded: string;
  try {
    decoded = utf8.decode(bytes);
  } catch {
    return { kind: 'malformed' };
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) return { kind: 'unauthorized' };
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  if (username !== expected.username || !passwordMatches(expected.password, password)) {
    return { kind: 'unauthorized' };
  }
  return { kind: 'ok', username };
}
