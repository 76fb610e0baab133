/**
 * Compile-time proof that what the hub's store, operations and live feed
 * (those that keep types of their own; users and tokens use dto.ts directly)
 * hand to the routes fits the wire shapes of dto.ts (the routes serialise
 * them as they are). Types only: `tsc` fails here when one side changes
 * without the other. Kept apart from dto.ts so that the web view, which
 * type-checks dto.ts, never reads hub internals.
 */
import type { AgentChange } from '../fleet/fleet.js';
import type * as Ops from '../ops/types.js';
import type { OperationStatus, OperationTarget, OperationWithTargets } from '../store/ops-log.js';
import type { FlappingProcess } from '../store/summaries.js';
import type * as Wire from './dto.js';
import type { LogChannel } from './log-stream.js';
import type { FeedKind } from './sse.js';

/** Compiles only when Produced can be sent as Wire. */
type Fits<Produced extends Wire, Wire> = [Produced, Wire];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type IsTrue<T extends true> = T;

export type Conformance = [
  IsTrue<Same<OperationStatus, Wire.OperationStatus>>,
  Fits<OperationTarget, Wire.OperationResult>,
  // The log keeps selectors as JSON of unknown shape; the API only ever stores the request's string list.
  Fits<Omit<OperationWithTargets, 'selectors'>, Omit<Wire.OperationDetail, 'selectors' | 'counts' | 'batches'>>,
  IsTrue<Same<Ops.OpAction, Wire.OpAction>>,
  IsTrue<Same<Ops.OpMode, Wire.OpMode>>,
  // A client's body, once the schema has filled the default mode, is what the operations take.
  Fits<Wire.OperationRequest & { mode: Wire.OpMode }, Omit<Ops.OperationRequest, 'user'>>,
  IsTrue<Same<keyof Wire.OperationRequest, Exclude<keyof Ops.OperationRequest, 'user'>>>,
  IsTrue<Same<Ops.OutcomeCounts, Wire.OutcomeCounts>>,
  IsTrue<Same<Ops.ProgressEvent, Wire.ProgressMessage>>,

  Fits<FlappingProcess, Wire.FlappingProcess>,
  IsTrue<Same<FeedKind, Wire.FeedKind>>,
  IsTrue<Same<keyof Wire.FeedMessages, Wire.FeedKind>>,
  IsTrue<Same<AgentChange, Wire.AgentChangeKind>>,
  IsTrue<Same<LogChannel, Wire.LogChannel>>,
];
