import { sleep } from '../abort.ts';
import { resolveClientOptions } from '../client-options.ts';
import { ConcurrencyLimiter } from '../concurrency-limiter.ts';
import { PushNetworkError, PushTimeoutError } from '../errors/push-network-error.ts';
import { PushTransport } from '../push-transport.ts';
import { chunkItems, chunkMessages, countRecipients } from './chunking.ts';
import type { ExpoClientOptions } from './expo-client-options.ts';
import { isOfficialExpoPushToken } from './is-expo-push-token.ts';
import { dataError } from './official-error.ts';
import { readOfficialData, wrapRawResponse } from './official-response.ts';
import type { ExpoPushMessage, ExpoPushReceipt, ExpoPushReceiptId, ExpoPushTicket, ExpoPushToken } from './official-types.ts';

/** Retries of a send answered with HTTP 429, after the first attempt (the official SDK's 2). */
const RATE_LIMIT_RETRIES = 2;

/**
 * A drop-in replacement for the official `expo-server-sdk` `Expo` class that runs on every
 * JavaScript runtime with `fetch`: same methods, same results (plain ticket objects in order,
 * receipts keyed by id) and same errors, built on this package's transport.
 *
 * @example
 * import { Expo } from 'expo-push-edge/compat';
 * const expo = new Expo({ accessToken: env.EXPO_ACCESS_TOKEN });
 * for (const chunk of expo.chunkPushNotifications(messages)) {
 *   const tickets = await expo.sendPushNotificationsAsync(chunk);
 * }
 */
export class Expo {
  /** Recipients per send request: 100. */
  static pushNotificationChunkSizeLimit = 100;
  /** Receipt ids per receipts request: 300. */
  static pushNotificationReceiptChunkSizeLimit = 300;

  readonly #transport: PushTransport;
  readonly #sendLimiter: ConcurrencyLimiter;
  readonly #retryMinTimeout: number;

  constructor(options: ExpoClientOptions = {}) {
    const { accessToken, maxConcurrentRequests = 6, retryMinTimeout = 1000, baseUrl, allowHttp, fetch } = options;
    this.#transport = new PushTransport(
      resolveClientOptions({
        accessToken,
        baseUrl,
        allowHttp,
        fetch,
        // Concurrency, retries and response rules are the official SDK's, applied here instead.
        concurrency: Number.MAX_SAFE_INTEGER,
        retry: false,
        rateLimit: false,
        gzipThreshold: 1024,
        // Like the official SDK: no time limit beyond the fetch's own.
        timeoutMs: false,
        hooks: { afterResponse: [wrapRawResponse] },
      }),
    );
    if (!(typeof maxConcurrentRequests === 'number' && maxConcurrentRequests >= 1)) {
      // The official SDK would accept it and then never send: fail at once instead.
      throw new TypeError(`maxConcurrentRequests must be at least 1 (got ${String(maxConcurrentRequests)})`);
    }
    this.#sendLimiter = new ConcurrencyLimiter(maxConcurrentRequests);
    this.#retryMinTimeout = retryMinTimeout;
  }

  /** Whether `token` looks like an Expo push token, by the official SDK's (loose) rule. */
  static isExpoPushToken(token: unknown): token is ExpoPushToken {
    return isOfficialExpoPushToken(token);
  }

  /** The number of recipients in `messages`: the tickets a send of them returns. */
  static _getActualMessageCount(messages: ExpoPushMessage[]): number {
    return countRecipients(messages);
  }

  /**
   * Sends `messages` as they are, in one request, and resolves with the service's tickets: one per
   * recipient, in order. Nothing is validated first. A 429 is retried twice, after
   * `retryMinTimeout` and then twice that. Use {@link Expo.chunkPushNotifications} to stay within
   * 100 recipients per request.
   */
  async sendPushNotificationsAsync(messages: ExpoPushMessage[]): Promise<ExpoPushTicket[]> {
    const expected = countRecipients(messages);
    const data = await this.#sendLimiter.run(() => this.#sendWithRetries(messages));
    if (!Array.isArray(data) || data.length !== expected) {
      const got = (data as { length?: unknown } | null | undefined)?.length;
      throw dataError(`Expected Expo to respond with ${expected} ${expected === 1 ? 'ticket' : 'tickets'} but got ${got}`, data);
    }
    return data as ExpoPushTicket[];
  }

  /** Fetches the receipts of `receiptIds` in one request; ids without a receipt are absent. */
  async getPushNotificationReceiptsAsync(receiptIds: ExpoPushReceiptId[]): Promise<{ [id: string]: ExpoPushReceipt }> {
    const data = await request(() => this.#transport.post('receipts', { ids: receiptIds }, readOfficialData));
    if (!data || typeof data !== 'object' || Array.isArray(data)) {
      throw dataError('Expected Expo to respond with a map from receipt IDs to receipts but received data of another type', data);
    }
    return data as { [id: string]: ExpoPushReceipt };
  }

  /**
   * Splits messages into chunks of at most 100 recipients. A message whose `to` array crosses a
   * chunk boundary is split there; a message with an empty `to` array is left out.
   */
  chunkPushNotifications(messages: ExpoPushMessage[]): ExpoPushMessage[][] {
    return chunkMessages(messages, Expo.pushNotificationChunkSizeLimit);
  }

  /** Splits receipt ids into chunks of at most 300. */
  chunkPushNotificationReceiptIds(receiptIds: ExpoPushReceiptId[]): ExpoPushReceiptId[][] {
    return chunkItems(receiptIds, Expo.pushNotificationReceiptChunkSizeLimit);
  }

  async #sendWithRetries(messages: ExpoPushMessage[]): Promise<unknown> {
    for (let retry = 0; ; retry++) {
      try {
        return await request(() => this.#transport.post('send', messages, readOfficialData));
      } catch (error) {
        if ((error as { statusCode?: unknown } | null)?.statusCode !== 429 || retry >= RATE_LIMIT_RETRIES) throw error;
        // The official SDK's promise-retry settings: factor 2, no jitter, at least 1 ms.
        await sleep(Math.max(this.#retryMinTimeout, 1) * 2 ** retry);
      }
    }
  }
}

/**
 * Runs a transport call, rethrowing a network failure as the fetch's own error, as the official
 * SDK (which does not wrap them) would.
 */
async function request<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof PushNetworkError && !(error instanceof PushTimeoutError) && error.cause !== undefined) throw error.cause;
    throw error;
  }
}
