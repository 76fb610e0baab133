/** XML-RPC fault codes and names as supervisord defines them (compat spec §3.3). */
export const Faults = {
  UNKNOWN_METHOD: 1,
  INCORRECT_PARAMETERS: 2,
  BAD_ARGUMENTS: 3,
  SIGNATURE_UNSUPPORTED: 4,
  SHUTDOWN_STATE: 6,
  BAD_NAME: 10,
  BAD_SIGNAL: 11,
  NO_FILE: 20,
  NOT_EXECUTABLE: 21,
  FAILED: 30,
  ABNORMAL_TERMINATION: 40,
  SPAWN_ERROR: 50,
  ALREADY_STARTED: 60,
  NOT_RUNNING: 70,
  SUCCESS: 80,
  ALREADY_ADDED: 90,
  STILL_RUNNING: 91,
  CANT_REREAD: 92,
} as const;

export type FaultName = keyof typeof Faults;

const NAME_BY_CODE = new Map<number, FaultName>(
  Object.entries(Faults).map(([name, code]) => [code, name as FaultName]),
);

export function faultName(code: number): FaultName | undefined {
  return NAME_BY_CODE.get(code);
}

/**
 * A fault raised by an RPC method. faultString is `NAME` or `NAME: detail`,
 * exactly as supervisord formats it.
 */
export class RpcFault extends Error {
  readonly faultCode: number;
  readonly faultString: string;

  constructor(name: FaultName, detail?: string) {
    const faultString = detail === undefined ? name : `${name}: ${detail}`;
    super(faultString);
    this.name = 'RpcFault';
    this.faultCode = Faults[name];
    this.faultString = faultString;
  }

  /** A fault received from a remote server, whose code may be unknown to us. */
  static fromWire(faultCode: number, faultString: string): RpcFault {
    const fault = Object.create(RpcFault.prototype) as RpcFault;
    Object.assign(fault, { faultCode, faultString, message: faultString, name: 'RpcFault' });
    return fault;
  }
}
