import type { EmulatorMessage } from './message.ts';

/** One accepted recipient: the emulator answered it with an `ok` ticket. */
export interface EmulatorNotification {
  /** The ticket id, which is also the receipt id. */
  readonly id: string;
  /** The recipient token this notification went to. */
  readonly token: string;
  /**
   * The message exactly as parsed from the request, including its original `to`; shared by every
   * recipient of a multi-recipient message.
   */
  readonly message: EmulatorMessage;
  /** The project `projectOf` assigned to the token. */
  readonly project: string;
  /** Emulator clock reading (ms) when the send request was handled. */
  readonly receivedAt: number;
}
