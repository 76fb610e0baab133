import { AnsiStripper } from '../logs/ansi.js';
import type { Subprocess } from '../process/types.js';
import { ChannelCapture } from './capture.js';
import { decodeEventData } from './envelope.js';
import type { AgentEvent, EventType } from './types.js';

type Channel = 'stdout' | 'stderr';
type Publish = (type: EventType, fields: AgentEvent['fields'], data: string) => void;
type WriteLog = (proc: Subprocess, channel: Channel, data: Buffer) => void;

interface ChannelState {
  capture: ChannelCapture;
  stripper?: AnsiStripper;
}

interface ProcessOutputState {
  /** The run these scanners belong to: supervisord makes new ones at each spawn. */
  pid: number;
  channels: Partial<Record<Channel, ChannelState>>;
}

/**
 * PROCESS_LOG_* (when `*_events_enabled`) and PROCESS_COMMUNICATION_* (when
 * `*_capture_maxbytes` > 0) from a normal process's output (compat spec §4.1, §4.6).
 */
export class OutputEvents {
  readonly #states = new WeakMap<Subprocess, ProcessOutputState>();
  readonly #publish: Publish;
  readonly #stripAnsi: boolean;
  readonly #writeLog: WriteLog;

  /**
   * `writeLog` receives the text outside the capture tokens of a channel in
   * capture mode: the process leaves logging such a channel to us, so that
   * captured text reaches the event and not the log (as with supervisord).
   */
  constructor(publish: Publish, stripAnsi: boolean, writeLog: WriteLog) {
    this.#publish = publish;
    this.#stripAnsi = stripAnsi;
    this.#writeLog = writeLog;
  }

  onOutput(proc: Subprocess, channel: Channel, chunk: Buffer): void {
    const config = proc.config[channel];
    if (!config.eventsEnabled && config.captureMaxbytes <= 0) return;
    const state = this.#channelState(proc, channel, config.captureMaxbytes);
    const data = state.stripper ? state.stripper.strip(chunk) : chunk;
    const base: AgentEvent['fields'] = [
      ['processname', proc.config.name],
      ['groupname', proc.groupName],
      ['pid', proc.pid],
    ];
    for (const piece of state.capture.feed(data)) {
      if (piece.kind === 'log') {
        if (config.captureMaxbytes > 0 && !piece.captured) this.#writeLog(proc, channel, piece.data);
        if (config.eventsEnabled) {
          this.#publish(channel === 'stdout' ? 'PROCESS_LOG_STDOUT' : 'PROCESS_LOG_STDERR', [...base, ['channel', channel]], decodeEventData(piece.data));
        }
      } else {
        this.#publish(
          channel === 'stdout' ? 'PROCESS_COMMUNICATION_STDOUT' : 'PROCESS_COMMUNICATION_STDERR',
          base,
          decodeEventData(piece.data),
        );
      }
    }
  }

  #channelState(proc: Subprocess, channel: Channel, captureMaxbytes: number): ChannelState {
    let state = this.#states.get(proc);
    if (!state || state.pid !== proc.pid) {
      state = { pid: proc.pid, channels: {} };
      this.#states.set(proc, state);
    }
    let channelState = state.channels[channel];
    if (!channelState) {
      channelState = { capture: new ChannelCapture(captureMaxbytes), stripper: this.#stripAnsi ? new AnsiStripper() : undefined };
      state.channels[channel] = channelState;
    }
    return channelState;
  }
}
