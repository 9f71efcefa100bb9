import { PushValidationError, type PushValidationIssue } from './errors/push-validation-error.ts';
import { isPlainObject } from './json-value.ts';

/** A receipt id, or anything carrying one: a `PushTicket` or a ticket read back as JSON. */
export type ReceiptIdSource = string | { readonly id?: string | undefined; readonly token?: string | undefined; readonly status?: string };

/** The ids to look up, each once and in first-seen order, and the token each belongs to, when known. */
export interface ReceiptIdList {
  readonly ids: string[];
  readonly tokens: Map<string, string>;
}

/**
 * Reads receipt ids from strings and tickets. Tickets without an `id` (most error tickets) and
 * `publishStream` failures are skipped; anything else that carries no id, such as a Promise of a ticket that was never awaited,
 * is reported with its position rather than quietly treated as "no receipt yet".
 *
 * @throws {PushValidationError} listing every entry that is neither an id nor a ticket.
 */
export function collectReceiptIds(sources: readonly unknown[]): ReceiptIdList {
  const ids = new Set<string>();
  const tokens = new Map<string, string>();
  const issues: PushValidationIssue[] = [];
  sources.forEach((source, index) => {
    if (typeof source === 'string') {
      if (source === '') issues.push({ index, path: '', message: 'must be a non-empty receipt id' });
      else ids.add(source);
      return;
    }
    if (typeof (source as { then?: unknown } | null)?.then === 'function') {
      issues.push({ index, path: '', message: 'is a Promise: await the ticket before looking up its receipt' });
      return;
    }
    if (typeof source !== 'object' || source === null || (!isPlainObject(source) && !('status' in source))) {
      issues.push({ index, path: '', message: `must be a receipt id or a ticket (received ${describe(source)})` });
      return;
    }
    const { id, token, status } = source as { id?: unknown; token?: unknown; status?: unknown };
    if (typeof id === 'string' && id !== '') {
      ids.add(id);
      if (typeof token === 'string') tokens.set(id, token);
    } else if (id !== undefined) issues.push({ index, path: 'id', message: `must be a non-empty string (received ${describe(id)})` });
    // Tickets without an id (most error tickets) and publishStream's failures have no receipt.
    else if (status === undefined && !('error' in source)) {
      issues.push({ index, path: '', message: 'must be a receipt id or a ticket, but has neither id nor status' });
    }
  });
  if (issues.length > 0) throw new PushValidationError(issues, 'receipt id');
  return { ids: [...ids], tokens };
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && value !== null) return value.constructor?.name ?? 'Object';
  return String(value);
}
