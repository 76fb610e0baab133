/**
 * How an operation's progress is shown: one line when it starts, one per
 * batch and one per target as they finish, and the outcome; on a terminal a
 * progress bar is kept on the last line. In JSON mode each step is one JSON
 * line (`{"type":"started"|"batch"|"target"|"done", …}`).
 */
import type { FleetIO } from './context.js';
import { formatMs, paint, stateColour } from './format.js';
import type { OperationAccepted, ProgressMessage } from './types.js';

export interface ViewOptions {
  json: boolean;
  colour: boolean;
  mode: string;
  action: string;
}

const BAR_WIDTH = 30;

export class OperationView {
  readonly #io: FleetIO;
  readonly #options: ViewOptions;
  readonly #began = Date.now();
  #total = 0;
  #finished = 0;
  #labelWidth = 0;
  #barShown = false;

  constructor(io: FleetIO, options: ViewOptions) {
    this.#io = io;
    this.#options = options;
  }

  started(op: OperationAccepted): void {
    this.#total = op.targets.length;
    this.#labelWidth = Math.max(0, ...op.targets.map((t) => `${t.agent}/${t.namespec}`.length));
    if (this.#options.json) {
      this.#io.stdout(`${JSON.stringify({ type: 'started', ...op })}\n`);
      return;
    }
    const hosts = new Set(op.targets.map((t) => t.agent)).size;
    const how = this.#options.mode === 'rolling' ? `rolling in ${op.batches} batch${op.batches === 1 ? '' : 'es'}` : 'in parallel';
    this.#line(`operation ${op.id}: ${this.#options.action} ${op.targets.length} process${op.targets.length === 1 ? '' : 'es'} on ${hosts} host${hosts === 1 ? '' : 's'}, ${how}`);
  }

  progress(event: ProgressMessage): void {
    if (event.type === 'target') this.#finished++;
    if (this.#options.json) {
      this.#io.stdout(`${JSON.stringify(event)}\n`);
      return;
    }
    const colour = this.#options.colour;
    if (event.type === 'batch') {
      this.#line(`batch ${event.index}/${event.total}: ${event.targets.join(' ')}`);
    } else if (event.type === 'target') {
      const label = `${event.agent}/${event.namespec}`.padEnd(this.#labelWidth);
      const ms = (event.ms > 0 ? formatMs(event.ms) : '-').padStart(6);
      this.#line(`  ${label}  ${paint(event.status.padEnd(7), stateColour(event.status), colour)} ${ms}  ${event.message}`.trimEnd());
    } else {
      const { ok, failed, skipped } = event.counts;
      this.#line(`${paint(event.status, stateColour(event.status), colour)}: ${ok} ok, ${failed} failed, ${skipped} skipped in ${formatMs(Date.now() - this.#began)}`);
    }
  }

  /** A remark on stderr (cancelling …), kept clear of the bar. */
  note(text: string): void {
    this.#clearBar();
    this.#io.stderr(`${text}\n`);
    this.#drawBar();
  }

  close(): void {
    this.#clearBar();
  }

  #line(text: string): void {
    this.#clearBar();
    this.#io.stdout(`${text}\n`);
    this.#drawBar();
  }

  #drawBar(): void {
    if (!this.#options.colour || this.#total === 0 || this.#finished >= this.#total) return;
    const filled = Math.round((this.#finished / this.#total) * BAR_WIDTH);
    this.#io.stdout(`[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${this.#finished}/${this.#total}`);
    this.#barShown = true;
  }

  #clearBar(): void {
    if (!this.#barShown) return;
    this.#io.stdout('\r\x1b[K');
    this.#barShown = false;
  }
}
