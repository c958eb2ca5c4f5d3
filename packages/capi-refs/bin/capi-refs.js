#!/usr/bin/env node
// The command-line entry point; the code is compiled to dist/ by scripts/build-package.ts.
import { setFlagsFromString } from 'node:v8';

// `check` runs one worker thread per core, and each worker isolate reads V8's flags as it starts. V8 optimizes hot
// functions on background threads by default; with every core already checking files, that compiler only takes
// a core from a worker, and the function runs unoptimized until it is done. Compiled on the worker's own thread,
// the optimized code is there at once: CPython's Modules/ checks in about a tenth less time and CPU
// (`npm run bench:checker-speed -- --only modules --repeat 5 --against ...`). Set here, not in the library:
// the flag is the whole process's, and this process is the CLI's own.
setFlagsFromString('--no-concurrent-recompilation');

const { main } = await import('../dist/cli.js');
process.exitCode = await main(process.argv.slice(2));
