/** supervisord's capture-mode tokens (compat spec §4.6). */
const BEGIN_TOKEN = Buffer.from('<!--XSUPERVISOR:BEGIN-->');
const END_TOKEN = Buffer.from('<!--XSUPERVISOR:END-->');

/** Output of one channel, split as supervisord splits it: text for the log (PROCESS_LOG) and finished communications. */
export type CapturedPiece =
  | { kind: 'log'; data: Buffer; /** between the tokens: goes to the capture buffer, not the log file */ captured: boolean }
  | { kind: 'communication'; data: Buffer };

/**
 * The capture-mode scanner of one channel of one running process. With
 * captureMaxbytes 0 every chunk is log text. Otherwise it holds output until
 * it is longer than the token it looks for (so a tail shorter than that is
 * never reported, as in supervisord), and text between the tokens goes to a
 * buffer bounded the way supervisord's BoundIO bounds it.
 */
export class ChannelCapture {
  readonly #maxbytes: number;
  #pending: Buffer = Buffer.alloc(0);
  #capturing = false;
  #captured: Buffer = Buffer.alloc(0);

  constructor(captureMaxbytes: number) {
    this.#maxbytes = captureMaxbytes;
  }

  feed(chunk: Buffer): CapturedPiece[] {
    if (this.#maxbytes <= 0) return chunk.length ? [{ kind: 'log', data: chunk, captured: false }] : [];
    this.#pending = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk;
    const pieces: CapturedPiece[] = [];
    for (;;) {
      const token = this.#capturing ? END_TOKEN : BEGIN_TOKEN;
      if (this.#pending.length <= token.length) break;
      const data = this.#pending;
      const at = data.indexOf(token);
      if (at === -1) {
        const held = prefixAtEnd(data, token);
        this.#pending = data.subarray(data.length - held);
        this.#log(data.subarray(0, data.length - held), pieces);
        break;
      }
      this.#log(data.subarray(0, at), pieces);
      this.#pending = data.subarray(at + token.length);
      this.#toggle(pieces);
      if (this.#pending.length === 0) break;
    }
    return pieces;
  }

  #log(data: Buffer, pieces: CapturedPiece[]): void {
    if (data.length === 0) return;
    pieces.push({ kind: 'log', data, captured: this.#capturing });
    if (this.#capturing) this.#keep(data);
  }

  /** BoundIO: when a write would pass the bound, drop as many leading bytes as the write brings. */
  #keep(data: Buffer): void {
    const base = this.#captured.length + data.length > this.#maxbytes ? this.#captured.subarray(data.length) : this.#captured;
    this.#captured = Buffer.concat([base, data]);
  }

  #toggle(pieces: CapturedPiece[]): void {
    this.#capturing = !this.#capturing;
    if (!this.#capturing) {
      pieces.push({ kind: 'communication', data: this.#captured });
      this.#captured = Buffer.alloc(0);
    }
  }
}

/** Length of the longest proper prefix of `token` that `data` ends with (supervisord keeps it for the next read). */
function prefixAtEnd(data: Buffer, token: Buffer): number {
  for (let n = Math.min(token.length - 1, data.length); n > 0; n--) {
    if (data.subarray(data.length - n).equals(token.subarray(0, n))) return n;
  }
  return 0;
}
