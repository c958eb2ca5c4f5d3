#!/usr/bin/env node
// The command-line entry point; the code is compiled to dist/ by scripts/build-package.ts.
import { setFlagsFromString } from 'node:v8';

// V8's flags for a run of seconds on every core; set here, not in the library, because they are the whole
// process's and this process is the CLI's own. `check` runs one worker thread per core, and each worker isolate
// reads the flags as it starts; each must optimize the checker's code again, and that is about half of a run's CPU.
// - --no-concurrent-recompilation: optimizing on a background thread only takes a core from the other worker,
//   and the function runs unoptimized until it is done; on the worker's own thread the code is there at once.
// - --no-turbofan: Maglev alone. TurboFan's code is faster, but its compiles cost more than a run of this length
//   gets back from them.
// - --no-parallel-scavenge: each worker collects its young generation on its own thread. With helper threads,
//   every scavenge of one worker took the other worker's core, and waited for its helpers.
// CPython 3.11's Modules/ (354,177 lines), five runs each alternated run by run with the flag's absence (as
// `npm run bench:checker-speed -- --only modules --repeat 5 --against ...` does): the first flag took the median
// from 5.3 to 4.8 s, the second from 5.5 to 4.8 s on a slower minute (CPU 10.0 to 8.9 s), the third from 4.23 to
// 3.99 s and, in another minute, from 4.08 to 3.97 s (CPU 7.8 to 7.5 s).
setFlagsFromString('--no-concurrent-recompilation');
setFlagsFromString('--no-turbofan');
setFlagsFromString('--no-parallel-scavenge');

const { main } = await import('../dist/cli.js');
process.exitCode = await main(process.argv.slice(2));
