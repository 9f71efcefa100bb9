import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createPushEmulator,
  EMULATOR_FAULTS,
  type EmulatorFault,
  type PushEmulator,
  tooManyRequestsFault,
} from '../src/cli/node-entry.ts';
import {
  type FetchFunction,
  PushBatchError,
  PushClient,
  type PushClientOptions,
  type PushMessage,
  PushNetworkError,
  PushRateLimitError,
  PushServerError,
  PushTimeoutError,
} from '../src/index.ts';
import {
  batchOutcome,
  closeServers,
  connectionRefused,
  describeError,
  expectAccounting,
  outcomeOf,
  recipientsOf,
  rejection,
  sendRequestTokens,
  serve,
  settled,
  tok,
} from './helpers/delivery.ts';

type Endpoint = 'send' | 'receipts';

/** Client timeout of the rows whose fault is a delay; every other row keeps the default 30 s. */
const TIMEOUT_MS = 150;

const NGINX_PAGE = (title: string) =>
  `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
/** How an error message quotes the page: whitespace runs collapsed to one space. */
const NGINX_PREVIEW = (title: string) =>
  `<html> <head><title>${title}</title></head> <body> <center><h1>${title}</h1></center> <hr><center>nginx</center> </body> </html>`;
const ENVOY_503 = 'upstream connect error or disconnect/reset before headers. reset reason: connection termination';
const TOO_MANY = { code: 'TOO_MANY_REQUESTS', message: 'Exceeded 600 notifications per second, please try again.' };
const INTERNAL = { code: 'INTERNAL_SERVER_ERROR', message: 'An unknown error occurred.' };

/** A send's outcome is unknown after a 5xx or a garbled 2xx; a receipt lookup's never is. */
const unknownFor = (endpoint: Endpoint) => endpoint === 'send';

function serverError(
  endpoint: Endpoint,
  status: number,
  message: string,
  fields: { code?: string; errors?: unknown[]; responseData?: unknown; responseText: string; retryAfterMs?: number; outcomeUnknown: boolean },
): Record<string, unknown> {
  const rateLimited = status === 429;
  return {
    class: rateLimited ? PushRateLimitError : PushServerError,
    name: rateLimited ? 'PushRateLimitError' : 'PushServerError',
    message: `HTTP ${status} from the Expo push service (${endpoint})${message}`,
    endpoint,
    status,
    code: fields.code,
    errors: fields.errors ?? [],
    responseData: fields.responseData,
    responseText: fields.responseText,
    retryAfterMs: fields.retryAfterMs,
    outcomeUnknown: fields.outcomeUnknown,
    causeCode: undefined,
  };
}

const networkError = (endpoint: Endpoint) => ({
  class: PushNetworkError,
  name: 'PushNetworkError',
  message: `Request to the Expo push service (${endpoint}) failed: fetch failed`,
  endpoint,
  // A reset leaves the client unable to tell whether the service acted on the request, whether the
  // emulator reset before or after processing it: only a send is at risk of duplicates.
  outcomeUnknown: unknownFor(endpoint),
  causeCode: 'ECONNRESET',
});

const tooManyRequests = (endpoint: Endpoint, retryAfterMs: number | undefined) =>
  serverError(endpoint, 429, ': TOO_MANY_REQUESTS: Exceeded 600 notifications per second, please try again.', {
    code: 'TOO_MANY_REQUESTS',
    errors: [TOO_MANY],
    responseData: { errors: [TOO_MANY] },
    responseText: JSON.stringify({ errors: [TOO_MANY] }),
    retryAfterMs,
    outcomeUnknown: false,
  });

interface FaultRow {
  readonly name: string;
  readonly fault: EmulatorFault;
  /** Status the emulator logs for a faulted attempt; 0 when the client got no response. */
  readonly status: number;
  /** Whether the emulator accepted a faulted send's notifications anyway. */
  readonly accepts: boolean;
  /** Whether the default policy retries the failure, per endpoint. */
  readonly retried: Readonly<Record<Endpoint, boolean>>;
  /** The error a call failing with this fault ends in, as {@link describeError} puts it. */
  readonly error: (endpoint: Endpoint) => Record<string, unknown>;
  readonly clientOptions?: PushClientOptions;
}

const ROWS: readonly FaultRow[] = [
  {
    name: 'badGateway (nginx 502 page)',
    fault: EMULATOR_FAULTS.badGateway,
    status: 502,
    accepts: false,
    retried: { send: false, receipts: true },
    error: (endpoint) =>
      serverError(endpoint, 502, ` was not JSON: ${NGINX_PREVIEW('502 Bad Gateway')}`, {
        responseText: NGINX_PAGE('502 Bad Gateway'),
        outcomeUnknown: unknownFor(endpoint),
      }),
  },
  {
    name: 'gatewayTimeout (nginx 504 page)',
    fault: EMULATOR_FAULTS.gatewayTimeout,
    status: 504,
    accepts: false,
    retried: { send: false, receipts: true },
    error: (endpoint) =>
      serverError(endpoint, 504, ` was not JSON: ${NGINX_PREVIEW('504 Gateway Time-out')}`, {
        responseText: NGINX_PAGE('504 Gateway Time-out'),
        outcomeUnknown: unknownFor(endpoint),
      }),
  },
  {
    name: 'upstreamReset (Envoy 503 text)',
    fault: EMULATOR_FAULTS.upstreamReset,
    status: 503,
    accepts: false,
    retried: { send: false, receipts: true },
    error: (endpoint) =>
      serverError(endpoint, 503, ` was not JSON: ${ENVOY_503}`, { responseText: ENVOY_503, outcomeUnknown: unknownFor(endpoint) }),
  },
  {
    name: 'tooManyRequests (429 without Retry-After)',
    fault: EMULATOR_FAULTS.tooManyRequests,
    status: 429,
    accepts: false,
    retried: { send: true, receipts: true },
    error: (endpoint) => tooManyRequests(endpoint, undefined),
  },
  {
    name: 'a 429 with Retry-After: 0',
    fault: tooManyRequestsFault(0),
    status: 429,
    accepts: false,
    retried: { send: true, receipts: true },
    error: (endpoint) => tooManyRequests(endpoint, 0),
  },
  {
    name: 'internalServerError (500 errors envelope)',
    fault: EMULATOR_FAULTS.internalServerError,
    status: 500,
    accepts: false,
    retried: { send: false, receipts: true },
    error: (endpoint) =>
      serverError(endpoint, 500, ': INTERNAL_SERVER_ERROR: An unknown error occurred.', {
        code: 'INTERNAL_SERVER_ERROR',
        errors: [INTERNAL],
        responseData: { errors: [INTERNAL] },
        responseText: JSON.stringify({ errors: [INTERNAL] }),
        outcomeUnknown: unknownFor(endpoint),
      }),
  },
  {
    // A garbled 200 is retried on neither endpoint: the default policy retries 5xx for receipts only.
    name: 'emptyOk (200 with an empty body)',
    fault: EMULATOR_FAULTS.emptyOk,
    status: 200,
    accepts: false,
    retried: { send: false, receipts: false },
    error: (endpoint) => serverError(endpoint, 200, ' had an empty body', { responseText: '', outcomeUnknown: unknownFor(endpoint) }),
  },
  {
    name: 'emptyObjectOk (200 with {})',
    fault: EMULATOR_FAULTS.emptyObjectOk,
    status: 200,
    accepts: false,
    retried: { send: false, receipts: false },
    error: (endpoint) =>
      serverError(endpoint, 200, ' had neither "data" nor "errors": {}', {
        responseData: {},
        responseText: '{}',
        outcomeUnknown: unknownFor(endpoint),
      }),
  },
  {
    name: `a delay longer than timeoutMs (${TIMEOUT_MS} ms)`,
    fault: { kind: 'delay', ms: 20 * TIMEOUT_MS },
    status: 0,
    accepts: false,
    retried: { send: false, receipts: true },
    error: (endpoint) => ({
      class: PushTimeoutError,
      name: 'PushTimeoutError',
      message: `The Expo push service did not answer within ${TIMEOUT_MS} ms`,
      endpoint,
      outcomeUnknown: unknownFor(endpoint),
      timeoutMs: TIMEOUT_MS,
      causeCode: undefined,
    }),
    clientOptions: { timeoutMs: TIMEOUT_MS },
  },
  {
    // Not provably unsent from the client's side: the connection was open and the body went out.
    name: 'resetBeforeProcessing',
    fault: EMULATOR_FAULTS.resetBeforeProcessing,
    status: 0,
    accepts: false,
    retried: { send: false, receipts: true },
    error: networkError,
  },
  {
    name: 'resetAfterProcessing',
    fault: EMULATOR_FAULTS.resetAfterProcessing,
    status: 0,
    accepts: true,
    retried: { send: false, receipts: true },
    error: networkError,
  },
];

interface Transport {
  readonly name: string;
  /** Client options that reach `emulator` through this transport; `fetch` can be wrapped. */
  connect(emulator: PushEmulator): Promise<{ baseUrl?: string; fetch: FetchFunction }>;
}

const TRANSPORTS: readonly Transport[] = [
  { name: 'in process (fetch: emulator.fetch)', connect: async (emulator) => ({ fetch: emulator.fetch }) },
  {
    name: 'over loopback HTTP (serveEmulator)',
    connect: async (emulator) => ({ baseUrl: (await serve(emulator)).url, fetch: (request) => globalThis.fetch(request) }),
  },
];

/** How often the fault strikes: the first attempt only, or every attempt. */
const SCOPES = [
  { persistent: false, scope: 'the first attempt', times: 1 },
  { persistent: true, scope: 'every attempt', times: Infinity },
] as const;

/** Attempts one request makes: a retried fault is tried again (twice by default) while it persists. */
const attemptsOf = (retried: boolean, persistent: boolean): number => (!retried ? 1 : persistent ? 3 : 2);

const CASES = ROWS.flatMap((row) => SCOPES.map((scope) => ({ row, ...scope })));

function title(endpoint: Endpoint, { row, persistent, scope }: (typeof CASES)[number]): string {
  const retried = row.retried[endpoint];
  const outcome =
    retried && !persistent
      ? 'retries once and succeeds'
      : retried
        ? 'retries twice, then fails with the error'
        : 'fails at once with the error, without retrying,';
  return `${outcome} when ${row.name} hits ${scope}`;
}

/** 150 recipients: requests of 100 (messages 0–1) and 50 (messages 1–3), message 1 straddling the boundary. */
const BATCH: PushMessage[] = [
  { to: tok('pm-0'), body: 'first' },
  { to: Array.from({ length: 119 }, (_, i) => tok(`pm-1-${i}`)), body: 'straddling', data: { n: 1 } },
  { to: tok('pm-120'), body: 'single' },
  { to: Array.from({ length: 29 }, (_, i) => tok(`pm-3-${i}`)), body: 'last' },
];
const RECIPIENTS = recipientsOf(BATCH);
const FIRST_REQUEST = RECIPIENTS.slice(0, 100);
const SECOND_REQUEST = RECIPIENTS.slice(100);

/** One line per logged request: its endpoint, status and recipients, sorted (requests may interleave). */
function requestLog(emulator: PushEmulator): string[] {
  const sends = sendRequestTokens(emulator);
  let send = 0;
  return emulator.requests
    .map(({ endpoint, status }) => (endpoint === 'send' ? `send ${status} ×${sends[send++]?.length}` : `${endpoint} ${status}`))
    .sort();
}

const okTicket = ({ token, message }: { token: string; message: PushMessage }) => ({ status: 'ok', token, message });

describe('PushClient', () => {
  afterEach(closeServers);

  describe.each(TRANSPORTS)('$name', (transport) => {
    async function setup(row?: FaultRow, clientOptions: PushClientOptions = {}) {
      const emulator = createPushEmulator();
      const client = new PushClient({
        ...(await transport.connect(emulator)),
        // One request in flight at a time, gzip off: the first request to reach the emulator is
        // always the one with the first 100 recipients, so the fault lands on a known request.
        concurrency: 1,
        gzipThreshold: false,
        rateLimit: false,
        retry: { baseDelayMs: 1 },
        ...row?.clientOptions,
        ...clientOptions,
      });
      return { emulator, client };
    }

    describe('publishMultiple', () => {
      for (const testCase of CASES) {
        const { row, persistent, times } = testCase;
        it(title('send', testCase), async () => {
          const { emulator, client } = await setup(row);
          emulator.injectFault(row.fault, { times, endpoint: 'send' });
          const result = await client.publishMultiple(BATCH).catch((error: unknown) => error);
          await settled(emulator);

          const retried = row.retried.send;
          const failedRequests = persistent ? [FIRST_REQUEST, SECOND_REQUEST] : retried ? [] : [FIRST_REQUEST];
          const failed = failedRequests.flat();
          const received = RECIPIENTS.filter((recipient) => !failed.includes(recipient));
          if (failed.length === 0) {
            expect(Array.isArray(result)).toBe(true);
          } else {
            expect(result).toBeInstanceOf(PushBatchError);
            const { name, message } = result as PushBatchError;
            const noun = failedRequests.length === 1 ? 'request' : 'requests';
            expect({ name, message }).toEqual({
              name: 'PushBatchError',
              message: `${failed.length} of 150 recipients were not sent: ${failedRequests.length} ${noun} failed (first: ${String(row.error('send').message)})`,
            });
          }
          const outcome = batchOutcome(result);
          expect({
            tickets: outcome.tickets.map(({ status, token, pushMessage }) => ({ status, token, message: pushMessage })),
            failures: outcome.failures.map(({ recipients, error }) => ({ recipients, error: describeError(error) })),
          }).toEqual({
            tickets: received.map(okTicket),
            failures: failedRequests.map((recipients) => ({ recipients, error: row.error('send') })),
          });

          const first = attemptsOf(retried, persistent);
          const second = persistent ? attemptsOf(retried, true) : 1;
          expect(emulator.stats).toEqual({
            sendRequests: first + second,
            receiptRequests: 0,
            rateLimited: 0,
            recipientsAccepted: emulator.notifications.length,
            faultsApplied: persistent ? first + second : 1,
          });
          // The fault hits the first request's first attempt, or every attempt of both requests.
          const statusOf = (attempt: number, faulted: boolean) => (faulted && (persistent || attempt === 0) ? row.status : 200);
          expect(requestLog(emulator)).toEqual(
            [
              ...Array.from({ length: first }, (_, attempt) => `send ${statusOf(attempt, true)} ×100`),
              ...Array.from({ length: second }, (_, attempt) => `send ${statusOf(attempt, persistent)} ×50`),
            ].sort(),
          );

          expectAccounting(BATCH, outcome, emulator);
          const accepted = [...received, ...(row.accepts ? failed : [])].map(({ token }) => token);
          expect(emulator.notifications.map(({ token }) => token).sort()).toEqual(accepted.sort());
        });
      }
    });

    describe('publish', () => {
      const message: PushMessage = { to: tok('single'), body: 'one' };

      for (const testCase of CASES) {
        const { row, persistent, times } = testCase;
        it(title('send', testCase), async () => {
          const { emulator, client } = await setup(row);
          emulator.injectFault(row.fault, { times, endpoint: 'send' });
          const result = await client.publish(message).then(
            ({ status, token, pushMessage }) => ({ ticket: { status, token, message: pushMessage } }),
            (error: unknown) => ({ error: describeError(error) }),
          );
          await settled(emulator);

          const retried = row.retried.send;
          const succeeds = retried && !persistent;
          expect(result).toEqual(succeeds ? { ticket: okTicket({ token: tok('single'), message }) } : { error: row.error('send') });
          const attempts = attemptsOf(retried, persistent);
          expect(requestLog(emulator)).toEqual(
            Array.from({ length: attempts }, (_, attempt) => `send ${persistent || attempt === 0 ? row.status : 200} ×1`).sort(),
          );
          expect(emulator.stats.sendRequests).toBe(attempts);
          // Never accepted twice; accepted once when the service acted before the connection broke.
          expect(emulator.notifications.map(({ token }) => token)).toEqual(succeeds || row.accepts ? [tok('single')] : []);
        });
      }
    });

    describe('checkReceipts', () => {
      for (const testCase of CASES) {
        const { row, persistent, times } = testCase;
        it(title('receipts', testCase), async () => {
          const { emulator, client } = await setup(row);
          const tickets = await client.publishMultiple([{ to: [tok('r-0'), tok('r-1')], body: 'receipts' }]);
          emulator.injectFault(row.fault, { times, endpoint: 'receipts' });
          const result = await client.checkReceipts(tickets).then(
            (receipts) => ({ receipts: receipts.map(({ id, status, token, message, details }) => ({ id, status, token, message, details })) }),
            (error: unknown) => ({ error: describeError(error) }),
          );
          await settled(emulator);

          const retried = row.retried.receipts;
          expect(result).toEqual(
            retried && !persistent
              ? { receipts: tickets.map(({ id, token }) => ({ id, status: 'ok', token, message: undefined, details: undefined })) }
              : { error: row.error('receipts') },
          );
          const attempts = attemptsOf(retried, persistent);
          expect(requestLog(emulator)).toEqual(
            [
              'send 200 ×2',
              ...Array.from({ length: attempts }, (_, attempt) => `receipts ${persistent || attempt === 0 ? row.status : 200}`),
            ].sort(),
          );
          expect({ receiptRequests: emulator.stats.receiptRequests, accepted: emulator.notifications.length }).toEqual({
            receiptRequests: attempts,
            accepted: 2,
          });
        });
      }
    });

    describe('retry policy', () => {
      it('fails at once with PushRateLimitError carrying retryAfterMs when Retry-After exceeds maxRetryAfterMs', async () => {
        const { emulator, client } = await setup();
        const tickets = await client.publishMultiple([{ to: tok('ra-0') }]);
        emulator.injectFault(tooManyRequestsFault(120), { times: Infinity });
        const send = await rejection(client.publish({ to: tok('ra-1') }));
        const receipts = await rejection(client.checkReceipts(tickets));
        expect([describeError(send), describeError(receipts)]).toEqual([tooManyRequests('send', 120_000), tooManyRequests('receipts', 120_000)]);
        expect(emulator.stats).toEqual({ sendRequests: 2, receiptRequests: 1, rateLimited: 0, recipientsAccepted: 1, faultsApplied: 2 });
      });

      it('fails at once when Retry-After exceeds a lowered maxRetryAfterMs', async () => {
        const { emulator, client } = await setup(undefined, { retry: { baseDelayMs: 1, maxRetryAfterMs: 500 } });
        emulator.injectFault(tooManyRequestsFault(1));
        const error = await rejection(client.publish({ to: tok('ra-2') }));
        expect(describeError(error)).toEqual(tooManyRequests('send', 1_000));
        expect(emulator.stats.sendRequests).toBe(1);
      });

      it('never lets the emulator accept a token twice when resets after processing are in the mix', async () => {
        const emulator = createPushEmulator();
        const client = new PushClient({ ...(await transport.connect(emulator)), rateLimit: false, retry: { baseDelayMs: 1 } });
        const messages: PushMessage[] = Array.from({ length: 60 }, (_, m) => ({
          to: Array.from({ length: 10 }, (_, i) => tok(`mix-${m}-${i}`)),
          body: `m${m}`,
        }));
        const faults: EmulatorFault[] = [
          EMULATOR_FAULTS.resetAfterProcessing,
          EMULATOR_FAULTS.tooManyRequests,
          EMULATOR_FAULTS.resetAfterProcessing,
          EMULATOR_FAULTS.resetBeforeProcessing,
          EMULATOR_FAULTS.tooManyRequests,
          EMULATOR_FAULTS.resetAfterProcessing,
          EMULATOR_FAULTS.gatewayTimeout,
        ];
        for (const fault of faults) emulator.injectFault(fault, { endpoint: 'send' });
        const outcome = await outcomeOf(client.publishMultiple(messages));
        await settled(emulator);

        expectAccounting(messages, outcome, emulator);
        // 6 requests of 100; 2 429s are retried, the other 5 faults fail their request for good.
        expect({
          requests: emulator.stats.sendRequests,
          failedRequests: outcome.failures.length,
          failed: outcome.failures.reduce((sum, { recipients }) => sum + recipients.length, 0),
          accepted: emulator.notifications.length,
          received: outcome.tickets.length,
        }).toEqual({ requests: 8, failedRequests: 5, failed: 500, accepted: 400, received: 100 });
        const failedWith = outcome.failures.map(({ error }) => {
          const { name, outcomeUnknown } = describeError(error);
          return `${String(name)} outcomeUnknown=${String(outcomeUnknown)}`;
        });
        expect(failedWith.sort()).toEqual([
          ...Array.from({ length: 4 }, () => 'PushNetworkError outcomeUnknown=true'),
          'PushServerError outcomeUnknown=true',
        ]);
        // No token was sent again once a request carrying it may have been accepted (anything but a 429).
        const sent = sendRequestTokens(emulator);
        const maybeAccepted = emulator.requests.flatMap(({ status }, index) => (status === 429 ? [] : (sent[index] ?? [])));
        expect({ sent: maybeAccepted.length, distinct: new Set(maybeAccepted).size }).toEqual({ sent: 600, distinct: 600 });
      });

      it('delivers a duplicate when the caller opts into retrying unsafe failures and a reset hits after processing', async () => {
        // The trade-off of `shouldRetry: () => true`: the service accepted the first attempt but the
        // client never heard, so the retry is accepted too and the device gets the notification twice.
        const { emulator, client } = await setup(undefined, { retry: { baseDelayMs: 1, shouldRetry: () => true } });
        emulator.injectFault(EMULATOR_FAULTS.resetAfterProcessing, { endpoint: 'send' });
        const outcome = await outcomeOf(client.publishMultiple(BATCH));

        expect({ tickets: outcome.tickets.map(({ token }) => token), failures: outcome.failures }).toEqual({
          tickets: RECIPIENTS.map(({ token }) => token),
          failures: [],
        });
        const accepted = emulator.notifications.map(({ token }) => token);
        const twice = accepted.filter((token, index) => accepted.indexOf(token) !== index);
        expect({ accepted: accepted.length, twice }).toEqual({ accepted: 250, twice: FIRST_REQUEST.map(({ token }) => token) });
        expect(requestLog(emulator)).toEqual(['send 0 ×100', 'send 200 ×100', 'send 200 ×50']);
      });

      it('retries a send whose connection was refused, since it provably never reached the service', async () => {
        const emulator = createPushEmulator();
        const connected = await transport.connect(emulator);
        let calls = 0;
        const fetch: FetchFunction = async (request) => {
          calls++;
          if (calls === 1) throw connectionRefused();
          return connected.fetch(request);
        };
        const client = new PushClient({ ...connected, fetch, rateLimit: false, retry: { baseDelayMs: 1 } });
        const ticket = await client.publish({ to: tok('refused') });
        expect({ status: ticket.status, calls, seen: emulator.stats.sendRequests, accepted: emulator.notifications.length }).toEqual({
          status: 'ok',
          calls: 2,
          seen: 1,
          accepted: 1,
        });
      });
    });
  });

  describe('retry policy, in process', () => {
    it('waits out a Retry-After within maxRetryAfterMs before the next attempt', async () => {
      const emulator = createPushEmulator();
      const startedAt: number[] = [];
      const fetch: FetchFunction = (request) => {
        startedAt.push(performance.now());
        return emulator.fetch(request);
      };
      emulator.injectFault(tooManyRequestsFault(1));
      const ticket = await new PushClient({ fetch, rateLimit: false }).publish({ to: tok('wait') });
      expect({ status: ticket.status, attempts: startedAt.length }).toEqual({ status: 'ok', attempts: 2 });
      expect((startedAt[1] as number) - (startedAt[0] as number)).toBeGreaterThanOrEqual(990);
    });
  });

  describe('over a real refused connection', () => {
    it('fails with PushNetworkError, outcomeUnknown false, after retrying a send that never left', async () => {
      const port = await closedPort();
      let calls = 0;
      const client = new PushClient({
        baseUrl: `http://127.0.0.1:${port}`,
        fetch: (request) => (calls++, globalThis.fetch(request)),
        rateLimit: false,
        retry: { baseDelayMs: 1 },
      });
      const error = await rejection(client.publish({ to: tok('nobody') }));
      expect({ error: describeError(error), calls }).toEqual({
        error: {
          class: PushNetworkError,
          name: 'PushNetworkError',
          message: 'Request to the Expo push service (send) failed: fetch failed',
          endpoint: 'send',
          outcomeUnknown: false,
          causeCode: 'ECONNREFUSED',
        },
        calls: 3,
      });
    });
  });
});

/** A loopback port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return port;
}
