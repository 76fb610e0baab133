/**
 * Binding HTTP servers to unix sockets and TCP ports the way supervisord does,
 * with its error messages (compat spec §3.1).
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { FleetvisorError } from '../api/errors.js';

export const ADDRESS_IN_USE_MESSAGE =
  'Another program is already listening on a port that one of our HTTP servers is configured to use.  ' +
  'Shut this program down first before starting supervisord.';

const STALE_RETRIES = 3;
const PROBE_TIMEOUT_MS = 1000;

export interface UnixBinding {
  file: string;
  chmod: number;
  chown?: { uid: number; gid: number };
}

export interface InetBinding {
  /** '' = all interfaces. */
  host: string;
  port: number;
}

function bindError(err: unknown): FleetvisorError {
  const code = (err as NodeJS.ErrnoException).code ?? 'EUNKNOWN';
  if (code === 'EADDRINUSE') return new FleetvisorError('FV_BIND', ADDRESS_IN_USE_MESSAGE, { cause: err });
  const errno = (os.constants.errno as Record<string, number>)[code] ?? 0;
  return new FleetvisorError(
    'FV_BIND',
    `Cannot open an HTTP server: socket.error reported errno.${code} (${errno})`,
    { cause: err },
  );
}

function listen(server: net.Server, options: net.ListenOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen({ ...options, backlog: 1024 }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** True when something accepts connections on the unix socket `file`. */
export function socketAnswers(file: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect(file);
    const finish = (answered: boolean): void => {
      probe.destroy();
      resolve(answered);
    };
    probe.setTimeout(PROBE_TIMEOUT_MS, () => finish(true));
    probe.once('connect', () => finish(true));
    probe.once('error', () => finish(false));
  });
}

/** libuv reports binding in a missing directory as EACCES; supervisord (and the kernel) say ENOENT. */
function missingDirectoryAsEnoent(err: unknown, file: string): unknown {
  if ((err as NodeJS.ErrnoException).code !== 'EACCES' || fs.existsSync(path.dirname(file))) return err;
  return Object.assign(new Error(`ENOENT: no such directory for ${file}`), { code: 'ENOENT', cause: err });
}

function unlinkQuietly(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

export async function listenInet(server: net.Server, binding: InetBinding): Promise<{ host: string; port: number }> {
  try {
    await listen(server, { host: binding.host === '' ? '0.0.0.0' : binding.host, port: binding.port });
  } catch (err) {
    throw bindError(err);
  }
  const address = server.address() as net.AddressInfo;
  return { host: address.address, port: address.port };
}

/**
 * Binds `<file>.<pid>`, applies the mode, then hard-links it to `<file>` so the
 * socket never appears with the wrong permissions. When `<file>` exists and a
 * server answers there, fails with FV_BIND; a dead socket is reported on
 * stderr and replaced. Returns the inode of the bound socket, so that closing
 * removes only our own file.
 */
export async function listenUnix(
  server: net.Server,
  binding: UnixBinding,
  writeStderr: (text: string) => void,
): Promise<{ ino: number }> {
  const temporary = `${binding.file}.${process.pid}`;
  try {
    unlinkQuietly(temporary);
    await listen(server, { path: temporary });
    fs.chmodSync(temporary, binding.chmod);
  } catch (err) {
    server.close();
    throw bindError(missingDirectoryAsEnoent(err, binding.file));
  }
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        fs.linkSync(temporary, binding.file);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= STALE_RETRIES) throw err;
      }
      if (await socketAnswers(binding.file)) {
        throw Object.assign(new Error(`${binding.file} is in use`), { code: 'EADDRINUSE' });
      }
      writeStderr(`Unlinking stale socket ${binding.file}\n`);
      unlinkQuietly(binding.file);
    }
    unlinkQuietly(temporary);
    if (binding.chown) chownSocket(binding.file, binding.chown);
    return { ino: fs.statSync(binding.file).ino };
  } catch (err) {
    server.close();
    unlinkQuietly(temporary);
    throw err instanceof FleetvisorError ? err : bindError(err);
  }
}

function chownSocket(file: string, owner: { uid: number; gid: number }): void {
  try {
    fs.chownSync(file, owner.uid, owner.gid);
  } catch (err) {
    unlinkQuietly(file);
    throw new FleetvisorError(
      'FV_BIND',
      `Not permitted to chown ${file} to uid/gid (${owner.uid}, ${owner.gid}); adjust "sockchown" value in config ` +
        `file or on command line to values that the current user (${os.userInfo().username}) can successfully chown`,
      { cause: err },
    );
  }
}

/** Removes the socket file if it is still the one we bound (same inode). */
export function removeUnixSocket(file: string, ino: number): void {
  try {
    if (fs.statSync(file).ino === ino) fs.unlinkSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
