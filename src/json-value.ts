/**
 * Where `value` stops being JSON, as a path relative to it (`''` for the value itself), or
 * `undefined` when it serialises faithfully. Follows `JSON.stringify` where that is harmless (an
 * object property that is `undefined` is left out; a `toJSON()` method, as on `Date`, is used) and
 * refuses what it would silently drop or mangle: functions, symbols, `undefined` in arrays, BigInt,
 * NaN and Infinity, class instances such as `Map`, and cycles.
 */
export function findNonJsonValue(value: unknown, seen: Set<object> = new Set()): { path: string; problem: string } | undefined {
  if (typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return findNonJsonValue((value as { toJSON: () => unknown }).toJSON(), seen);
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : { path: '', problem: `${value} is not a JSON number` };
    case 'object':
      break;
    default:
      return { path: '', problem: value === undefined ? 'undefined is not a JSON value' : `a ${typeof value} is not a JSON value` };
  }
  if (value === null) return undefined;
  if (seen.has(value)) return { path: '', problem: 'a circular reference cannot be sent as JSON' };
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        const found = findNonJsonValue(value[index], seen);
        if (found) return { path: `[${index}]${found.path}`, problem: found.problem };
      }
      return undefined;
    }
    if (!isPlainObject(value)) {
      return { path: '', problem: `a ${value.constructor?.name ?? 'non-plain'} object is not a JSON object` };
    }
    for (const key of Object.keys(value)) {
      const property = (value as Record<string, unknown>)[key];
      if (property === undefined) continue;
      const found = findNonJsonValue(property, seen);
      if (found) return { path: `${formatKey(key)}${found.path}`, problem: found.problem };
    }
    return undefined;
  } finally {
    seen.delete(value);
  }
}

/**
 * Whether `value` is an object literal (or `Object.create(null)`), not an array or class instance.
 * Compares prototype depth rather than identity, so objects from another realm (a VM context,
 * an iframe) still count.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}

/** A property name as it appears in a path such as `data.user["first name"]`. */
export function formatKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
