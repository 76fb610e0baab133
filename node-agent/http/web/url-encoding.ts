/**
 * URL encoding with the rules of Python's urllib, which supervisord's pages
 * use: links and redirect messages must come out byte for byte the same.
 */

const QUOTE_SAFE = /[A-Za-z0-9_.\-~/]/;

/** urllib.parse.quote(text) with the default safe='/': UTF-8, upper-case hex. */
export function pyQuote(text: string): string {
  let out = '';
  for (const ch of text) {
    if (QUOTE_SAFE.test(ch)) {
      out += ch;
      continue;
    }
    for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/** urllib.parse.unquote: `%XX` decoded as UTF-8 (bad bytes become U+FFFD); malformed escapes stay as they are. */
export function pyUnquote(text: string): string {
  if (!text.includes('%')) return text;
  const bytes: number[] = [];
  const source = Buffer.from(text, 'utf8');
  for (let i = 0; i < source.length; i++) {
    if (source[i] === 0x25 && i + 2 < source.length) {
      const hi = hexValue(source[i + 1]);
      const lo = hexValue(source[i + 2]);
      if (hi >= 0 && lo >= 0) {
        bytes.push(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    bytes.push(source[i]);
  }
  return new TextDecoder('utf-8').decode(Uint8Array.from(bytes));
}

/**
 * urllib.parse.parse_qsl(text) with its defaults: `&`-separated pairs, `+` is
 * a space, pairs with an empty value are dropped (keep_blank_values=False).
 */
export function parseQueryPairs(text: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const field of text.split('&')) {
    if (field === '') continue;
    const eq = field.indexOf('=');
    if (eq < 0) continue;
    const value = field.slice(eq + 1);
    if (value === '') continue;
    pairs.push([pyUnquote(field.slice(0, eq).replace(/\+/g, ' ')), pyUnquote(value.replace(/\+/g, ' '))]);
  }
  return pairs;
}

/**
 * The form supervisord's views see: query-string fields (first value of a
 * repeated name wins), then urlencoded POST fields on top (last one wins).
 */
export function parseForm(query: string, body: string): Map<string, string> {
  const form = new Map<string, string>();
  for (const [key, value] of parseQueryPairs(query)) {
    if (!form.has(key)) form.set(key, value);
  }
  for (const [key, value] of parseQueryPairs(body)) form.set(key, value);
  return form;
}
