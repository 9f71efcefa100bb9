import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  createDeliveryReport,
  type DeliveryEntry,
  type DeliveryOutcome,
  type PushClientOptions,
  PushClient,
  type PushFailure,
  type PushMessage,
  PushReceipt,
  PushTicket,
} from '../src/index.ts';
import { tokensOfBody } from './helpers/controlled-fetch.ts';
import { connectionRefused, rejection, tok } from './helpers/delivery.ts';
import { json, text } from './helpers/scripted-fetch.ts';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`./fixtures/contract/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
const nameOf = (token: string): string => token.slice('ExponentPushToken['.length, -1);

/** Contract V4: a real ProviderError receipt with undocumented fields. */
const V4_ID = '01975b8d-8352-7beb-a3f0-ca195f91842c';
const V4_RECEIPT = (fixture('v4-receipts-response-provider-error-extra-fields').data as Record<string, unknown>)[V4_ID];
/** Contract V5: a ProviderError receipt wrapping FCM's MismatchSenderId. */
const V5_RECEIPT = fixture('v5-receipt-provider-error-nested-fcm');
/** Contract V7: an InvalidCredentials error ticket that carries an id. */
const V7_TICKET = fixture('v7-send-response-single-object-error-ticket-with-id').data as { id: string; message: string };

const notRegistered = (name: string) => `"${tok(name)}" is not a registered push notification recipient`;

/** Error tickets by recipient; every other recipient gets an ok ticket with the id `receipt-<name>`. */
const TICKETS: Record<string, unknown> = {
  'unregistered-ticket': { status: 'error', message: notRegistered('unregistered-ticket'), details: { error: 'DeviceNotRegistered', expoPushToken: tok('unregistered-ticket') } },
  // The documented shape (contract V2), without details.expoPushToken.
  'unregistered-ticket-no-token': { status: 'error', message: notRegistered('unregistered-ticket-no-token'), details: { error: 'DeviceNotRegistered' } },
  'bad-credentials-ticket': V7_TICKET,
  'provider-error': { status: 'ok', id: V4_ID },
};

/** Receipts by id; `receipt-awaiting` has none yet. */
const RECEIPTS: Record<string, unknown> = {
  'receipt-delivered': { status: 'ok' },
  'receipt-unregistered-receipt': {
    status: 'error',
    message: 'The recipient device is not registered with FCM.',
    details: { error: 'DeviceNotRegistered', expoPushToken: tok('unregistered-receipt') },
  },
  'receipt-too-big': { status: 'error', message: 'Message is 4200 bytes, over the 4096 byte limit.', details: { error: 'MessageTooBig' } },
  'receipt-rate-exceeded': { status: 'error', message: 'Too many messages to this device.', details: { error: 'MessageRateExceeded' } },
  'receipt-mismatch-top': { status: 'error', message: 'The FCM sender id does not match.', details: { error: 'MismatchSenderId' } },
  'receipt-mismatch-nested': V5_RECEIPT,
  'receipt-bad-credentials-receipt': {
    status: 'error',
    message: 'The APNs key or provisioning profile is invalid.',
    details: { error: 'InvalidCredentials', fault: 'developer', apns: { error: 'InvalidProviderToken' } },
  },
  'receipt-provider-token': { status: 'error', message: 'The APNs provider token is invalid.', details: { error: 'InvalidProviderToken' } },
  [V4_ID]: V4_RECEIPT,
  'receipt-expo-error': { status: 'error', message: 'Expo could not deliver the notification.', details: { error: 'ExpoError' } },
  'receipt-developer-error': { status: 'error', message: 'The notification was rejected because of its configuration.', details: { error: 'DeveloperError', fault: 'developer' } },
  'receipt-future-code': { status: 'error', message: 'A code this SDK does not know yet.', details: { error: 'PushQuotaExhausted' } },
};

/** A fake push service: whole-request failures for some recipients, the tickets and receipts above for the rest. */
async function service(request: Request): Promise<Response> {
  const body = (await request.json()) as unknown;
  if (request.url.endsWith('/getReceipts')) {
    const { ids } = body as { ids: string[] };
    return json({ data: Object.fromEntries(ids.filter((id) => id in RECEIPTS).map((id) => [id, RECEIPTS[id]])) });
  }
  const tokens = tokensOfBody(body);
  if (tokens.includes(tok('rate-limited-1'))) return json(fixture('v6a-error-too-many-requests-429'), 429);
  if (tokens.includes(tok('server-error'))) return json(fixture('v6b-error-internal-server-error'), 500);
  if (tokens.includes(tok('refused'))) return json(fixture('v6c-error-invalid-bearer-token-401'), 401);
  return json({ data: tokens.map((token) => TICKETS[nameOf(token)] ?? { status: 'ok', id: `receipt-${nameOf(token)}` }) });
}

const single = (name: string): PushMessage => ({ to: tok(name), body: name });
/** The batch: every ticket and receipt code of the contract, and an invalid message at stream position 6. */
const batch: PushMessage[] = [
  { to: [tok('delivered'), tok('awaiting')], title: 'two recipients' },
  ...['unregistered-ticket', 'unregistered-ticket-no-token', 'bad-credentials-ticket', 'unregistered-receipt', 'too-big'].map(single),
  { to: tok('invalid'), badge: -1 },
  ...['rate-exceeded', 'mismatch-top', 'mismatch-nested', 'bad-credentials-receipt', 'provider-token', 'provider-error', 'expo-error', 'developer-error', 'future-code'].map(single),
];
/** Sent in calls of their own, each refused whole. */
const rateLimited: PushMessage = { to: [tok('rate-limited-1'), tok('rate-limited-2')], body: 'rate limited' };
const serverError = single('server-error');
const refused = single('refused');

type Item = PushTicket | PushFailure;

async function collect(stream: AsyncIterable<Item>): Promise<Item[]> {
  const items: Item[] = [];
  for await (const item of stream) items.push(item);
  return items;
}

/** The report line expected for `name`. */
function line(name: string, outcome: DeliveryOutcome, code?: string, reason?: string, receiptId?: string): DeliveryEntry {
  const token = tok(name);
  const message = [...batch, rateLimited, serverError, refused].find(({ to }) => to === token || (Array.isArray(to) && to.includes(token)));
  return { token, message, outcome, code, reason, receiptId };
}

const receipt = (id: string) => (RECEIPTS as Record<string, { message: string }>)[id]?.message;

const ticket = (name: string, init: { status: 'ok' | 'error'; id?: string; message?: string; details?: Record<string, unknown> }) =>
  new PushTicket({ ...init, token: tok(name), pushMessage: { to: tok(name) } });

describe('createDeliveryReport', () => {
  it('sorts a mixed batch with every ticket and receipt error code of the contract into what a sender acts on', async () => {
    const client = new PushClient({ fetch: service, rateLimit: false, retry: false, gzipThreshold: false });
    const items = [
      ...(await collect(client.publishStream(batch))),
      ...(await collect(client.publishStream([rateLimited]))),
      ...(await collect(client.publishStream([serverError]))),
      ...(await collect(client.publishStream([refused]))),
    ];
    const tickets = items.filter((item): item is PushTicket => item instanceof PushTicket);
    const { receipts, pending } = await client.waitForReceipts(tickets, { timeoutMs: 0 });
    // The V7 error ticket carries an id, so its receipt is looked up too (and never comes).
    expect(pending).toEqual(['receipt-awaiting', V7_TICKET.id]);

    const report = createDeliveryReport(items, receipts);

    const credentials = 'HTTP 401 from the Expo push service (send): invalid_token: The bearer token is invalid';
    const tooMany = 'HTTP 429 from the Expo push service (send): TOO_MANY_REQUESTS: Exceeded 600 notifications per second, please try again.';
    const unknownError = 'HTTP 500 from the Expo push service (send): INTERNAL_SERVER_ERROR: An unknown error occurred.';
    const entries = {
      delivered: line('delivered', 'ok', undefined, undefined, 'receipt-delivered'),
      awaiting: line('awaiting', 'pending', undefined, undefined, 'receipt-awaiting'),
      unregisteredTicket: line('unregistered-ticket', 'error', 'DeviceNotRegistered', notRegistered('unregistered-ticket')),
      unregisteredNoToken: line('unregistered-ticket-no-token', 'error', 'DeviceNotRegistered', notRegistered('unregistered-ticket-no-token')),
      badCredentialsTicket: line('bad-credentials-ticket', 'error', 'InvalidCredentials', V7_TICKET.message, V7_TICKET.id),
      unregisteredReceipt: line('unregistered-receipt', 'error', 'DeviceNotRegistered', receipt('receipt-unregistered-receipt'), 'receipt-unregistered-receipt'),
      tooBig: line('too-big', 'error', 'MessageTooBig', receipt('receipt-too-big'), 'receipt-too-big'),
      invalid: line(
        'invalid',
        'error',
        'PushValidationError',
        'Invalid push message input (1 problem, nothing was sent): message 6, badge: must be a non-negative integer badge count (received -1)',
      ),
      rateExceeded: line('rate-exceeded', 'error', 'MessageRateExceeded', receipt('receipt-rate-exceeded'), 'receipt-rate-exceeded'),
      mismatchTop: line('mismatch-top', 'error', 'MismatchSenderId', receipt('receipt-mismatch-top'), 'receipt-mismatch-top'),
      mismatchNested: line(
        'mismatch-nested',
        'error',
        'MismatchSenderId',
        "There was an unknown error with the FCM server. See this error's details for more information.",
        'receipt-mismatch-nested',
      ),
      badCredentialsReceipt: line('bad-credentials-receipt', 'error', 'InvalidCredentials', receipt('receipt-bad-credentials-receipt'), 'receipt-bad-credentials-receipt'),
      providerToken: line('provider-token', 'error', 'InvalidProviderToken', receipt('receipt-provider-token'), 'receipt-provider-token'),
      providerError: line('provider-error', 'error', 'ProviderError', (V4_RECEIPT as { message: string }).message, V4_ID),
      expoError: line('expo-error', 'error', 'ExpoError', receipt('receipt-expo-error'), 'receipt-expo-error'),
      developerError: line('developer-error', 'error', 'DeveloperError', receipt('receipt-developer-error'), 'receipt-developer-error'),
      futureCode: line('future-code', 'error', 'PushQuotaExhausted', receipt('receipt-future-code'), 'receipt-future-code'),
      rateLimited1: line('rate-limited-1', 'error', 'TOO_MANY_REQUESTS', tooMany),
      rateLimited2: line('rate-limited-2', 'error', 'TOO_MANY_REQUESTS', tooMany),
      serverError: line('server-error', 'error', 'INTERNAL_SERVER_ERROR', unknownError),
      refused: line('refused', 'error', 'invalid_token', credentials),
    };
    expect(report).toEqual({
      recipients: 21,
      counts: { ok: 1, error: 19, pending: 1 },
      errorsByCode: {
        DeviceNotRegistered: 3,
        InvalidCredentials: 2,
        MessageTooBig: 1,
        PushValidationError: 1,
        MessageRateExceeded: 1,
        MismatchSenderId: 2,
        InvalidProviderToken: 1,
        ProviderError: 1,
        ExpoError: 1,
        DeveloperError: 1,
        PushQuotaExhausted: 1,
        TOO_MANY_REQUESTS: 2,
        INTERNAL_SERVER_ERROR: 1,
        invalid_token: 1,
      },
      tokensToRemove: [tok('unregistered-ticket'), tok('unregistered-ticket-no-token'), tok('unregistered-receipt')],
      retryable: [
        { ...entries.rateExceeded, duplicateRisk: false },
        { ...entries.providerError, duplicateRisk: false },
        { ...entries.expoError, duplicateRisk: false },
        { ...entries.rateLimited1, duplicateRisk: false },
        { ...entries.rateLimited2, duplicateRisk: false },
        // A 500 after the body was sent: the service may have delivered it already.
        { ...entries.serverError, duplicateRisk: true },
      ],
      credentialProblems: [
        entries.badCredentialsTicket,
        entries.mismatchTop,
        entries.mismatchNested,
        entries.badCredentialsReceipt,
        entries.providerToken,
        entries.refused,
      ],
      pending: [entries.awaiting],
      entries: Object.values(entries),
    });
    // Entries carry the caller's own message objects.
    expect(report.entries[0]?.message).toBe(batch[0]);
    expect(report.entries[1]?.message).toBe(batch[0]);
    expect(report.entries.at(-1)?.message).toBe(refused);
  });

  it('reports the code a ProviderError wraps only when that code is a credential problem', () => {
    const tickets = ['fcm-mismatch', 'apns-provider-token', 'fcm-quota'].map((name) => ticket(name, { status: 'ok', id: name }));
    const providerError = (id: string, block: Record<string, unknown>) =>
      new PushReceipt({ id, status: 'error', message: `provider failure ${id}`, details: { error: 'ProviderError', ...block } });

    const report = createDeliveryReport(tickets, [
      providerError('fcm-mismatch', { fault: 'fcm', fcm: { error: 'MismatchSenderId' } }),
      providerError('apns-provider-token', { fault: 'apns', apns: { error: 'InvalidProviderToken', httpStatus: 403 } }),
      providerError('fcm-quota', { fault: 'fcm', fcm: { error: 'QuotaExceeded' } }),
    ]);

    const entry = (name: string, code: string): DeliveryEntry => ({
      token: tok(name),
      message: { to: tok(name) },
      outcome: 'error',
      code,
      reason: `provider failure ${name}`,
      receiptId: name,
    });
    expect(report).toEqual({
      recipients: 3,
      counts: { ok: 0, error: 3, pending: 0 },
      errorsByCode: { MismatchSenderId: 1, InvalidProviderToken: 1, ProviderError: 1 },
      tokensToRemove: [],
      retryable: [{ ...entry('fcm-quota', 'ProviderError'), duplicateRisk: false }],
      credentialProblems: [entry('fcm-mismatch', 'MismatchSenderId'), entry('apns-provider-token', 'InvalidProviderToken')],
      pending: [],
      entries: [entry('fcm-mismatch', 'MismatchSenderId'), entry('apns-provider-token', 'InvalidProviderToken'), entry('fcm-quota', 'ProviderError')],
    });
  });

  it('removes each unregistered token once, preferring the token the service names in details.expoPushToken', () => {
    const unregistered = (expoPushToken?: string) => ({
      status: 'error' as const,
      message: 'not registered',
      details: expoPushToken === undefined ? { error: 'DeviceNotRegistered' } : { error: 'DeviceNotRegistered', expoPushToken },
    });
    const results = [
      // The service names the token in its canonical form.
      ticket('legacy', { ...unregistered('ExponentPushToken[canonical]') }),
      ticket('twice', unregistered()),
      ticket('twice', { status: 'ok', id: 'twice-receipt' }),
      ticket('receipt-only', { status: 'ok', id: 'receipt-only' }),
    ];

    const report = createDeliveryReport(results, [
      new PushReceipt({ id: 'twice-receipt', status: 'error', message: 'not registered', details: { error: 'DeviceNotRegistered', expoPushToken: '' } }),
      new PushReceipt({ id: 'receipt-only', status: 'error', message: 'not registered', details: { error: 'DeviceNotRegistered' }, token: tok('receipt-only') }),
    ]);

    expect(report.tokensToRemove).toEqual(['ExponentPushToken[canonical]', tok('twice'), tok('receipt-only')]);
    expect(report.errorsByCode).toEqual({ DeviceNotRegistered: 4 });
    expect([report.retryable, report.credentialProblems, report.pending]).toEqual([[], [], []]);
  });

  it('counts ok tickets without a receipt as pending, ignores receipts no ticket asked for, and files an error without a code under "unknown"', () => {
    const results = [
      ticket('no-receipt', { status: 'ok', id: 'id-1' }),
      ticket('no-id', { status: 'ok' }),
      ticket('no-details', { status: 'error', message: 'Something failed.' }),
    ];

    const report = createDeliveryReport(results, [new PushReceipt({ id: 'someone-else', status: 'error', message: 'x', details: { error: 'DeviceNotRegistered' } })]);

    const entry = (name: string, outcome: DeliveryOutcome, code?: string, reason?: string, receiptId?: string): DeliveryEntry => ({
      token: tok(name),
      message: { to: tok(name) },
      outcome,
      code,
      reason,
      receiptId,
    });
    expect(report).toEqual({
      recipients: 3,
      counts: { ok: 0, error: 1, pending: 2 },
      errorsByCode: { unknown: 1 },
      tokensToRemove: [],
      retryable: [],
      credentialProblems: [],
      pending: [entry('no-receipt', 'pending', undefined, undefined, 'id-1'), entry('no-id', 'pending')],
      entries: [
        entry('no-receipt', 'pending', undefined, undefined, 'id-1'),
        entry('no-id', 'pending'),
        entry('no-details', 'error', 'unknown', 'Something failed.'),
      ],
    });
    expect(createDeliveryReport([])).toEqual({
      recipients: 0,
      counts: { ok: 0, error: 0, pending: 0 },
      errorsByCode: {},
      tokensToRemove: [],
      retryable: [],
      credentialProblems: [],
      pending: [],
      entries: [],
    });
  });

  it('sorts failed requests by their error: retryable with their duplicate risk, credential refusals, and final failures', async () => {
    /** The error a single send rejects with when the service or the network answers `fetch`. */
    const errorOf = (fetch: PushClientOptions['fetch'], options: PushClientOptions = {}) =>
      rejection(new PushClient({ fetch, retry: false, rateLimit: false, ...options }).publish({ to: tok('x') }));
    const reset = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
    const errors: Record<string, unknown> = {
      'connection-refused': await errorOf(() => Promise.reject(connectionRefused())),
      'connection-reset': await errorOf(() => Promise.reject(reset)),
      'timed-out': await errorOf(() => new Promise<Response>(() => undefined), { timeoutMs: 10 }),
      'bad-gateway': await errorOf(async () => text('<html>502 Bad Gateway</html>', 502)),
      forbidden: await errorOf(async () => json({ errors: [{ code: 'FORBIDDEN', message: 'Access denied.' }] }, 403)),
      'bad-request': await errorOf(async () => json({ errors: [{ code: 'VALIDATION_ERROR', message: '"to" must be a string' }] }, 400)),
      'caller-aborted': 'stopped by the caller',
    };
    const failures: PushFailure[] = Object.entries(errors).map(([name, error]) => ({ token: tok(name), message: { to: tok(name) }, error }));

    const report = createDeliveryReport(failures);

    const entry = (name: string, code: string): DeliveryEntry => {
      const error = errors[name];
      return { token: tok(name), message: { to: tok(name) }, outcome: 'error', code, reason: error instanceof Error ? error.message : String(error), receiptId: undefined };
    };
    expect(report).toEqual({
      recipients: 7,
      counts: { ok: 0, error: 7, pending: 0 },
      errorsByCode: { PushNetworkError: 2, PushTimeoutError: 1, 'HTTP 502': 1, FORBIDDEN: 1, VALIDATION_ERROR: 1, unknown: 1 },
      tokensToRemove: [],
      retryable: [
        // Never reached the service: safe to resend.
        { ...entry('connection-refused', 'PushNetworkError'), duplicateRisk: false },
        { ...entry('connection-reset', 'PushNetworkError'), duplicateRisk: true },
        { ...entry('timed-out', 'PushTimeoutError'), duplicateRisk: true },
        { ...entry('bad-gateway', 'HTTP 502'), duplicateRisk: true },
      ],
      credentialProblems: [entry('forbidden', 'FORBIDDEN')],
      pending: [],
      entries: Object.keys(errors).map((name) =>
        entry(name, { 'connection-refused': 'PushNetworkError', 'connection-reset': 'PushNetworkError', 'timed-out': 'PushTimeoutError', 'bad-gateway': 'HTTP 502', forbidden: 'FORBIDDEN', 'bad-request': 'VALIDATION_ERROR', 'caller-aborted': 'unknown' }[name] as string),
      ),
    });
  });
});

describe('createDeliveryReport with codes named like Object members', () => {
  it('counts "constructor", "toString" and "__proto__" codes as plain keys', () => {
    const ticket = (error: string, n: number) =>
      new PushTicket({ status: 'error', message: error, details: { error }, token: tok(`odd-${n}`), pushMessage: { to: tok(`odd-${n}`) } });
    const report = createDeliveryReport([ticket('constructor', 1), ticket('toString', 2), ticket('__proto__', 3), ticket('constructor', 4)]);
    expect(Object.entries(report.errorsByCode)).toEqual([
      ['constructor', 2],
      ['toString', 1],
      ['__proto__', 1],
    ]);
    expect(Object.getPrototypeOf(report.errorsByCode)).toBe(Object.prototype);
  });

  it('accepts tickets stored with toJSON(), pairing them with their receipts', () => {
    const stored = new PushTicket({ status: 'ok', id: 'r1', token: tok('stored'), pushMessage: { to: tok('stored') } }).toJSON();
    const receipt = new PushReceipt({ id: 'r1', status: 'error', message: 'gone', details: { error: 'DeviceNotRegistered' } });
    const report = createDeliveryReport([JSON.parse(JSON.stringify(stored))], [receipt]);
    expect({ counts: report.counts, tokensToRemove: report.tokensToRemove, entries: report.entries }).toEqual({
      counts: { ok: 0, error: 1, pending: 0 },
      tokensToRemove: [tok('stored')],
      entries: [{ token: tok('stored'), message: undefined, outcome: 'error', code: 'DeviceNotRegistered', reason: 'gone', receiptId: 'r1' }],
    });
  });
});
