import type { EmulatorRequestError } from './error-response.ts';

/** The service's documented rate: notifications (recipients) per second per project (contract §3). */
export const SERVICE_RATE_LIMIT_PER_SECOND = 600;

/**
 * The request-level error of a rate-limited send (contract §4.4, V6a). The service's message names
 * its own limit; the emulator names the configured one, which for 600 is the observed text verbatim.
 * @param perSecond - the limit that was exceeded. @default 600
 */
export function tooManyRequestsError(perSecond: number = SERVICE_RATE_LIMIT_PER_SECOND): EmulatorRequestError {
  return { code: 'TOO_MANY_REQUESTS', message: `Exceeded ${perSecond} notifications per second, please try again.` };
}
