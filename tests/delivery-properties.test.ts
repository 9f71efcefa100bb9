import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createPushEmulator,
  EMULATOR_FAULTS,
  type EmulatorFault,
  type PushEmulator,
  serveEmulator,
  tooManyRequestsFault,
} from '../src/cli/node-entry.ts';
import {
  type FetchFunction,
  PushClient,
  type PushMessage,
  PushNetworkError,
  PushServerError,
} from '../src/index.ts';
import {
  type BatchOutcome,
  connectionRefused,
  expectAccounting,
  outcomeOf,
  recipientsOf,
  sendRequestTokens,
  settled,
  tok,
} from './helpers/delivery.ts';

/** The service's limit of recipients per request. */
const SERVICE_LIMIT = 100;

/** What happens to one fetch call: nothing, an emulator fault, or a refused connection (never reaches the emulator). */
type Step = EmulatorFault | 'refused' | null;

const STEPS: readonly Step[] = [
  ...Object.values(EMULATOR_FAULTS),
  tooManyRequestsFault(0),
  { kind: 'delay', ms: Infinity },
  { kind: 'delay', ms: 3 },
  'refused',
];

/** Per fetch call, in call order (retries included); calls past the end pass untouched. */
const script = fc.array(fc.oneof({ weight: 3, arbitrary: fc.constant<Step>(null) }, { weight: 2, arbitrary: fc.constantFrom(...STEPS) }), {
  maxLength: 40,
});

/** Message shapes: a string `to`, or an array `to` of 1–150 tokens. */
const shapes = fc.array(fc.oneof(fc.constant<'string'>('string'), fc.integer({ min: 1, max: 150 })), { minLength: 1, maxLength: 8 });

/** Either every token in one project, or each token in one of three, chosen by a generated function. */
const projects = fc.option(fc.func(fc.constantFrom('@acme/a', '@acme/b', '@acme/c')), { nil: undefined });

/**
 * Messages of the given shapes, every token distinct. With `malformed`, every 7th token passes the
 * client's check but not the emulator's (a `[` inside): the service answers it with an error ticket,
 * and leaves it out of the project map of a mixed-project refusal.
 */
function messagesOf(shapeList: ReadonlyArray<'string' | number>, malformed = false): PushMessage[] {
  let n = 0;
  const next = (name: string) => (malformed && n++ % 7 === 3 ? tok(`bad[${name}`) : tok(name));
  return shapeList.map((shape, m) =>
    shape === 'string'
      ? { to: next(`s${m}`), body: `message ${m}` }
      : { to: Array.from({ length: shape }, (_, i) => next(`a${m}-${i}`)), body: `message ${m}`, data: { m } },
  );
}

/** Wraps `send`, applying the script's step to each call: injected into the emulator right before it takes the request. */
function scripted(emulator: PushEmulator, steps: readonly Step[], send: FetchFunction): FetchFunction {
  let calls = 0;
  return async (request) => {
    const step = steps[calls++] ?? null;
    if (step === 'refused') throw connectionRefused();
    if (step !== null) emulator.injectFault(step);
    return send(request);
  };
}

/**
 * Everything that must hold whatever the faults: requests of at most 100 recipients, the
 * accounting invariant with tickets in recipient order, no token accepted twice, no token sent
 * again once a request carrying it may have been accepted, and a failed recipient the emulator
 * did accept is always reported with `outcomeUnknown: true`.
 */
function expectDeliveryGuarantees(messages: readonly PushMessage[], outcome: BatchOutcome, emulator: PushEmulator): void {
  const sent = sendRequestTokens(emulator);
  expect(sent.map((tokens) => tokens.length).filter((size) => size > SERVICE_LIMIT)).toEqual([]);

  expectAccounting(messages, outcome, emulator);

  const order = new Map(recipientsOf(messages).map(({ token }, index) => [token, index]));
  const failureStarts = outcome.failures.map(({ recipients }) => order.get(recipients[0]?.token ?? '') ?? -1);
  expect(failureStarts).toEqual([...failureStarts].sort((a, b) => a - b));
  for (const { recipients, error } of outcome.failures) {
    const indexes = recipients.map(({ token }) => order.get(token) ?? -1);
    expect({ indexes, size: recipients.length <= SERVICE_LIMIT, isRequestError: error instanceof PushServerError || error instanceof PushNetworkError }).toEqual({
      indexes: [...indexes].sort((a, b) => a - b),
      size: true,
      isRequestError: true,
    });
  }

  // Only answers that prove the service refused the whole request (429, or 400 for mixed projects)
  // allow sending its recipients again.
  const maybeAccepted = emulator.requests
    .filter(({ endpoint }) => endpoint === 'send')
    .flatMap(({ status }, index) => (status === 400 || status === 429 ? [] : (sent[index] ?? [])));
  expect(maybeAccepted.filter((token, index) => maybeAccepted.indexOf(token) !== index)).toEqual([]);

  const ticketed = new Set(outcome.tickets.map(({ token }) => token));
  const failedWith = new Map(outcome.failures.flatMap(({ recipients, error }) => recipients.map(({ token }) => [token, error] as const)));
  const acceptedButReportedRefused = emulator.notifications
    .map(({ token }) => token)
    .filter((token) => !ticketed.has(token) && (failedWith.get(token) as { outcomeUnknown?: boolean } | undefined)?.outcomeUnknown !== true);
  expect(acceptedButReportedRefused).toEqual([]);
}

const clientOptions = { rateLimit: false, retry: { baseDelayMs: 1 }, timeoutMs: 50 } as const;

describe('PushClient.publishMultiple', () => {
  it('keeps every delivery guarantee over random batches, projects and per-request faults (in process)', async () => {
    await fc.assert(
      fc.asyncProperty(shapes, fc.boolean(), projects, script, async (shapeList, malformed, projectOf, steps) => {
        const messages = messagesOf(shapeList, malformed);
        const emulator = createPushEmulator(projectOf ? { projectOf } : {});
        const client = new PushClient({ ...clientOptions, fetch: scripted(emulator, steps, emulator.fetch) });
        const outcome = await outcomeOf(client.publishMultiple(messages));
        await settled(emulator);
        expectDeliveryGuarantees(messages, outcome, emulator);
      }),
      { numRuns: 60 },
    );
  }, 120_000);

  it('keeps every delivery guarantee over random batches and per-request faults (loopback HTTP)', async () => {
    await fc.assert(
      fc.asyncProperty(shapes, fc.boolean(), projects, script, async (shapeList, malformed, projectOf, steps) => {
        const messages = messagesOf(shapeList, malformed);
        const server = await serveEmulator(projectOf ? { projectOf } : {});
        try {
          const { emulator } = server;
          const client = new PushClient({
            ...clientOptions,
            timeoutMs: 500,
            baseUrl: server.url,
            fetch: scripted(emulator, steps, (request) => globalThis.fetch(request)),
          });
          const outcome = await outcomeOf(client.publishMultiple(messages));
          await settled(emulator);
          expectDeliveryGuarantees(messages, outcome, emulator);
        } finally {
          await server.close();
        }
      }),
      { numRuns: 8 },
    );
    // Each stalled request costs its full timeout; a busy machine needs the headroom.
  }, 120_000);

  it('regroups mixed-project requests so every recipient gets an ok ticket in order when nothing fails', async () => {
    await fc.assert(
      fc.asyncProperty(shapes, fc.func(fc.constantFrom('@acme/a', '@acme/b', '@acme/c')), async (shapeList, projectOf) => {
        const messages = messagesOf(shapeList);
        const emulator = createPushEmulator({ projectOf });
        // Nothing stalls here, so a generous timeout keeps a loaded machine from failing a request.
        const tickets = await new PushClient({ ...clientOptions, timeoutMs: 10_000, fetch: emulator.fetch }).publishMultiple(messages);

        expect(tickets.map(({ status, token, pushMessage }) => ({ status, token, message: pushMessage }))).toEqual(
          recipientsOf(messages).map(({ token, message }) => ({ status: 'ok', token, message })),
        );
        const sent = sendRequestTokens(emulator);
        const projectsPerRequest = emulator.requests.map(({ status }, index) => ({
          status,
          projects: new Set((sent[index] ?? []).map((token) => projectOf(token))).size,
        }));
        // Every accepted request is single-project; every refused one mixed projects.
        expect(projectsPerRequest.filter(({ status, projects: count }) => (status === 200 ? count !== 1 : status !== 400 || count < 2))).toEqual([]);
        expectAccounting(messages, { tickets, failures: [] }, emulator);
      }),
      { numRuns: 40 },
    );
  });
});
