/**
 * What a connector needs from the rest of the hub. The SQLite store
 * (hub/store) implements EventSink; MemorySink is the stand-in for tests.
 */
import type { AgentHealth, HubEvent, ProcessSnapshot } from '../types.js';

export interface EventSink {
  /** The agent's subscription cursor as last stored with ingest, if any. */
  getCursor(agent: string): string | undefined;
  /**
   * Stores `events` and, when given, the cursor they bring the agent to, in
   * ONE transaction: after a crash either both are stored or neither, which
   * is what makes a resumed subscription lose nothing and store nothing twice.
   * Without a cursor the stored cursor is left as it is.
   */
  ingest(agent: string, events: HubEvent[], cursor?: string): void;
  /** The agent's whole process table, replacing what was known. */
  replaceSnapshot(agent: string, rows: ProcessSnapshot[]): void;
  /** One changed (or new) row of the agent's process table. */
  updateSnapshot(agent: string, row: ProcessSnapshot): void;
  /**
   * The agent's health changed (state, version, error, …) or its last
   * contact moved on. A store keeps the last contact and boot for lastKnown.
   */
  onHealth(health: AgentHealth): void;
  /**
   * What the sink kept of the agent from before this connector started (a
   * hub restart): its table, and the boot and time of the last recorded
   * contact. A connector reads it once at start; a polled agent's first table
   * is diffed against it; undefined (nothing kept) makes it a plain snapshot.
   */
  lastKnown(agent: string): LastKnownTable | undefined;
}

export interface LastKnownTable {
  rows: ProcessSnapshot[];
  /** The agent's boot at the last recorded contact, when one was recorded. */
  boot?: string;
  /** Epoch ms of the last recorded contact, when one was recorded. */
  lastContact?: number;
}

/** Source of wall-clock time, swappable in tests. Epoch milliseconds. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface ConnectorTimeouts {
  /** Timeout of every short call (handshake, getAllProcessInfo, tails). */
  callMs: number;
  /** waitSeconds of a fleetvisor.getEvents long-poll; its timeout is this plus callMs. */
  longPollSeconds: number;
}

export interface BackoffOptions {
  /** First delay after a failure (default 500 ms). */
  initialMs?: number;
  /** Delays never grow past this (default 30 s). */
  maxMs?: number;
  /** Growth per failure (default 2). */
  factor?: number;
  /** Fraction of each delay drawn at random, to spread reconnects of many agents (default 0.2). */
  jitter?: number;
  /** Defaults to Math.random. */
  random?: () => number;
}
