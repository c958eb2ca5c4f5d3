/**
 * Tests that read the offline CPython snapshot (../shared/cpython, see its PROVENANCE.md) run only where it is:
 * without it they are skipped, and tests/global-setup.ts says so once, before the run. In CI the snapshot is beside
 * the clone, and its absence fails the run there instead.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';
import { SNAPSHOT_DIR } from '../../scripts/lib/paths.ts';

export { SNAPSHOT_DIR };

export const SNAPSHOT_PRESENT = existsSync(path.join(SNAPSHOT_DIR, 'PROVENANCE.md'));

/** A describe block whose tests read the snapshot. */
export const describeSnapshot = describe.skipIf(!SNAPSHOT_PRESENT);

/** A test that reads the snapshot. */
export const itSnapshot = it.skipIf(!SNAPSHOT_PRESENT);
