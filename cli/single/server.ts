/**
 * The supervisor.* methods supervisorctl calls, typed, over one XmlRpcClient
 * created on first use (like supervisorctl's proxy: a command that never
 * talks to the server never fails on a bad server URL).
 */
import { XmlRpcClient } from '../../node-agent/api/client.js';
import type { ConfigInfo, ProcessInfo, ProcessStatus, XmlRpcValue } from '../../node-agent/api/types.js';
import { UnknownProtocolError } from './py-errors.js';

export interface Credentials {
  username?: string;
  password?: string;
}

export class SupervisorServer {
  private client: XmlRpcClient | undefined;

  constructor(
    private serverurl: string,
    private credentials: Credentials,
  ) {}

  get url(): string {
    return this.serverurl;
  }

  /** `open <url>` and the shell's re-login after a 401: later calls use the new target. */
  retarget(serverurl: string, credentials: Credentials = this.credentials): void {
    this.close();
    this.serverurl = serverurl;
    this.credentials = credentials;
  }

  get auth(): Credentials {
    return this.credentials;
  }

  close(): void {
    this.client?.close();
    this.client = undefined;
  }

  private rpc(): XmlRpcClient {
    if (this.client) return this.client;
    // supervisorctl speaks plain http and unix sockets only, and always posts to /RPC2.
    if (!this.serverurl.startsWith('http://') && !this.serverurl.startsWith('unix://')) {
      throw new UnknownProtocolError(this.serverurl);
    }
    const { username, password } = this.credentials;
    // supervisorctl sends credentials only when both are set.
    const auth = username !== undefined && password !== undefined ? { username, password } : {};
    this.client = new XmlRpcClient({ url: this.serverurl, path: '/RPC2', timeoutMs: 24 * 3600_000, ...auth });
    return this.client;
  }

  call<T>(method: string, params: XmlRpcValue[] = []): Promise<T> {
    // A getter throwing synchronously must still surface as a rejected call.
    try {
      return this.rpc().call<T>(method, params);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  getVersion = (): Promise<string> => this.call('supervisor.getVersion');
  getSupervisorVersion = (): Promise<string> => this.call('supervisor.getSupervisorVersion');
  getPID = (): Promise<number> => this.call('supervisor.getPID');
  getAllProcessInfo = (): Promise<ProcessInfo[]> => this.call('supervisor.getAllProcessInfo');
  getProcessInfo = (name: string): Promise<ProcessInfo> => this.call('supervisor.getProcessInfo', [name]);
  getAllConfigInfo = (): Promise<ConfigInfo[]> => this.call('supervisor.getAllConfigInfo');

  startProcess = (name: string): Promise<boolean> => this.call('supervisor.startProcess', [name]);
  startProcessGroup = (group: string): Promise<ProcessStatus[]> => this.call('supervisor.startProcessGroup', [group]);
  startAllProcesses = (): Promise<ProcessStatus[]> => this.call('supervisor.startAllProcesses');
  stopProcess = (name: string): Promise<boolean> => this.call('supervisor.stopProcess', [name]);
  stopProcessGroup = (group: string): Promise<ProcessStatus[]> => this.call('supervisor.stopProcessGroup', [group]);
  stopAllProcesses = (): Promise<ProcessStatus[]> => this.call('supervisor.stopAllProcesses');
  signalProcess = (name: string, sig: string): Promise<boolean> => this.call('supervisor.signalProcess', [name, sig]);
  signalProcessGroup = (group: string, sig: string): Promise<ProcessStatus[]> =>
    this.call('supervisor.signalProcessGroup', [group, sig]);
  signalAllProcesses = (sig: string): Promise<ProcessStatus[]> => this.call('supervisor.signalAllProcesses', [sig]);

  readProcessLog = (name: string, channel: 'stdout' | 'stderr', offset: number, length: number): Promise<string> =>
    this.call(channel === 'stdout' ? 'supervisor.readProcessStdoutLog' : 'supervisor.readProcessStderrLog', [name, offset, length]);
  readLog = (offset: number, length: number): Promise<string> => this.call('supervisor.readLog', [offset, length]);
  clearProcessLogs = (name: string): Promise<boolean> => this.call('supervisor.clearProcessLogs', [name]);
  clearAllProcessLogs = (): Promise<ProcessStatus[]> => this.call('supervisor.clearAllProcessLogs');
  sendProcessStdin = (name: string, chars: string): Promise<boolean> => this.call('supervisor.sendProcessStdin', [name, chars]);

  /** `[[added, changed, removed]]`, group names. */
  reloadConfig = (): Promise<[string[], string[], string[]][]> => this.call('supervisor.reloadConfig');
  addProcessGroup = (group: string): Promise<boolean> => this.call('supervisor.addProcessGroup', [group]);
  removeProcessGroup = (group: string): Promise<boolean> => this.call('supervisor.removeProcessGroup', [group]);
  shutdown = (): Promise<boolean> => this.call('supervisor.shutdown');
  restart = (): Promise<boolean> => this.call('supervisor.restart');
}
