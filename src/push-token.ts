const BRACKETED_TOKEN = /^Expo(?:nent)?PushToken\[[^\s\]]+\]$/;
const UUID_TOKEN = /^[a-z\d]{8}-[a-z\d]{4}-[a-z\d]{4}-[a-z\d]{4}-[a-z\d]{12}$/i;

/**
 * Whether `value` looks like an Expo push token: `ExponentPushToken[…]` or `ExpoPushToken[…]` with
 * non-empty bracket content and no whitespace, or the UUID form the official SDK also accepts.
 * Raw FCM and APNs device tokens are not Expo push tokens.
 *
 * @example
 * isExpoPushToken('ExponentPushToken[K-vKTfJIqUj18C0t_Yq_AT]'); // true
 * isExpoPushToken('ExponentPushToken[]'); // false
 */
export function isExpoPushToken(value: unknown): value is string {
  return typeof value === 'string' && (BRACKETED_TOKEN.test(value) || UUID_TOKEN.test(value));
}
