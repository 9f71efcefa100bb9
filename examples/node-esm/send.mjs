// Send a notification to tokens given on the command line, then check the receipts.
//   EXPO_ACCESS_TOKEN=… node send.mjs ExponentPushToken[…] ExponentPushToken[…]
import { PushClient } from 'expo-push-edge';

const client = new PushClient({ accessToken: process.env.EXPO_ACCESS_TOKEN, baseUrl: process.env.EXPO_PUSH_BASE_URL });
const tickets = await client.publishMultiple([{ to: process.argv.slice(2), title: 'Hello from Node', body: 'It works.' }]);
const ok = tickets.filter((ticket) => ticket.isSuccess());
console.log(`${ok.length} of ${tickets.length} accepted`);

const receipts = await client.checkReceipts(tickets);
const dead = [...tickets, ...receipts].filter((result) => result.details?.error === 'DeviceNotRegistered');
console.log(JSON.stringify({ receipts: receipts.length, tokensToRemove: dead.map((result) => result.details?.expoPushToken ?? result.token) }));
