// Node, CommonJS: `require` of the package installed from the packed tarball. The shared check is
// ESM, so it is loaded with import(); it uses only the module object handed to it.
const sdk = require('expo-push-edge');
const compat = require('expo-push-edge/compat');
const emulatorModule = require('expo-push-edge/emulator');

const config = JSON.parse(process.argv[2]);
import('./check.mjs')
  .then(async ({ runChecks }) => {
    const summary = await runChecks(sdk, { ...config, runtime: { name: 'node (require)', version: process.versions.node } });
    const { runCompatChecks } = await import('./compat-check.mjs');
    summary.compat = await runCompatChecks(compat, emulatorModule);
    return summary;
  })
  .then((summary) => console.log(JSON.stringify(summary)))
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
