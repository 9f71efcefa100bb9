import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createPushEmulator, type PushEmulator, type PushEmulatorOptions } from '../src/emulator/index.ts';
import { ReceiptStore } from '../src/emulator/receipt-store.ts';

const SEND = 'https://exp.host/--/api/v2/push/send';
const RECEIPTS = 'https://exp.host/--/api/v2/push/getReceipts';
const JSON_TYPE = 'application/json; charset=utf-8';
const AN_ID = expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/contract/${name}.json`, import.meta.url), 'utf8'));
const tok = (name: string): string => `ExponentPushToken[${name}]`;

interface Answer {
  status: number;
  contentType: string | null;
  body: unknown;
}

function post(url: string, body: BodyInit | null, headers: Record<string, string> = {}): Request {
  return new Request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

async function answer(emulator: PushEmulator, request: Request): Promise<Answer> {
  const response = await emulator.fetch(request);
  return { status: response.status, contentType: response.headers.get('content-type'), body: await response.json() };
}

const send = (emulator: PushEmulator, body: unknown, headers?: Record<string, string>): Promise<Answer> =>
  answer(emulator, post(SEND, JSON.stringify(body), headers));
const sendRaw = (emulator: PushEmulator, text: string): Promise<Answer> => answer(emulator, post(SEND, text));
const getReceipts = (emulator: PushEmulator, ids: unknown, headers?: Record<string, string>): Promise<Answer> =>
  answer(emulator, post(RECEIPTS, JSON.stringify({ ids }), headers));

const ok = (body: unknown): Answer => ({ status: 200, contentType: JSON_TYPE, body });
const failure = (status: number, code: string, message: unknown, details?: unknown): Answer => ({
  status,
  contentType: JSON_TYPE,
  body: { errors: [details === undefined ? { code, message } : { code, message, details }] },
});

async function gzip(text: string): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function ticketIds(result: Answer): string[] {
  return ((result.body as { data: Array<{ id?: string }> }).data).map((ticket) => ticket.id ?? '');
}

function clock(start = 1_000): { now: () => number; set: (ms: number) => void } {
  let current = start;
  return { now: () => current, set: (ms) => (current = ms) };
}

describe('createPushEmulator', () => {
  describe('send', () => {
    it('answers the documented batch (V1) with one ok ticket per recipient in order', async () => {
      const emulator = createPushEmulator();
      const result = await send(emulator, fixture('v1-send-request-multi-recipient'));
      expect(result).toEqual(ok({ data: [{ status: 'ok', id: AN_ID }, { status: 'ok', id: AN_ID }, { status: 'ok', id: AN_ID }, { status: 'ok', id: AN_ID }] }));
      expect(new Set(ticketIds(result)).size).toBe(4);
    });

    it('records each accepted recipient with the message exactly as sent', async () => {
      const time = clock(5_000);
      const emulator = createPushEmulator({ now: time.now });
      const multi = { to: [tok('a'), tok('b')], body: 'Breaking news!', custom: { nested: [1, 'x'] } };
      const lone = { to: tok('c'), title: 'Hi' };
      const result = await send(emulator, [multi, lone]);
      const [idA, idB, idC] = ticketIds(result);
      expect(emulator.notifications).toEqual([
        { id: idA, token: tok('a'), message: multi, project: '@emulator/app', receivedAt: 5_000 },
        { id: idB, token: tok('b'), message: multi, project: '@emulator/app', receivedAt: 5_000 },
        { id: idC, token: tok('c'), message: lone, project: '@emulator/app', receivedAt: 5_000 },
      ]);
    });

    it('returns a single ticket object when the body is one message with a string to', async () => {
      const emulator = createPushEmulator();
      expect(await send(emulator, { to: tok('a'), body: 'x' })).toEqual(ok({ data: { status: 'ok', id: AN_ID } }));
    });

    it('returns a single error ticket object when the lone token is malformed', async () => {
      const emulator = createPushEmulator();
      expect(await send(emulator, { to: 'nope' })).toEqual(
        ok({
          data: {
            status: 'error',
            message: '"nope" is not a valid Expo push token',
            details: { error: 'DeviceNotRegistered', expoPushToken: 'nope' },
          },
        }),
      );
    });

    it('returns an array when the body is one message whose to is an array', async () => {
      const emulator = createPushEmulator();
      expect(await send(emulator, { to: [tok('a')] })).toEqual(ok({ data: [{ status: 'ok', id: AN_ID }] }));
    });

    it('answers an empty array with an empty data array', async () => {
      const emulator = createPushEmulator();
      expect(await send(emulator, [])).toEqual(ok({ data: [] }));
      expect(emulator.notifications).toEqual([]);
    });

    it('answers a message whose to is an empty array with no tickets', async () => {
      const emulator = createPushEmulator();
      expect(await send(emulator, [{ to: [] }])).toEqual(ok({ data: [] }));
    });

    it('accepts every documented token form', async () => {
      const emulator = createPushEmulator();
      const tokens = [
        'ExponentPushToken[K-vKTfJIqUj18C0t_Yq_AT]',
        'ExpoPushToken[xxxxxxxxxxxxxxxxxxxxxx]',
        'f2a1b3c4-d5e6-4f70-8a9b-0c1d2e3f4a5b',
        'F2A1B3C4-D5E6-4F70-8A9B-0C1D2E3F4A5B',
      ];
      expect(await send(emulator, [{ to: tokens }])).toEqual(ok({ data: tokens.map(() => ({ status: 'ok', id: AN_ID })) }));
    });

    it('answers malformed tokens with a DeviceNotRegistered ticket and no notification', async () => {
      const emulator = createPushEmulator();
      const bad = ['', 'not-a-token', 'ExponentPushToken[]', 'ExponentPushToken[a b]', 'ExponentPushToken[a]b]', 'ExponentPushToken[abc', 'fcm-raw-device-token', 'f2a1b3c4-d5e6-4f70-8a9b-0c1d2e3f4a5'];
      const result = await send(emulator, [{ to: bad }]);
      expect(result).toEqual(
        ok({
          data: bad.map((token) => ({
            status: 'error',
            message: `"${token}" is not a valid Expo push token`,
            details: { error: 'DeviceNotRegistered', expoPushToken: token },
          })),
        }),
      );
      expect(emulator.notifications).toEqual([]);
    });

    it('answers unregistered tokens with a DeviceNotRegistered ticket among ok ones', async () => {
      const emulator = createPushEmulator({ unregisteredTokens: new Set([tok('gone')]) });
      emulator.markUnregistered(tok('later'));
      const result = await send(emulator, [{ to: tok('gone') }, { to: [tok('fine'), tok('later')] }]);
      const unregistered = (token: string) => ({
        status: 'error',
        message: `"${token}" is not a registered push notification recipient`,
        details: { error: 'DeviceNotRegistered', expoPushToken: token },
      });
      expect(result).toEqual(ok({ data: [unregistered(tok('gone')), { status: 'ok', id: AN_ID }, unregistered(tok('later'))] }));
      expect(emulator.notifications.map((n) => n.token)).toEqual([tok('fine')]);
    });

    it('accepts every known field with a valid value and keeps unknown fields verbatim', async () => {
      const emulator = createPushEmulator();
      const message = {
        to: tok('a'),
        data: { k: 'v', n: [1, 2] },
        title: 't',
        body: 'b',
        subtitle: 's',
        ttl: 60,
        expiration: 1_700_000_000,
        priority: 'high',
        sound: { critical: true, name: 'bells.wav', volume: 0.5 },
        badge: 0,
        interruptionLevel: 'time-sensitive',
        channelId: 'c',
        icon: 'i',
        richContent: { image: 'https://example.com/a.png' },
        categoryId: 'cat',
        mutableContent: true,
        collapseId: 'col',
        tag: 'tag',
        _contentAvailable: false,
        _displayInForeground: true,
        _category: '@me/app:cat',
        futureField: { anything: [null, true] },
      };
      expect(await send(emulator, [message])).toEqual(ok({ data: [{ status: 'ok', id: AN_ID }] }));
      expect(emulator.notifications[0]?.message).toEqual(message);
    });

    it.each([
      ['a string', 'default'],
      ['null', null],
      ['an object', {}],
    ])('accepts sound as %s', async (_label, sound) => {
      const emulator = createPushEmulator();
      expect(await send(emulator, [{ to: tok('a'), sound }])).toEqual(ok({ data: [{ status: 'ok', id: AN_ID }] }));
    });
  });

  describe('send validation', () => {
    it.each([
      ['the body is not JSON', '[{"to":', '"value" must be valid JSON'],
      ['the body is empty', '', '"value" must be valid JSON'],
      ['the body is a number', '42', '"value" must be an object or an array of objects'],
      ['the body is null', 'null', '"value" must be an object or an array of objects'],
      ['the body is a string', '"ExponentPushToken[a]"', '"value" must be an object or an array of objects'],
      ['an element is not an object', '[{"to":"ExponentPushToken[a]"},[],"x"]', '"[1]" must be of type object'],
      ['an element is null', '[null]', '"[0]" must be of type object'],
      ['to is missing', '[{"to":"ExponentPushToken[a]"},{"body":"x"}]', '"[1].to" is required'],
      ['to is a number', '[{"to":1}]', '"[0].to" must be a string or an array of strings'],
      ['to is null', '[{"to":null}]', '"[0].to" must be a string or an array of strings'],
      ['to holds a non-string', '[{"to":"ExponentPushToken[a]"},{"to":"ExponentPushToken[b]"},{"to":"ExponentPushToken[c]"},{"to":["ExponentPushToken[d]",5]}]', '"[3].to" must be a string or an array of strings'],
      ['to is an object', '[{"to":{"token":"ExponentPushToken[a]"}}]', '"[0].to" must be a string or an array of strings'],
      ['a single message lacks to', '{"body":"x"}', '"to" is required'],
      ['a single message has a bad field', '{"to":"ExponentPushToken[a]","badge":"1"}', '"badge" must be a number'],
    ])('answers 400 VALIDATION_ERROR when %s', async (_label, text, message) => {
      const emulator = createPushEmulator();
      expect(await sendRaw(emulator, text)).toEqual(failure(400, 'VALIDATION_ERROR', message));
      expect(emulator.notifications).toEqual([]);
    });

    it.each([
      ['data', [1], 'must be of type object'],
      ['data', null, 'must be of type object'],
      ['data', 'x', 'must be of type object'],
      ['title', 1, 'must be a string'],
      ['body', null, 'must be a string'],
      ['subtitle', false, 'must be a string'],
      ['ttl', '60', 'must be a number'],
      ['expiration', null, 'must be a number'],
      ['priority', 'urgent', 'must be one of [default, normal, high]'],
      ['priority', 10, 'must be one of [default, normal, high]'],
      ['sound', 1, 'must be a string, null or an object'],
      ['sound', ['default'], 'must be a string, null or an object'],
      ['badge', '1', 'must be a number'],
      ['interruptionLevel', 'loud', 'must be one of [active, critical, passive, time-sensitive]'],
      ['channelId', 1, 'must be a string'],
      ['icon', {}, 'must be a string'],
      ['richContent', 'https://example.com/a.png', 'must be of type object'],
      ['richContent', [], 'must be of type object'],
      ['categoryId', 1, 'must be a string'],
      ['mutableContent', 'true', 'must be a boolean'],
      ['collapseId', 1, 'must be a string'],
      ['tag', 1, 'must be a string'],
      ['_contentAvailable', 1, 'must be a boolean'],
      ['_displayInForeground', 'yes', 'must be a boolean'],
      ['_category', 1, 'must be a string'],
    ])('answers 400 VALIDATION_ERROR naming the position when %s is %j', async (field, value, expectation) => {
      const emulator = createPushEmulator();
      const body = [{ to: tok('a') }, { to: tok('b'), [field]: value }];
      expect(await send(emulator, body)).toEqual(failure(400, 'VALIDATION_ERROR', `"[1].${field}" ${expectation}`));
    });

    it('reports the first invalid message and its first invalid field', async () => {
      const emulator = createPushEmulator();
      const body = [{ to: tok('a') }, { to: tok('b'), badge: 'x', title: 2 }, { to: 3 }];
      expect(await send(emulator, body)).toEqual(failure(400, 'VALIDATION_ERROR', '"[1].title" must be a string'));
    });
  });

  describe('send limits', () => {
    it('answers 400 PUSH_TOO_MANY_NOTIFICATIONS when a request has more than 100 recipients', async () => {
      const emulator = createPushEmulator();
      const body = [
        ...Array.from({ length: 50 }, (_, i) => ({ to: tok(`m${i}`) })),
        { to: Array.from({ length: 50 }, (_, i) => tok(`t${i}`)) },
        { to: 'malformed-counts-too' },
      ];
      expect(await send(emulator, body)).toEqual(
        failure(
          400,
          'PUSH_TOO_MANY_NOTIFICATIONS',
          'You can send a maximum of 100 notifications per request (received 101); divide your requests.',
        ),
      );
      expect(emulator.notifications).toEqual([]);
    });

    it('accepts exactly 100 recipients', async () => {
      const emulator = createPushEmulator();
      const body = [{ to: Array.from({ length: 99 }, (_, i) => tok(`t${i}`)) }, { to: tok('last') }];
      const result = await send(emulator, body);
      expect(result).toEqual(ok({ data: Array.from({ length: 100 }, () => ({ status: 'ok', id: AN_ID })) }));
    });

    it('answers 400 PUSH_TOO_MANY_EXPERIENCE_IDS with each project and its tokens when projects mix', async () => {
      const projectOf = (token: string): string => (token.includes('[b') ? '@owner/beta' : '@owner/alpha');
      const emulator = createPushEmulator({ projectOf });
      const body = [
        { to: [tok('a1'), tok('b1')] },
        { to: 'malformed' },
        { to: [tok('a2'), tok('a1'), tok('b2')] },
        { to: tok('b1') },
      ];
      expect(await send(emulator, body)).toEqual(
        failure(
          400,
          'PUSH_TOO_MANY_EXPERIENCE_IDS',
          'All push notification messages in the same request must be for the same project; check the details field to investigate conflicting tokens.',
          { '@owner/alpha': [tok('a1'), tok('a2')], '@owner/beta': [tok('b1'), tok('b2')] },
        ),
      );
      expect(emulator.notifications).toEqual([]);
    });

    it('records the project projectOf assigns when all tokens share it', async () => {
      const emulator = createPushEmulator({ projectOf: () => '@owner/only' });
      await send(emulator, [{ to: [tok('a'), 'bad'] }]);
      expect(emulator.notifications.map((n) => n.project)).toEqual(['@owner/only']);
    });
  });

  describe('payload size', () => {
    // `{"data":{"s":""}}` is 17 bytes; each "é" is 2 UTF-8 bytes but 1 UTF-16 unit.
    const atLimit = { to: tok('a'), data: { s: `${'é'.repeat(2039)}x` } };
    const overLimit = { to: tok('b'), data: { s: 'é'.repeat(2040) } };
    const tooBigMessage = 'Message is 4097 bytes, which exceeds the maximum payload size of 4096 bytes; shrink its data, title or body.';

    it('accepts a payload of exactly the limit measured in UTF-8 bytes and reports MessageTooBig in the receipt above it', async () => {
      const emulator = createPushEmulator();
      const result = await send(emulator, [atLimit, overLimit]);
      expect(result).toEqual(ok({ data: [{ status: 'ok', id: AN_ID }, { status: 'ok', id: AN_ID }] }));
      const [fine, big] = ticketIds(result);
      expect(await getReceipts(emulator, [fine, big])).toEqual(
        ok({
          data: {
            [fine as string]: { status: 'ok' },
            [big as string]: { status: 'error', message: tooBigMessage, details: { error: 'MessageTooBig' } },
          },
        }),
      );
    });

    it('reports MessageTooBig in the ticket when messageTooBig is ticket', async () => {
      const emulator = createPushEmulator({ messageTooBig: 'ticket' });
      expect(await send(emulator, [atLimit, overLimit])).toEqual(
        ok({
          data: [
            { status: 'ok', id: AN_ID },
            { status: 'error', message: tooBigMessage, details: { error: 'MessageTooBig', expoPushToken: tok('b') } },
          ],
        }),
      );
      expect(emulator.notifications.map((n) => n.token)).toEqual([tok('a')]);
    });

    it('measures the message without its to field against payloadLimitBytes', async () => {
      const emulator = createPushEmulator({ payloadLimitBytes: 12, messageTooBig: 'ticket' });
      // {"title":"x"} is 13 bytes, {"body":"x"} is 12; the long token must not count.
      const token = tok('x'.repeat(200));
      const result = await send(emulator, [{ to: token, body: 'x' }, { to: token, title: 'x' }]);
      expect(result).toEqual(
        ok({
          data: [
            { status: 'ok', id: AN_ID },
            {
              status: 'error',
              message: 'Message is 13 bytes, which exceeds the maximum payload size of 12 bytes; shrink its data, title or body.',
              details: { error: 'MessageTooBig', expoPushToken: token },
            },
          ],
        }),
      );
    });
  });

  describe('receipts', () => {
    it('returns receipts for known ids and omits unknown ones (V3)', async () => {
      const emulator = createPushEmulator();
      const [first, second] = ticketIds(await send(emulator, [{ to: [tok('a'), tok('b')] }]));
      const unknown = 'YYYYYYYY-YYYY-YYYY-YYYY-YYYYYYYYYYYY';
      expect(await getReceipts(emulator, [first, unknown, second])).toEqual(
        ok({ data: { [first as string]: { status: 'ok' }, [second as string]: { status: 'ok' } } }),
      );
    });

    it('answers an empty ids array with an empty data object', async () => {
      expect(await getReceipts(createPushEmulator(), [])).toEqual(ok({ data: {} }));
    });

    it('withholds receipts until receiptDelayMs has passed and drops them receiptTtlMs later', async () => {
      const time = clock(10_000);
      const emulator = createPushEmulator({ now: time.now, receiptDelayMs: 500, receiptTtlMs: 2_000 });
      const [id] = ticketIds(await send(emulator, [{ to: tok('a') }]));
      const present = ok({ data: { [id as string]: { status: 'ok' } } });
      const absent = ok({ data: {} });
      time.set(10_499);
      expect(await getReceipts(emulator, [id])).toEqual(absent);
      time.set(10_500);
      expect(await getReceipts(emulator, [id])).toEqual(present);
      time.set(12_499);
      expect(await getReceipts(emulator, [id])).toEqual(present);
      time.set(12_500);
      expect(await getReceipts(emulator, [id])).toEqual(absent);
    });

    it('uses the receipt receiptFor returns verbatim, none for null, and the default for undefined', async () => {
      const v4 = (fixture('v4-receipts-response-provider-error-extra-fields') as { data: Record<string, unknown> }).data;
      const providerError = Object.values(v4)[0] as Record<string, unknown> & { status: 'error'; message: string };
      const seen: unknown[] = [];
      const emulator = createPushEmulator({
        now: () => 42,
        receiptFor: (notification) => {
          seen.push(notification);
          if (notification.token === tok('error')) return providerError;
          if (notification.token === tok('never')) return null;
          return undefined;
        },
      });
      const message = { to: [tok('error'), tok('never'), tok('default')], body: 'x' };
      const ids = ticketIds(await send(emulator, [message]));
      expect(seen).toEqual([
        { id: ids[0], token: tok('error'), message, project: '@emulator/app', receivedAt: 42 },
        { id: ids[1], token: tok('never'), message, project: '@emulator/app', receivedAt: 42 },
        { id: ids[2], token: tok('default'), message, project: '@emulator/app', receivedAt: 42 },
      ]);
      expect(await getReceipts(emulator, ids)).toEqual(
        ok({ data: { [ids[0] as string]: providerError, [ids[2] as string]: { status: 'ok' } } }),
      );
    });

    it('treats ids like __proto__ and constructor as unknown without touching any prototype', async () => {
      const emulator = createPushEmulator();
      const [id] = ticketIds(await send(emulator, [{ to: tok('a') }]));
      const response = await emulator.fetch(post(RECEIPTS, JSON.stringify({ ids: ['__proto__', 'constructor', 'toString', id] })));
      expect(await response.text()).toBe(`{"data":{"${id}":{"status":"ok"}}}`);
      expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    });

    it('answers 400 PUSH_TOO_MANY_RECEIPTS when more than 1000 ids are requested', async () => {
      const emulator = createPushEmulator();
      const ids = Array.from({ length: 1001 }, (_, i) => `id-${i}`);
      expect(await getReceipts(emulator, ids)).toEqual(
        failure(
          400,
          'PUSH_TOO_MANY_RECEIPTS',
          'You can request a maximum of 1000 receipts per request (received 1001); divide your requests.',
        ),
      );
    });

    it('accepts exactly 1000 ids', async () => {
      const emulator = createPushEmulator();
      expect(await getReceipts(emulator, Array.from({ length: 1000 }, (_, i) => `id-${i}`))).toEqual(ok({ data: {} }));
    });

    it.each([
      ['the body is not JSON', '{"ids":[', '"value" must be valid JSON'],
      ['the body is an array', '["a"]', '"value" must be of type object'],
      ['the body is null', 'null', '"value" must be of type object'],
      ['ids is missing', '{}', '"ids" is required'],
      ['ids is a string', '{"ids":"a"}', '"ids" must be an array'],
      ['ids holds a non-string', '{"ids":["a",null]}', '"ids[1]" must be a string'],
      ['the body has another key', '{"ids":["a"],"extra":true}', '"extra" is not allowed'],
    ])('answers 400 VALIDATION_ERROR when %s', async (_label, text, message) => {
      const emulator = createPushEmulator();
      expect(await answer(emulator, post(RECEIPTS, text))).toEqual(failure(400, 'VALIDATION_ERROR', message));
    });
  });

  describe('routing', () => {
    it('answers 404 NOT_FOUND for an unknown path', async () => {
      const emulator = createPushEmulator();
      expect(await answer(emulator, post('https://exp.host/--/api/v2/push/sendx', '[]'))).toEqual(
        failure(404, 'NOT_FOUND', 'No endpoint at /--/api/v2/push/sendx.'),
      );
    });

    it.each([
      ['GET', SEND, '/--/api/v2/push/send'],
      ['PUT', RECEIPTS, '/--/api/v2/push/getReceipts'],
      ['DELETE', SEND, '/--/api/v2/push/send'],
    ])('answers 405 METHOD_NOT_ALLOWED with Allow: POST for %s on a known path', async (method, url, path) => {
      const emulator = createPushEmulator();
      const response = await emulator.fetch(url, { method });
      expect({
        status: response.status,
        allow: response.headers.get('allow'),
        contentType: response.headers.get('content-type'),
        body: await response.json(),
      }).toEqual({
        status: 405,
        allow: 'POST',
        contentType: JSON_TYPE,
        body: { errors: [{ code: 'METHOD_NOT_ALLOWED', message: `${method} is not allowed on ${path}; use POST.` }] },
      });
    });

    it('serves the endpoints on any origin and ignores the query string', async () => {
      const emulator = createPushEmulator();
      const request = post('http://localhost:8787/--/api/v2/push/send?useFcmV1=true', JSON.stringify([{ to: tok('a') }]));
      expect(await answer(emulator, request)).toEqual(ok({ data: [{ status: 'ok', id: AN_ID }] }));
    });
  });

  describe('authentication', () => {
    const invalidToken = { status: 401, contentType: JSON_TYPE, body: fixture('v6c-error-invalid-bearer-token-401') };
    const missingToken = failure(401, 'UNAUTHORIZED', expect.stringMatching(/enhanced push security.*access token/));

    it('accepts any or no bearer token when accessToken is not set', async () => {
      const emulator = createPushEmulator();
      expect((await send(emulator, [], { authorization: 'Bearer whatever' })).status).toBe(200);
      expect((await send(emulator, [])).status).toBe(200);
    });

    it('accepts the configured token with a case-insensitive Bearer scheme', async () => {
      const emulator = createPushEmulator({ accessToken: 'secret' });
      expect(await send(emulator, [], { authorization: 'Bearer secret' })).toEqual(ok({ data: [] }));
      expect(await getReceipts(emulator, [], { authorization: 'bearer secret' })).toEqual(ok({ data: {} }));
    });

    it.each([
      ['a wrong token', 'Bearer wrong'],
      ['a token with a wrong suffix', 'Bearer secret2'],
      ['another scheme', 'Basic c2VjcmV0'],
      ['a bare token', 'secret'],
    ])('answers 401 invalid_token for %s', async (_label, authorization) => {
      const emulator = createPushEmulator({ accessToken: 'secret' });
      expect(await send(emulator, [], { authorization })).toEqual(invalidToken);
      expect(await getReceipts(emulator, [], { authorization })).toEqual(invalidToken);
    });

    it('answers 401 UNAUTHORIZED when the required token is missing', async () => {
      const emulator = createPushEmulator({ accessToken: 'secret' });
      expect(await send(emulator, [])).toEqual(missingToken);
      expect(await getReceipts(emulator, [])).toEqual(missingToken);
    });

    it('accepts a missing token but refuses a wrong one when requireAccessToken is false', async () => {
      const emulator = createPushEmulator({ accessToken: 'secret', requireAccessToken: false });
      expect(await send(emulator, [])).toEqual(ok({ data: [] }));
      expect(await send(emulator, [], { authorization: 'Bearer wrong' })).toEqual(invalidToken);
    });

    it('checks the token before looking at the body', async () => {
      const emulator = createPushEmulator({ accessToken: 'secret' });
      expect(await answer(emulator, post(SEND, 'not json', { authorization: 'Bearer wrong' }))).toEqual(invalidToken);
      expect(await answer(emulator, post(SEND, 'not json', { 'content-encoding': 'br' }))).toEqual(missingToken);
      expect(emulator.notifications).toEqual([]);
    });
  });

  describe('request encoding', () => {
    it('decompresses a gzip body and logs the decoded text', async () => {
      const emulator = createPushEmulator();
      const text = JSON.stringify([{ to: tok('a'), body: 'héllo ✓' }]);
      const result = await answer(emulator, post(SEND, await gzip(text), { 'content-encoding': 'gzip' }));
      expect(result).toEqual(ok({ data: [{ status: 'ok', id: AN_ID }] }));
      expect(emulator.notifications[0]?.message).toEqual({ to: tok('a'), body: 'héllo ✓' });
      expect(emulator.requests.map(({ gzip: g, bodyText }) => ({ gzip: g, bodyText }))).toEqual([{ gzip: true, bodyText: text }]);
    });

    it('decompresses a gzip body on the receipts endpoint', async () => {
      const emulator = createPushEmulator();
      const [id] = ticketIds(await send(emulator, [{ to: tok('a') }]));
      const request = post(RECEIPTS, await gzip(JSON.stringify({ ids: [id] })), { 'content-encoding': 'GZIP' });
      expect(await answer(emulator, request)).toEqual(ok({ data: { [id as string]: { status: 'ok' } } }));
    });

    it.each([
      ['corrupt', async () => new TextEncoder().encode('definitely not gzip')],
      ['truncated', async () => (await gzip(JSON.stringify([{ to: tok('a') }]))).slice(0, -6)],
      ['empty', async () => new Uint8Array(0)],
    ])('answers 400 VALIDATION_ERROR when the gzip body is %s', async (_label, makeBody) => {
      const emulator = createPushEmulator();
      const result = await answer(emulator, post(SEND, await makeBody(), { 'content-encoding': 'gzip' }));
      expect(result).toEqual(
        failure(400, 'VALIDATION_ERROR', 'The gzip-encoded request body could not be decoded; it is corrupt or truncated.'),
      );
      expect(emulator.requests.map(({ gzip: g, bodyText, status }) => ({ gzip: g, bodyText, status }))).toEqual([
        { gzip: true, bodyText: '', status: 400 },
      ]);
    });

    it.each(['br', 'deflate', 'gzip, br'])('answers 415 UNSUPPORTED_CONTENT_ENCODING for Content-Encoding %s', async (encoding) => {
      const emulator = createPushEmulator();
      expect(await answer(emulator, post(SEND, '[]', { 'content-encoding': encoding }))).toEqual(
        failure(
          415,
          'UNSUPPORTED_CONTENT_ENCODING',
          `Content-Encoding "${encoding}" is not supported; send the body uncompressed or with Content-Encoding: gzip.`,
        ),
      );
    });

    it('treats Content-Encoding identity as no encoding', async () => {
      const emulator = createPushEmulator();
      expect(await answer(emulator, post(SEND, '[]', { 'content-encoding': 'identity' }))).toEqual(ok({ data: [] }));
    });

    it('answers 400 VALIDATION_ERROR when the body is not valid UTF-8', async () => {
      const emulator = createPushEmulator();
      const bytes = new Uint8Array([...new TextEncoder().encode('[{"to":"'), 0xff, 0xfe, ...new TextEncoder().encode('"}]')]);
      expect(await answer(emulator, post(SEND, bytes))).toEqual(failure(400, 'VALIDATION_ERROR', 'The request body is not valid UTF-8.'));
    });
  });

  describe('records', () => {
    it('logs every request with endpoint, method, url, lower-cased headers, body and status', async () => {
      const emulator = createPushEmulator();
      const sendBody = JSON.stringify([{ to: tok('a') }]);
      await emulator.fetch(SEND, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Trace': 't1' }, body: sendBody });
      await emulator.fetch(`${RECEIPTS}?x=1`, { method: 'POST', body: '{"ids":[]}' });
      await emulator.fetch('https://exp.host/elsewhere');
      expect(emulator.requests).toEqual([
        {
          endpoint: 'send',
          method: 'POST',
          url: SEND,
          headers: { 'content-type': 'application/json', 'x-trace': 't1' },
          gzip: false,
          bodyText: sendBody,
          status: 200,
        },
        {
          endpoint: 'receipts',
          method: 'POST',
          url: `${RECEIPTS}?x=1`,
          headers: { 'content-type': 'text/plain;charset=UTF-8' },
          gzip: false,
          bodyText: '{"ids":[]}',
          status: 200,
        },
        { endpoint: 'unknown', method: 'GET', url: 'https://exp.host/elsewhere', headers: {}, gzip: false, bodyText: '', status: 404 },
      ]);
    });

    it('logs refused requests with the status they got', async () => {
      const emulator = createPushEmulator({ accessToken: 'secret' });
      await send(emulator, [{ to: tok('a') }], { authorization: 'Bearer wrong' });
      expect(emulator.requests.map((r) => [r.endpoint, r.status, r.bodyText])).toEqual([['send', 401, '[{"to":"ExponentPushToken[a]"}]']]);
    });

    it('keeps no logs but still serves receipts when record is false', async () => {
      const emulator = createPushEmulator({ record: false });
      const [id] = ticketIds(await send(emulator, [{ to: tok('a') }]));
      expect(await getReceipts(emulator, [id])).toEqual(ok({ data: { [id as string]: { status: 'ok' } } }));
      expect({ requests: emulator.requests, notifications: emulator.notifications }).toEqual({ requests: [], notifications: [] });
    });

    it('clears logs and receipts on reset but keeps unregistered tokens', async () => {
      const emulator = createPushEmulator();
      emulator.markUnregistered(tok('gone'));
      const { requests, notifications } = emulator;
      const [id] = ticketIds(await send(emulator, [{ to: tok('a') }]));
      emulator.reset();
      expect({ requests, notifications }).toEqual({ requests: [], notifications: [] });
      expect(await getReceipts(emulator, [id])).toEqual(ok({ data: {} }));
      expect((await send(emulator, { to: tok('gone') })).body).toEqual({
        data: {
          status: 'error',
          message: `"${tok('gone')}" is not a registered push notification recipient`,
          details: { error: 'DeviceNotRegistered', expoPushToken: tok('gone') },
        },
      });
    });
  });

  describe('fetch', () => {
    it('works when called unbound with a URL and init', async () => {
      const { fetch: unbound } = createPushEmulator();
      const response = await unbound(new URL(SEND), { method: 'POST', body: JSON.stringify({ to: tok('a') }) });
      expect(await response.json()).toEqual({ data: { status: 'ok', id: AN_ID } });
    });

    it('works as a fetch implementation handed to other code', async () => {
      const emulator = createPushEmulator();
      const callFetch = (f: typeof fetch) => f(SEND, { method: 'POST', body: '[]' });
      expect(await (await callFetch(emulator.fetch)).json()).toEqual({ data: [] });
    });
  });

  describe('options', () => {
    it.each<[string, PushEmulatorOptions]>([
      ['receiptDelayMs', { receiptDelayMs: -1 }],
      ['receiptTtlMs', { receiptTtlMs: Number.NaN }],
      ['payloadLimitBytes', { payloadLimitBytes: -5 }],
      ['messageTooBig', { messageTooBig: 'sometimes' as 'ticket' }],
    ])('throws a RangeError for an invalid %s', (_label, options) => {
      expect(() => createPushEmulator(options)).toThrow(RangeError);
    });
  });
});

describe('ReceiptStore', () => {
  it('prunes expired receipts lazily when new ones are stored', () => {
    const store = new ReceiptStore(0, 100);
    store.put('a', { status: 'ok' }, 0);
    store.put('b', { status: 'ok' }, 50);
    expect(store.size).toBe(2);
    store.put('c', { status: 'ok' }, 120);
    expect({ size: store.size, a: store.get('a', 120), b: store.get('b', 120) }).toEqual({
      size: 2,
      a: undefined,
      b: { status: 'ok' },
    });
  });

  it('shows a receipt from availableAt inclusive to expiry exclusive', () => {
    const store = new ReceiptStore(10, 100);
    store.put('a', { status: 'ok' }, 0);
    expect([9, 10, 109, 110].map((now) => store.get('a', now))).toEqual([undefined, { status: 'ok' }, { status: 'ok' }, undefined]);
  });

  it('stays bounded over a long run with a moving clock', () => {
    const store = new ReceiptStore(10, 1_000);
    for (let t = 0; t < 100_000; t += 1) store.put(`id-${t}`, { status: 'ok' }, t);
    expect(store.size).toBeLessThanOrEqual(1_011);
  });
});

describe('randomId', () => {
  it('makes UUID v4 ids even where the runtime has no global crypto (Node 18)', async () => {
    const { randomId } = await import('../src/emulator/random-id.ts');
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const original = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
    Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true });
    try {
      const ids = Array.from({ length: 200 }, randomId);
      expect(ids.every((id) => uuid.test(id))).toBe(true);
      expect(new Set(ids).size).toBe(200);
    } finally {
      Object.defineProperty(globalThis, 'crypto', original as PropertyDescriptor);
    }
    expect(uuid.test(randomId())).toBe(true);
  });
});

describe('createPushEmulator options', () => {
  it.each([[5], [''], [null]])('refuses accessToken %o', (accessToken) => {
    expect(() => createPushEmulator({ accessToken } as never)).toThrow(RangeError);
  });
});
