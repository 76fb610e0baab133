/**
 * The hub API's shapes as the browser sees them (docs/hub-api.md), declared
 * once in the hub's API contract (hub/api/dto.ts) and re-exported under the
 * names the web view uses. Types only: the web view talks to the hub over
 * HTTP, and `import type` puts no hub code in the bundle.
 */
import type { OpAction as ApiAction } from '../../hub/api/dto.js';

export type {
  AgentChangeMessage as AgentChange,
  AgentHealth,
  AgentView as Agent,
  BatchProgress,
  DoneProgress,
  EventPage,
  HealthState,
  HubEvent,
  LoginAnswer,
  LogTail,
  NewToken,
  OperationAccepted,
  OperationDetail,
  OperationRecord,
  OperationRequest,
  OperationStatus,
  ProcessList,
  ProcessRow as Process,
  ProcessStats,
  Role,
  SnapshotMessage,
  Summary,
  SummaryRow,
  TargetProgress,
  TokenRecord,
  User,
  UserRecord,
} from '../../hub/api/dto.js';

/** The operations the web view offers (the API also takes clear and update). */
export type OpAction = Extract<ApiAction, 'start' | 'stop' | 'restart' | 'signal'>;
