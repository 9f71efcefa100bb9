// The Vercel edge runtime: bundled with esbuild into a script evaluated by the EdgeRuntime VM,
// which has no process, no require, no CompressionStream and no AbortSignal.any.
import * as sdk from 'expo-push-edge';
import { runChecks } from './check.mjs';

globalThis.runtimeCheck = (config) => runChecks(sdk, { ...config, runtime: { name: 'edge-runtime', version: EdgeRuntime } });
