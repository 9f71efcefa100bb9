// Bun: the package resolved from node_modules.
import * as sdk from 'expo-push-edge';
import * as compat from 'expo-push-edge/compat';
import * as emulatorModule from 'expo-push-edge/emulator';
import { runCompatChecks } from './compat-check.mjs';
import { runChecks } from './check.mjs';

const config = JSON.parse(Bun.argv[2]);
const summary = await runChecks(sdk, { ...config, runtime: { name: 'bun', version: Bun.version } });
summary.compat = await runCompatChecks(compat, emulatorModule);
console.log(JSON.stringify(summary));
