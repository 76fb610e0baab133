/** The targets of operations started from this page, so their progress view can list every target before the first result. */
import type { OperationAccepted } from './types.js';

const accepted = new Map<number, OperationAccepted>();

export function rememberOperation(operation: OperationAccepted): void {
  accepted.set(operation.id, operation);
}

export function acceptedOperation(id: number): OperationAccepted | undefined {
  return accepted.get(id);
}
