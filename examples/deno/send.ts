// Send a notification to tokens given on the command line, then check the receipts.
//   deno run --allow-net=exp.host --allow-env=EXPO_ACCESS_TOKEN,EXPO_PUSH_BASE_URL send.ts ExponentPushToken[…]
import { PushClient } from 'npm:expo-push-edge';

const client = new PushClient({
  accessToken: Deno.env.get('EXPO_ACCESS_TOKEN'),
  baseUrl: Deno.env.get('EXPO_PUSH_BASE_URL'),
});
const tickets = await client.publishMultiple([{ to: Deno.args, title: 'Hello from Deno 🦕', body: 'It works.' }]);
const ok = tickets.filter((ticket) => ticket.isSuccess());
console.log(`${ok.length} of ${tickets.length} accepted`);

const receipts = await client.checkReceipts(tickets);
const dead = [...tickets, ...receipts].filter((result) => result.details?.error === 'DeviceNotRegistered');
console.log(JSON.stringify({ receipts: receipts.length, tokensToRemove: dead.map((result) => result.details?.expoPushToken ?? result.token) }));
