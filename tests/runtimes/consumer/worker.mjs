// A Cloudflare Worker (bundled with esbuild, run in workerd without nodejs_compat): POST the
// config, get the summary. The SDK calls out with the Worker's global fetch.
import * as sdk from 'expo-push-edge';
import { runChecks } from './check.mjs';

export default {
  async fetch(request) {
    try {
      const config = await request.json();
      return Response.json(await runChecks(sdk, { ...config, runtime: { name: 'workerd', version: navigator.userAgent } }));
    } catch (error) {
      return new Response(String(error?.stack ?? error), { status: 500 });
    }
  },
};
