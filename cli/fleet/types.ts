/**
 * The shapes of the hub's answers that fleet mode reads (docs/hub-api.md),
 * declared once in the hub's API contract. Types only: fleet mode talks to
 * the hub over HTTP, and `import type` leaves no hub code in the CLI.
 */
export type {
  AgentView,
  EventPage,
  FlappingList,
  HubEvent as HubEventView,
  LoginAnswer,
  NewToken,
  OperationAccepted,
  OpAction,
  ProcessList as ProcessesAnswer,
  ProcessRow,
  ProgressMessage,
  SummaryRow,
} from '../../hub/api/dto.js';
