// `[^\s\[\]]+` rather than the Node SDK's looser prefix/suffix check: a token with spaces or nested
// brackets is never minted by Expo, and the emulator should flag what the client lets through.
const BRACKETED_TOKEN = /^Expo(nent)?PushToken\[[^\s\[\]]+\]$/;
const UUID_TOKEN = /^[a-z\d]{8}-[a-z\d]{4}-[a-z\d]{4}-[a-z\d]{4}-[a-z\d]{12}$/i;

/**
 * Whether `value` has the shape of an Expo push token (contract §8):
 * `ExponentPushToken[…]`, `ExpoPushToken[…]` or a bare UUID.
 */
export function isExpoPushToken(value: unknown): value is string {
  return typeof value === 'string' && (BRACKETED_TOKEN.test(value) || UUID_TOKEN.test(value));
}
