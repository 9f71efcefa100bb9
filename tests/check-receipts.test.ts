import { describe, expect, it } from 'vitest';
import { PushClient, PushServerError, PushTicket } from '../src/index.ts';
import { json, type SeenRequest, scriptedFetch, token } from './helpers/scripted-fetch.ts';

/** Answers every requested id except those starting with "missing", echoing the id in the message. */
const receiptsFor = (request: SeenRequest) => {
  const { ids } = request.body as { ids: string[] };
  const data: Record<string, unknown> = {};
  for (const id of ids) if (!id.startsWith('missing')) data[id] = { status: 'ok' };
  return json({ data });
};

const ticket = (id: string | undefined, n: number, status: 'ok' | 'error' = 'ok') =>
  new PushTicket({ status, id, token: token(n), pushMessage: { to: token(n) } });

describe('PushClient.checkReceipts', () => {
  it('looks receipts up by id and leaves out ids the service did not return', async () => {
    const fake = scriptedFetch(receiptsFor);
    const receipts = await new PushClient({ fetch: fake.fetch }).checkReceipts(['a', 'missing-b', 'c']);
    expect(fake.seen.map((request) => [request.url, request.body])).toEqual([
      ['https://exp.host/--/api/v2/push/getReceipts', { ids: ['a', 'missing-b', 'c'] }],
    ]);
    expect(receipts.map(({ id, status, token: t }) => ({ id, status, token: t }))).toEqual([
      { id: 'a', status: 'ok', token: undefined },
      { id: 'c', status: 'ok', token: undefined },
    ]);
  });

  it('accepts tickets, skips those without an id, and pairs receipts with their tokens', async () => {
    const fake = scriptedFetch(receiptsFor);
    const receipts = await new PushClient({ fetch: fake.fetch }).checkReceipts([
      ticket('r1', 1),
      ticket(undefined, 2, 'error'),
      ticket('r3', 3, 'error'),
      { id: 'r4', token: token(4) },
      'r5',
    ]);
    expect(fake.seen[0]?.body).toEqual({ ids: ['r1', 'r3', 'r4', 'r5'] });
    expect(receipts.map(({ id, token: t }) => [id, t])).toEqual([
      ['r1', token(1)],
      ['r3', token(3)],
      ['r4', token(4)],
      ['r5', undefined],
    ]);
  });

  it('asks for at most 1000 ids per request and asks for each id once', async () => {
    const fake = scriptedFetch(receiptsFor);
    const ids = Array.from({ length: 2500 }, (_, i) => `id-${i}`);
    const receipts = await new PushClient({ fetch: fake.fetch }).checkReceipts([...ids, ...ids.slice(0, 10)]);
    const requested = fake.seen.map((request) => (request.body as { ids: string[] }).ids);
    expect(requested.map((chunk) => chunk.length).sort((a, b) => b - a)).toEqual([1000, 1000, 500]);
    expect(requested.flat().sort()).toEqual([...ids].sort());
    expect(receipts.map((receipt) => receipt.id)).toEqual(ids);
  });

  it('sends nothing for no ids', async () => {
    const fake = scriptedFetch(receiptsFor);
    expect(await new PushClient({ fetch: fake.fetch }).checkReceipts([ticket(undefined, 1)])).toEqual([]);
    expect(fake.seen).toEqual([]);
  });

  it('rejects with PushServerError when data is not an object keyed by id', async () => {
    const fake = scriptedFetch(json({ data: [{ status: 'ok' }] }));
    const error = await new PushClient({ fetch: fake.fetch }).checkReceipts(['a']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushServerError);
    expect(error).toMatchObject({
      endpoint: 'receipts',
      message: 'HTTP 200 from the Expo push service (receipts): expected an object of receipts keyed by id, got an array of 1',
    });
  });

  it('cannot be tricked by __proto__ or constructor ids', async () => {
    const body = '{"data":{"__proto__":{"status":"error","message":"polluted","details":{"error":"X"}},"constructor":{"status":"ok"}}}';
    const fake = scriptedFetch(new Response(body));
    const receipts = await new PushClient({ fetch: fake.fetch }).checkReceipts(['__proto__', 'constructor', 'toString']);
    expect(receipts.map(({ id, status, message }) => ({ id, status, message }))).toEqual([
      { id: '__proto__', status: 'error', message: 'polluted' },
      { id: 'constructor', status: 'ok', message: undefined },
    ]);
    expect(({} as Record<string, unknown>).status).toBeUndefined();
  });
});

describe('PushClient.checkReceipts input validation', () => {
  it('refuses entries that are neither receipt ids nor tickets, with their positions, and sends nothing', async () => {
    const fake = scriptedFetch(receiptsFor);
    const client = new PushClient({ fetch: fake.fetch });
    const notAwaited = Promise.resolve(ticket('r1', 1));
    const error = await client
      .checkReceipts([notAwaited, 'ok-id', '', 123, null, { id: 5 }, {}, new Map()] as never)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      name: 'PushValidationError',
      issues: [
        { index: 0, path: '', message: 'is a Promise: await the ticket before looking up its receipt' },
        { index: 2, path: '', message: 'must be a non-empty receipt id' },
        { index: 3, path: '', message: 'must be a receipt id or a ticket (received 123)' },
        { index: 4, path: '', message: 'must be a receipt id or a ticket (received null)' },
        { index: 5, path: 'id', message: 'must be a non-empty string (received 5)' },
        { index: 6, path: '', message: 'must be a receipt id or a ticket, but has neither id nor status' },
        { index: 7, path: '', message: 'must be a receipt id or a ticket (received Map)' },
      ],
    });
    expect(fake.seen).toEqual([]);
  });

  it('accepts tickets read back from JSON, skipping error tickets without an id', async () => {
    const fake = scriptedFetch(receiptsFor);
    const stored = JSON.parse(
      JSON.stringify([ticket('r1', 1), ticket(undefined, 2, 'error'), { status: 'error', message: 'x', details: { error: 'DeviceNotRegistered' } }]),
    ) as never[];
    const receipts = await new PushClient({ fetch: fake.fetch }).checkReceipts(stored);
    expect(receipts.map(({ id, token: t }) => [id, t])).toEqual([['r1', token(1)]]);
  });
});

describe('PushClient.checkReceipts with publishStream results', () => {
  it('skips failures, which have no receipt, among the tickets', async () => {
    const fake = scriptedFetch(receiptsFor);
    const failure = { token: token(9), message: { to: token(9) }, error: new Error('x') };
    const receipts = await new PushClient({ fetch: fake.fetch }).checkReceipts([ticket('r1', 1), failure]);
    expect(fake.seen[0]?.body).toEqual({ ids: ['r1'] });
    expect(receipts.map(({ id }) => id)).toEqual(['r1']);
  });
});
