// Node, ESM: `import` of the package installed from the packed tarball.
import * as sdk from 'expo-push-edge';
import * as compat from 'expo-push-edge/compat';
import * as emulatorModule from 'expo-push-edge/emulator';
import { runCompatChecks } from './compat-check.mjs';
import { runChecks } from './check.mjs';

const config = JSON.parse(process.argv[2]);
const summary = await runChecks(sdk, { ...config, runtime: { name: 'node (import)', version: process.versions.node } });
summary.compat = await runCompatChecks(compat, emulatorModule);
console.log(JSON.stringify(summary));
