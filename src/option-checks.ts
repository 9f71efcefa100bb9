/** A value as an error message shows it: strings quoted, so `"6"` is not mistaken for `6`. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) {
    const name = value.constructor?.name;
    // An object literal is "an object"; an instance says what it is ("a Map", "an AbortSignal").
    if (!name || name === 'Object') return 'an object';
    return `${/^[AEIO]/.test(name) ? 'an' : 'a'} ${name}`;
  }
  return String(value);
}

/**
 * Throws a `TypeError` when `options` is not a plain object or has a key outside `known`, naming
 * the closest known key, so a typo such as `acessToken` fails loudly instead of being ignored.
 */
export function checkOptionKeys(options: unknown, known: readonly string[], what: string): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${what} must be an object (got ${describeValue(options)})`);
  }
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const closest = known.reduce((best, candidate) => (distance(key, candidate) < distance(key, best) ? candidate : best));
    // A shortened name ("baseDelay" for "baseDelaySeconds") is too far for the edit distance to suggest.
    const extended = known.find((candidate) => candidate.toLowerCase().startsWith(key.toLowerCase()));
    const suggestion = distance(key, closest) <= 3 ? closest : key.length >= 3 ? extended : undefined;
    const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
    throw new TypeError(`Unknown ${what.replace(/s$/, '')} "${key}"${hint}; known: ${known.join(', ')}`);
  }
}

/** Levenshtein distance, case-insensitive: short option names only, so the quadratic cost is nothing. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[y.length] ?? 0;
}
