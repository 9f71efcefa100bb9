// Node, ESM: `import` of the package installed from the packed tarball.
import * as sdk from 'expo-push-edge';
import { runChecks } from './check.mjs';

const config = JSON.parse(process.argv[2]);
const summary = await runChecks(sdk, { ...config, runtime: { name: 'node (import)', version: process.versions.node } });
console.log(JSON.stringify(summary));
