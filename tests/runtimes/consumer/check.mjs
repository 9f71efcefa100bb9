// The runtime-agnostic check. The runtime under test imports the built package itself (ESM import,
// CJS require, or a bundle of it) and hands the module to runChecks, together with the URL of the
// emulator that the Node parent serves on loopback. Only web-standard globals are used here, so
// the same code runs on Node, Deno, Bun, workerd and the Vercel edge VM.
import { ACCESS_TOKEN, UNREGISTERED_INDEX, UNREGISTERED_TOKEN, makeBatch, recipientsOf } from './batch.mjs';

const RECEIPTS_PATH = '/--/api/v2/push/getReceipts';

/**
 * Sends the batch, validates the tickets, provokes a PushServerError, fetches the receipts and
 * returns what happened as plain JSON for the parent to assert on.
 * @param {Record<string, any>} sdk - the `expo-push-edge` module as the runtime loaded it
 * @param {{ baseUrl: string, runtime: { name: string, version: string } }} config
 */
export async function runChecks(sdk, { baseUrl, runtime }) {
  const { PushClient } = sdk;
  const encodings = [];
  const client = new PushClient({
    baseUrl,
    accessToken: ACCESS_TOKEN,
    hooks: {
      // What the runtime's fetch hands the SDK: a body it already decoded, with the
      // Content-Encoding header still in place. The SDK must not decode it again.
      afterResponse: [({ endpoint, response }) => void encodings.push(`${endpoint}: ${response.headers.get('content-encoding')}`)],
    },
  });

  const messages = makeBatch();
  const recipients = recipientsOf(messages);
  const messageOfRecipient = messages.flatMap((m) => (typeof m.to === 'string' ? [m] : m.to.map(() => m)));

  const tickets = await client.publishMultiple(messages);
  const failed = tickets.filter((t) => !t.isSuccess());
  const accepted = tickets.filter((t) => t.isSuccess());
  const okValidates = accepted.every((t) => {
    t.validateResponse();
    return true;
  });

  const unregistered = tickets[UNREGISTERED_INDEX];
  let ticketError;
  try {
    unregistered?.validateResponse();
  } catch (error) {
    ticketError = error;
  }

  // The emulator requires the access token: a client with a wrong one is refused with the
  // service's OAuth-style 401, which publish() rejects with as a PushServerError.
  let serverError;
  try {
    await new PushClient({ baseUrl, accessToken: 'not-the-token' }).publish({ to: recipients[0], body: 'refused' });
  } catch (error) {
    serverError = error;
  }

  const receipts = await client.checkReceipts(tickets);

  // The runtime's own fetch, without the SDK: it decodes the gzip response and keeps the header.
  const raw = await fetch(`${baseUrl}${RECEIPTS_PATH}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ACCESS_TOKEN}`, 'content-type': 'application/json', 'accept-encoding': 'gzip' },
    body: JSON.stringify({ ids: ['no-such-receipt'] }),
  });
  const rawText = await raw.text();

  return {
    runtime,
    globals: {
      CompressionStream: typeof CompressionStream === 'function',
      'AbortSignal.any': typeof AbortSignal.any === 'function',
      process: typeof globalThis.process !== 'undefined',
    },
    sdkVersion: sdk.SDK_VERSION,
    tickets: {
      count: tickets.length,
      allPushTickets: tickets.every((t) => t instanceof sdk.PushTicket),
      tokensInOrder: tickets.length === recipients.length && tickets.every((t, i) => t.token === recipients[i]),
      messagesInOrder: tickets.every((t, i) => t.pushMessage === messageOfRecipient[i]),
      ok: accepted.length,
      okHaveIds: accepted.every((t) => typeof t.id === 'string' && t.id.length > 0),
      uniqueIds: new Set(accepted.map((t) => t.id)).size,
      okValidates,
      failed: failed.map((t) => ({ token: t.token, status: t.status, error: t.details?.error, expoPushToken: t.details?.expoPushToken })),
      ids: accepted.map((t) => t.id),
    },
    ticketError: describeError(sdk, ticketError, ['DeviceNotRegisteredError', 'PushTicketError', 'PushError', 'PushServerError']),
    ticketErrorCode: ticketError?.code,
    ticketErrorResponseIsTicket: ticketError?.pushResponse === unregistered,
    serverError: describeError(sdk, serverError, ['PushServerError', 'PushError', 'PushRateLimitError', 'PushNetworkError']),
    serverErrorFields: serverError && { status: serverError.status, code: serverError.code, endpoint: serverError.endpoint, outcomeUnknown: serverError.outcomeUnknown },
    receipts: {
      count: receipts.length,
      allPushReceipts: receipts.every((r) => r instanceof sdk.PushReceipt),
      statuses: [...new Set(receipts.map((r) => r.status))],
      idsInOrder: receipts.length === accepted.length && receipts.every((r, i) => r.id === accepted[i].id),
      tokensInOrder: receipts.every((r, i) => r.token === accepted[i]?.token),
    },
    responseEncodingsSeenBySdk: [...new Set(encodings)].sort(),
    rawFetch: { status: raw.status, contentEncoding: raw.headers.get('content-encoding'), body: rawText },
  };
}

/** `name`, `instanceof` against the given classes of the loaded module, and the cross-realm brand. */
function describeError(sdk, error, classes) {
  if (error === undefined) return { thrown: false };
  return {
    thrown: true,
    name: error?.name,
    instanceOf: Object.fromEntries([['Error', error instanceof Error], ...classes.map((name) => [name, error instanceof sdk[name]])]),
    isPushError: sdk.PushError.isPushError(error),
  };
}
