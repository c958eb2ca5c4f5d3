/**
 * What is settled only once every version is read: values carried between versions, then what borrowed returns
 * are borrowed from (carrying can make a return borrowed), then replacements with the versions that brought them.
 */
import type { VersionDataset } from '../../src/schema/version-dataset.ts';
import { carryAcrossVersions } from './carry-versions.ts';
import { addLenders } from './infer-lender.ts';
import { addReplacements } from './replacements.ts';

export function finishVersions(datasets: readonly VersionDataset[]): VersionDataset[] {
  return addReplacements(addLenders(carryAcrossVersions(datasets)));
}
