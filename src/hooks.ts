import type { PushEndpoint } from './errors/push-server-error.ts';
import { checkOptionKeys } from './option-checks.ts';

/** Given to `beforeRequest` hooks. */
export interface BeforeRequestContext {
  /** The request about to be sent; its headers may be changed in place. */
  readonly request: Request;
  /** 1 for the first attempt, 2 for the first retry, … */
  readonly attempt: number;
  /** The endpoint it goes to. */
  readonly endpoint: PushEndpoint;
}

/** Given to `afterResponse` hooks. */
export interface AfterResponseContext extends BeforeRequestContext {
  /**
   * The response, body unread. Read a `clone()` if you need the body: the client reads it once.
   */
  readonly response: Response;
}

/** Given to `beforeRetry` hooks. */
export interface BeforeRetryContext {
  /** The attempt that failed. */
  readonly attempt: number;
  /** The endpoint it went to. */
  readonly endpoint: PushEndpoint;
  /** Why it failed. */
  readonly error: Error;
  /** How long the client will wait before the next attempt, in milliseconds. */
  readonly delayMs: number;
}

/** Functions the client awaits, in order, at points of every request. */
export interface PushHooks {
  /**
   * Before each attempt: change `request.headers` (custom auth, tracing) or return a replacement
   * `Request`.
   * @default []
   */
  beforeRequest?: Array<(context: BeforeRequestContext) => Request | undefined | void | Promise<Request | undefined | void>>;
  /**
   * After each response arrives, before its body is read; may return a replacement `Response`.
   * @default []
   */
  afterResponse?: Array<(context: AfterResponseContext) => Response | undefined | void | Promise<Response | undefined | void>>;
  /**
   * Before waiting to retry; returning `false` stops retrying and fails with the error.
   * @default []
   */
  beforeRetry?: Array<(context: BeforeRetryContext) => boolean | undefined | void | Promise<boolean | undefined | void>>;
}

/** {@link PushHooks} with every list present. */
export type ResolvedHooks = { readonly [K in keyof PushHooks]-?: NonNullable<PushHooks[K]> };

/** Checks the hooks option and fills in empty lists. */
export function resolveHooks(hooks: PushHooks | undefined): ResolvedHooks {
  checkOptionKeys(hooks, ['beforeRequest', 'afterResponse', 'beforeRetry'], 'hooks options');
  const resolved = { beforeRequest: hooks?.beforeRequest ?? [], afterResponse: hooks?.afterResponse ?? [], beforeRetry: hooks?.beforeRetry ?? [] };
  for (const [name, list] of Object.entries(resolved)) {
    if (!Array.isArray(list) || list.some((hook) => typeof hook !== 'function')) {
      throw new TypeError(`hooks.${name} must be an array of functions`);
    }
  }
  return resolved;
}
