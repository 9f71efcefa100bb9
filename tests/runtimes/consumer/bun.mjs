// Bun: the package resolved from node_modules.
import * as sdk from 'expo-push-edge';
import { runChecks } from './check.mjs';

const config = JSON.parse(Bun.argv[2]);
const summary = await runChecks(sdk, { ...config, runtime: { name: 'bun', version: Bun.version } });
console.log(JSON.stringify(summary));
