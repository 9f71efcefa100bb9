import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PushBatchError, PushClient, type PushMessage, PushServerError, type PushTicket } from '../src/index.ts';
import { json, okTickets, type SeenRequest, scriptedFetch, text, token } from './helpers/scripted-fetch.ts';

const recipientsOf = (request: SeenRequest) =>
  (request.body as PushMessage[]).flatMap((message) => (Array.isArray(message.to) ? message.to : [message.to]));

/** Tickets whose ids name their token, so order can be checked end to end. */
const ticketsNamingTokens = (request: SeenRequest) =>
  json({ data: recipientsOf(request).map((to) => ({ status: 'ok', id: `receipt-for-${to}` })) });

describe('PushClient.publishMultiple', () => {
  it('returns one ticket per recipient in input order, a multi-recipient message giving one per token', async () => {
    const fake = scriptedFetch(ticketsNamingTokens);
    const messages: PushMessage[] = [
      { to: token('a'), body: 'one' },
      { to: [token('b'), token('c')], body: 'two' },
      { to: token('d'), body: 'three' },
    ];
    const tickets = await new PushClient({ fetch: fake.fetch }).publishMultiple(messages);
    expect(tickets.map((ticket) => ticket.toJSON())).toEqual(
      ['a', 'b', 'c', 'd'].map((n) => ({ status: 'ok', id: `receipt-for-${token(n)}`, token: token(n) })),
    );
    expect(tickets.map((ticket) => ticket.pushMessage)).toEqual([messages[0], messages[1], messages[1], messages[2]]);
    expect(tickets[1]?.pushMessage).toBe(messages[1]);
    expect(fake.seen).toHaveLength(1);
  });

  it('splits a message with 250 tokens into requests of 100, 100 and 50 with all other fields intact', async () => {
    const fake = scriptedFetch(ticketsNamingTokens);
    const tokens = Array.from({ length: 250 }, (_, i) => token(i));
    const message: PushMessage = { to: tokens, title: 'Sale', body: 'Now', data: { a: 1 }, sound: 'default', badge: 2 };
    const tickets = await new PushClient({ fetch: fake.fetch }).publishMultiple([message]);
    // Requests run concurrently, so compare them in recipient order.
    const bodies = [...fake.seen].sort((a, b) => tokens.indexOf(recipientsOf(a)[0] ?? '') - tokens.indexOf(recipientsOf(b)[0] ?? ''));
    expect(bodies.map((request) => request.body)).toEqual([
      [{ ...message, to: tokens.slice(0, 100) }],
      [{ ...message, to: tokens.slice(100, 200) }],
      [{ ...message, to: tokens.slice(200) }],
    ]);
    expect(tickets.map((ticket) => ticket.token)).toEqual(tokens);
    expect(tickets.map((ticket) => ticket.id)).toEqual(tokens.map((t) => `receipt-for-${t}`));
  });

  it('counts recipients, not messages: 60 messages of 2 tokens go out as 100 + 20 recipients', async () => {
    const fake = scriptedFetch(ticketsNamingTokens);
    const messages = Array.from({ length: 60 }, (_, i) => ({ to: [token(`${i}a`), token(`${i}b`)], body: `m${i}` }));
    const tickets = await new PushClient({ fetch: fake.fetch }).publishMultiple(messages);
    const sizes = fake.seen.map((request) => recipientsOf(request).length).sort((a, b) => b - a);
    expect(sizes).toEqual([100, 20]);
    expect(fake.seen.map((request) => (request.body as unknown[]).length).sort((a, b) => b - a)).toEqual([50, 10]);
    expect(tickets.map((ticket) => ticket.token)).toEqual(messages.flatMap((message) => message.to));
  });

  it('keeps a string `to` a string and an array `to` an array on the wire', async () => {
    const fake = scriptedFetch(okTickets);
    await new PushClient({ fetch: fake.fetch }).publishMultiple([{ to: token(1) }, { to: [token(2)] }]);
    expect(fake.seen[0]?.body).toEqual([{ to: token(1) }, { to: [token(2)] }]);
  });

  it('sends nothing and returns no tickets for an empty array', async () => {
    const fake = scriptedFetch(okTickets);
    expect(await new PushClient({ fetch: fake.fetch }).publishMultiple([])).toEqual([]);
    expect(fake.seen).toEqual([]);
  });

  it('accepts a single ticket object where an array was expected', async () => {
    const fake = scriptedFetch(json({ data: { status: 'ok', id: 'only' } }));
    const tickets = await new PushClient({ fetch: fake.fetch }).publishMultiple([{ to: token(1) }]);
    expect(tickets.map((ticket) => ticket.toJSON())).toEqual([{ status: 'ok', id: 'only', token: token(1) }]);
  });

  it('rejects with PushBatchError holding the tickets received and every unsent recipient with its reason', async () => {
    const fake = scriptedFetch((request) =>
      recipientsOf(request).includes(token(150)) ? text('<html>502 Bad Gateway</html>', 502) : ticketsNamingTokens(request),
    );
    const tokens = Array.from({ length: 250 }, (_, i) => token(i));
    const messages = tokens.map((to) => ({ to, body: 'x' }));
    const error = await new PushClient({ fetch: fake.fetch }).publishMultiple(messages).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PushBatchError);
    const batch = error as PushBatchError;
    expect(batch.tickets.map((ticket) => ticket.token)).toEqual([...tokens.slice(0, 100), ...tokens.slice(200)]);
    expect(batch.failures).toHaveLength(1);
    expect(batch.failures[0]?.recipients).toEqual(messages.slice(100, 200).map((message) => ({ token: message.to, message })));
    expect(batch.failures[0]?.error).toBeInstanceOf(PushServerError);
    expect((batch.failures[0]?.error as PushServerError).status).toBe(502);
    expect(batch.message).toBe(
      '100 of 250 recipients were not sent: 1 request failed (first: HTTP 502 from the Expo push service (send) was not JSON: <html>502 Bad Gateway</html>)',
    );
  });

  it('reports a ticket count that differs from the recipients sent as a PushServerError', async () => {
    const fake = scriptedFetch(json({ data: [{ status: 'ok', id: 'a' }] }));
    const error = await new PushClient({ fetch: fake.fetch })
      .publishMultiple([{ to: [token(1), token(2)] }])
      .catch((caught: unknown) => caught);
    const cause = (error as PushBatchError).failures[0]?.error as PushServerError;
    expect(cause).toBeInstanceOf(PushServerError);
    expect(cause.message).toBe('HTTP 200 from the Expo push service (send): expected 2 tickets (one per recipient) but got 1');
    expect(cause.responseData).toEqual({ data: [{ status: 'ok', id: 'a' }] });
  });

  it('never exceeds 100 recipients per request, keeps ticket order, and accounts for every recipient (property)', async () => {
    const batch = fc.array(fc.integer({ min: 1, max: 130 }), { minLength: 1, maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(batch, fc.func(fc.boolean()), async (sizes, fails) => {
        let n = 0;
        const messages = sizes.map((size, m) =>
          size === 1 && m % 2 === 0 ? { to: token(n++) } : { to: Array.from({ length: size }, () => token(n++)), body: `m${m}` },
        );
        const all = messages.flatMap((message) => (Array.isArray(message.to) ? message.to : [message.to]));
        const fake = scriptedFetch((request) =>
          fails(recipientsOf(request)[0]) ? json({ errors: [{ code: 'INTERNAL_SERVER_ERROR', message: 'x' }] }, 500) : ticketsNamingTokens(request),
        );
        const outcome = await new PushClient({ fetch: fake.fetch, rateLimit: false })
          .publishMultiple(messages)
          .then((tickets) => ({ tickets, failed: [] as string[] }))
          .catch((error: PushBatchError) => ({
            tickets: error.tickets as PushTicket[],
            failed: error.failures.flatMap((failure) => failure.recipients.map((recipient) => recipient.token)),
          }));
        for (const request of fake.seen) expect(recipientsOf(request).length).toBeLessThanOrEqual(100);
        expect(fake.seen.flatMap(recipientsOf)).toEqual(expect.arrayContaining(all));
        expect(fake.seen.flatMap(recipientsOf)).toHaveLength(all.length);
        const received = outcome.tickets.map((ticket) => ticket.token);
        expect(received).toEqual(all.filter((t) => !outcome.failed.includes(t)));
        expect(outcome.tickets.every((ticket) => ticket.id === `receipt-for-${ticket.token}`)).toBe(true);
        expect(received.length + outcome.failed.length).toBe(all.length);
        expect([...received, ...outcome.failed].sort()).toEqual([...all].sort());
      }),
      { numRuns: 80 },
    );
  });
});

describe('PushClient.publish', () => {
  it('returns the ticket of a single-recipient message', async () => {
    const fake = scriptedFetch(json({ data: [{ status: 'ok', id: 'abc' }] }));
    const message = { to: token(1), body: 'hi' };
    const ticket = await new PushClient({ fetch: fake.fetch }).publish(message);
    expect(ticket.toJSON()).toEqual({ status: 'ok', id: 'abc', token: token(1) });
    expect(ticket.pushMessage).toBe(message);
    expect(fake.seen.map((request) => request.body)).toEqual([[message]]);
  });

  it('accepts a `to` array of exactly one token', async () => {
    const fake = scriptedFetch(json({ data: [{ status: 'ok', id: 'abc' }] }));
    const ticket = await new PushClient({ fetch: fake.fetch }).publish({ to: [token(1)] });
    expect(ticket.token).toBe(token(1));
  });

  it('rejects with the PushServerError itself when the request fails', async () => {
    const fake = scriptedFetch(json({ errors: [{ code: 'INTERNAL_SERVER_ERROR', message: 'An unknown error occurred.' }] }, 500));
    const error = await new PushClient({ fetch: fake.fetch }).publish({ to: token(1) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PushServerError);
    expect((error as PushServerError).code).toBe('INTERNAL_SERVER_ERROR');
  });

  it('refuses a message with several recipients before sending', async () => {
    const fake = scriptedFetch(okTickets);
    const error = await new PushClient({ fetch: fake.fetch })
      .publish({ to: [token(1), token(2)] })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      name: 'PushValidationError',
      issues: [{ index: 0, path: 'to', message: 'publish() sends to exactly one recipient (got 2); use publishMultiple()' }],
    });
    expect(fake.seen).toEqual([]);
  });
});

describe('PushClient.publishMultiple when the credentials are refused', () => {
  it('stops sending after HTTP 401 and fails the rest with that error, losing no recipient', async () => {
    const body = '{"error":"invalid_token","error_description":"The bearer token is invalid"}';
    const fake = scriptedFetch(new Response(body, { status: 401 }));
    const messages = Array.from({ length: 5000 }, (_, i) => ({ to: token(i) }));
    const error = (await new PushClient({ fetch: fake.fetch, accessToken: 'revoked', concurrency: 2, rateLimit: false })
      .publishMultiple(messages)
      .catch((caught: unknown) => caught)) as PushBatchError;
    expect(error).toBeInstanceOf(PushBatchError);
    // Only the requests already under way when the first 401 arrived were sent.
    expect(fake.seen.length).toBeLessThanOrEqual(4);
    expect(error.tickets).toEqual([]);
    expect(error.failures.flatMap((failure) => failure.recipients.map((recipient) => recipient.token))).toEqual(messages.map((m) => m.to));
    expect(new Set(error.failures.map((failure) => (failure.error as PushServerError).code))).toEqual(new Set(['invalid_token']));
  });
});

describe('PushClient.publishMultiple with mixed projects', () => {
  const experienceIds = (details: Record<string, string[]>) =>
    json({ errors: [{ code: 'PUSH_TOO_MANY_EXPERIENCE_IDS', message: 'All push notification messages in the same request must be for the same project; check the details field to investigate conflicting tokens.', details }] }, 400);

  it('reports recipients the details map leaves out as failures, and sends each listed project once', async () => {
    const fake = scriptedFetch(
      experienceIds({ '@a/one': [token(1), token(3)], '@a/two': [token(2)] }),
      ticketsNamingTokens,
    );
    const messages = [{ to: [token(1), token(2), token(3), token(4)], body: 'x' }];
    const error = (await new PushClient({ fetch: fake.fetch }).publishMultiple(messages).catch((e: unknown) => e)) as PushBatchError;
    expect(error).toBeInstanceOf(PushBatchError);
    expect(error.tickets.map((ticket) => ticket.token)).toEqual([token(1), token(2), token(3)]);
    expect(error.failures).toHaveLength(1);
    expect(error.failures[0]?.recipients).toEqual([{ token: token(4), message: messages[0] }]);
    expect((error.failures[0]?.error as PushServerError).code).toBe('PUSH_TOO_MANY_EXPERIENCE_IDS');
    expect(fake.seen.slice(1).map((request) => request.body).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
      [{ to: [token(1), token(3)], body: 'x' }],
      [{ to: [token(2)], body: 'x' }],
    ]);
  });

  it('fails a regrouped request that is refused again instead of splitting it again', async () => {
    const map = { '@a/one': [token(1)], '@a/two': [token(2)] };
    const fake = scriptedFetch(experienceIds(map), experienceIds(map), ticketsNamingTokens);
    const messages = [{ to: token(1) }, { to: token(2) }];
    const error = (await new PushClient({ fetch: fake.fetch }).publishMultiple(messages).catch((e: unknown) => e)) as PushBatchError;
    expect(fake.seen).toHaveLength(3);
    expect(error.tickets).toHaveLength(1);
    expect(error.failures.map((failure) => failure.recipients.length)).toEqual([1]);
    expect(error.tickets.length + error.failures[0]!.recipients.length).toBe(2);
  });
});

describe('PushClient security', () => {
  it('keeps server JSON with __proto__ and constructor keys from polluting prototypes', async () => {
    const body = '{"data":[{"status":"error","message":"x","details":{"error":"X","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}},"__proto__":{"polluted":true}}]}';
    const ticket = await new PushClient({ fetch: scriptedFetch(new Response(body)).fetch }).publish({ to: token(1) });
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.hasOwn(ticket.details ?? {}, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(ticket.details)).toBe(Object.prototype);
  });

  it('never shows the access token in toJSON() or inspection output of any error', async () => {
    const { inspect } = await import('node:util');
    const secret = 'tok_live_9f8e7d6c5b4a';
    const replies = [
      json({ errors: [{ code: 'INTERNAL_SERVER_ERROR', message: 'x' }] }, 500),
      new Response('{"error":"invalid_token","error_description":"The bearer token is invalid"}', { status: 401 }),
      text('<html>502</html>', 502),
    ];
    for (const reply of replies) {
      const error = await new PushClient({ fetch: scriptedFetch(reply).fetch, accessToken: secret, retry: false })
        .publishMultiple([{ to: token(1) }, { to: token(2) }])
        .catch((e: unknown) => e);
      expect(JSON.stringify(error)).not.toContain(secret);
      expect(inspect(error, { depth: 10 })).not.toContain(secret);
      const cause = (error as PushBatchError).failures[0]?.error as Error;
      expect(inspect(cause, { depth: 10, showHidden: true })).not.toContain(secret);
    }
  });
});
