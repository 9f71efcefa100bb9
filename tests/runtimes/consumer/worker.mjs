// A Cloudflare Worker (bundled with esbuild, run in workerd without nodejs_compat): POST the
// config, get the summary. The SDK calls out with the Worker's global fetch.
import * as sdk from 'expo-push-edge';
import * as compat from 'expo-push-edge/compat';
import * as emulatorModule from 'expo-push-edge/emulator';
import { runCompatChecks } from './compat-check.mjs';
import { runChecks } from './check.mjs';

export default {
  async fetch(request) {
    try {
      const config = await request.json();
      const summary = await runChecks(sdk, { ...config, runtime: { name: 'workerd', version: navigator.userAgent } });
      summary.compat = await runCompatChecks(compat, emulatorModule);
      return Response.json(summary);
    } catch (error) {
      return new Response(String(error?.stack ?? error), { status: 500 });
    }
  },
};
