import type { EmulatorMessage } from './message.ts';

const encoder = new TextEncoder();

/**
 * Size in UTF-8 bytes of what the emulator treats as the provider payload: the message without
 * `to`, serialised with `JSON.stringify`. The real service measures the APNs/FCM payload it builds,
 * which is larger; this is a deterministic stand-in the client can reason about.
 */
export function payloadSizeBytes(message: EmulatorMessage): number {
  const { to: _to, ...payload } = message;
  return encoder.encode(JSON.stringify(payload)).byteLength;
}
