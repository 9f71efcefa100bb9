/** A push ticket, one per recipient in a send response (contract §4.2). */
export type EmulatorTicket =
  | { readonly status: 'ok'; readonly id: string }
  | {
      readonly status: 'error';
      readonly message: string;
      readonly details: { readonly error: string; readonly expoPushToken: string };
    };

/** Ticket for a token that is not shaped like an Expo push token. */
export function invalidTokenTicket(token: string): EmulatorTicket {
  return {
    status: 'error',
    message: `"${token}" is not a valid Expo push token`,
    // The service reports malformed tokens as unregistered devices rather than as a request error.
    details: { error: 'DeviceNotRegistered', expoPushToken: token },
  };
}

/** Ticket for a well-formed token the emulator was told is no longer registered. */
export function unregisteredTokenTicket(token: string): EmulatorTicket {
  return {
    status: 'error',
    message: `"${token}" is not a registered push notification recipient`,
    details: { error: 'DeviceNotRegistered', expoPushToken: token },
  };
}

/**
 * Text of a `MessageTooBig` error, shared by the ticket and the receipt form.
 * @param sizeBytes - measured payload size.
 * @param limitBytes - the configured limit.
 */
export function messageTooBigText(sizeBytes: number, limitBytes: number): string {
  return `Message is ${sizeBytes} bytes, which exceeds the maximum payload size of ${limitBytes} bytes; shrink its data, title or body.`;
}

/** Ticket for a message over the payload limit, used when `messageTooBig` is `'ticket'`. */
export function messageTooBigTicket(token: string, sizeBytes: number, limitBytes: number): EmulatorTicket {
  return {
    status: 'error',
    message: messageTooBigText(sizeBytes, limitBytes),
    details: { error: 'MessageTooBig', expoPushToken: token },
  };
}
