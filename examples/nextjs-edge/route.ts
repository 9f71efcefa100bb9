// app/api/notify/route.ts in a Next.js app: a route handler on the Edge runtime.
import { PushBatchError, PushClient } from 'expo-push-edge';

export const runtime = 'edge';

const client = new PushClient({
  accessToken: process.env.EXPO_ACCESS_TOKEN,
  // Unset in production (the real service); the tests point it at the emulator.
  baseUrl: process.env.EXPO_PUSH_BASE_URL,
});

/** POST { tokens, title, body } → one ticket per token. */
export async function POST(request: Request): Promise<Response> {
  const { tokens, title, body } = (await request.json()) as { tokens: string[]; title: string; body: string };
  try {
    const tickets = await client.publishMultiple([{ to: tokens, title, body }]);
    return Response.json({ tickets: tickets.map((ticket) => ticket.toJSON()) });
  } catch (error) {
    if (!(error instanceof PushBatchError)) throw error;
    return Response.json({ tickets: error.tickets.map((ticket) => ticket.toJSON()), failed: error.failures.length }, { status: 502 });
  }
}
