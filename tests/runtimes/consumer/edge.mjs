// The Vercel edge runtime: bundled with esbuild into a script evaluated by the EdgeRuntime VM,
// which has no process, no require, no CompressionStream and no AbortSignal.any.
import * as sdk from 'expo-push-edge';
import * as compat from 'expo-push-edge/compat';
import * as emulatorModule from 'expo-push-edge/emulator';
import { runCompatChecks } from './compat-check.mjs';
import { runChecks } from './check.mjs';

globalThis.runtimeCheck = async (config) => {
  const summary = await runChecks(sdk, { ...config, runtime: { name: 'edge-runtime', version: EdgeRuntime } });
  summary.compat = await runCompatChecks(compat, emulatorModule);
  return summary;
};
