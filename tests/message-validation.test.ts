import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PushClient, type PushMessage, PushValidationError } from '../src/index.ts';
import { okTickets, scriptedFetch, token } from './helpers/scripted-fetch.ts';

async function validationIssues(messages: unknown[]) {
  const fake = scriptedFetch(okTickets);
  const client = new PushClient({ fetch: fake.fetch });
  const error = await client.publishMultiple(messages as PushMessage[]).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(fake.seen).toEqual([]);
  expect(error).toBeInstanceOf(PushValidationError);
  return (error as PushValidationError).issues;
}

async function sentBody(messages: PushMessage[]) {
  const fake = scriptedFetch(okTickets);
  await new PushClient({ fetch: fake.fetch }).publishMultiple(messages);
  return fake.seen.map((request) => request.body);
}

const to = token(1);

describe('PushClient.publishMultiple input validation', () => {
  it('lists every problem of every message with its index and field path, and sends nothing', async () => {
    const issues = await validationIssues([
      { to, title: 'fine' },
      { to: [to, 'not-a-token', 42], priority: 'urgent', badge: -1 },
      { title: 'no recipient' },
      null,
      { to: [] },
      { to, sound: { volume: 2, critical: 'yes' }, data: [1, 2], ttl: 1.5, interruptionLevel: 'loud' },
    ]);
    expect(issues).toEqual([
      { index: 1, path: 'to[1]', message: 'must be an Expo push token such as ExponentPushToken[…] (received "not-a-token")' },
      { index: 1, path: 'to[2]', message: 'must be an Expo push token string (received 42)' },
      { index: 1, path: 'priority', message: 'must be one of "default", "normal", "high" (received "urgent")' },
      { index: 1, path: 'badge', message: 'must be a non-negative integer badge count (received -1)' },
      { index: 2, path: 'to', message: 'is required: an Expo push token or a non-empty array of them' },
      { index: 3, path: '', message: 'must be a message object (received null)' },
      { index: 4, path: 'to', message: 'must list at least one Expo push token' },
      { index: 5, path: 'data', message: 'must be a JSON object (received Array)' },
      { index: 5, path: 'ttl', message: 'must be a non-negative integer of seconds (received 1.5)' },
      { index: 5, path: 'sound.critical', message: 'must be a boolean (received "yes")' },
      { index: 5, path: 'sound.volume', message: 'must be a number from 0 to 1 (received 2)' },
      {
        index: 5,
        path: 'interruptionLevel',
        message: 'must be one of "active", "critical", "passive", "time-sensitive" (received "loud")',
      },
    ]);
  });

  it('summarises the problems in the error message', async () => {
    const fake = scriptedFetch(okTickets);
    const client = new PushClient({ fetch: fake.fetch });
    await expect(client.publishMultiple([{ to, priority: 'urgent' as 'high' }])).rejects.toThrow(
      'Invalid push message input (1 problem, nothing was sent): message 0, priority: must be one of "default", "normal", "high" (received "urgent")',
    );
  });

  it.each<[string, unknown, string]>([
    ['title', 1, 'must be a string (received 1)'],
    ['body', false, 'must be a string (received false)'],
    ['subtitle', {}, 'must be a string (received Object)'],
    ['channelId', 3, 'must be a string (received 3)'],
    ['icon', 3, 'must be a string (received 3)'],
    ['categoryId', 3, 'must be a string (received 3)'],
    ['collapseId', 3, 'must be a string (received 3)'],
    ['tag', 3, 'must be a string (received 3)'],
    ['_category', 3, 'must be a string (received 3)'],
    ['expiration', -5, 'must be a non-negative integer Unix time in seconds (received -5)'],
    ['ttl', Number.POSITIVE_INFINITY, 'must be a non-negative integer of seconds (received Infinity)'],
    ['badge', '1', 'must be a non-negative integer badge count (received "1")'],
    ['mutableContent', 'true', 'must be a boolean (received "true")'],
    ['_contentAvailable', 1, 'must be a boolean (received 1)'],
    ['_displayInForeground', 1, 'must be a boolean (received 1)'],
    ['sound', 5, 'must be a sound name or a { critical, name, volume } object (received 5)'],
    ['richContent', 'https://example.com/a.png', 'must be an object such as { image: "https://…" } (received "https://example.com/a.png")'],
    ['data', 'x', 'must be a JSON object (received "x")'],
  ])('rejects %s = %o', async (field, value, message) => {
    expect(await validationIssues([{ to, [field]: value }])).toEqual([{ index: 0, path: field, message }]);
  });

  it('names the exact spot where data stops being JSON', async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const issues = await validationIssues([
      { to, data: { user: { tags: ['a', () => 1] } } },
      { to, data: { 'first name': 10n } },
      { to, data: { when: new Map() } },
      { to, data: { ratio: Number.NaN } },
      { to, data: circular },
      { to, data: { list: [undefined] } },
    ]);
    expect(issues).toEqual([
      { index: 0, path: 'data', message: 'must be a JSON object, but data.user.tags[1] is not JSON: a function is not a JSON value' },
      { index: 1, path: 'data', message: 'must be a JSON object, but data["first name"] is not JSON: a bigint is not a JSON value' },
      { index: 2, path: 'data', message: 'must be a JSON object, but data.when is not JSON: a Map object is not a JSON object' },
      { index: 3, path: 'data', message: 'must be a JSON object, but data.ratio is not JSON: NaN is not a JSON number' },
      { index: 4, path: 'data', message: 'must be a JSON object, but data.self is not JSON: a circular reference cannot be sent as JSON' },
      { index: 5, path: 'data', message: 'must be a JSON object, but data.list[0] is not JSON: undefined is not a JSON value' },
    ]);
  });

  it('follows JSON.stringify where it is harmless: undefined properties are left out and toJSON() is used', async () => {
    const when = new Date(Date.UTC(2026, 11, 3));
    const bodies = await sentBody([{ to, data: { coupon: undefined, when, nested: { at: when, gone: undefined } } }]);
    expect(bodies).toEqual([[{ to, data: { when: '2026-12-03T00:00:00.000Z', nested: { at: '2026-12-03T00:00:00.000Z' } } }]]);
  });

  it('refuses unknown fields that are not JSON, so no request of a batch fails halfway', async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const issues = await validationIssues([
      { to, body: 'fine' },
      { to, extra: 10n },
      { to, callback: () => 1 },
      { to, 'odd key': { deep: [circular] } },
      { to, future: { ok: true, when: new Date(0) }, gone: undefined, nothing: null },
    ]);
    expect(issues).toEqual([
      { index: 1, path: 'extra', message: 'is not JSON: a bigint is not a JSON value' },
      { index: 2, path: 'callback', message: 'is not JSON: a function is not a JSON value' },
      { index: 3, path: '["odd key"].deep[0].self', message: 'is not JSON: a circular reference cannot be sent as JSON' },
    ]);
  });

  it('sends explicit "", 0 and false verbatim and drops null and undefined fields except sound: null', async () => {
    const bodies = await sentBody([
      { to, title: '', badge: 0, mutableContent: false, ttl: 0, body: undefined, subtitle: null, data: null, sound: null },
    ]);
    expect(bodies).toEqual([[{ to, title: '', badge: 0, mutableContent: false, ttl: 0, sound: null }]]);
    expect(Object.keys((bodies[0] as object[])[0] as object)).toEqual(['to', 'title', 'badge', 'mutableContent', 'ttl', 'sound']);
  });

  it('passes fields it does not know through unchanged', async () => {
    const message = { to, body: 'hi', futureField: { nested: [1, 'two'] }, anotherOne: 'x' } as PushMessage;
    expect(await sentBody([message])).toEqual([[message]]);
  });

  it('accepts every field of the contract with valid values', async () => {
    const message: PushMessage = {
      to: [to, 'ExpoPushToken[abc]', 'ef157a47-61c2-4213-b066-96edad47b2ad'],
      data: { deep: { list: [1, 'a', null, true] } },
      title: 'T',
      body: 'B',
      subtitle: 'S',
      ttl: 60,
      expiration: 1_900_000_000,
      priority: 'high',
      sound: { critical: true, name: 'default', volume: 0.5 },
      badge: 3,
      interruptionLevel: 'time-sensitive',
      channelId: 'news',
      icon: 'myicon',
      richContent: { image: 'https://example.com/a.png' },
      categoryId: 'reply',
      mutableContent: true,
      collapseId: 'c',
      tag: 't',
      _contentAvailable: true,
      _displayInForeground: true,
      _category: '@user/app:reply',
    };
    expect(await sentBody([message])).toEqual([[message]]);
  });

  it('sends any valid message unchanged apart from dropped null and undefined fields (property)', async () => {
    const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(fc.oneof(arbitrary, fc.constant(undefined)), { nil: null });
    const message = fc.record(
      {
        to: fc.oneof(fc.constant(to), fc.array(fc.constant(token(2)), { minLength: 1, maxLength: 5 })),
        title: optional(fc.string()),
        body: optional(fc.string({ unit: 'grapheme' })),
        badge: optional(fc.nat()),
        priority: optional(fc.constantFrom('default', 'normal', 'high')),
        data: optional(fc.dictionary(fc.string(), fc.jsonValue())),
        sound: optional(fc.constantFrom('default', 'bells.wav')),
      },
      { requiredKeys: ['to'] },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 5 }), async (messages) => {
        const fake = scriptedFetch(okTickets);
        await new PushClient({ fetch: fake.fetch }).publishMultiple(messages as PushMessage[]);
        const sent = fake.seen.flatMap((request) => request.body as object[]);
        const expected = messages.map((m) =>
          Object.fromEntries(Object.entries(m).filter(([key, value]) => value !== undefined && (value !== null || key === 'sound'))),
        );
        // JSON round trip: what the service receives, e.g. -0 arrives as 0.
        expect(sent).toEqual(JSON.parse(JSON.stringify(expected)));
      }),
      { numRuns: 60 },
    );
  });

  it('rejects a non-array argument with a TypeError', async () => {
    const client = new PushClient({ fetch: scriptedFetch(okTickets).fetch });
    await expect(client.publishMultiple({ to } as unknown as PushMessage[])).rejects.toThrow(
      new TypeError('publishMultiple() expects an array of messages'),
    );
  });
});
