/**
 * The audit: every disagreement among the sources of every version, each with the correction to send upstream.
 * Built from the conflicts the datasets already record, so it cannot drift from them. Pure.
 */
import type { Api } from '../../src/schema/api.ts';
import type { Audit, AuditEntry } from '../../src/schema/audit.ts';
import type { Evidence } from '../../src/schema/evidence.ts';
import type { VersionDataset } from '../../src/schema/version-dataset.ts';
import { compareVersions } from '../../packages/capi-refs/src/versions.ts';
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

function correctionFor(api: Api, field: string, chosen: string, values: Evidence[]): string {
  const subject =
    field === 'returns' ? `the return value of ${api.name}`
    : field === 'errors' ? `how ${api.name} reports failure`
    : `parameter '${field.slice('params.'.length)}' of ${api.name}`;
  // refcounts.dat's location is file:line; upstream knows the file, the line is what helps.
  const said = values.map((value) => `${SOURCE_NAMES[value.source]} says ${value.value}${value.source === 'refcounts.dat' ? ` (${value.raw ?? ''}, line ${value.location.split(':').at(-1)})` : ''}`);
  const wrong = values.filter((value) => value.value !== chosen);
  const fixes = wrong.map((value) => {
    if (value.source === 'refcounts.dat') {
      const param = field === 'returns' ? '' : field.slice('params.'.length);
      return `in Doc/data/refcounts.dat, give ${api.name}'s ${param === '' ? 'return line' : `'${param}' line`} the effect ${REFCOUNT_EFFECT[chosen] ?? chosen}`;
    }
    return `make ${SOURCE_NAMES[value.source]} of ${api.name} say ${chosen}`;
  });
  const basis = values.some((value) => (value.source === 'runtime' || value.source === 'inference') && value.value === chosen) ? 'the measurement' : `${SOURCE_NAMES[values[0]!.source]}`;
  return `For ${subject}: ${said.join('; ')}. The dataset keeps ${chosen}, on ${basis}. Correction: ${fixes.join('; ')}.`;
}

export function buildAudit(datasets: readonly VersionDataset[]): Audit {
  const ordered = [...datasets].sort((a, b) => compareVersions(a.version, b.version));
  const entries: AuditEntry[] = [];
  for (const dataset of ordered) {
    for (const api of dataset.apis) {
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
  return { versions: ordered.map((dataset) => dataset.version), counts, entries };
}
