import path from 'node:path';
import { SourceError } from './errors.ts';
import { findStaleFiles, writeFilesAtomically } from './json-output.ts';
import { REPO_ROOT } from './paths.ts';

/**
 * Runs a stage's main function. Bad input (a SourceError) is the user's to fix, so it is reported as one line
 * naming the file or URL, with exit code 2; anything else is a bug and keeps its stack trace.
 */
export async function runStage(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    console.error(`error: ${error.message}`);
    process.exitCode = 2;
  }
}

/** A usage mistake: say what is wrong and how to call the command, exit 2. */
export function failUsage(message: string, usage: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}

/**
 * The end of every stage: write the outputs all-or-nothing, or with --check compare them with what is on disk
 * and fail (exit 1) if any differs, as CI does to prove data/ is what the code makes.
 */
export async function writeOrCheck(outputs: ReadonlyMap<string, string>, check: boolean, what: string, fix = 'Run npm run build:data and commit data/.'): Promise<boolean> {
  if (!check) {
    await writeFilesAtomically(outputs);
    return true;
  }
  const stale = await findStaleFiles(outputs);
  if (stale.length > 0) {
    console.error(`${what} differs from what the code produces now:\n  ${stale.map((file) => path.relative(REPO_ROOT, file)).join('\n  ')}\n${fix}`);
    process.exitCode = 1;
    return false;
  }
  console.error(`${what} is up to date.`);
  return false;
}
