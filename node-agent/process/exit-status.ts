import { signalName, signalNumberOfName } from './signals.js';

export interface ExitDescription {
  /** The exit code, or -1 when a signal ended the process. */
  status: number;
  /** `exit status 3` / `terminated by SIGKILL`, as supervisord logs it. */
  text: string;
}

/** Decode Node's (code, signal) pair of an 'exit' event like supervisord's decode_wait_status. */
export function describeExit(code: number | null, signal: string | null): ExitDescription {
  if (signal) {
    const signo = signalNumberOfName(signal);
    return { status: -1, text: `terminated by ${signo === undefined ? signal : signalName(signo)}` };
  }
  if (code === null) return { status: -1, text: 'unknown termination cause' };
  return { status: code, text: `exit status ${code}` };
}
