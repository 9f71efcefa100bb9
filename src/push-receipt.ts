import { PushResult, type PushResultInit } from './push-result.ts';

/** What {@link PushReceipt} is built from. */
export interface PushReceiptInit extends PushResultInit {
  /** The receipt id (the ticket's `id`). */
  readonly id: string;
  /** The recipient, when the receipt was looked up from a ticket. */
  readonly token?: string | undefined;
}

/**
 * The service's later answer for one notification: whether Apple or Google accepted it.
 * An `ok` receipt does not prove the device displayed it.
 */
export class PushReceipt extends PushResult {
  /** The receipt id (the ticket's `id`). */
  readonly id: string;
  /** The recipient, when the receipt was looked up from a ticket rather than a bare id. */
  readonly token: string | undefined;

  constructor(init: PushReceiptInit) {
    super(init);
    this.id = init.id;
    this.token = init.token;
  }
}
