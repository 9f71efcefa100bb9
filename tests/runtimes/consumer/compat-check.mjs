// The runtime-agnostic check of `expo-push-edge/compat`: the official SDK's API, run against the
// in-memory emulator that stands in for globalThis.fetch for the duration (the compat layer must
// look the global fetch up at call time, as code that intercepts it in tests expects).
const TOKEN = 'compat-access-token';
const UNREGISTERED = 'ExponentPushToken[compat-unregistered]';

/**
 * @param {Record<string, any>} compat - the `expo-push-edge/compat` module as the runtime loaded it
 * @param {Record<string, any>} emulatorModule - the `expo-push-edge/emulator` module
 */
export async function runCompatChecks(compat, emulatorModule) {
  const { Expo } = compat;
  const emulator = emulatorModule.createPushEmulator({ accessToken: TOKEN, unregisteredTokens: [UNREGISTERED] });
  const expo = new Expo({ accessToken: TOKEN, retryMinTimeout: 1 });
  const original = globalThis.fetch;
  globalThis.fetch = emulator.fetch;
  try {
    const recipients = Array.from({ length: 120 }, (_, i) => (i === 7 ? UNREGISTERED : `ExponentPushToken[compat-${i}]`));
    const messages = [{ to: recipients.slice(0, 101), body: 'many' }, ...recipients.slice(101).map((to) => ({ to, title: 'one' }))];
    const chunks = expo.chunkPushNotifications(messages);
    const tickets = [];
    for (const chunk of chunks) tickets.push(...(await expo.sendPushNotificationsAsync(chunk)));
    const ids = tickets.filter((t) => t.status === 'ok').map((t) => t.id);
    const receipts = {};
    for (const chunk of expo.chunkPushNotificationReceiptIds(ids)) Object.assign(receipts, await expo.getPushNotificationReceiptsAsync(chunk));
    let error;
    try {
      await new Expo({ accessToken: 'wrong' }).sendPushNotificationsAsync([{ to: recipients[0] }]);
    } catch (caught) {
      error = caught;
    }
    return {
      defaultIsExpo: compat.default === Expo,
      limits: [Expo.pushNotificationChunkSizeLimit, Expo.pushNotificationReceiptChunkSizeLimit],
      isToken: [Expo.isExpoPushToken(recipients[0]), Expo.isExpoPushToken('nope')],
      chunkSizes: chunks.map((chunk) => Expo._getActualMessageCount(chunk)),
      tickets: { count: tickets.length, plain: tickets.every((t) => Object.getPrototypeOf(t) === Object.prototype), failed: tickets.filter((t) => t.status === 'error').map((t) => t.details?.error) },
      receipts: { count: Object.keys(receipts).length, keyedByTicketIds: ids.every((id) => receipts[id]?.status === 'ok') },
      error: error && { isError: error instanceof Error, statusCode: error.statusCode, message: error.message.split(':')[0] },
      requests: emulator.requests.map((r) => `${r.endpoint} ${r.status}`),
    };
  } finally {
    globalThis.fetch = original;
  }
}
