const BRACKETED = /^Expo(?:nent)?PushToken\[[\s\S]*\]$/;
const UUID = /^[a-z\d]{8}-[a-z\d]{4}-[a-z\d]{4}-[a-z\d]{4}-[a-z\d]{12}$/i;

/**
 * The official SDK's token check: `ExponentPushToken[` or `ExpoPushToken[` … `]` (any content,
 * even none), or a UUID. Looser than the core `isExpoPushToken`, which also rejects empty brackets
 * and whitespace.
 */
export function isOfficialExpoPushToken(token: unknown): token is string {
  return typeof token === 'string' && (BRACKETED.test(token) || UUID.test(token));
}
