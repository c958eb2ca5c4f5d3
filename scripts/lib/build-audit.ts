/**
 * The audit: every disagreement among the sources of every version, each with the correction to send upstream;
 * every value that rests on one weak source, with what would settle it; and which sources each version has.
 * Built from the conflicts the datasets already record, so it cannot drift from them. Pure.
 */
import type { Api } from '../../src/schema/api.ts';
import type { Audit, AuditEntry, WeakValue } from '../../src/schema/audit.ts';
import type { Evidence } from '../../src/schema/evidence.ts';
import type { VersionDataset } from '../../src/schema/version-dataset.ts';
import { compareVersions } from '../../packages/capi-refs/src/versions.ts';
import { objectFields, onlyRefcounts } from './api-fields.ts';
import { compareNames } from './json-output.ts';

/** What refcounts.dat writes for each ownership value, so a correction can be given as the line to write. */
const REFCOUNT_EFFECT: Record<string, string> = {
  new: '+1', borrowed: '0', stolen: '-1', 'stolen-on-success': '-1 (only on success: say so in the comment)',
  'always-null': 'null', 'out-new': '+1', 'out-borrowed': '0', 'in-out': '-1 and +1 (write the replacement in the comment)',
};

const SOURCE_NAMES: Record<string, string> = {
  runtime: 'a call on the probed CPython build',
  'refcounts.dat': 'Doc/data/refcounts.dat',
  'docs-annotation': "the docs' return annotation",
  'docs-prose': "the docs' text",
  header: "the definition in CPython's headers",
  inference: 'a measurement on another CPython version with the same declaration',
};

/** An inference value in a conflict, by the rule its evidence names: a carried measurement, or a twin's statement. */
function inferenceName(value: Evidence): string {
  if (value.raw?.startsWith('carried-from-')) return SOURCE_NAMES.inference!;
  return `the stated value of the same call under another name (${value.location})`;
}

const sourceName = (value: Evidence): string => (value.source === 'inference' ? inferenceName(value) : SOURCE_NAMES[value.source]!);

/** What would settle a value of each weak basis. */
const SETTLE: Audit['settle'] = {
  'refcounts-zero': "A statement in the docs of this version (the return annotation or the text), or a runtime probe: refcounts.dat's 0 is also what it writes for steals it does not record.",
  carried: 'A source of this version (the docs, refcounts.dat where the version has one) or a runtime probe of this version.',
  inferred: 'Any source of this version that states it, or a runtime probe; until then it is a guess by the named rule.',
};

/** Values that rest on one weak source, field by field: ownership (returns, params) and the error convention. */
function weakValues(version: string, api: Api): WeakValue[] {
  const fields = objectFields(api);
  if (api.errors) fields.push({ field: 'errors', value: api.errors.convention, confidence: api.errors.confidence });
  return fields.flatMap(({ field, value, confidence }): WeakValue[] => {
    const rule = api.evidence.filter((e) => e.field === field && e.source === 'inference').at(-1)?.raw ?? null;
    if (confidence === 'carried' || confidence === 'inferred') return [{ version, name: api.name, field, value, basis: confidence, rule }];
    if (confidence === 'documented' && onlyRefcounts(api, field, '0')) return [{ version, name: api.name, field, value, basis: 'refcounts-zero', rule: null }];
    return [];
  });
}

function sourcesOf(dataset: VersionDataset): Audit['sources'][string] {
  const read = (role: string) => dataset.sources.filter((source) => source.role === role && source.status === 'read');
  const stableFile = read('stable_abi.dat').length > 0 ? 'stable_abi.dat' : read('stable_abi.toml').length > 0 ? 'stable_abi.toml' : null;
  return {
    docsPages: read('docs-page').length,
    headers: read('header').length,
    refcountsDat: read('refcounts.dat').length > 0,
    stableAbiFile: stableFile,
    runtime: read('runtime-probes').length > 0,
  };
}

function correctionFor(api: Api, field: string, chosen: string, values: Evidence[]): string {
  const subject =
    field === 'returns' ? `the return value of ${api.name}`
    : field === 'errors' ? `how ${api.name} reports failure`
    : `parameter '${field.slice('params.'.length)}' of ${api.name}`;
  // refcounts.dat's location is file:line; upstream knows the file, the line is what helps.
  const said = values.map((value) => `${sourceName(value)} says ${value.value}${value.source === 'refcounts.dat' ? ` (${value.raw ?? ''}, line ${value.location.split(':').at(-1)})` : ''}`);
  const wrong = values.filter((value) => value.value !== chosen);
  const fixes = wrong.map((value) => {
    if (value.source === 'refcounts.dat') {
      const param = field === 'returns' ? '' : field.slice('params.'.length);
      return `in Doc/data/refcounts.dat, give ${api.name}'s ${param === '' ? 'return line' : `'${param}' line`} the effect ${REFCOUNT_EFFECT[chosen] ?? chosen}`;
    }
    return `make ${sourceName(value)} of ${api.name} say ${chosen}`;
  });
  const measuredValue = values.some((value) => (value.source === 'runtime' || value.raw?.startsWith('carried-from-') === true) && value.value === chosen);
  const basis = measuredValue ? 'the measurement' : sourceName(values[0]!);
  return `For ${subject}: ${said.join('; ')}. The dataset keeps ${chosen}, on ${basis}. Correction: ${fixes.join('; ')}.`;
}

export function buildAudit(datasets: readonly VersionDataset[]): Audit {
  const ordered = [...datasets].sort((a, b) => compareVersions(a.version, b.version));
  const entries: AuditEntry[] = [];
  const weak: WeakValue[] = [];
  const sources: Audit['sources'] = {};
  for (const dataset of ordered) {
    sources[dataset.version] = sourcesOf(dataset);
    for (const api of dataset.apis) {
      weak.push(...weakValues(dataset.version, api));
      for (const conflict of api.conflicts) {
        // The evidence behind each value of the conflict, in the conflict's order of trust.
        const values = conflict.values.map(
          ({ source, value }) => api.evidence.find((evidence) => evidence.field === conflict.field && evidence.source === source && evidence.value === value)!,
        );
        // A measurement that overrules one of this project's own rules is nothing to send upstream.
        const upstreamWrong = values.some((value) => value.value !== conflict.chosen && value.source !== 'inference' && value.source !== 'runtime');
        if (!upstreamWrong) continue;
        entries.push({
          version: dataset.version,
          name: api.name,
          field: conflict.field,
          docsUrl: api.docsUrl,
          chosen: conflict.chosen,
          measured: values.some((value) => value.source === 'runtime' || value.raw?.startsWith('carried-from-')),
          values: values.map(({ source, value, location, raw }) => ({ source, value, location, ...(raw === undefined ? {} : { raw }) })),
          correction: correctionFor(api, conflict.field, conflict.chosen, values),
        });
      }
    }
  }
  entries.sort((a, b) => compareVersions(a.version, b.version) || compareNames(a.name, b.name) || compareNames(a.field, b.field));
  const counts: Audit['counts'] = {};
  for (const { version } of ordered) {
    const mine = entries.filter((entry) => entry.version === version);
    counts[version] = { entries: mine.length, measured: mine.filter((entry) => entry.measured).length, apis: new Set(mine.map((entry) => entry.name)).size };
  }
  weak.sort((a, b) => compareVersions(a.version, b.version) || compareNames(a.name, b.name) || compareNames(a.field, b.field));
  return { versions: ordered.map((dataset) => dataset.version), sources, weak, settle: SETTLE, counts, entries };
}
