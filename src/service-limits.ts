/** Where the Expo push service lives unless `baseUrl` says otherwise. */
export const DEFAULT_BASE_URL = 'https://exp.host';

/** Path of the send endpoint, relative to the base URL. */
export const SEND_PATH = '/--/api/v2/push/send';

/** Path of the receipts endpoint, relative to the base URL. */
export const RECEIPTS_PATH = '/--/api/v2/push/getReceipts';

/**
 * Recipients per send request. The service counts every token of a `to` array, and refuses
 * more with `PUSH_TOO_MANY_NOTIFICATIONS`.
 */
export const MAX_RECIPIENTS_PER_REQUEST = 100;

/** Receipt ids per receipts request; more are refused with `PUSH_TOO_MANY_RECEIPTS`. */
export const MAX_RECEIPT_IDS_PER_REQUEST = 1000;
