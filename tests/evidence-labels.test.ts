/**
 * Every value's label matches its evidence, in every committed version: 'documented' only where a source of that
 * version states that very value, 'runtime-confirmed' only with a measurement, 'carried' and 'inferred' only with
 * the rule that made them. A guess is never labelled documented.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { objectFields } from '../scripts/lib/api-fields.ts';
import { SNAPSHOT_VERSIONS, VERSIONS_DIR } from '../scripts/lib/paths.ts';
import type { Api } from '../src/schema/api.ts';
import { VersionDataset } from '../src/schema/version-dataset.ts';

/** Sources that state a value in the version's own files. */
const STATING = new Set(['docs-annotation', 'docs-prose', 'refcounts.dat', 'header']);

function mislabelled(api: Api): string[] {
  return objectFields(api)
    .filter(({ field, value, confidence }) => {
      const evidence = api.evidence.filter((e) => e.field === field);
      const ok =
        confidence === 'documented' ? evidence.some((e) => STATING.has(e.source) && e.value === value)
        : confidence === 'runtime-confirmed' ? evidence.some((e) => e.source === 'runtime' && e.value === value)
        : confidence === 'carried' ? evidence.some((e) => e.source === 'inference' && e.value === value && e.raw?.startsWith('carried-from-'))
        : confidence === 'inferred' ? evidence.some((e) => e.source === 'inference' && e.value === value)
        : true;
      return !ok;
    })
    .map(({ field, value, confidence }) => `${api.name} ${field}: ${value} (${confidence})`);
}

describe('labels against evidence', () => {
  it.each(SNAPSHOT_VERSIONS)('%s: every ownership value is labelled as its evidence says', (version) => {
    const data = VersionDataset.parse(JSON.parse(readFileSync(path.join(VERSIONS_DIR, `${version}.json`), 'utf8')));
    expect(data.apis.flatMap(mislabelled)).toEqual([]);
  });

  it('catches a guess labelled documented (near miss of the check itself)', () => {
    const guess = { name: 'PyThing_Get', returns: { type: 'PyObject *', ownership: 'new', confidence: 'documented', borrowedFrom: null }, params: [], evidence: [{ field: 'returns', source: 'inference', value: 'new', location: 'x', raw: 'convention' }] } as unknown as Api;
    expect(mislabelled(guess)).toEqual(['PyThing_Get returns: new (documented)']);
  });
});
