#!/usr/bin/env node
// The command-line entry point; the code is compiled to dist/ by scripts/build-package.ts.
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv.slice(2));
