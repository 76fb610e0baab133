/**
 * User and group lookups from /etc/passwd and /etc/group (what Python's pwd
 * and grp modules answer on a files-only system), plus os.path.expanduser.
 */
import { readFileSync } from 'node:fs';
import { FleetvisorError } from '../api/errors.js';
import { pyParseInt } from './python.js';

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

export interface GroupEntry {
  name: string;
  gid: number;
}

export interface UserDatabase {
  users: PasswdEntry[];
  groups: GroupEntry[];
}

export interface UserDatabaseFiles {
  passwdFile?: string;
  groupFile?: string;
}

function readLines(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n');
  } catch {
    return [];
  }
}

export function loadUserDatabase(files: UserDatabaseFiles = {}): UserDatabase {
  const users: PasswdEntry[] = [];
  for (const line of readLines(files.passwdFile ?? '/etc/passwd')) {
    const fields = line.split(':');
    if (fields.length < 7 || line.startsWith('#')) continue;
    const uid = Number(fields[2]);
    const gid = Number(fields[3]);
    if (!Number.isInteger(uid) || !Number.isInteger(gid)) continue;
    users.push({ name: fields[0], uid, gid, home: fields[5] });
  }
  const groups: GroupEntry[] = [];
  for (const line of readLines(files.groupFile ?? '/etc/group')) {
    const fields = line.split(':');
    if (fields.length < 3 || line.startsWith('#')) continue;
    const gid = Number(fields[2]);
    if (Number.isInteger(gid)) groups.push({ name: fields[0], gid });
  }
  return { users, groups };
}

export interface ResolvedUser {
  name: string;
  uid: number;
  gid: number;
}

/** supervisord's name_to_uid + gid_for_uid: a user name or a numeric uid present in passwd. */
export function resolveUser(value: string, db: UserDatabase): ResolvedUser {
  const uid = pyParseInt(value);
  const entry =
    uid === undefined ? db.users.find((u) => u.name === value) : db.users.find((u) => u.uid === uid);
  if (!entry) {
    const message = uid === undefined ? `Invalid user name ${value}` : `Invalid user id ${value}`;
    throw new FleetvisorError('FV_CONFIG_BAD_VALUE', message);
  }
  return { name: entry.name, uid: entry.uid, gid: entry.gid };
}

/** supervisord's name_to_gid: a group name or a numeric gid present in the group file. */
export function resolveGroupId(value: string, db: UserDatabase): number {
  const gid = pyParseInt(value);
  const entry =
    gid === undefined ? db.groups.find((g) => g.name === value) : db.groups.find((g) => g.gid === gid);
  if (!entry) {
    const message = gid === undefined ? `Invalid group name ${value}` : `Invalid group id ${value}`;
    throw new FleetvisorError('FV_CONFIG_BAD_VALUE', message);
  }
  return entry.gid;
}

/** os.path.expanduser: `~` from $HOME (else passwd), `~name` from passwd; unknown users leave the path as is. */
export function expandUser(path: string, env: NodeJS.ProcessEnv, db: UserDatabase): string {
  if (!path.startsWith('~')) return path;
  const slash = path.indexOf('/', 1);
  const end = slash === -1 ? path.length : slash;
  const name = path.slice(1, end);
  let home: string | undefined;
  if (name === '') {
    home = env.HOME ?? db.users.find((u) => u.uid === process.getuid?.())?.home;
  } else {
    home = db.users.find((u) => u.name === name)?.home;
  }
  if (home === undefined) return path;
  const trimmedHome = home.replace(/\/+$/, '');
  return trimmedHome + path.slice(end) || '/';
}
