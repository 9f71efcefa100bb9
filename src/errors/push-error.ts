const PUSH_ERROR_BRAND = Symbol.for('expo-push-edge.PushError');

/**
 * Base class of every error this SDK throws on purpose.
 *
 * `instanceof` fails across realms and duplicated installs (a Worker bundle and a library
 * each carrying a copy), so {@link PushError.isPushError} checks a global brand instead.
 */
export class PushError extends Error {
  /** Brand read by {@link PushError.isPushError}. */
  readonly [PUSH_ERROR_BRAND] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PushError';
  }

  /**
   * The error as plain JSON: `name`, `message` and the subclass's own fields (the `cause` is left
   * out, since it may be a platform object that does not serialise). The access token is never
   * among them.
   */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [key, value] of Object.entries(this)) if (key !== 'cause') json[key] = value;
    return json;
  }

  /** Whether `value` is an error thrown by any copy of this SDK. */
  static isPushError(value: unknown): value is PushError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PUSH_ERROR_BRAND] === true;
  }
}
