/**
 * Node-only entry (`expo-push-edge/node`): everything of `expo-push-edge/emulator`, plus a loopback
 * HTTP server for it.
 * @packageDocumentation
 */
export { serveEmulator, type ServeEmulatorOptions, type EmulatorServer } from './serve-emulator.ts';
export * from '../emulator/index.ts';
