// The batch every runtime sends, and the request bodies it must produce. Plain, dependency-free
// ESM: imported by the runtime under test (through check.mjs) and by the Node parent that checks
// the emulator's request log.

/** The access token the emulator is configured with; requests without it are refused with 401. */
export const ACCESS_TOKEN = 'runtime-test-access-token';

/** A well-formed token the emulator answers with a `DeviceNotRegistered` ticket. */
export const UNREGISTERED_TOKEN = 'ExponentPushToken[runtime-test-unregistered]';

/** Recipients per send request, as the service allows (the SDK's MAX_RECIPIENTS_PER_REQUEST). */
export const RECIPIENTS_PER_REQUEST = 100;

/** Position of {@link UNREGISTERED_TOKEN} among the batch's recipients. */
export const UNREGISTERED_INDEX = 57;

const token = (n) => `ExponentPushToken[rt-${String(n).padStart(4, '0')}]`;

/**
 * 260 recipients in 161 messages: 120 single-recipient messages, then one message whose `to`
 * holds 100 tokens (it straddles the 200th recipient, so the SDK must split it across two requests
 * with its other fields intact), then 40 more single ones. Non-ASCII text throughout, so the
 * byte-for-byte comparison covers UTF-8. Three send requests (100, 100, 60 recipients), each well
 * over the SDK's 1 KiB gzip threshold.
 * @returns {Array<Record<string, unknown>>}
 */
export function makeBatch() {
  const messages = [];
  let n = 0;
  for (let i = 0; i < 120; i++, n++) {
    messages.push({
      to: n === UNREGISTERED_INDEX ? UNREGISTERED_TOKEN : token(n),
      title: `Bestellung ${i} versandt 📦`,
      body: 'Ankunft am Donnerstag — “Grüße” ✓',
      data: { orderId: `A-${i}`, tags: ['é', '日本', i] },
    });
  }
  const fanOut = [];
  for (let i = 0; i < 100; i++, n++) fanOut.push(token(n));
  messages.push({ to: fanOut, body: 'Breaking: 🌋 eruption', priority: 'high', sound: 'default', ttl: 3600 });
  for (let i = 0; i < 40; i++, n++) {
    messages.push({ to: token(n), body: `Reminder ${i}`, channelId: 'reminders', badge: i, sound: null });
  }
  return messages;
}

/** Every recipient's token, in order (one per ticket). */
export function recipientsOf(messages) {
  return messages.flatMap((message) => (typeof message.to === 'string' ? [message.to] : message.to));
}

/**
 * The exact JSON of each send request, derived from the documented wire behaviour rather than from
 * the SDK's code: requests of at most 100 recipients in input order; consecutive recipients of one
 * message share a wire message whose `to` lists them (a string `to` stays a string), every other
 * field intact and in its place.
 * @returns {string[]}
 */
export function expectedSendBodies(messages) {
  const recipients = messages.flatMap((message) =>
    typeof message.to === 'string' ? [{ message, token: message.to }] : message.to.map((t) => ({ message, token: t })),
  );
  const bodies = [];
  for (let start = 0; start < recipients.length; start += RECIPIENTS_PER_REQUEST) {
    const wire = [];
    let current;
    for (const { message, token: t } of recipients.slice(start, start + RECIPIENTS_PER_REQUEST)) {
      if (typeof message.to === 'string') {
        wire.push(message);
        current = undefined;
      } else if (current?.message === message) {
        current.to.push(t);
      } else {
        current = { message, to: [t] };
        wire.push({ ...message, to: current.to });
      }
    }
    bodies.push(JSON.stringify(wire));
  }
  return bodies;
}
