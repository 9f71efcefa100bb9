import { DEFAULT_BASE_URL } from './service-limits.ts';

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

/**
 * The base URL to send to, without a trailing slash. Plain `http://` is refused unless the host is
 * loopback or `allowHttp` is set, because the access token and the push payloads would otherwise
 * cross the network in clear text.
 */
export function resolveBaseUrl(baseUrl: string | undefined, allowHttp: boolean): string {
  const raw = baseUrl === undefined || baseUrl === '' ? DEFAULT_BASE_URL : baseUrl;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TypeError(`baseUrl must be an absolute URL such as ${DEFAULT_BASE_URL} (got ${JSON.stringify(raw)})`);
  }
  if (url.protocol === 'http:' && !allowHttp && !isLoopback(url.hostname)) {
    throw new TypeError(
      `baseUrl ${url.origin} uses plain http: only loopback hosts (127.0.0.1, localhost, [::1]) may, unless allowHttp is true`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`baseUrl must use https (got ${url.protocol})`);
  }
  if (url.search !== '' || url.hash !== '') throw new TypeError('baseUrl must not have a query string or fragment');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function isLoopback(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}
