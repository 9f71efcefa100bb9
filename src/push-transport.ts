import { attemptSignal, raceAbort, sleep, throwIfAborted } from './abort.ts';
import { type AccessTokenSource, checkAccessToken, type ResolvedClientOptions } from './client-options.ts';
import { ConcurrencyLimiter } from './concurrency-limiter.ts';
import { PushError } from './errors/push-error.ts';
import { PushNetworkError, PushTimeoutError } from './errors/push-network-error.ts';
import { type PushEndpoint, PushServerError } from './errors/push-server-error.ts';
import { gzipBody } from './gzip-body.ts';
import { provablyNotSent } from './network-failure.ts';
import { readEnvelope } from './response-envelope.ts';
import { backoffDelay, parseRetryAfter } from './retry-policy.ts';
import { RECEIPTS_PATH, SEND_PATH } from './service-limits.ts';
import { TokenBucket } from './token-bucket.ts';
import { USER_AGENT } from './version.ts';

const PATHS: Record<PushEndpoint, string> = { send: SEND_PATH, receipts: RECEIPTS_PATH };
const encoder = new TextEncoder();

/** A body ready to send: serialized and, when worthwhile, compressed once for every attempt. */
interface PreparedBody {
  readonly bytes: Uint8Array;
  readonly gzip: boolean;
}

/** Per-call settings of {@link PushTransport.post}. */
export interface PostOptions {
  /** Aborts the call: outstanding attempts, retry waits and pacing waits. */
  readonly signal?: AbortSignal | undefined;
  /** Recipients in the request, for pacing; 0 for receipt lookups. */
  readonly recipients?: number;
}

/**
 * Posts JSON to the push service: headers, auth, gzip, hooks, pacing, the per-attempt timeout, the
 * concurrency cap and the retry policy. Knows nothing of tickets or receipts; `decode` turns
 * `data` into results.
 */
export class PushTransport {
  readonly #options: ResolvedClientOptions;
  readonly #limiter: ConcurrencyLimiter;
  readonly #bucket: TokenBucket | undefined;

  constructor(options: ResolvedClientOptions) {
    this.#options = options;
    this.#limiter = new ConcurrencyLimiter(options.concurrency);
    this.#bucket = options.rateLimit ? new TokenBucket(options.rateLimit.perSecond, options.rateLimit.burst) : undefined;
  }

  /** Sends `payload` to `endpoint` and returns the decoded `data`, retrying as the policy allows. */
  async post<T>(endpoint: PushEndpoint, payload: unknown, decode: (data: unknown) => T, options: PostOptions = {}): Promise<T> {
    const { signal, recipients = 0 } = options;
    throwIfAborted(signal);
    const body = await this.#prepare(payload);
    for (let attempt = 1; ; attempt++) {
      // Pacing and retry waits happen outside the concurrency slot, so waiting never blocks others.
      if (recipients > 0) await this.#bucket?.take(recipients, signal);
      try {
        return await this.#limiter.run(() => this.#attempt(endpoint, body, decode, attempt, signal), signal);
      } catch (error) {
        throwIfAborted(signal);
        const delayMs = await this.#retryDelay(endpoint, attempt, error);
        if (delayMs === undefined) throw error;
        await sleep(delayMs, signal);
      }
    }
  }

  /** The wait before the next attempt, or `undefined` when the failure is final. */
  async #retryDelay(endpoint: PushEndpoint, attempt: number, error: unknown): Promise<number | undefined> {
    const { retry, hooks } = this.#options;
    // Only the SDK's own request failures are retried; a throwing hook or token function is final.
    if (!(error instanceof PushServerError || error instanceof PushNetworkError) || attempt > retry.retries) return undefined;
    const retryAfterMs = error instanceof PushServerError ? error.retryAfterMs : undefined;
    const status = error instanceof PushServerError ? error.status : undefined;
    const retryable = await retry.shouldRetry({ attempt, endpoint, status, error, retryAfterMs, outcomeUnknown: error.outcomeUnknown });
    if (!retryable || (retryAfterMs !== undefined && retryAfterMs > retry.maxRetryAfterMs)) return undefined;
    const delayMs = retryAfterMs ?? backoffDelay(attempt, retry);
    for (const hook of hooks.beforeRetry) {
      if ((await hook({ attempt, endpoint, error, delayMs })) === false) return undefined;
    }
    return delayMs;
  }

  async #prepare(payload: unknown): Promise<PreparedBody> {
    const bytes = encoder.encode(JSON.stringify(payload));
    const { gzipThreshold } = this.#options;
    if (gzipThreshold !== false && bytes.byteLength > gzipThreshold) {
      const compressed = await gzipBody(bytes);
      if (compressed) return { bytes: compressed, gzip: true };
    }
    return { bytes, gzip: false };
  }

  async #attempt<T>(
    endpoint: PushEndpoint,
    body: PreparedBody,
    decode: (data: unknown) => T,
    attempt: number,
    callerSignal: AbortSignal | undefined,
  ): Promise<T> {
    const { hooks, timeoutMs } = this.#options;
    const headers = new Headers({
      accept: 'application/json',
      'accept-encoding': 'gzip',
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
    });
    if (body.gzip) headers.set('content-encoding', 'gzip');
    const token = await resolveAccessToken(this.#options.accessToken);
    if (token) headers.set('authorization', `Bearer ${token}`);

    const abort = attemptSignal(callerSignal);
    try {
      let request = new Request(`${this.#options.baseUrl}${PATHS[endpoint]}`, {
        method: 'POST',
        headers,
        body: body.bytes as Uint8Array<ArrayBuffer>,
        signal: abort.signal,
      });
      for (const hook of hooks.beforeRequest) {
        const replacement = await hook({ request, attempt, endpoint });
        if (replacement instanceof Request) request = replacement;
      }
      // A replacement request must still obey the caller's signal and the timeout.
      if (request.signal !== abort.signal) request = new Request(request, { signal: abort.signal });
      const send = this.#options.fetch ?? globalThis.fetch;
      if (typeof send !== 'function') throw new TypeError('This runtime has no global fetch: pass one with new PushClient({ fetch })');

      let status: number;
      let text: string;
      let retryAfter: string | null;
      abort.startTimer(timeoutMs);
      try {
        let response = await raceAbort(send(request), abort.signal);
        for (const hook of hooks.afterResponse) {
          const replacement = await hook({ request, response, attempt, endpoint });
          if (replacement instanceof Response) response = replacement;
        }
        // Read exactly once, as text, and only then parse: a gateway's HTML page must not be lost
        // to a failed response.json().
        text = await raceAbort(response.text(), abort.signal);
        status = response.status;
        retryAfter = response.headers.get('retry-after');
      } catch (error) {
        throwIfAborted(callerSignal);
        if (abort.timedOut) throw new PushTimeoutError(endpoint, timeoutMs as number);
        if (error instanceof PushError) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        const outcomeUnknown = endpoint === 'send' && !provablyNotSent(error);
        throw new PushNetworkError(`Request to the Expo push service (${endpoint}) failed: ${reason}`, endpoint, outcomeUnknown, {
          cause: error,
        });
      }
      return readEnvelope({ endpoint, status, text, retryAfterMs: parseRetryAfter(retryAfter) }, decode);
    } finally {
      abort.dispose();
    }
  }
}

async function resolveAccessToken(source: AccessTokenSource | undefined): Promise<string | undefined> {
  if (source === undefined) return undefined;
  return checkAccessToken(typeof source === 'function' ? await source() : source);
}
