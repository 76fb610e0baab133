const ESC = 0x1b;
const OPEN_BRACKET = 0x5b;
/** The bytes that end a sequence for supervisord's strip_ansi: H f A B C D R s u J K h l p m. */
const TERMINATORS = new Set([...'HfABCDRsuJKhlpm'].map((c) => c.charCodeAt(0)));

/**
 * Drops `ESC[` … terminator sequences from a byte stream (strip_ansi).
 * Unlike supervisord, which strips each read on its own, it carries its state
 * across chunks, so a sequence split between two reads is still removed.
 */
export class AnsiStripper {
  private inSequence = false;
  private heldEscape = false;

  strip(chunk: Buffer): Buffer {
    if (!this.inSequence && !this.heldEscape && chunk.indexOf(ESC) === -1) return chunk;
    const out = Buffer.allocUnsafe(chunk.length + 1);
    let n = 0;
    let i = 0;
    if (this.heldEscape && chunk.length > 0) {
      this.heldEscape = false;
      if (chunk[0] === OPEN_BRACKET) {
        this.inSequence = true;
        i = 1;
      } else {
        out[n++] = ESC;
      }
    }
    for (; i < chunk.length; i++) {
      const byte = chunk[i];
      if (this.inSequence) {
        if (TERMINATORS.has(byte)) this.inSequence = false;
        continue;
      }
      if (byte === ESC) {
        if (i + 1 === chunk.length) {
          this.heldEscape = true;
          continue;
        }
        if (chunk[i + 1] === OPEN_BRACKET) {
          this.inSequence = true;
          i++;
          continue;
        }
      }
      out[n++] = byte;
    }
    return out.subarray(0, n);
  }
}
