// Deterministic, realistic push messages: title, body, a small data object, a mix of
// single-recipient messages and messages whose `to` is an array of tokens. Both clients get the
// exact same messages (same seed), built before the measured phase starts.

const TITLES = ['Your order shipped', 'New message', 'Reminder', 'Price drop', 'Weekly digest', 'Security alert'];
const BODIES = [
  'Tap to see the details.',
  'You have a new reply in the thread you follow.',
  'Your appointment is tomorrow at 10:00.',
  'An item on your wish list is now 20 % off.',
  'Here is what happened this week.',
  'A new sign-in to your account was detected.',
];
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** mulberry32: a tiny seeded PRNG, so every run and both clients see the same messages. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A well-formed, unique `ExponentPushToken[…]` (22 base-62 characters) for recipient `n`. */
export function tokenFor(n) {
  let id = '';
  for (let v = n + 1, i = 0; i < 22; i++) {
    id = ALPHABET[v % 62] + id;
    v = Math.floor(v / 62);
  }
  return `ExponentPushToken[${id}]`;
}

/**
 * The messages of {@link buildMessages}, one at a time, made only as they are read: the same seed
 * gives the same messages in the same order, so a streaming client and one that holds the array
 * send exactly the same recipients. About 60 % of the messages are single-recipient; the others
 * address 2–25 tokens at once (so roughly a fifth of the recipients are in single-recipient messages).
 * @returns {Generator<object>}
 */
export function* generateMessages(recipients, seed = 42) {
  const random = prng(seed);
  let next = 0;
  let count = 0;
  while (next < recipients) {
    const size = random() < 0.6 ? 1 : Math.min(recipients - next, 2 + Math.floor(random() * 24));
    const tokens = Array.from({ length: size }, () => tokenFor(next++));
    const kind = Math.floor(random() * TITLES.length);
    yield {
      to: size === 1 ? tokens[0] : tokens,
      title: TITLES[kind],
      body: BODIES[kind],
      data: { kind, id: `evt_${count}`, url: `myapp://inbox/${count}` },
      ...(random() < 0.5 ? { sound: 'default' } : {}),
      ...(random() < 0.3 ? { priority: 'high', channelId: 'alerts' } : {}),
    };
    count++;
  }
}

/**
 * Messages addressing exactly `recipients` distinct tokens, all built up front (see
 * {@link generateMessages} for the mix).
 * @returns {{ messages: object[], recipients: number }}
 */
export function buildMessages(recipients, seed = 42) {
  return { messages: [...generateMessages(recipients, seed)], recipients };
}

/** Recipients a message addresses. */
export const recipientCount = (message) => (Array.isArray(message.to) ? message.to.length : 1);
