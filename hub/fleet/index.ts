export { Fleet, type FleetOptions, type FleetEvents, type AgentChange } from './fleet.js';
export { AgentConnector, type ConnectorDeps } from './connector.js';
export { MemorySink } from './memory-sink.js';
export { Backoff } from './backoff.js';
export { classifyFailure } from './health.js';
export type { EventSink, LastKnownTable, Clock, ConnectorTimeouts, BackoffOptions } from './types.js';
export type { AgentCallOptions } from './session.js';
