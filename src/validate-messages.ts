import * as v from 'valibot';
import { PushValidationError, type PushValidationIssue } from './errors/push-validation-error.ts';
import { findNonJsonValue, formatKey, isPlainObject } from './json-value.ts';
import { KNOWN_MESSAGE_FIELDS, pushMessageSchema } from './message-schema.ts';
import type { PushMessage } from './push-message.ts';

/**
 * Checks every message against the contract and returns them ready for the wire, or throws one
 * {@link PushValidationError} listing every problem in every message.
 */
export function validateMessages(messages: readonly unknown[]): PushMessage[] {
  const issues: PushValidationIssue[] = [];
  const valid: PushMessage[] = [];
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index];
    const result = v.safeParse(pushMessageSchema, message);
    const before = issues.length;
    if (!result.success) for (const issue of result.issues) issues.push({ index, path: formatPath(issue), message: describe(issue) });
    if (isPlainObject(message)) issues.push(...unknownFieldIssues(index, message));
    if (issues.length === before) valid.push(wireMessage(message as PushMessage));
  }
  if (issues.length > 0) throw new PushValidationError(issues);
  return valid;
}

/**
 * The message as it goes on the wire: `undefined` and `null` optional fields are dropped (except
 * `sound: null`, which the service accepts); every other value, `""`, `0` and `false` included,
 * goes out verbatim. Returns the caller's own object when there is nothing to drop.
 */
export function wireMessage(message: PushMessage): PushMessage {
  let hasDroppable = false;
  for (const key in message) {
    if (isDroppable(key, message[key])) {
      hasDroppable = true;
      break;
    }
  }
  if (!hasDroppable) return message;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(message)) {
    const value = message[key];
    if (!isDroppable(key, value)) Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return copy as PushMessage;
}

/**
 * Fields the schema does not know go out unchanged, so they must at least be JSON: a BigInt or a
 * cycle would otherwise fail one request halfway through a batch, and a function would vanish.
 */
function unknownFieldIssues(index: number, message: Record<string, unknown>): PushValidationIssue[] {
  const issues: PushValidationIssue[] = [];
  for (const key of Object.keys(message)) {
    const value = message[key];
    if (KNOWN_MESSAGE_FIELDS.has(key) || isDroppable(key, value)) continue;
    const found = findNonJsonValue(value);
    if (found) issues.push({ index, path: `${formatKey(key).replace(/^\./, '')}${found.path}`, message: `is not JSON: ${found.problem}` });
  }
  return issues;
}

function isDroppable(key: string, value: unknown): boolean {
  return value === undefined || (value === null && key !== 'sound');
}

function formatPath(issue: v.BaseIssue<unknown>): string {
  let path = '';
  for (const item of issue.path ?? []) {
    if (typeof item.key === 'number') path += `[${item.key}]`;
    else path += formatKey(String(item.key));
  }
  return path.startsWith('.') ? path.slice(1) : path;
}

function describe(issue: v.BaseIssue<unknown>): string {
  // A missing required key reports the object's expectation; say plainly which field is missing.
  if (issue.kind === 'schema' && issue.received === 'undefined' && issue.path?.at(-1)?.key === 'to') {
    return 'is required: an Expo push token or a non-empty array of them';
  }
  return issue.message;
}
