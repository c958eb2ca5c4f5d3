/**
 * An API's ownership fields as evidence names them ('returns', 'params.<name>'), and what refcounts.dat alone says
 * of one: shared by assembling, inference, carrying and the audit, so that all of them key and judge a field alike.
 */
import type { Api } from '../../src/schema/api.ts';
import type { Confidence } from '../../src/schema/ownership.ts';

/** The evidence key of a parameter: 'params.<name>', or 'params.<position>' for one the docs leave unnamed. */
export function paramField(name: string, index: number): string {
  return `params.${name === '' ? `${index}` : name}`;
}

/** The fields that hold an object (the return, then each parameter), with their value and how it is known. */
export function objectFields(api: Api): { field: string; value: string; confidence: Confidence }[] {
  const fields: { field: string; value: string; confidence: Confidence }[] = [];
  if (api.returns && api.returns.ownership !== 'no-object') fields.push({ field: 'returns', value: api.returns.ownership, confidence: api.returns.confidence });
  api.params.forEach((param, index) => {
    if (param.ownership !== 'no-object') fields.push({ field: paramField(param.name, index), value: param.ownership, confidence: param.confidence });
  });
  return fields;
}

/**
 * Whether refcounts.dat is the only source of the field (with that effect, when given: '0' records no count
 * change, which is also what the file writes for most steals it misses).
 */
export function onlyRefcounts(api: Api, field: string, effect?: string): boolean {
  const said = api.evidence.filter((evidence) => evidence.field === field);
  return said.length > 0 && said.every((evidence) => evidence.source === 'refcounts.dat' && (effect === undefined || evidence.raw === effect));
}
