/**
 * Python's text formatting where supervisorctl's output depends on it:
 * repr() of a string and `%-Ns` padding (which counts code points).
 */

/** `'%-Ns' % text`: pads with spaces to `width` code points, never truncates. */
export function padRight(text: string, width: number): string {
  const length = [...text].length;
  return length >= width ? text : text + ' '.repeat(width - length);
}

const NAMED_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** repr() of a Python 3 str: single quotes unless the text has a ' and no ". */
export function pyRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const escaped = NAMED_ESCAPES[ch];
    if (escaped !== undefined) out += escaped;
    else if (ch === quote) out += `\\${ch}`;
    else {
      const code = ch.codePointAt(0)!;
      if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
      else out += ch;
    }
  }
  return out + quote;
}

/**
 * Python cmd.Cmd.columnize: the fewest rows whose columns (two spaces apart)
 * fit in `displayWidth`, filled column by column. Returns the lines.
 */
export function columnize(items: readonly string[], displayWidth = 79): string[] {
  if (items.length === 0) return ['<empty>'];
  if (items.length === 1) return [items[0]];
  const size = items.length;
  let rows = size;
  let widths: number[] = [0];
  for (let nrows = 1; nrows < size; nrows++) {
    const ncols = Math.ceil(size / nrows);
    const colWidths: number[] = [];
    let total = -2;
    for (let col = 0; col < ncols; col++) {
      const column = items.slice(col * nrows, col * nrows + nrows);
      const width = Math.max(0, ...column.map((x) => x.length));
      colWidths.push(width);
      total += width + 2;
      if (total > displayWidth) break;
    }
    if (total <= displayWidth) {
      rows = nrows;
      widths = colWidths;
      break;
    }
  }
  const lines: string[] = [];
  for (let row = 0; row < rows; row++) {
    const texts: string[] = [];
    for (let col = 0; col < widths.length; col++) texts.push(items[row + rows * col] ?? '');
    while (texts.length > 0 && texts[texts.length - 1] === '') texts.pop();
    lines.push(texts.map((t, col) => t.padEnd(widths[col])).join('  '));
  }
  return lines;
}
