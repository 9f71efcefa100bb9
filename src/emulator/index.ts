/**
 * A faithful local emulator of the Expo push service, for testing push senders without network
 * access. Web-standard APIs only: runs on Node, Deno, Bun, Cloudflare Workers and browsers.
 * @packageDocumentation
 */
export { createPushEmulator, type PushEmulator } from './push-emulator.ts';
export type { PushEmulatorOptions, MessageTooBigMode, EmulatorRateLimit } from './options.ts';
export type { EmulatorStats } from './emulator-stats.ts';
export type {
  EmulatorFault,
  EmulatorRespondFault,
  EmulatorDelayFault,
  EmulatorResetFault,
  InjectFaultOptions,
} from './fault.ts';
export { EMULATOR_FAULTS, tooManyRequestsFault } from './fault-presets.ts';
export { isEmulatorConnectionReset } from './connection-reset.ts';
export type { EmulatorNotification } from './notification.ts';
export type { EmulatorMessage } from './message.ts';
export type { EmulatorReceiptBody } from './receipt.ts';
export type { EmulatorTicket } from './ticket.ts';
export type { EmulatorRequestRecord } from './request-record.ts';
export type { EmulatorEndpoint } from './routes.ts';
export type { EmulatorRequestError } from './error-response.ts';
