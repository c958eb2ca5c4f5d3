/**
 * Carries stated ownership across versions: where a version's sources are silent on a field (3.15 has no
 * refcounts.dat, say) and the nearest version that documents the same API, with the same declared type for that
 * field, states a value (a source says it, or a runtime probe measured it), that value is kept with confidence
 * 'carried', unless a rule read it off the same call under another name (a macro's expansion, a twin). A value only refcounts.dat states gives way to a neighbour's measurement of the same declaration
 * (the file is known to be wrong for several APIs), with the disagreement listed as a conflict. It replaces an inferred value (a neighbour's
 * documented word beats a convention) but never a documented one. Pure.
 */
import type { Api, Param } from '../../src/schema/api.ts';
import type { Conflict, Evidence } from '../../src/schema/evidence.ts';
import type { VersionDataset } from '../../src/schema/version-dataset.ts';
import { onlyRefcounts, paramField } from './api-fields.ts';
import { apiLocation } from './api-location.ts';
import { compareVersions } from '../../packages/capi-refs/src/versions.ts';

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

/**
 * Rules that read the value off the same call under another name (the function a macro expands to, a twin the docs
 * name, the project's reading of the definition): that outranks another version's word for this one.
 */
const SAME_CALL_RULES: ReadonlySet<string> = new Set(['expansion', 'prose-twin', 'name-twin', 'hand-reading']);

function fromSameCall(api: Api, field: string): boolean {
  return api.evidence.some((evidence) => evidence.field === field && evidence.source === 'inference' && SAME_CALL_RULES.has(evidence.raw ?? ''));
}

interface FieldValue {
  type: string;
  ownership: string;
  confidence: string;
}

/**
 * Two passes: first measurements overrule refcounts-only values, then silent fields are filled, so that a value
 * carried into a version never comes from a neighbour's refcounts.dat line that a measurement has overruled.
 */
export function carryAcrossVersions(datasets: readonly VersionDataset[]): VersionDataset[] {
  return carryPass(carryPass(datasets, 'overrule'), 'fill');
}

function carryPass(datasets: readonly VersionDataset[], mode: 'overrule' | 'fill'): VersionDataset[] {
  const index = new Map(datasets.map((dataset) => [dataset.version, new Map(dataset.apis.map((api) => [api.name, api]))]));
  return datasets.map((dataset) => {
    const neighbours = neighboursOf(dataset.version, datasets).map((other) => ({ version: other.version, apis: index.get(other.version)! }));
    const apis = dataset.apis.map((api): Api => {
      if (!api.returns) return api;
      const evidence: Evidence[] = [...api.evidence];
      const conflicts: Conflict[] = [...api.conflicts];

      /**
       * The value to keep for one field: a neighbour's stated value where this version has none, or a neighbour's
       * measurement where this version has only refcounts.dat's word and the declaration is the same.
       */
      const resolve = (field: string, current: FieldValue, pick: (other: Api) => FieldValue | undefined): { ownership: string; confidence: 'carried' } | null => {
        const silent = mode === 'fill' && replaceable(current.confidence) && !fromSameCall(api, field);
        // A value only refcounts.dat states: the one source a measurement of the same declaration may overrule.
        const overrulable = mode === 'overrule' && current.confidence === 'documented' && onlyRefcounts(api, field);
        if (!silent && !overrulable) return null;
        for (const { version, apis } of neighbours) {
          const from = apis.get(api.name);
          const other = from && pick(from);
          if (!other || other.type !== current.type || other.ownership === 'no-object') continue;
          if (silent ? !stated(other.confidence) : other.confidence !== 'runtime-confirmed') continue;
          if (!silent && other.ownership === current.ownership) return null;
          evidence.push({ field, source: 'inference', value: other.ownership, location: apiLocation(from), raw: `carried-from-${version}` });
          if (!silent) {
            conflicts.push({
              field,
              values: [{ source: 'inference', value: other.ownership }, { source: 'refcounts.dat', value: current.ownership }],
              chosen: other.ownership,
              reason: `A measurement on CPython ${version} of the same declaration is kept over refcounts.dat, whose counts are wrong for several APIs.`,
            });
          }
          return { ownership: other.ownership, confidence: 'carried' };
        }
        return null;
      };

      const carriedReturn = resolve('returns', api.returns, (other) => other.returns ?? undefined);
      const returns = carriedReturn ? { ...api.returns, ...carriedReturn } as Api['returns'] : api.returns;
      const params = api.params.map((param, position): Param => {
        const field = paramField(param.name, position);
        // Parameter names drift between the docs and the headers (p_left, pleft): same-length lists match by position.
        const carried = resolve(field, param, (other) => other.params.find((candidate) => candidate.name === param.name) ?? (other.params.length === api.params.length ? other.params[position] : undefined));
        return carried ? ({ ...param, ...carried } as Param) : param;
      });
      return evidence.length === api.evidence.length ? api : { ...api, returns, params, evidence, conflicts };
    });
    return { ...dataset, apis };
  });
}
