import type { AccessTokenSource, ResolvedClientOptions } from './client-options.ts';
import { ConcurrencyLimiter } from './concurrency-limiter.ts';
import { PushNetworkError, PushTimeoutError } from './errors/push-network-error.ts';
import { type PushEndpoint, PushRateLimitError } from './errors/push-server-error.ts';
import { gzipBody } from './gzip-body.ts';
import { readEnvelope } from './response-envelope.ts';
import { backoffDelay, parseRetryAfter, sleep } from './retry-policy.ts';
import { RECEIPTS_PATH, SEND_PATH } from './service-limits.ts';
import { USER_AGENT } from './version.ts';

const PATHS: Record<PushEndpoint, string> = { send: SEND_PATH, receipts: RECEIPTS_PATH };
const encoder = new TextEncoder();

/** A body ready to send: serialized and, when worthwhile, compressed once for every attempt. */
interface PreparedBody {
  readonly bytes: Uint8Array;
  readonly gzip: boolean;
}

/**
 * Posts JSON to the push service: headers, auth, gzip, the per-attempt timeout, the concurrency
 * cap and 429 retries. Knows nothing of tickets or receipts; `decode` turns `data` into results.
 */
export class PushTransport {
  readonly #options: ResolvedClientOptions;
  readonly #limiter: ConcurrencyLimiter;

  constructor(options: ResolvedClientOptions) {
    this.#options = options;
    this.#limiter = new ConcurrencyLimiter(options.concurrency);
  }

  /** Sends `payload` to `endpoint` and returns the decoded `data`, retrying HTTP 429 per the policy. */
  async post<T>(endpoint: PushEndpoint, payload: unknown, decode: (data: unknown) => T): Promise<T> {
    const body = await this.#prepare(payload);
    const { retry } = this.#options;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#limiter.run(() => this.#attempt(endpoint, body, decode));
      } catch (error) {
        if (!(error instanceof PushRateLimitError) || attempt > retry.retries) throw error;
        if (error.retryAfterMs !== undefined && error.retryAfterMs > retry.maxRetryAfterMs) throw error;
        await sleep(error.retryAfterMs ?? backoffDelay(attempt, retry));
      }
    }
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

  async #attempt<T>(endpoint: PushEndpoint, body: PreparedBody, decode: (data: unknown) => T): Promise<T> {
    const headers = new Headers({
      accept: 'application/json',
      'accept-encoding': 'gzip',
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
    });
    if (body.gzip) headers.set('content-encoding', 'gzip');
    const token = await resolveAccessToken(this.#options.accessToken);
    if (token) headers.set('authorization', `Bearer ${token}`);

    const { timeoutMs } = this.#options;
    const controller = timeoutMs === false ? undefined : new AbortController();
    const timer = controller && setTimeout(() => controller.abort(), timeoutMs as number);
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      const request = new Request(`${this.#options.baseUrl}${PATHS[endpoint]}`, {
        method: 'POST',
        headers,
        body: body.bytes as Uint8Array<ArrayBuffer>,
        signal: controller?.signal ?? null,
      });
      const send = this.#options.fetch;
      const response = await send(request);
      // The body is read exactly once, as text, and only then parsed: a gateway's HTML page must
      // not be lost to a failed response.json().
      text = await response.text();
      status = response.status;
      retryAfter = response.headers.get('retry-after');
    } catch (error) {
      if (controller?.signal.aborted) throw new PushTimeoutError(endpoint, timeoutMs as number);
      const reason = error instanceof Error ? error.message : String(error);
      throw new PushNetworkError(`Request to the Expo push service (${endpoint}) failed: ${reason}`, endpoint, { cause: error });
    } finally {
      clearTimeout(timer);
    }
    return readEnvelope({ endpoint, status, text, retryAfterMs: parseRetryAfter(retryAfter) }, decode);
  }
}

async function resolveAccessToken(source: AccessTokenSource | undefined): Promise<string | undefined> {
  if (source === undefined) return undefined;
  return typeof source === 'function' ? await source() : source;
}
