/** Pure: the runtime values against each evidence source of the dataset (refcounts.dat, docs-annotation, docs-prose). */
import type { Api, Param } from '../../src/schema/api.ts';
import type { Evidence } from '../../src/schema/evidence.ts';
import type { ErrorConvention } from '../../src/schema/errors.ts';
import type { RuntimeComparison, RuntimeProbe } from '../../src/schema/runtime.ts';
import { measurementFits } from '../lib/error-convention.ts';

/** The parts of a dataset API the comparison reads, taken from the schema's types so they cannot drift. */
export interface DatasetApi {
  name: Api['name'];
  returns: Pick<NonNullable<Api['returns']>, 'ownership'> | null;
  params: Pick<Param, 'name' | 'ownership'>[];
  errors: Pick<NonNullable<Api['errors']>, 'convention'> | null;
  evidence: Pick<Evidence, 'field' | 'source' | 'value'>[];
}

export function compareWithDataset(version: string, probes: RuntimeProbe[], apis: DatasetApi[]): RuntimeComparison {
  const byName = new Map(apis.map((api) => [api.name, api]));
  const bySource: RuntimeComparison['bySource'] = {};
  const withChosen = { agree: 0, disagree: 0 };
  const disagreements: RuntimeComparison['disagreements'] = [];
  for (const probe of probes) {
    const api = byName.get(probe.name);
    if (!api) continue;
    const fields: { field: string; runtime: string | null; chosen: string }[] = [];
    if (probe.returns) fields.push({ field: 'returns', runtime: probe.returns.value, chosen: api.returns?.ownership ?? 'unknown' });
    for (const p of probe.params) {
      fields.push({ field: `params.${p.name}`, runtime: p.value, chosen: api.params.find((q) => q.name === p.name)?.ownership ?? 'unknown' });
    }
    for (const { field, runtime, chosen } of fields) {
      if (runtime === null) continue;
      if (chosen === runtime) withChosen.agree++;
      else withChosen.disagree++;
      // The dataset's own runtime evidence is this very measurement; comparing it with itself says nothing.
      const evidence = api.evidence.filter((e) => e.field === field && e.source !== 'runtime');
      let disagree = false;
      for (const e of evidence) {
        const tally = (bySource[e.source] ??= { agree: 0, disagree: 0 });
        if (e.value === runtime) tally.agree++;
        else { tally.disagree++; disagree = true; }
      }
      if (disagree || chosen !== runtime) {
        disagreements.push({
          name: probe.name,
          field,
          runtime: runtime as RuntimeComparison['disagreements'][number]['runtime'],
          sources: evidence.map((e) => ({ source: e.source, value: e.value })) as RuntimeComparison['disagreements'][number]['sources'],
          chosen,
        });
      }
    }
  }
  return { version, bySource, withChosen, disagreements, errors: compareErrors(probes, byName) };
}

function compareErrors(probes: RuntimeProbe[], byName: ReadonlyMap<string, DatasetApi>): RuntimeComparison['errors'] {
  const bySource: RuntimeComparison['errors']['bySource'] = {};
  const disagreements: RuntimeComparison['errors']['disagreements'] = [];
  for (const probe of probes) {
    const api = byName.get(probe.name);
    const measured = probe.errors?.value;
    if (!api || !measured) continue;
    const evidence = api.evidence.filter((e) => e.field === 'errors' && e.source !== 'runtime');
    let disagree = false;
    for (const e of evidence) {
      const tally = (bySource[e.source] ??= { agree: 0, disagree: 0 });
      if (measurementFits(measured, e.value as ErrorConvention)) tally.agree++;
      else { tally.disagree++; disagree = true; }
    }
    if (disagree) {
      disagreements.push({ name: probe.name, runtime: measured, sources: evidence.map((e) => ({ source: e.source, value: e.value })) as RuntimeComparison['errors']['disagreements'][number]['sources'], chosen: api.errors?.convention ?? 'unknown' });
    }
  }
  return { bySource, disagreements };
}
