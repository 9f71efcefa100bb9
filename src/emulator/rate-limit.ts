import type { EmulatorState } from './emulator-state.ts';
import { errorResponse } from './error-response.ts';
import { tooManyRequestsError } from './too-many-requests.ts';

/**
 * Charges `recipients` to the rate limit at `now` (emulator clock, ms).
 * @returns the 429 to answer with when the request must be refused (nothing is charged then), or
 *   `undefined` when there is no limit or the tokens were taken.
 */
export function chargeRateLimit(state: EmulatorState, recipients: number, now: number): Response | undefined {
  const { rateLimit } = state.options;
  if (rateLimit === false || state.rateBucket === undefined) return undefined;
  if (state.rateBucket.take(recipients, now)) return undefined;
  state.stats.rateLimited += 1;
  const headers: Record<string, string> =
    rateLimit.retryAfterSeconds === undefined ? {} : { 'retry-after': String(rateLimit.retryAfterSeconds) };
  return errorResponse(429, tooManyRequestsError(rateLimit.perSecond), headers);
}
