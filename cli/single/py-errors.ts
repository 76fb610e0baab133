/**
 * How supervisorctl reports an error no command handles: one line naming the
 * Python exception class, its text, and the file and line that raised it:
 *   error: <class 'xmlrpc.client.Fault'>, <Fault 6: 'SHUTDOWN_STATE'>: file: … line: …
 * Scripts match on these lines, so the locations are the ones supervisorctl
 * 4.2.5 prints on Debian 12 (Python 3.11).
 */
import { HttpStatusError } from '../../node-agent/api/client.js';
import { FleetvisorError } from '../../node-agent/api/errors.js';
import { RpcFault } from '../../node-agent/api/faults.js';
import { pyRepr } from '../py-format.js';

const SUPERVISOR_XMLRPC_PY = '/usr/lib/python3/dist-packages/supervisor/xmlrpc.py';
const PY_XMLRPC_CLIENT = '/usr/lib/python3.11/xmlrpc/client.py';
const PY_SOCKET = '/usr/lib/python3.11/socket.py';
const PY_HTTP_CLIENT = '/usr/lib/python3.11/http/client.py';

const SUPERVISORCTL_PY = '/usr/lib/python3/dist-packages/supervisor/supervisorctl.py';

/** An exception supervisorctl itself raises, with the class and source line it reports. */
export class PyException extends Error {
  constructor(
    readonly pyClass: string,
    message: string,
    readonly file: string,
    readonly lineNo: number,
  ) {
    super(message);
    this.name = 'PyException';
  }
}

/** A per-process result code supervisorctl has no words for (it raises ValueError). */
export function unknownResultCode(code: number, namespec: string, lineNo: 761 | 835 | 1260): PyException {
  return new PyException('ValueError', `Unknown result code ${code} for ${namespec}`, SUPERVISORCTL_PY, lineNo);
}

/** End of input where supervisorctl asked a question (raw_input raises EOFError). */
export function eofWhileAsking(lineNo: number): PyException {
  return new PyException('EOFError', 'EOF when reading a line', SUPERVISORCTL_PY, lineNo);
}

/** The serverurl is neither http:// nor unix:// (supervisorctl's transport refuses it). */
export class UnknownProtocolError extends Error {
  constructor(serverurl: string) {
    super(`Unknown protocol for serverurl ${serverurl}`);
    this.name = 'UnknownProtocolError';
  }
}

export function asFault(err: unknown): RpcFault | undefined {
  if (err instanceof RpcFault) return err;
  const candidate = err as Partial<RpcFault> | undefined;
  return candidate?.name === 'RpcFault' && typeof candidate.faultCode === 'number' ? (err as RpcFault) : undefined;
}

function transportCause(err: unknown): unknown {
  return err instanceof FleetvisorError && err.code === 'FV_RPC_TRANSPORT' ? err.cause : undefined;
}

/** The errno name of a failed connection (ECONNREFUSED, ENOENT, …), if that is what `err` is. */
export function socketErrno(err: unknown): string | undefined {
  const cause = transportCause(err) as NodeJS.ErrnoException | undefined;
  return typeof cause?.code === 'string' && cause.code.startsWith('E') ? cause.code : undefined;
}

/** The HTTP status of a non-200 answer to an RPC (401 when credentials are wrong or missing). */
export function httpStatusOf(err: unknown): HttpStatusError | undefined {
  const cause = transportCause(err);
  return cause instanceof HttpStatusError ? cause : undefined;
}

/** Python's OSError subclasses and strerror texts for the errnos a client meets. */
const OS_ERRORS: Record<string, { pyClass: string; errno: number; text: string }> = {
  ECONNREFUSED: { pyClass: 'ConnectionRefusedError', errno: 111, text: 'Connection refused' },
  ENOENT: { pyClass: 'FileNotFoundError', errno: 2, text: 'No such file or directory' },
  EACCES: { pyClass: 'PermissionError', errno: 13, text: 'Permission denied' },
  ECONNRESET: { pyClass: 'ConnectionResetError', errno: 104, text: 'Connection reset by peer' },
  EPIPE: { pyClass: 'BrokenPipeError', errno: 32, text: 'Broken pipe' },
  ETIMEDOUT: { pyClass: 'TimeoutError', errno: 110, text: 'Connection timed out' },
  EHOSTUNREACH: { pyClass: 'OSError', errno: 113, text: 'No route to host' },
  ENETUNREACH: { pyClass: 'OSError', errno: 101, text: 'Network is unreachable' },
  ENOTSOCK: { pyClass: 'OSError', errno: 88, text: 'Socket operation on non-socket' },
};

function line(pyClass: string, text: string, file: string, lineNo: number): string {
  return `error: <class '${pyClass}'>, ${text}: file: ${file} line: ${lineNo}`;
}

/** The faultString repr Python's Fault prints. */
export function faultRepr(fault: RpcFault): string {
  return `<Fault ${fault.faultCode}: ${pyRepr(fault.faultString)}>`;
}

/** supervisorctl's `error: …` line for an exception that reached its command loop. */
export function pythonErrorLine(err: unknown, serverurl: string): string {
  const fault = asFault(err);
  if (fault) return line('xmlrpc.client.Fault', faultRepr(fault), PY_XMLRPC_CLIENT, 668);
  if (err instanceof PyException) return line(err.pyClass, err.message, err.file, err.lineNo);
  if (err instanceof UnknownProtocolError) return line('ValueError', err.message, SUPERVISOR_XMLRPC_PY, 505);
  const status = httpStatusOf(err);
  if (status) {
    const text = `<ProtocolError for 127.0.0.1/RPC2: ${status.status} ${status.statusMessage}>`;
    return line('xmlrpc.client.ProtocolError', text, SUPERVISOR_XMLRPC_PY, 539);
  }
  const errno = socketErrno(err);
  if (errno !== undefined) {
    const known = OS_ERRORS[errno];
    const unix = serverurl.startsWith('unix://');
    // unix sockets are connected by supervisor's own transport, tcp ones by Python's socket module
    const [file, lineNo] = unix ? [SUPERVISOR_XMLRPC_PY, 557] : [PY_SOCKET, 836];
    if (known) return line(known.pyClass, `[Errno ${known.errno}] ${known.text}`, file, lineNo);
    return line('OSError', errno, file, lineNo);
  }
  const cause = transportCause(err);
  if (cause instanceof Error) return line('http.client.RemoteDisconnected', cause.message, PY_HTTP_CLIENT, 300);
  const message = err instanceof Error ? err.message : String(err);
  return line(err instanceof Error ? err.name : 'Exception', message, '<fleetvisorctl>', 0);
}
