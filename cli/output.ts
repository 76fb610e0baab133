/**
 * Where a command's results go. In text mode every line is written at once
 * (operators watch `update` or `restart all` progress). In JSON mode the
 * command's results are collected and written as one JSON document when the
 * command ends; the document's shape per command is in cli/README.md.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface OutputSink {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processSink: OutputSink = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

export class Output {
  readonly json: boolean;
  private readonly sink: OutputSink;
  private rows: JsonValue[] = [];
  private value: JsonValue | undefined;
  private failure: string | undefined;
  private streamed = false;

  constructor(sink: OutputSink, json: boolean) {
    this.sink = sink;
    this.json = json;
  }

  /** Text for people only (help, usage); JSON mode drops it. */
  note(text: string): void {
    if (!this.json) this.sink.stdout(`${text}\n`);
  }

  /** One result row: a line of text, or an element of the command's JSON array. */
  row(text: string, row: JsonObject): void {
    if (this.json) this.rows.push(row);
    else this.sink.stdout(`${text}\n`);
  }

  /** The command's single result (a JSON object instead of an array). */
  result(text: string | undefined, value: JsonValue): void {
    if (this.json) this.value = value;
    else if (text !== undefined) this.sink.stdout(`${text}\n`);
  }

  /** The command as a whole failed: a line of text, or the document's `error`. */
  fail(text: string): void {
    if (this.json) this.failure ??= text;
    else this.sink.stdout(`${text}\n`);
  }

  /** Unframed data (log bytes of `tail -f`): raw in text mode, one `{"data"}` line each in JSON mode. */
  stream(data: string): void {
    this.streamed = true;
    if (this.json) this.sink.stdout(`${JSON.stringify({ data })}\n`);
    else this.sink.stdout(data);
  }

  /** A diagnostic supervisorctl writes on stderr in both modes. */
  warn(text: string): void {
    this.sink.stderr(`${text}\n`);
  }

  /** Ends one command: in JSON mode writes its document (nothing after a stream that ended normally). */
  finish(): void {
    const streamed = this.streamed;
    this.streamed = false;
    if (!this.json || (streamed && this.failure === undefined)) return;
    let doc: JsonValue;
    if (this.failure !== undefined) {
      doc = { error: this.failure };
      if (this.rows.length > 0) doc.results = this.rows;
    } else if (this.value !== undefined) doc = this.value;
    else doc = this.rows;
    this.sink.stdout(`${JSON.stringify(doc)}\n`);
    this.rows = [];
    this.value = undefined;
    this.failure = undefined;
  }
}
