// A Cloudflare Worker that sends a push notification to a list of tokens posted to it.
// No `nodejs_compat` flag is needed. The access token comes from a secret binding:
//   npx wrangler secret put EXPO_ACCESS_TOKEN
import { PushClient, PushBatchError } from 'expo-push-edge';

export default {
  /**
   * POST { "tokens": [...], "title": "...", "body": "..." } → the tickets, one per token.
   * @param {Request} request
   * @param {{ EXPO_ACCESS_TOKEN?: string, EXPO_PUSH_BASE_URL?: string }} env
   */
  async fetch(request, env) {
    if (request.method !== 'POST') return new Response('POST { tokens, title, body }', { status: 405 });
    const { tokens, title, body } = await request.json();
    const client = new PushClient({
      accessToken: env.EXPO_ACCESS_TOKEN,
      // Unset in production (the real service); the tests point it at the emulator.
      baseUrl: env.EXPO_PUSH_BASE_URL,
    });
    try {
      const tickets = await client.publishMultiple([{ to: tokens, title, body, sound: 'default' }]);
      return Response.json({ tickets: tickets.map((ticket) => ticket.toJSON()) });
    } catch (error) {
      if (error instanceof PushBatchError) {
        return Response.json(
          { tickets: error.tickets.map((ticket) => ticket.toJSON()), failed: error.failures.flatMap((f) => f.recipients.map((r) => r.token)) },
          { status: 502 },
        );
      }
      throw error;
    }
  },
};
