/**
 * What to use instead of an API, across all versions: the replacements the docs' deprecation notes name (found
 * by the docs parser), the project's hand list (the package's HAND_ALTERNATIVES, kept there because the
 * package's users read it too), and for a borrowed return the same name with the Ref suffix. Each gets the
 * version that brought it. Runs after all versions are read, since a replacement is often newer than the API
 * it replaces. Pure.
 */
import type { Api, Replacement } from '../../src/schema/api.ts';
import type { VersionDataset } from '../../src/schema/version-dataset.ts';
import { HAND_ALTERNATIVES, STRONG } from '../../packages/capi-refs/src/alternatives.ts';
import { compareVersions } from '../../packages/capi-refs/src/versions.ts';

const SOURCE_ORDER: Record<Replacement['source'], number> = { hand: 0, 'docs-deprecation': 1, 'ref-twin': 2 };

export function addReplacements(datasets: readonly VersionDataset[]): VersionDataset[] {
  const ordered = [...datasets].sort((a, b) => compareVersions(a.version, b.version));
  const earliest = ordered[0]?.version;
  // The version that brought each name: its docs' note where a version gives one, else the first version that has it.
  const since = new Map<string, string | null>();
  for (const dataset of ordered) {
    for (const api of dataset.apis) {
      const noted = api.added?.version ?? null;
      if (noted) since.set(api.name, noted);
      else if (!since.has(api.name)) since.set(api.name, dataset.version === earliest ? null : dataset.version);
    }
  }
  const known = (name: string): boolean => since.has(name);

  const replacementsOf = (api: Api): Replacement[] => {
    const found = new Map<string, Replacement>();
    const add = (replacement: Replacement): void => {
      if (replacement.name !== api.name && known(replacement.name) && !found.has(replacement.name)) found.set(replacement.name, replacement);
    };
    for (const hand of HAND_ALTERNATIVES) {
      if (hand.name === api.name) add({ name: hand.replacement, since: hand.since, why: hand.why, source: 'hand' });
    }
    for (const docs of api.replacements) add({ ...docs, since: since.get(docs.name) ?? null });
    if (api.returns?.ownership === 'borrowed') add({ name: `${api.name}Ref`, since: since.get(`${api.name}Ref`) ?? null, why: STRONG, source: 'ref-twin' });
    return [...found.values()].sort((a, b) => compareVersions(b.since ?? '0', a.since ?? '0') || SOURCE_ORDER[a.source] - SOURCE_ORDER[b.source] || (a.name < b.name ? -1 : 1));
  };
  return datasets.map((dataset) => ({ ...dataset, apis: dataset.apis.map((api) => ({ ...api, replacements: replacementsOf(api) })) }));
}
