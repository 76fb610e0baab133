/**
 * The hub database's schema as an ordered list of migrations. Append new
 * migrations at the end with the next version; never edit one that shipped.
 *
 * Events reference two small interned tables instead of repeating text on
 * every row: `series` (agent, group, process — one per process and one per
 * agent with group = process = '' for agent-level events) and `boots`
 * (agent, boot id). That keeps the 10-million-row table and its indexes
 * compact. `process_hourly` and `process_daily` hold per-series counters
 * maintained at ingest so fleet summaries over weeks read thousands of rows,
 * not millions. `series` also remembers each process's last state and last
 * exit, so summaries need no per-process lookups for the common case.
 */
export interface Migration {
  version: number;
  name: string;
  up: string;
}

const INITIAL = `
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
INSERT INTO meta (key, value) VALUES ('event_rows', 0);

CREATE TABLE agents (
  name TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  username TEXT,
  password TEXT,
  tags TEXT NOT NULL DEFAULT '[]',
  source TEXT NOT NULL CHECK (source IN ('config', 'api')),
  created INTEGER NOT NULL,
  updated INTEGER NOT NULL
);

CREATE TABLE agent_cursors (
  agent TEXT PRIMARY KEY,
  cursor TEXT NOT NULL,
  updated INTEGER NOT NULL
);

CREATE TABLE series (
  id INTEGER PRIMARY KEY,
  agent TEXT NOT NULL,
  grp TEXT NOT NULL,
  process TEXT NOT NULL,
  first_time INTEGER NOT NULL,
  state TEXT,
  state_since INTEGER,
  last_exit INTEGER,
  last_exit_time INTEGER,
  UNIQUE (agent, grp, process)
);

CREATE TABLE boots (
  id INTEGER PRIMARY KEY,
  agent TEXT NOT NULL,
  boot TEXT NOT NULL,
  UNIQUE (agent, boot)
);

CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  series INTEGER NOT NULL REFERENCES series (id),
  boot INTEGER NOT NULL REFERENCES boots (id),
  serial INTEGER,
  time INTEGER NOT NULL,
  type TEXT NOT NULL,
  from_state TEXT,
  to_state TEXT,
  pid INTEGER,
  expected INTEGER,
  exit_status INTEGER,
  spawn_err TEXT,
  observed INTEGER NOT NULL,
  payload TEXT,
  crash_stdout TEXT,
  crash_stderr TEXT
);
CREATE UNIQUE INDEX events_boot_serial ON events (boot, serial) WHERE serial IS NOT NULL;
CREATE INDEX events_series_time ON events (series, time);
CREATE INDEX events_time ON events (time);
CREATE INDEX events_type_time ON events (type, time);
CREATE INDEX events_exits ON events (series, time) WHERE to_state IN ('EXITED', 'FATAL');

CREATE TABLE process_hourly (
  series INTEGER NOT NULL REFERENCES series (id),
  hour INTEGER NOT NULL,
  starts INTEGER NOT NULL DEFAULT 0,
  unexpected_exits INTEGER NOT NULL DEFAULT 0,
  fatals INTEGER NOT NULL DEFAULT 0,
  running_ms INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (series, hour)
) WITHOUT ROWID;
CREATE INDEX process_hourly_hour ON process_hourly (hour);

CREATE TABLE process_daily (
  series INTEGER NOT NULL REFERENCES series (id),
  day INTEGER NOT NULL,
  starts INTEGER NOT NULL DEFAULT 0,
  unexpected_exits INTEGER NOT NULL DEFAULT 0,
  fatals INTEGER NOT NULL DEFAULT 0,
  running_ms INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (series, day)
) WITHOUT ROWID;
CREATE INDEX process_daily_day ON process_daily (day);

CREATE TABLE snapshot (
  agent TEXT NOT NULL,
  grp TEXT NOT NULL,
  name TEXT NOT NULL,
  state TEXT NOT NULL,
  statecode INTEGER NOT NULL,
  pid INTEGER NOT NULL,
  description TEXT NOT NULL,
  start INTEGER NOT NULL,
  stop INTEGER NOT NULL,
  exitstatus INTEGER NOT NULL,
  spawnerr TEXT NOT NULL,
  updated INTEGER NOT NULL,
  PRIMARY KEY (agent, grp, name)
) WITHOUT ROWID;

CREATE TABLE operations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user TEXT NOT NULL,
  started INTEGER NOT NULL,
  finished INTEGER,
  action TEXT NOT NULL,
  mode TEXT NOT NULL,
  selectors TEXT NOT NULL,
  status TEXT NOT NULL
);
CREATE INDEX operations_started ON operations (started);

CREATE TABLE operation_targets (
  id INTEGER PRIMARY KEY,
  op INTEGER NOT NULL REFERENCES operations (id) ON DELETE CASCADE,
  agent TEXT NOT NULL,
  process TEXT,
  result TEXT NOT NULL,
  message TEXT NOT NULL DEFAULT '',
  time INTEGER NOT NULL
);
CREATE INDEX operation_targets_op ON operation_targets (op);

CREATE TABLE users (
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  password_hash TEXT NOT NULL,
  created INTEGER NOT NULL
);

CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  user TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
  hash TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  created INTEGER NOT NULL,
  last_used INTEGER
);
CREATE INDEX tokens_user ON tokens (user);
`;

/**
 * (type, time) cost a scattered index write per event at ingest (a quarter
 * of the ingest time) for queries by type, which are rare and fast enough
 * through the time or per-series indexes.
 */
const DROP_TYPE_TIME_INDEX = `DROP INDEX IF EXISTS events_type_time;`;

/**
 * When the hub last reached each agent and which boot it saw there: after a
 * hub restart, a polled agent's stored table is diffed against the live one
 * only when the daemon is the same, and the gap marker says since when the
 * hub was not watching.
 */
const AGENT_CONTACT = `
CREATE TABLE agent_contact (
  agent TEXT PRIMARY KEY,
  boot TEXT NOT NULL,
  last_contact INTEGER NOT NULL
);
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', up: INITIAL },
  { version: 2, name: 'drop events_type_time', up: DROP_TYPE_TIME_INDEX },
  { version: 3, name: 'agent_contact', up: AGENT_CONTACT },
];
