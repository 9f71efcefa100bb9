// Deno: the package resolved from node_modules (a package.json is present), net access to
// 127.0.0.1 only.
import * as sdk from 'expo-push-edge';
import * as compat from 'expo-push-edge/compat';
import * as emulatorModule from 'expo-push-edge/emulator';
import { runCompatChecks } from './compat-check.mjs';
import { runChecks } from './check.mjs';

const config = JSON.parse(Deno.args[0]);
const summary = await runChecks(sdk, { ...config, runtime: { name: 'deno', version: Deno.version.deno } });
summary.compat = await runCompatChecks(compat, emulatorModule);
console.log(JSON.stringify(summary));
