/**
 * What is settled only once every version is read: values carried between versions, then what borrowed returns
 * are borrowed from (carrying can make a return borrowed), then replacements with the versions that brought them,
 * then the dates of Stable ABI entries only the docs' Limited API list states.
 */
import type { VersionDataset } from '../../src/schema/version-dataset.ts';
import { carryAcrossVersions } from './carry-versions.ts';
import { addLenders } from './infer-lender.ts';
import { dateListedStableAbi } from './limited-api-since.ts';
import { addReplacements } from './replacements.ts';

export function finishVersions(datasets: readonly VersionDataset[]): VersionDataset[] {
  return dateListedStableAbi(addReplacements(addLenders(carryAcrossVersions(datasets))));
}
