// How each client sends a batch. Runs inside the client child process only: the SDKs are imported
// lazily, because expo-server-sdk reads EXPO_BASE_URL from process.env when it is imported.
//
// Every sender resolves to { ok, errorTickets, lost, failedRequests } where `lost` counts the
// recipients without an `ok` ticket (a request that failed for good, or an error ticket).
// Senders given `checkpointEvery` also report `checkpoints`: the process's RSS and V8 heap each
// time another `checkpointEvery` recipients have come back, to see where memory grows.

import { recipientCount } from './messages.mjs';

const MB = 1024 * 1024;

/** Memory readings at every `every` recipients done (none when `every` is undefined). */
function memoryCheckpoints(every) {
  const points = [];
  let nextAt = every ?? Infinity;
  return {
    points,
    /** Call with the running count of recipients done. */
    at(done) {
      if (done < nextAt) return;
      const { rss, heapUsed } = process.memoryUsage();
      points.push({ recipients: done, rssMb: rss / MB, heapUsedMb: heapUsed / MB });
      while (nextAt <= done) nextAt += every;
    },
  };
}

/**
 * expo-push-edge, the built package (self-reference to dist/), one publishMultiple call.
 * A PushBatchError still carries the tickets that arrived; its failures are the lost recipients.
 * @returns {Promise<() => Promise<object>>} the measured send, with the client already constructed.
 */
export async function prepareExpoPushEdge({ url, total, messages, clientOptions = {} }) {
  const { PushClient, PushBatchError } = await import('expo-push-edge');
  const client = new PushClient({ baseUrl: url, ...clientOptions });
  return async () => {
    let tickets;
    let failedRequests = 0;
    let failedRecipients = 0;
    try {
      tickets = await client.publishMultiple(messages);
    } catch (error) {
      if (!(error instanceof PushBatchError)) throw error;
      tickets = error.tickets;
      failedRequests = error.failures.length;
      failedRecipients = error.failures.reduce((sum, failure) => sum + failure.recipients.length, 0);
    }
    const ok = tickets.filter((ticket) => ticket.status === 'ok').length;
    return { ok, errorTickets: tickets.length - ok, failedRecipients, failedRequests, lost: total - ok };
  };
}

/**
 * expo-push-edge, the built package, streaming: `publishStream(source())` over messages made
 * lazily, consumed with `for await`. Each item is counted and dropped, as a sender that writes
 * tickets to a database would (nothing is kept). A `PushFailure` is a recipient lost; failures of
 * one request are adjacent and share its error, which is how requests are counted.
 * @param {{ url: string, total: number, source: () => Iterable<object> | AsyncIterable<object>, clientOptions?: object, checkpointEvery?: number }} options
 */
export async function prepareExpoPushEdgeStream({ url, total, source, clientOptions = {}, checkpointEvery }) {
  const { PushClient, PushTicket } = await import('expo-push-edge');
  const client = new PushClient({ baseUrl: url, ...clientOptions });
  return async () => {
    const memory = memoryCheckpoints(checkpointEvery);
    let ok = 0;
    let errorTickets = 0;
    let failedRecipients = 0;
    let failedRequests = 0;
    let lastError;
    let done = 0;
    for await (const item of client.publishStream(source())) {
      if (item instanceof PushTicket) {
        if (item.status === 'ok') ok++;
        else errorTickets++;
      } else {
        failedRecipients++;
        if (item.error !== lastError) failedRequests++;
        lastError = item.error;
      }
      memory.at(++done);
    }
    return { ok, errorTickets, failedRecipients, failedRequests, lost: total - ok, checkpoints: memory.points };
  };
}

/**
 * expo-server-sdk's README loop: chunkPushNotifications, then one sendPushNotificationsAsync per
 * chunk, one chunk at a time, with try/catch around each. The README logs the error and moves on;
 * here the chunk's recipients are counted instead (logging 429s would only add noise).
 */
export async function prepareExpoServerSdkReadmeLoop({ url, total, messages, checkpointEvery }) {
  if (process.env.EXPO_BASE_URL !== url) throw new Error('EXPO_BASE_URL must be set before expo-server-sdk is imported');
  const { Expo } = await import('expo-server-sdk');
  const expo = new Expo();
  return async () => {
    const memory = memoryCheckpoints(checkpointEvery);
    let done = 0;
    const chunks = expo.chunkPushNotifications(messages);
    const tickets = [];
    let failedRequests = 0;
    let failedRecipients = 0;
    for (const chunk of chunks) {
      try {
        const ticketChunk = await expo.sendPushNotificationsAsync(chunk);
        tickets.push(...ticketChunk);
      } catch {
        failedRequests += 1;
        failedRecipients += chunk.reduce((sum, message) => sum + recipientCount(message), 0);
      }
      if (checkpointEvery !== undefined) memory.at((done += chunk.reduce((sum, message) => sum + recipientCount(message), 0)));
    }
    const ok = tickets.filter((ticket) => ticket.status === 'ok').length;
    const result = { ok, errorTickets: tickets.length - ok, failedRecipients, failedRequests, lost: total - ok };
    return checkpointEvery === undefined ? result : { ...result, checkpoints: memory.points };
  };
}

/**
 * expo-server-sdk, all chunks started at once (`Promise.all` over the chunks, a try/catch per
 * chunk), the other strategy its README alludes to; the SDK itself keeps at most 6 requests in
 * flight. Not the baseline: shown for contrast where a scenario lists it.
 */
export async function prepareExpoServerSdkConcurrent({ url, total, messages }) {
  if (process.env.EXPO_BASE_URL !== url) throw new Error('EXPO_BASE_URL must be set before expo-server-sdk is imported');
  const { Expo } = await import('expo-server-sdk');
  const expo = new Expo();
  return async () => {
    const chunks = expo.chunkPushNotifications(messages);
    let failedRequests = 0;
    let failedRecipients = 0;
    const ticketChunks = await Promise.all(
      chunks.map(async (chunk) => {
        try {
          return await expo.sendPushNotificationsAsync(chunk);
        } catch {
          failedRequests += 1;
          failedRecipients += chunk.reduce((sum, message) => sum + recipientCount(message), 0);
          return [];
        }
      }),
    );
    const tickets = ticketChunks.flat();
    const ok = tickets.filter((ticket) => ticket.status === 'ok').length;
    return { ok, errorTickets: tickets.length - ok, failedRecipients, failedRequests, lost: total - ok };
  };
}

/**
 * The floor for throughput: no SDK at all. The same messages, split into requests of at most 100
 * recipients (a message's `to` array is split across requests where needed, as both SDKs do) and
 * serialized to JSON in prepare (untimed); the timed send only posts those bodies through the
 * global fetch, `concurrency` at a time, uncompressed, no validation, no retries, and counts the
 * `ok` tickets. What any client that validates, chunks and gzips has to be compared against.
 */
export async function prepareFetchFloor({ url, total, messages, concurrency = 6, perRequest = 100 }) {
  const bodies = chunkBodies(messages, perRequest);
  const endpoint = `${url.replace(/\/$/, '')}/--/api/v2/push/send`;
  return async () => {
    let ok = 0;
    let errorTickets = 0;
    let failedRequests = 0;
    let failedRecipients = 0;
    let next = 0;
    const worker = async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        try {
          const response = await fetch(endpoint, {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/json' },
            body: body.json,
          });
          const parsed = await response.json();
          if (!response.ok || !Array.isArray(parsed.data)) throw new Error(`HTTP ${response.status}`);
          for (const ticket of parsed.data) {
            if (ticket.status === 'ok') ok++;
            else errorTickets++;
          }
        } catch {
          failedRequests++;
          failedRecipients += body.recipients;
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return { ok, errorTickets, failedRecipients, failedRequests, lost: total - ok };
  };
}

/**
 * The messages split into request bodies of at most `perRequest` recipients (a `to` array is split
 * across requests where needed), each serialized to JSON: `[{ json, recipients }]`.
 */
export function chunkBodies(messages, perRequest = 100) {
  const bodies = [];
  let chunk = [];
  let inChunk = 0;
  const flush = () => {
    if (chunk.length > 0) bodies.push({ json: JSON.stringify(chunk), recipients: inChunk });
    chunk = [];
    inChunk = 0;
  };
  for (const message of messages) {
    let tokens = Array.isArray(message.to) ? message.to : [message.to];
    while (tokens.length > 0) {
      const room = perRequest - inChunk;
      const part = tokens.slice(0, room);
      tokens = tokens.slice(room);
      chunk.push({ ...message, to: Array.isArray(message.to) ? part : part[0] });
      inChunk += part.length;
      if (inChunk === perRequest) flush();
    }
  }
  flush();
  return bodies;
}
