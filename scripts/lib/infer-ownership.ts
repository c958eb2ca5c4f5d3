/**
 * Fills the ownership that no source states, from rules written down here, each recorded as evidence with its
 * rule id so its accuracy can be measured against the runtime probes. A rule only ever fills 'unknown': a value a
 * source states is never overridden. Pure.
 *
 * The rules, strongest first:
 * - prose-twin: the docs say the API is another one under a second name ("Alias to X()", "Macro form of X()",
 *   "Similar to X(), but without error checking"); it takes X's values for the same parameters.
 * - name-twin: a macro and a function whose names differ only in case and underscores (PyList_GET_ITEM and
 *   PyList_GetItem) with the same number of parameters.
 * - ref-suffix: since 3.13 a name ending in 'Ref' marks the variant that hands out strong references: its object
 *   return is new, and so is what it writes to a PyObject ** output.
 * - convention: the C-API's stated default: a function borrows the object arguments it is given unless its docs
 *   say it steals them, and returns a new reference unless its docs say the reference is borrowed.
 */
import type { Api, Param } from '../../src/schema/api.ts';
import type { Evidence } from '../../src/schema/evidence.ts';
import type { ParamOwnership, ReturnOwnership } from '../../src/schema/ownership.ts';
import { isObjectArray, isObjectPointer, isObjectPointerPointer } from './c-declaration.ts';

export type InferenceRule = 'prose-twin' | 'name-twin' | 'ref-suffix' | 'convention';

const TWIN_PHRASES = /^(?:(?:This is )?(?:an )?alias (?:to|for|of)|Macro form of|Macro version of|Similar to|(?:This is )?the same as|Same as|Equivalent to)\s+(?:the )?(\w+)\(\)/i;

/** The API a description says this one mirrors, from its first sentence. */
export function findProseTwin(prose: string): string | null {
  return TWIN_PHRASES.exec(prose.trim())?.[1] ?? null;
}

function nameKey(name: string): string {
  return name.replace(/_/g, '').toLowerCase();
}

const isKnown = (value: string): boolean => value !== 'unknown';

function twinParam(twin: Api, param: Param, index: number): Param | undefined {
  return twin.params.find((candidate) => candidate.name === param.name) ?? (twin.params.length > index ? twin.params[index] : undefined);
}

export function inferOwnership(apis: readonly Api[], proseTwins: ReadonlyMap<string, string>): Api[] {
  const byName = new Map(apis.map((api) => [api.name, api]));
  const byKey = new Map<string, Api[]>();
  for (const api of apis) {
    if (api.kind !== 'function' && api.kind !== 'macro') continue;
    const key = nameKey(api.name);
    byKey.set(key, [...(byKey.get(key) ?? []), api]);
  }

  const twinsOf = (api: Api): { twin: Api; rule: InferenceRule }[] => {
    const twins: { twin: Api; rule: InferenceRule }[] = [];
    const proseTwin = byName.get(proseTwins.get(api.name) ?? '');
    if (proseTwin && proseTwin !== api) twins.push({ twin: proseTwin, rule: 'prose-twin' });
    for (const other of byKey.get(nameKey(api.name)) ?? []) {
      if (other !== api && other.params.length === api.params.length) twins.push({ twin: other, rule: 'name-twin' });
    }
    return twins;
  };

  return apis.map((api) => {
    if (!api.returns) return api;
    const evidence: Evidence[] = [...api.evidence];
    const infer = <Value extends string>(field: string, value: Value, rule: InferenceRule, location: string): Value => {
      evidence.push({ field, source: 'inference', value, location, raw: rule });
      return value;
    };
    const twins = twinsOf(api);
    const refSuffix = /Ref$/.test(api.name) && !/^Py_(Inc|Dec)Ref$/.test(api.name);

    let returns = api.returns;
    if (returns.ownership === 'unknown' && (isObjectPointer(returns.type) || returns.type === '')) {
      const fromTwin = twins.find(({ twin }) => twin.returns && isKnown(twin.returns.ownership));
      let value: ReturnOwnership | null = null;
      if (fromTwin) value = infer('returns', fromTwin.twin.returns!.ownership, fromTwin.rule, fromTwin.twin.docsUrl);
      else if (refSuffix && isObjectPointer(returns.type)) value = infer('returns', 'new', 'ref-suffix', api.docsUrl);
      else if (isObjectPointer(returns.type)) value = infer('returns', 'new', 'convention', api.docsUrl);
      if (value) returns = { ...returns, ownership: value, confidence: 'inferred' };
    }

    const params = api.params.map((param, index): Param => {
      if (param.ownership !== 'unknown') return param;
      const field = `params.${param.name === '' ? `${index}` : param.name}`;
      for (const { twin, rule } of twins) {
        const other = twinParam(twin, param, index);
        if (other && isKnown(other.ownership) && other.ownership !== 'no-object') {
          return { ...param, ownership: infer(field, other.ownership, rule, twin.docsUrl), confidence: 'inferred' };
        }
      }
      if (isObjectPointerPointer(param.type)) {
        return refSuffix ? { ...param, ownership: infer<ParamOwnership>(field, 'out-new', 'ref-suffix', api.docsUrl), confidence: 'inferred' } : param;
      }
      if (isObjectPointer(param.type) || isObjectArray(param.type)) {
        return { ...param, ownership: infer<ParamOwnership>(field, 'borrowed', 'convention', api.docsUrl), confidence: 'inferred' };
      }
      return param;
    });

    return evidence.length === api.evidence.length ? api : { ...api, returns, params, evidence };
  });
}
