/**
 * A push message as the emulator parsed it from the wire. Only `to` is guaranteed (validation
 * enforces it); every other field, known or unknown, is kept verbatim.
 */
export interface EmulatorMessage {
  /** One token or several; kept exactly as sent, even when some tokens are malformed. */
  readonly to: string | readonly string[];
  readonly [field: string]: unknown;
}
