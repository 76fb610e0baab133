/**
 * [inet_http_server…] and [unix_http_server…] sections (any section whose
 * name starts with those words), read in supervisord's order: inet first.
 */
import { FleetvisorError } from '../api/errors.js';
import { pyStrip } from './python.js';
import { badValue, missing, type ConfigSource } from './source.js';
import type { InetHttpServerConfig, UnixHttpServerConfig } from './types.js';
import { resolveGroupId, resolveUser } from './users.js';
import { toInetAddress, toOctal } from './values.js';

interface Credentials {
  username?: string;
  password?: string;
}

function readCredentials(src: ConfigSource, section: string): Credentials {
  const username = src.get(section, 'username', undefined);
  const password = src.get(section, 'password', undefined);
  if ((username === undefined) !== (password === undefined)) {
    throw missing(
      `Section [${section}] contains incomplete authentication: If a username or a password is ` +
        'specified, both the username and password must be specified',
    );
  }
  return username === undefined ? {} : { username, password };
}

export function readInetServers(src: ConfigSource): InetHttpServerConfig[] {
  return src.parser
    .sections()
    .filter((s) => s.startsWith('inet_http_server'))
    .map((section) => {
      const credentials = readCredentials(src, section);
      const port = src.get(section, 'port', undefined);
      if (port === undefined) throw missing(`section [${section}] has no port value`);
      return { section, ...toInetAddress(port), ...credentials };
    });
}

/** `user[:group]` → ids; gid -1 when no group is given. */
function readSockChown(src: ConfigSource, value: string): { uid: number; gid: number } {
  try {
    const colon = value.indexOf(':');
    const users = src.environment.users;
    if (colon === -1) return { uid: resolveUser(value, users).uid, gid: -1 };
    return {
      uid: resolveUser(value.slice(0, colon), users).uid,
      gid: resolveGroupId(value.slice(colon + 1), users),
    };
  } catch (err) {
    if (err instanceof FleetvisorError) throw badValue(`Invalid sockchown value ${value}`);
    throw err;
  }
}

export function readUnixServers(src: ConfigSource): UnixHttpServerConfig[] {
  return src.parser
    .sections()
    .filter((s) => s.startsWith('unix_http_server'))
    .map((section) => {
      const file = src.get(section, 'file', undefined, { expansions: { here: src.here } });
      if (file === undefined) throw missing(`section [${section}] has no file value`);
      const credentials = readCredentials(src, section);
      const chownValue = src.get(section, 'chown', undefined);
      const chown = chownValue === undefined ? undefined : readSockChown(src, chownValue);
      const chmodValue = src.get(section, 'chmod', undefined);
      let chmod = 0o700;
      if (chmodValue !== undefined) {
        try {
          chmod = toOctal(chmodValue);
        } catch {
          throw badValue(`Invalid chmod value ${chmodValue}`);
        }
      }
      const config: UnixHttpServerConfig = {
        section,
        file: src.normalizePath(pyStrip(file)),
        chmod,
        ...credentials,
      };
      if (chown) config.chown = chown;
      return config;
    });
}
