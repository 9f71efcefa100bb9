import { ticketErrorFor } from './errors/push-ticket-error.ts';

/** `details` of a ticket or receipt: open JSON, kept verbatim, nested provider blocks included. */
export interface PushResultDetails {
  /** Error code such as `DeviceNotRegistered`; may be a code this SDK does not know yet. */
  error?: string;
  /** The token the error concerns (sent by the service since about 2022). */
  expoPushToken?: string;
  [field: string]: unknown;
}

/** What a ticket or receipt says about one notification. */
export interface PushResultInit {
  /** `'ok'` or `'error'`. */
  readonly status: 'ok' | 'error';
  /** The service's explanation, for errors. */
  readonly message?: string | undefined;
  /** The service's details, verbatim. */
  readonly details?: PushResultDetails | undefined;
}

/** Common ground of {@link PushTicket} and {@link PushReceipt}. */
export abstract class PushResult {
  /** `'ok'` or `'error'`. */
  readonly status: 'ok' | 'error';
  /** The service's explanation, for errors. */
  readonly message: string | undefined;
  /** The service's details, verbatim (unknown fields and provider blocks included). */
  readonly details: PushResultDetails | undefined;

  protected constructor(init: PushResultInit) {
    this.status = init.status;
    this.message = init.message;
    this.details = init.details;
  }

  /** `true` when the service reported success. */
  isSuccess(): boolean {
    return this.status === 'ok';
  }

  /**
   * Does nothing for a success; for an error, throws the matching subclass of `PushTicketError`
   * (`DeviceNotRegisteredError`, `MessageTooBigError`, `MessageRateExceededError`,
   * `InvalidCredentialsError`), or `PushTicketError` itself for any other or unknown code.
   */
  validateResponse(): void {
    if (this.status !== 'ok') throw ticketErrorFor(this);
  }
}
