import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createPushEmulator, serveEmulator, type EmulatorServer, type PushEmulator, type PushEmulatorOptions } from '../src/cli/node-entry.ts';
import { MISSING_TOKEN_MESSAGE } from '../src/emulator/authorize.ts';
import {
  DeviceNotRegisteredError,
  PushBatchError,
  PushClient,
  type PushClientOptions,
  type PushMessage,
  PushServerError,
  type PushTicket,
  PushTicketError,
  PushValidationError,
} from '../src/index.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/contract/${name}.json`, import.meta.url), 'utf8'));
const tok = (name: string): string => `ExponentPushToken[${name}]`;
const AN_ID = expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
const encoder = new TextEncoder();

/** Passes the client's isExpoPushToken (no `]` or whitespace inside) but not the emulator's stricter one (no `[` either). */
const MALFORMED_FOR_EMULATOR = 'ExponentPushToken[nested[bracket]';

/** A fetch that records the Content-Encoding of every response it hands back to the client. */
function recording(fetch: (request: Request) => Promise<Response>) {
  const responseEncodings: Array<string | null> = [];
  const wrapped = async (request: Request): Promise<Response> => {
    const response = await fetch(request);
    responseEncodings.push(response.headers.get('content-encoding'));
    return response;
  };
  return { fetch: wrapped, responseEncodings };
}

interface Connection {
  /** Client options reaching the emulator through this transport. */
  readonly options: PushClientOptions;
  /** Content-Encoding of each response the client received, in order. */
  readonly responseEncodings: ReadonlyArray<string | null>;
}

interface Transport {
  readonly name: string;
  /** Content-Encoding of the emulator's answers as the client receives them. */
  readonly responseEncoding: string | null;
  connect(emulator: PushEmulator): Promise<Connection>;
}

const openServers: EmulatorServer[] = [];

const transports: Transport[] = [
  {
    name: 'in process (fetch: emulator.fetch)',
    responseEncoding: null,
    connect: async (emulator) => {
      const { fetch, responseEncodings } = recording(emulator.fetch);
      return { options: { fetch }, responseEncodings };
    },
  },
  {
    name: 'over loopback HTTP (serveEmulator)',
    responseEncoding: 'gzip',
    connect: async (emulator) => {
      const server = await serveEmulator(emulator, { port: 0 });
      openServers.push(server);
      const { fetch, responseEncodings } = recording((request) => globalThis.fetch(request));
      return { options: { baseUrl: server.url, fetch }, responseEncodings };
    },
  },
];

/** The recipients of `messages` in input order, as the client pairs them with tickets. */
function recipientsOf(messages: readonly PushMessage[]): Array<{ token: string; message: PushMessage }> {
  return messages.flatMap((message) => (typeof message.to === 'string' ? [message.to] : message.to).map((token) => ({ token, message })));
}

/** What the emulator received in one send request, parsed from its log. */
function sentMessages(emulator: PushEmulator): PushMessage[][] {
  return emulator.requests.filter((request) => request.endpoint === 'send').map((request) => JSON.parse(request.bodyText) as PushMessage[]);
}

const tokenCount = (body: readonly PushMessage[]): number => recipientsOf(body).length;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

function serverErrorFields(error: unknown) {
  expect(error).toBeInstanceOf(PushServerError);
  const { name, endpoint, status, code, errors, responseData } = error as PushServerError;
  return { name, endpoint, status, code, errors, responseData };
}

/** 90 messages, every second one to 2–8 tokens: 270 recipients, messages 33 and 67 straddling a 100 boundary. */
const batch: PushMessage[] = Array.from({ length: 90 }, (_, i) =>
  i % 2 === 1
    ? { to: Array.from({ length: 2 + (i % 7) }, (_, j) => tok(`batch-${i}-${j}`)), body: `m${i}`, data: { i } }
    : { to: tok(`batch-${i}`), body: `m${i}`, data: { i } },
);

describe('PushClient against the emulator', () => {
  afterEach(async () => {
    await Promise.all(openServers.splice(0).map((server) => server.close()));
  });

  describe.each(transports)('$name', (transport) => {
    async function setup(emulatorOptions: PushEmulatorOptions = {}, clientOptions: PushClientOptions = {}) {
      const emulator = createPushEmulator(emulatorOptions);
      const connection = await transport.connect(emulator);
      const client = new PushClient({ ...connection.options, ...clientOptions });
      return { emulator, client, connection };
    }

    describe('sending a batch', () => {
      it('returns one ok ticket per recipient in input order when 270 recipients span three requests', async () => {
        const { emulator, client } = await setup();
        const tickets = await client.publishMultiple(batch);

        const recipients = recipientsOf(batch);
        expect(recipients).toHaveLength(270);
        expect(tickets.map(({ status, id, token, pushMessage }) => ({ status, id, token, pushMessage }))).toEqual(
          recipients.map(({ token, message }) => ({ status: 'ok', id: AN_ID, token, pushMessage: message })),
        );
        tickets.forEach((ticket, i) => expect(ticket.pushMessage).toBe(recipients[i]?.message));
        expect(new Set(tickets.map((ticket) => ticket.id)).size).toBe(270);

        // Requests run concurrently, so their order is not fixed; their sizes are.
        const bodies = sentMessages(emulator);
        expect(emulator.requests.map(({ endpoint, status }) => ({ endpoint, status }))).toEqual([
          { endpoint: 'send', status: 200 },
          { endpoint: 'send', status: 200 },
          { endpoint: 'send', status: 200 },
        ]);
        expect(bodies.map(tokenCount).sort((a, b) => b - a)).toEqual([100, 100, 70]);
        expect(
          recipientsOf(bodies.flat())
            .map(({ token }) => token)
            .sort(),
        ).toEqual(recipients.map(({ token }) => token).sort());

        // Every ticket is the emulator's notification of the same token and message.
        const notifications = new Map(emulator.notifications.map((notification) => [notification.id, notification]));
        expect(emulator.notifications).toHaveLength(270);
        expect(tickets.map((ticket) => notifications.get(ticket.id as string))).toEqual(
          recipients.map(({ token, message }, i) => ({
            id: tickets[i]?.id,
            token,
            message: { ...message, to: typeof message.to === 'string' ? message.to : expect.arrayContaining([token]) },
            project: '@emulator/app',
            receivedAt: expect.any(Number),
          })),
        );
      });

      it('records notifications in ticket order and splits straddling messages when requests go one at a time', async () => {
        const { emulator, client } = await setup({}, { concurrency: 1, gzipThreshold: false });
        const tickets = await client.publishMultiple(batch);

        expect(emulator.notifications.map(({ id, token }) => ({ id, token }))).toEqual(tickets.map(({ id, token }) => ({ id, token })));
        const bodies = sentMessages(emulator);
        expect(bodies.map(tokenCount)).toEqual([100, 100, 70]);
        expect(bodies.map((body) => [body[0]?.body, body.at(-1)?.body])).toEqual([
          ['m0', 'm33'],
          ['m33', 'm67'],
          ['m67', 'm89'],
        ]);
        // A message split across two requests keeps all its other fields in both halves.
        for (const [first, second, index] of [[0, 1, 33], [1, 2, 67]] as const) {
          const head = bodies[first]?.at(-1);
          const tail = bodies[second]?.[0];
          expect({ ...head, to: [...(head?.to ?? []), ...(tail?.to ?? [])] }).toEqual(batch[index]);
          expect({ ...tail, to: undefined }).toEqual({ ...head, to: undefined });
        }
      });
    });

    describe('dead and malformed tokens', () => {
      it('answers unregistered and emulator-malformed tokens with DeviceNotRegistered error tickets', async () => {
        const { emulator, client } = await setup({ unregisteredTokens: [tok('dead')] });
        const multi: PushMessage = { to: [tok('dead'), MALFORMED_FOR_EMULATOR, tok('alive-2')], title: 'multi' };
        const lone: PushMessage = { to: tok('alive-1'), title: 'lone' };
        const tickets = await client.publishMultiple([lone, multi]);

        expect(tickets.map(({ status, id, message, details, token, pushMessage }) => ({ status, id, message, details, token, pushMessage }))).toEqual([
          { status: 'ok', id: AN_ID, message: undefined, details: undefined, token: tok('alive-1'), pushMessage: lone },
          {
            status: 'error',
            id: undefined,
            message: `"${tok('dead')}" is not a registered push notification recipient`,
            details: { error: 'DeviceNotRegistered', expoPushToken: tok('dead') },
            token: tok('dead'),
            pushMessage: multi,
          },
          {
            status: 'error',
            id: undefined,
            message: `"${MALFORMED_FOR_EMULATOR}" is not a valid Expo push token`,
            details: { error: 'DeviceNotRegistered', expoPushToken: MALFORMED_FOR_EMULATOR },
            token: MALFORMED_FOR_EMULATOR,
            pushMessage: multi,
          },
          { status: 'ok', id: AN_ID, message: undefined, details: undefined, token: tok('alive-2'), pushMessage: multi },
        ]);
        expect(emulator.notifications.map(({ token }) => token)).toEqual([tok('alive-1'), tok('alive-2')]);

        const thrown = tickets.map((ticket) => {
          try {
            ticket.validateResponse();
            return 'no error';
          } catch (error) {
            return error;
          }
        });
        expect(thrown[0]).toBe('no error');
        expect(thrown[3]).toBe('no error');
        for (const index of [1, 2]) {
          expect(thrown[index]).toBeInstanceOf(DeviceNotRegisteredError);
          const { name, code, message, pushResponse } = thrown[index] as DeviceNotRegisteredError;
          expect({ name, code, message, pushResponse }).toEqual({
            name: 'DeviceNotRegisteredError',
            code: 'DeviceNotRegistered',
            message: tickets[index]?.message,
            pushResponse: tickets[index],
          });
        }
      });

      it('gives a lone publish to an unregistered token a DeviceNotRegistered ticket that validates to DeviceNotRegisteredError', async () => {
        const { client } = await setup({ unregisteredTokens: [tok('dead')] });
        const ticket = await client.publish({ to: tok('dead'), body: 'anyone there?' });
        expect(ticket.toJSON()).toEqual({
          status: 'error',
          message: `"${tok('dead')}" is not a registered push notification recipient`,
          details: { error: 'DeviceNotRegistered', expoPushToken: tok('dead') },
          token: tok('dead'),
        });
        expect(() => ticket.validateResponse()).toThrow(DeviceNotRegisteredError);
      });

      it('refuses tokens failing isExpoPushToken with PushValidationError before sending anything', async () => {
        const { emulator, client } = await setup();
        const error = await rejection(
          client.publishMultiple([{ to: tok('fine') }, { to: 'not-a-token' }, { to: [tok('fine-too'), 'ExponentPushToken[]'] }]),
        );
        expect(error).toBeInstanceOf(PushValidationError);
        expect((error as PushValidationError).issues).toEqual([
          { index: 1, path: 'to', message: 'must be an Expo push token such as ExponentPushToken[…] (received "not-a-token")' },
          { index: 2, path: 'to[1]', message: 'must be an Expo push token such as ExponentPushToken[…] (received "ExponentPushToken[]")' },
        ]);
        expect(emulator.requests).toEqual([]);
        expect(emulator.notifications).toEqual([]);
      });
    });

    describe('receipts', () => {
      it('returns no receipts before receiptDelayMs and every receipt, paired with its token, after it', async () => {
        let now = 1_000_000;
        const { emulator, client } = await setup({ receiptDelayMs: 60_000, now: () => now, unregisteredTokens: [tok('dead')] });
        const tickets = await client.publishMultiple([{ to: [tok('r-1'), tok('dead'), tok('r-2')] }, { to: tok('r-3') }]);
        expect(tickets.map(({ status, token }) => ({ status, token }))).toEqual([
          { status: 'ok', token: tok('r-1') },
          { status: 'error', token: tok('dead') },
          { status: 'ok', token: tok('r-2') },
          { status: 'ok', token: tok('r-3') },
        ]);
        const lookups: Array<PushTicket | string> = [...tickets, 'no-such-receipt'];

        now += 59_999;
        expect(await client.checkReceipts(lookups)).toEqual([]);

        now += 1;
        const receipts = await client.checkReceipts(lookups);
        expect(receipts.map(({ id, status, message, details, token }) => ({ id, status, message, details, token }))).toEqual([
          { id: tickets[0]?.id, status: 'ok', message: undefined, details: undefined, token: tok('r-1') },
          { id: tickets[2]?.id, status: 'ok', message: undefined, details: undefined, token: tok('r-2') },
          { id: tickets[3]?.id, status: 'ok', message: undefined, details: undefined, token: tok('r-3') },
        ]);

        // The error ticket has no id, so it is never asked for; the unknown id is asked for and absent.
        const asked = emulator.requests.filter((request) => request.endpoint === 'receipts').map((request) => JSON.parse(request.bodyText));
        const expectedIds = { ids: [tickets[0]?.id, tickets[2]?.id, tickets[3]?.id, 'no-such-receipt'] };
        expect(asked).toEqual([expectedIds, expectedIds]);
      });

      it('passes a receiptFor error receipt (contract V5, FCM MismatchSenderId) through verbatim', async () => {
        const v5 = fixture('v5-receipt-provider-error-nested-fcm') as { status: 'error'; message: string; details: Record<string, unknown> };
        const { client } = await setup({
          receiptFor: ({ token }) => (token === tok('mismatch') ? v5 : token === tok('lost') ? null : undefined),
        });
        const tickets = await client.publishMultiple([{ to: [tok('fine'), tok('mismatch'), tok('lost')] }]);
        expect(tickets.map(({ status }) => status)).toEqual(['ok', 'ok', 'ok']);

        const receipts = await client.checkReceipts(tickets);
        expect(receipts.map(({ id, status, message, details, token }) => ({ id, status, message, details, token }))).toEqual([
          { id: tickets[0]?.id, status: 'ok', message: undefined, details: undefined, token: tok('fine') },
          {
            id: tickets[1]?.id,
            status: 'error',
            message: "There was an unknown error with the FCM server. See this error's details for more information.",
            details: { error: 'ProviderError', fault: 'fcm', fcm: { error: 'MismatchSenderId' } },
            token: tok('mismatch'),
          },
        ]);
        expect(receipts[1]?.details).toEqual(v5.details);

        const error = (() => {
          try {
            receipts[1]?.validateResponse();
            return 'no error';
          } catch (caught) {
            return caught;
          }
        })();
        expect(error).toBeInstanceOf(PushTicketError);
        const { name, code, message } = error as PushTicketError;
        expect({ name, code, message }).toEqual({ name: 'PushTicketError', code: 'ProviderError', message: v5.message });
      });
    });

    describe('access token', () => {
      const emulatorOptions = { accessToken: 'secret' };

      it('fails with PushServerError 401 UNAUTHORIZED when the client sends no token', async () => {
        const { emulator, client } = await setup(emulatorOptions);
        const error = await rejection(client.publish({ to: tok('a') }));
        expect(serverErrorFields(error)).toEqual({
          name: 'PushServerError',
          endpoint: 'send',
          status: 401,
          code: 'UNAUTHORIZED',
          errors: [{ code: 'UNAUTHORIZED', message: MISSING_TOKEN_MESSAGE }],
          responseData: { errors: [{ code: 'UNAUTHORIZED', message: MISSING_TOKEN_MESSAGE }] },
        });
        const receiptsError = await rejection(client.checkReceipts(['some-id']));
        expect(serverErrorFields(receiptsError)).toEqual({
          name: 'PushServerError',
          endpoint: 'receipts',
          status: 401,
          code: 'UNAUTHORIZED',
          errors: [{ code: 'UNAUTHORIZED', message: MISSING_TOKEN_MESSAGE }],
          responseData: { errors: [{ code: 'UNAUTHORIZED', message: MISSING_TOKEN_MESSAGE }] },
        });
        expect(emulator.notifications).toEqual([]);
      });

      it('fails with PushServerError 401 invalid_token when the client sends a wrong token', async () => {
        const { emulator, client } = await setup(emulatorOptions, { accessToken: 'not-the-secret' });
        const error = await rejection(client.publishMultiple([{ to: tok('a') }]));
        expect(error).toBeInstanceOf(PushBatchError);
        const { failures, tickets } = error as PushBatchError;
        expect(tickets).toEqual([]);
        expect(failures.map(({ recipients }) => recipients.map(({ token }) => token))).toEqual([[tok('a')]]);
        expect(serverErrorFields(failures[0]?.error)).toEqual({
          name: 'PushServerError',
          endpoint: 'send',
          status: 401,
          code: 'invalid_token',
          errors: [],
          responseData: fixture('v6c-error-invalid-bearer-token-401'),
        });
        expect(emulator.requests.map(({ headers }) => headers.authorization)).toEqual(['Bearer not-the-secret']);
        expect(emulator.notifications).toEqual([]);
      });

      it.each([
        ['a string', 'secret'],
        ['an async function', async () => 'secret'],
      ] as const)('sends and looks receipts up when the token is %s returning the right value', async (_, accessToken) => {
        const { emulator, client } = await setup(emulatorOptions, { accessToken });
        const ticket = await client.publish({ to: tok('a'), body: 'authorised' });
        expect(ticket.toJSON()).toEqual({ status: 'ok', id: AN_ID, token: tok('a') });
        const receipts = await client.checkReceipts([ticket]);
        expect(receipts.map(({ id, status, token }) => ({ id, status, token }))).toEqual([{ id: ticket.id, status: 'ok', token: tok('a') }]);
        expect(emulator.requests.map(({ endpoint, status, headers }) => ({ endpoint, status, authorization: headers.authorization }))).toEqual([
          { endpoint: 'send', status: 200, authorization: 'Bearer secret' },
          { endpoint: 'receipts', status: 200, authorization: 'Bearer secret' },
        ]);
      });
    });

    describe('gzip', () => {
      /** A one-message request whose JSON body is exactly `bytes` long. */
      const messageWithBodySize = (bytes: number): PushMessage => {
        const base = encoder.encode(JSON.stringify([{ to: tok('gz'), body: '' }])).byteLength;
        return { to: tok('gz'), body: 'x'.repeat(bytes - base) };
      };

      it('gzips request bodies over 1024 bytes and not those of 1024 or fewer, and decodes the answers', async () => {
        const { emulator, client, connection } = await setup({}, { concurrency: 1 });
        const sizes = [200, 1024, 1025, 3000];
        const tickets: PushTicket[] = [];
        for (const size of sizes) tickets.push(await client.publish(messageWithBodySize(size)));
        const receipts = await client.checkReceipts(tickets);

        expect(tickets.map(({ status, id }) => ({ status, id }))).toEqual(sizes.map(() => ({ status: 'ok', id: AN_ID })));
        expect(receipts.map(({ id, status }) => ({ id, status }))).toEqual(tickets.map(({ id }) => ({ id, status: 'ok' })));
        expect(
          emulator.requests.map(({ endpoint, gzip, headers, bodyText }) => ({
            endpoint,
            gzip,
            contentEncoding: headers['content-encoding'],
            bytes: encoder.encode(bodyText).byteLength,
          })),
        ).toEqual([
          { endpoint: 'send', gzip: false, contentEncoding: undefined, bytes: 200 },
          { endpoint: 'send', gzip: false, contentEncoding: undefined, bytes: 1024 },
          { endpoint: 'send', gzip: true, contentEncoding: 'gzip', bytes: 1025 },
          { endpoint: 'send', gzip: true, contentEncoding: 'gzip', bytes: 3000 },
          { endpoint: 'receipts', gzip: false, contentEncoding: undefined, bytes: encoder.encode(JSON.stringify({ ids: tickets.map(({ id }) => id) })).byteLength },
        ]);
        expect(emulator.requests.map(({ bodyText }) => bodyText).slice(0, 4)).toEqual(sizes.map((size) => JSON.stringify([messageWithBodySize(size)])));
        // Over HTTP the emulator compresses every answer, since the client accepts gzip; fetch decoded them all.
        expect(emulator.requests.map(({ headers }) => headers['accept-encoding'])).toEqual(sizes.map(() => 'gzip').concat('gzip'));
        expect(connection.responseEncodings).toEqual([...sizes, 'receipts'].map(() => transport.responseEncoding));
      });
    });

    describe('mixed projects', () => {
      const projectOf = (token: string): string => (token.includes('blue') ? '@acme/blue' : '@acme/green');
      const mixed: PushMessage[] = [
        { to: tok('blue-1'), body: 'one' },
        { to: [tok('green-1'), tok('blue-2')], body: 'two' },
        { to: tok('green-2'), body: 'three' },
      ];

      it('splits a mixed-project request by project and sends each part, so the batch just works', async () => {
        const { emulator, client } = await setup({ projectOf });
        const tickets = await client.publishMultiple(mixed);

        expect(tickets.map(({ status, token, pushMessage }) => ({ status, token, pushMessage }))).toEqual(
          recipientsOf(mixed).map(({ token, message }) => ({ status: 'ok', token, pushMessage: message })),
        );
        expect(emulator.requests.map(({ status }) => status)).toEqual([400, 200, 200]);
        const accepted = emulator.requests.slice(1).map(({ bodyText }) => JSON.parse(bodyText) as unknown);
        expect(accepted).toEqual(
          expect.arrayContaining([
            [
              { to: tok('blue-1'), body: 'one' },
              { to: [tok('blue-2')], body: 'two' },
            ],
            [
              { to: [tok('green-1')], body: 'two' },
              { to: tok('green-2'), body: 'three' },
            ],
          ]),
        );
        expect(new Set(emulator.notifications.map(({ id }) => id))).toEqual(new Set(tickets.map(({ id }) => id)));
      });

      it('keeps every other request of the call untouched while one mixed request is split', async () => {
        const { emulator, client } = await setup({ projectOf });
        const blues: PushMessage[] = Array.from({ length: 100 }, (_, i) => ({ to: tok(`blue-only-${i}`) }));
        const tickets = await client.publishMultiple([...blues, ...mixed]);

        expect(tickets.map(({ status, token }) => ({ status, token }))).toEqual(
          [...blues.map(({ to }) => to as string), ...recipientsOf(mixed).map(({ token }) => token)].map((token) => ({ status: 'ok', token })),
        );
        expect(emulator.requests.map(({ status }) => status).sort()).toEqual([200, 200, 200, 400]);
      });
    });
  });
});
