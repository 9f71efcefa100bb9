/** Most recipients one send request may address (contract §3); `to` arrays count per token. */
export const MAX_NOTIFICATIONS_PER_REQUEST = 100;

/** Most receipt ids one getReceipts request may ask for (contract §3). */
export const MAX_RECEIPTS_PER_REQUEST = 1000;
