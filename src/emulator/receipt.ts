/**
 * A push receipt as returned by `getReceipts` (contract §4.3). Extra fields are allowed and
 * returned verbatim, because the real service leaks some (`messageEnum`, `__debug`, …) and clients
 * must tolerate them.
 */
export type EmulatorReceiptBody =
  | {
      readonly status: 'ok';
      readonly details?: Readonly<Record<string, unknown>>;
      readonly [field: string]: unknown;
    }
  | {
      readonly status: 'error';
      readonly message: string;
      readonly details?: { readonly error?: string; readonly [field: string]: unknown };
      readonly [field: string]: unknown;
    };
