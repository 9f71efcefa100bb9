import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DeviceNotRegisteredError,
  InvalidCredentialsError,
  PushClient,
  type PushMessage,
  PushRateLimitError,
  PushServerError,
  PushTicketError,
} from '../src/index.ts';
import { scriptedFetch } from './helpers/scripted-fetch.ts';

/** A contract example exactly as published (tests/fixtures/contract, copied from the shared contract). */
const fixture = (name: string) => readFileSync(new URL(`./fixtures/contract/${name}.json`, import.meta.url), 'utf8');
const reply = (name: string, status = 200) => new Response(fixture(name), { status, headers: { 'content-type': 'application/json' } });

describe('contract examples V1–V7, replayed', () => {
  it('V1: sends the documented batch byte for byte and gets one ticket per recipient', async () => {
    const fake = scriptedFetch(reply('v1-send-response-one-ticket-per-recipient'));
    const messages = JSON.parse(fixture('v1-send-request-multi-recipient')) as PushMessage[];
    const tickets = await new PushClient({ fetch: fake.fetch, gzipThreshold: false }).publishMultiple(messages);
    expect(fake.seen[0]?.bodyText).toBe(JSON.stringify(JSON.parse(fixture('v1-send-request-multi-recipient'))));
    expect(tickets.map((ticket) => ticket.toJSON())).toEqual([
      { status: 'ok', id: 'XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX', token: 'ExponentPushToken[xxxxxxxxxxxxxxxxxxxxxx]' },
      { status: 'ok', id: 'YYYYYYYY-YYYY-YYYY-YYYY-YYYYYYYYYYYY', token: 'ExponentPushToken[yyyyyyyyyyyyyyyyyyyyyy]' },
      { status: 'ok', id: 'ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ', token: 'ExponentPushToken[zzzzzzzzzzzzzzzzzzzzzz]' },
      { status: 'ok', id: 'AAAAAAAA-AAAA-AAAA-AAAA-AAAAAAAAAAAA', token: 'ExponentPushToken[aaaaaaaaaaaaaaaaaaaaaa]' },
    ]);
    expect(tickets[3]?.pushMessage).toBe(messages[2]);
  });

  it('V2: a mixed answer gives an error ticket that validates to DeviceNotRegisteredError', async () => {
    const fake = scriptedFetch(reply('v2-send-response-mixed-tickets'));
    const tickets = await new PushClient({ fetch: fake.fetch }).publishMultiple([
      { to: 'ExponentPushToken[xxxxxxxxxxxxxxxxxxxxxx]', body: 'a' },
      { to: 'ExponentPushToken[yyyyyyyyyyyyyyyyyyyyyy]', body: 'b' },
    ]);
    expect(tickets.map((ticket) => ticket.toJSON())).toEqual([
      {
        status: 'error',
        message: '"ExponentPushToken[xxxxxxxxxxxxxxxxxxxxxx]" is not a registered push notification recipient',
        details: { error: 'DeviceNotRegistered' },
        token: 'ExponentPushToken[xxxxxxxxxxxxxxxxxxxxxx]',
      },
      { status: 'ok', id: 'XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX', token: 'ExponentPushToken[yyyyyyyyyyyyyyyyyyyyyy]' },
    ]);
    expect(() => tickets[0]?.validateResponse()).toThrow(DeviceNotRegisteredError);
    expect(() => tickets[1]?.validateResponse()).not.toThrow();
  });

  it('V3: sends the documented receipts request byte for byte; the missing id is absent', async () => {
    const fake = scriptedFetch(reply('v3-receipts-response-one-id-missing'));
    const { ids } = JSON.parse(fixture('v3-receipts-request')) as { ids: string[] };
    const receipts = await new PushClient({ fetch: fake.fetch }).checkReceipts(ids);
    expect(fake.seen[0]?.bodyText).toBe(JSON.stringify(JSON.parse(fixture('v3-receipts-request'))));
    expect(receipts.map(({ id, status }) => ({ id, status }))).toEqual([
      { id: 'XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX', status: 'ok' },
      { id: 'ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ', status: 'ok' },
    ]);
  });

  it('V4: a real ProviderError receipt with undocumented fields keeps its details verbatim', async () => {
    const fake = scriptedFetch(reply('v4-receipts-response-provider-error-extra-fields'));
    const [receipt] = await new PushClient({ fetch: fake.fetch }).checkReceipts(['01975b8d-8352-7beb-a3f0-ca195f91842c']);
    expect(fake.seen[0]?.bodyText).toBe('{"ids":["01975b8d-8352-7beb-a3f0-ca195f91842c"]}');
    expect({ id: receipt?.id, status: receipt?.status, message: receipt?.message, details: receipt?.details }).toEqual({
      id: '01975b8d-8352-7beb-a3f0-ca195f91842c',
      status: 'error',
      message:
        'The Apple Push Notification service unexpectedly dropped the connection. Retry sending the notification later. If this error recurs very frequently, there is likely an issue with your Apple push notification credentials.',
      details: { error: 'ProviderError', errorCodeEnum: 1, sentAt: 1749587690 },
    });
    const error = (() => {
      try {
        receipt?.validateResponse();
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(PushTicketError);
    expect(error).toMatchObject({ name: 'PushTicketError', code: 'ProviderError', pushResponse: receipt });
  });

  it('V5: a ProviderError receipt wrapping an FCM MismatchSenderId keeps the nested block', async () => {
    const receiptBody = JSON.parse(fixture('v5-receipt-provider-error-nested-fcm')) as unknown;
    const fake = scriptedFetch(new Response(JSON.stringify({ data: { r1: receiptBody } })));
    const [receipt] = await new PushClient({ fetch: fake.fetch }).checkReceipts(['r1']);
    expect(receipt?.details).toEqual({ error: 'ProviderError', fault: 'fcm', fcm: { error: 'MismatchSenderId' } });
    expect(receipt?.message).toBe("There was an unknown error with the FCM server. See this error's details for more information.");
  });

  it('V6a: HTTP 429 TOO_MANY_REQUESTS is a PushRateLimitError once retries are off', async () => {
    const fake = scriptedFetch(reply('v6a-error-too-many-requests-429', 429));
    const error = await new PushClient({ fetch: fake.fetch, retry: false }).publish({ to: 'ExponentPushToken[a]' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushRateLimitError);
    expect(error).toMatchObject({
      status: 429,
      code: 'TOO_MANY_REQUESTS',
      errors: [{ code: 'TOO_MANY_REQUESTS', message: 'Exceeded 600 notifications per second, please try again.' }],
      responseText: fixture('v6a-error-too-many-requests-429'),
    });
  });

  it('V6b: INTERNAL_SERVER_ERROR is a PushServerError with the code', async () => {
    const fake = scriptedFetch(reply('v6b-error-internal-server-error', 500));
    const error = await new PushClient({ fetch: fake.fetch }).publish({ to: 'ExponentPushToken[a]' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushServerError);
    expect(error).toMatchObject({
      status: 500,
      code: 'INTERNAL_SERVER_ERROR',
      message: 'HTTP 500 from the Expo push service (send): INTERNAL_SERVER_ERROR: An unknown error occurred.',
    });
  });

  it('V6c: the OAuth-style invalid bearer token 401 is a PushServerError coded invalid_token', async () => {
    const fake = scriptedFetch(reply('v6c-error-invalid-bearer-token-401', 401));
    const error = await new PushClient({ fetch: fake.fetch, accessToken: 'wrong' }).checkReceipts(['a']).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'PushServerError',
      endpoint: 'receipts',
      status: 401,
      code: 'invalid_token',
      errors: [],
      responseData: { error: 'invalid_token', error_description: 'The bearer token is invalid' },
    });
  });

  it('V7: a single error ticket object with an id is accepted for a one-recipient request', async () => {
    const fake = scriptedFetch(reply('v7-send-response-single-object-error-ticket-with-id'));
    const ticket = await new PushClient({ fetch: fake.fetch }).publish({ to: 'ExponentPushToken[a]' });
    expect(ticket.toJSON()).toEqual({
      status: 'error',
      id: '<HIDDEN>',
      message: 'Failed to authenticate with the FCM server. Ensure the FCM server key you uploaded is correct.',
      details: { error: 'InvalidCredentials', fault: 'developer', fcm: { httpStatus: 401, response: '…' } },
      token: 'ExponentPushToken[a]',
    });
    expect(() => ticket.validateResponse()).toThrow(InvalidCredentialsError);
    const receiptsFetch = scriptedFetch(new Response('{"data":{}}'));
    await new PushClient({ fetch: receiptsFetch.fetch }).checkReceipts([ticket]);
    expect(receiptsFetch.seen[0]?.body).toEqual({ ids: ['<HIDDEN>'] });
  });
});
