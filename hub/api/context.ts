/**
 * What the routes share: the hub's parts, handed to every route module, and
 * the per-route settings (the role a route needs) fastify carries for us.
 */
import type { HubConfig } from '../config.js';
import type { Fleet } from '../fleet/fleet.js';
import type { OperationsService } from '../ops/index.js';
import type { StoreSink } from '../sink.js';
import type { HubStore } from '../store/index.js';
import type { Role } from '../store/users.js';
import type { LogStreams } from './log-stream.js';
import type { SessionStore } from './sessions.js';
import type { LiveFeed } from './sse.js';

export interface ApiContext {
  store: HubStore;
  fleet: Fleet;
  ops: OperationsService;
  sink: StoreSink;
  config: HubConfig;
  sessions: SessionStore;
  feed: LiveFeed;
  logs: LogStreams;
  /** The built web view (dist/web). */
  webDir: string;
  /** Cookies get the Secure flag (the listener speaks TLS). */
  secureCookies: boolean;
}

/** Who made a request. */
export interface Identity {
  user: string;
  role: Role;
  /** 'cookie' requests that change state need the CSRF header. */
  via: 'cookie' | 'session-bearer' | 'token';
  /** The session token (cookie or bearer login token). */
  session?: string;
  tokenId?: string;
}

/** 'public': no credential needed. */
export type RouteAccess = Role | 'public';

declare module 'fastify' {
  /** Documentation kept with each route's schema, published by openapi.ts. */
  interface FastifySchema {
    summary?: string;
    tags?: string[];
  }
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    identity?: Identity;
  }
}
