/**
 * The user's side of the conversation: prompts and typed lines (one
 * node:readline interface over stdin, created only when something is asked),
 * hidden password entry, and Ctrl-C routed to whoever is listening.
 */
import type readline from 'node:readline';
import type { ControllerIO } from './command.js';

export interface TerminalOptions {
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
  output?: NodeJS.WritableStream & { isTTY?: boolean };
  completer?: readline.AsyncCompleter;
  /** Most recent first, as node:readline keeps it. */
  history?: string[];
  historySize?: number;
}

type Waiter = (line: string | undefined) => void;

export class Terminal implements ControllerIO {
  private rl: readline.Interface | undefined;
  private readonly lines: string[] = [];
  private waiter: Waiter | undefined;
  private ended = false;
  private muted = false;
  private readonly interruptHandlers: (() => void)[] = [];
  private processHandlerInstalled = false;
  /** Called on Ctrl-C when no command is listening (the shell ends). */
  onIdleInterrupt: (() => void) | undefined;

  constructor(private readonly options: TerminalOptions = {}) {}

  get interactive(): boolean {
    return Boolean((this.options.input ?? process.stdin).isTTY);
  }

  // node:readline is loaded on first use: most one-shot commands never read the terminal.
  private async interface(): Promise<readline.Interface> {
    if (this.rl) return this.rl;
    const [{ default: readlineModule }, { Writable }] = await Promise.all([import('node:readline'), import('node:stream')]);
    if (this.rl) return this.rl;
    const output = this.options.output ?? process.stdout;
    const muted = (): boolean => this.muted;
    const gate = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        if (!muted()) output.write(chunk);
        callback();
      },
    });
    const input = this.options.input ?? process.stdin;
    const terminal = Boolean(input.isTTY && output.isTTY);
    const rl = readlineModule.createInterface({
      input,
      output: gate,
      terminal,
      completer: terminal ? this.options.completer : undefined,
      history: this.options.history ? [...this.options.history] : [],
      historySize: this.options.historySize ?? 1000,
      removeHistoryDuplicates: false,
      tabSize: 8,
    });
    rl.on('line', (line) => {
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = undefined;
        w(line);
      } else this.lines.push(line);
    });
    rl.on('close', () => {
      this.ended = true;
      const w = this.waiter;
      this.waiter = undefined;
      w?.(undefined);
    });
    rl.on('SIGINT', () => this.interrupt());
    this.rl = rl;
    return rl;
  }

  /** The interface's history, most recent first (the shell saves it). */
  history(): string[] {
    return (this.rl as (readline.Interface & { history?: string[] }) | undefined)?.history ?? [];
  }

  /** The line being typed (for completion). */
  currentLine(): string {
    return this.rl?.line ?? '';
  }

  async ask(prompt: string, options: { secret?: boolean; signal?: AbortSignal } = {}): Promise<string | undefined> {
    const rl = await this.interface();
    if (options.signal?.aborted) return undefined;
    const output = this.options.output ?? process.stdout;
    const secret = options.secret === true;
    // like getpass, a password prompt goes to the terminal side (stderr), never to stdout
    const promptStream = secret ? process.stderr : output;
    if (secret || this.lines.length > 0 || this.ended) {
      rl.setPrompt('');
      promptStream.write(prompt);
    } else {
      rl.setPrompt(prompt);
      rl.prompt();
    }
    const queued = this.lines.shift();
    if (queued !== undefined || this.ended) {
      if (secret) promptStream.write('\n');
      return queued;
    }
    this.muted = secret;
    try {
      return await new Promise<string | undefined>((resolve) => {
        this.waiter = resolve;
        options.signal?.addEventListener('abort', () => {
          if (this.waiter === resolve) this.waiter = undefined;
          resolve(undefined);
        });
      });
    } finally {
      if (secret) promptStream.write('\n');
      this.muted = false;
    }
  }

  onInterrupt(handler: () => void): () => void {
    this.interruptHandlers.push(handler);
    if (!this.processHandlerInstalled) {
      // a terminal in cooked mode (no readline yet) delivers Ctrl-C as a signal
      process.on('SIGINT', () => this.interrupt());
      this.processHandlerInstalled = true;
    }
    return () => {
      const i = this.interruptHandlers.indexOf(handler);
      if (i >= 0) this.interruptHandlers.splice(i, 1);
    };
  }

  private interrupt(): void {
    const handler = this.interruptHandlers[this.interruptHandlers.length - 1];
    if (handler) handler();
    else if (this.onIdleInterrupt) this.onIdleInterrupt();
    else process.exit(130);
  }

  close(): void {
    this.rl?.close();
  }
}
