/**
 * Said once, before any test runs: whether the tests that read the offline CPython snapshot will run. In CI
 * (CI=true) the snapshot must be there: its absence stops the run at once.
 */
import { SNAPSHOT_DIR, SNAPSHOT_PRESENT } from './helpers/snapshot.ts';

export default function setup(): void {
  if (SNAPSHOT_PRESENT) return;
  const where = `${SNAPSHOT_DIR} (the offline CPython snapshot, with its PROVENANCE.md)`;
  if (process.env['CI'] === 'true') {
    throw new Error(`${where} is missing: CI checks the dataset against it. Clone the repository beside shared/, as .ci/run expects.`);
  }
  process.stderr.write(
    `\nNote: ${where} is not beside this clone, so the tests that read it are skipped ` +
      '(the dataset against its sources, the parsers on the real pages and headers, the scraper over HTTP). ' +
      'Everything else runs. Put the snapshot at that path to run them too.\n\n',
  );
}
