import { checkOptionKeys, describeValue } from '../option-checks.ts';

export { checkOptionKeys, describeValue };

/** The longest `delaySeconds` Cloudflare Queues accept: 12 hours. */
export const MAX_QUEUE_DELAY_SECONDS = 43_200;

/**
 * A delay in seconds that Cloudflare Queues accept: a number from 0 to 12 hours. A larger one is
 * refused rather than clamped, so a misread setting (minutes for seconds) does not pass unnoticed.
 */
export function checkDelaySeconds(name: string, value: unknown): number {
  if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
    throw new TypeError(`${name} must be a non-negative number of seconds (got ${describeValue(value)})`);
  }
  if (value > MAX_QUEUE_DELAY_SECONDS) {
    throw new TypeError(`${name} must be at most ${MAX_QUEUE_DELAY_SECONDS} seconds (12 hours), the longest delay Cloudflare Queues accept (got ${value})`);
  }
  return value;
}

/** A count such as attempts: an integer of at least 1. */
export function checkPositiveInteger(name: string, value: unknown): number {
  if (!(typeof value === 'number' && Number.isInteger(value) && value >= 1)) throw new TypeError(`${name} must be a positive integer (got ${describeValue(value)})`);
  return value;
}

/** One of a few strings. */
export function checkOneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new TypeError(`${name} must be ${allowed.map((a) => `'${a}'`).join(' or ')} (got ${describeValue(value)})`);
  return value as T;
}

/** An optional callback: a function, or absent. */
export function checkCallback(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function') throw new TypeError(`${name} must be a function (got ${describeValue(value)})`);
}

/** Whether `value` is an object (or function) with a method of each of these names. */
export function hasMethods(value: unknown, ...names: string[]): boolean {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  return names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');
}
