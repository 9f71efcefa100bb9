/**
 * Node-only entry (`expo-push-edge/node`): the push emulator plus a loopback HTTP server for it.
 * @packageDocumentation
 */
export { serveEmulator, type ServeEmulatorOptions, type EmulatorServer } from './serve-emulator.ts';
export {
  createPushEmulator,
  type PushEmulator,
  type PushEmulatorOptions,
  type MessageTooBigMode,
  type EmulatorNotification,
  type EmulatorMessage,
  type EmulatorReceiptBody,
  type EmulatorTicket,
  type EmulatorRequestRecord,
  type EmulatorEndpoint,
  type EmulatorRequestError,
} from '../emulator/index.ts';
