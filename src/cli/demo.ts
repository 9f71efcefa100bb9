import { runDemo } from './run-demo.ts';

// `npm start`: the demo against the built-in emulator. Exits non-zero if anything went wrong.
runDemo().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
