/**
 * Carries stated ownership across versions: where a version's sources are silent on a field (3.15 has no
 * refcounts.dat, say) and the nearest version that documents the same API, with the same declared type for that
 * field, states a value (a source says it, or a runtime probe measured it), that value is kept with confidence
 * 'carried'. It replaces an inferred value (a neighbour's
 * documented word beats a convention) but never a documented one. Pure.
 */
import type { Api, Param } from '../../src/schema/api.ts';
import type { Evidence } from '../../src/schema/evidence.ts';
import type { VersionDataset } from '../../src/schema/version-dataset.ts';
import { compareVersions } from './combine-versions.ts';

const replaceable = (confidence: string): boolean => confidence === 'inferred' || confidence === 'unknown';
/** Values a source of their version states or a measurement confirms: the only ones worth carrying. */
const stated = (confidence: string | undefined): boolean => confidence === 'documented' || confidence === 'runtime-confirmed';

/** Other versions nearest first; between two at the same distance, the older, whose text the newer usually keeps. */
function neighboursOf(version: string, all: readonly VersionDataset[]): VersionDataset[] {
  const ordered = [...all].sort((a, b) => compareVersions(a.version, b.version));
  const at = ordered.findIndex((dataset) => dataset.version === version);
  return ordered
    .map((dataset, index) => ({ dataset, distance: Math.abs(index - at), older: index < at }))
    .filter(({ distance }) => distance > 0)
    .sort((a, b) => a.distance - b.distance || Number(b.older) - Number(a.older))
    .map(({ dataset }) => dataset);
}

export function carryAcrossVersions(datasets: readonly VersionDataset[]): VersionDataset[] {
  const index = new Map(datasets.map((dataset) => [dataset.version, new Map(dataset.apis.map((api) => [api.name, api]))]));
  return datasets.map((dataset) => {
    const neighbours = neighboursOf(dataset.version, datasets).map((other) => ({ version: other.version, apis: index.get(other.version)! }));
    const apis = dataset.apis.map((api): Api => {
      if (!api.returns) return api;
      const evidence: Evidence[] = [...api.evidence];
      const carry = (field: string, value: string, from: Api, version: string): void => {
        evidence.push({ field, source: 'inference', value, location: from.docsUrl, raw: `carried-from-${version}` });
      };
      let returns = api.returns;
      if (replaceable(returns.confidence)) {
        for (const { version, apis } of neighbours) {
          const other = apis.get(api.name)?.returns;
          if (other && stated(other.confidence) && other.type === returns.type && other.ownership !== 'no-object') {
            carry('returns', other.ownership, apis.get(api.name)!, version);
            returns = { ...returns, ownership: other.ownership, confidence: 'carried' };
            break;
          }
        }
      }
      const params = api.params.map((param, position): Param => {
        if (!replaceable(param.confidence)) return param;
        for (const { version, apis } of neighbours) {
          const twin = apis.get(api.name);
          const other = twin?.params.find((candidate) => candidate.name === param.name && candidate.type === param.type);
          if (other && stated(other.confidence) && other.ownership !== 'no-object') {
            carry(`params.${param.name === '' ? `${position}` : param.name}`, other.ownership, twin!, version);
            return { ...param, ownership: other.ownership, confidence: 'carried' };
          }
        }
        return param;
      });
      return evidence.length === api.evidence.length ? api : { ...api, returns, params, evidence };
    });
    return { ...dataset, apis };
  });
}
