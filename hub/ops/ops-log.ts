/**
 * What operations need of the operations log: the store's OperationsLog
 * (hub/store/ops-log.ts) as it is, named here so tests and other hosts of
 * the service can hand in anything with the same shape.
 */
import type { OperationsLog } from '../store/ops-log.js';

export type OpsLog = Pick<OperationsLog, 'start' | 'recordTarget' | 'finish' | 'get' | 'list'>;

export type {
  NewOperation,
  OperationListFilter,
  OperationRecord,
  OperationStatus,
  OperationTarget,
  OperationWithTargets,
} from '../store/ops-log.js';
