/**
 * Fills the ownership that no source states, from rules written down here, each recorded as evidence with its
 * rule id so its accuracy can be measured against the runtime probes. A rule only ever fills 'unknown': a value a
 * source states is never overridden. Pure.
 *
 * One precedence rule comes before them: a parameter only refcounts.dat's `0` calls borrowed takes a steal that a
 * source states for the same parameter of its expansion or a twin (below), with the disagreement listed as a
 * conflict; refcounts.dat's counts miss most steals.
 *
 * The rules, strongest first:
 * - hand-reading: the project's reading of the definition, for the few APIs no parser types
 *   (scripts/sources/hand-readings.toml, each entry with its reason).
 * - expansion: a macro whose definition passes an argument straight to a function (casts aside), or gives that
 *   function's result, has that function's ownership for it: `#define PyCell_Check(op) Py_IS_TYPE((op), …)`.
 * - prose-twin: the docs say the API is another one under a second name ("Alias to X()", "Macro form of X()",
 *   "Similar to X(), but without error checking"); it takes X's values for the same parameters.
 * - name-twin: a macro and a function whose names differ only in case and underscores (PyList_GET_ITEM and
 *   PyList_GetItem) with the same number of parameters.
 * - ref-suffix: since 3.13 a name ending in 'Ref' marks the variant that hands out strong references: its object
 *   return is new, and so is what it writes to a PyObject ** output.
 * - pointer-into-object: a function that returns a `PyObject **` (PySequence_Fast_ITEMS) points into storage the
 *   object it was given owns; the references there are borrowed from it.
 * - convention: the C-API's stated default: a function borrows the object arguments it is given unless its docs
 *   say it steals them, and returns a new reference unless its docs say the reference is borrowed.
 */
import type { Api, Param } from '../../src/schema/api.ts';
import type { Conflict, Evidence } from '../../src/schema/evidence.ts';
import type { ParamOwnership, ReturnOwnership } from '../../src/schema/ownership.ts';
import { onlyRefcounts, paramField } from './api-fields.ts';
import { apiLocation } from './api-location.ts';
import { isObjectArray, isObjectPointer, isObjectPointerPointer } from './c-declaration.ts';
import type { MacroReading, MacroSignature } from './macro-signature.ts';
import { SourceError } from './errors.ts';
import type { HandReadSlot } from '../../src/schema/hand-reading.ts';
import type { LocatedHandReading } from '../sources/hand-readings.ts';

export type InferenceRule = 'hand-reading' | 'expansion' | 'prose-twin' | 'name-twin' | 'ref-suffix' | 'pointer-into-object' | 'convention';

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

export interface InferenceInputs {
  /** API → the API its docs say it mirrors. */
  proseTwins: ReadonlyMap<string, string>;
  /** Macro → what its definition shows. */
  macros: ReadonlyMap<string, MacroSignature>;
  handReadings: ReadonlyMap<string, LocatedHandReading>;
}

const OBJECT_SLOTS: Record<'returns' | 'params', readonly HandReadSlot[]> = { returns: ['new', 'borrowed'], params: ['borrowed', 'stolen', 'in-out'] };
const ANY_OBJECT_SLOT = new Set([...OBJECT_SLOTS.returns, ...OBJECT_SLOTS.params]);

/** A hand-read slot as an ownership value: the object ones as they are, every other kind of value as no-object. */
function slotOwnership(slot: HandReadSlot, where: 'returns' | 'params', api: string, location: string): string {
  if (!ANY_OBJECT_SLOT.has(slot)) return 'no-object';
  if (!OBJECT_SLOTS[where].includes(slot)) {
    throw new SourceError(location, `gives ${api}'s ${where === 'returns' ? 'return' : 'parameter'} the ownership '${slot}', which only a ${where === 'returns' ? 'parameter' : 'return'} can have`, `Use one of ${OBJECT_SLOTS[where].join(', ')} or a non-object kind.`);
  }
  return slot;
}

export function inferOwnership(apis: readonly Api[], { proseTwins, macros, handReadings }: InferenceInputs): Api[] {
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

  /** The function a macro hands this argument or result to, when it is another API of the dataset. */
  const expandsTo = (api: Api, reading: MacroReading | null | undefined): Api | undefined => {
    const callee = reading?.passedTo ? byName.get(reading.passedTo.callee) : undefined;
    return callee && callee !== api ? callee : undefined;
  };

  /**
   * A steal that a source states for the same parameter of the function a macro expands to, or of a twin: it
   * outranks refcounts.dat's `0`, which records no steal (PyStructSequence_SET_ITEM and PyStructSequence_SetItem).
   */
  const statedTwinSteal = (api: Api, param: Param, index: number, reading: MacroReading | null | undefined): { ownership: ParamOwnership; twin: Api; rule: InferenceRule } | null => {
    const callee = expandsTo(api, reading);
    const candidates: { twin: Api; other: Param | undefined; rule: InferenceRule }[] = [
      ...(callee && typeof reading!.passedTo!.index === 'number' ? [{ twin: callee, other: callee.params[reading!.passedTo!.index], rule: 'expansion' as const }] : []),
      ...twinsOf(api).map(({ twin, rule }) => ({ twin, other: twinParam(twin, param, index), rule })),
    ];
    for (const { twin, other, rule } of candidates) {
      if (!other || (other.ownership !== 'stolen' && other.ownership !== 'stolen-on-success')) continue;
      if (other.confidence !== 'documented' && other.confidence !== 'runtime-confirmed') continue;
      return { ownership: other.ownership, twin, rule };
    }
    return null;
  };

  return apis.map((api) => {
    if (!api.returns) return api;
    const macro = macros.get(api.name);
    const hand = handReadings.get(api.name.split('.').at(-1)!);
    if (hand && hand.params.length !== api.params.length) {
      throw new SourceError(hand.location, `lists ${hand.params.length} parameters, but ${api.name} has ${api.params.length} (${api.signature})`, 'Update the entry to the current definition, or remove it if the API changed enough to be read automatically.');
    }
    const evidence: Evidence[] = [...api.evidence];
    const conflicts: Conflict[] = [...api.conflicts];
    const infer = <Value extends string>(field: string, value: Value, rule: InferenceRule, location: string): Value => {
      evidence.push({ field, source: 'inference', value, location, raw: rule });
      return value;
    };
    const twins = twinsOf(api);
    const refSuffix = /Ref$/.test(api.name) && !/^Py_(Inc|Dec)Ref$/.test(api.name);

    let returns = api.returns;
    if (hand && returns.ownership === 'unknown') {
      const ownership = slotOwnership(hand.returns, 'returns', api.name, hand.location) as ReturnOwnership;
      returns = { ...returns, ownership: infer('returns', ownership, 'hand-reading', hand.location), confidence: 'inferred' };
    }
    if (returns.ownership === 'unknown' && isObjectPointerPointer(returns.type)) {
      returns = { ...returns, ownership: infer('returns', 'borrowed', 'pointer-into-object', apiLocation(api)), confidence: 'inferred' };
    }
    if (returns.ownership === 'unknown' && (isObjectPointer(returns.type) || returns.type === '')) {
      const callee = expandsTo(api, macro?.returns);
      const fromTwin = twins.find(({ twin }) => twin.returns && isKnown(twin.returns.ownership));
      let value: ReturnOwnership | null = null;
      if (callee?.returns && isKnown(callee.returns.ownership)) value = infer('returns', callee.returns.ownership, 'expansion', apiLocation(callee));
      else if (fromTwin) value = infer('returns', fromTwin.twin.returns!.ownership, fromTwin.rule, apiLocation(fromTwin.twin));
      else if (refSuffix && isObjectPointer(returns.type)) value = infer('returns', 'new', 'ref-suffix', apiLocation(api));
      else if (isObjectPointer(returns.type)) value = infer('returns', 'new', 'convention', apiLocation(api));
      if (value) returns = { ...returns, ownership: value, confidence: 'inferred' };
    }

    const params = api.params.map((param, index): Param => {
      const field = paramField(param.name, index);
      // Only refcounts.dat's 0 says borrowed: a steal stated elsewhere outranks it.
      if (param.ownership === 'borrowed' && onlyRefcounts(api, field, '0')) {
        const steal = statedTwinSteal(api, param, index, macro?.params[index]);
        if (steal) {
          conflicts.push({
            field,
            values: [
              { source: 'inference', value: steal.ownership },
              { source: 'refcounts.dat', value: 'borrowed' },
            ],
            chosen: steal.ownership,
            reason: `${steal.twin.name}, which the docs or the definition make the same call, is stated to steal it; refcounts.dat's 0 records no steal (its counts miss most of them).`,
          });
          return { ...param, ownership: infer(field, steal.ownership, steal.rule, apiLocation(steal.twin)), confidence: 'inferred' };
        }
      }
      if (param.ownership !== 'unknown') return param;
      if (hand) {
        const ownership = slotOwnership(hand.params[index]!, 'params', api.name, hand.location) as ParamOwnership;
        return { ...param, ownership: infer(field, ownership, 'hand-reading', hand.location), confidence: 'inferred' };
      }
      const reading = macro?.params[index];
      const callee = expandsTo(api, reading);
      const passed = callee && typeof reading!.passedTo!.index === 'number' ? callee.params[reading!.passedTo!.index] : undefined;
      if (passed && isKnown(passed.ownership) && passed.ownership !== 'no-object') {
        return { ...param, ownership: infer(field, passed.ownership, 'expansion', apiLocation(callee!)), confidence: 'inferred' };
      }
      for (const { twin, rule } of twins) {
        const other = twinParam(twin, param, index);
        if (other && isKnown(other.ownership) && other.ownership !== 'no-object') {
          return { ...param, ownership: infer(field, other.ownership, rule, apiLocation(twin)), confidence: 'inferred' };
        }
      }
      if (isObjectPointerPointer(param.type)) {
        return refSuffix ? { ...param, ownership: infer<ParamOwnership>(field, 'out-new', 'ref-suffix', apiLocation(api)), confidence: 'inferred' } : param;
      }
      if (isObjectPointer(param.type) || isObjectArray(param.type)) {
        return { ...param, ownership: infer<ParamOwnership>(field, 'borrowed', 'convention', apiLocation(api)), confidence: 'inferred' };
      }
      return param;
    });

    return evidence.length === api.evidence.length ? api : { ...api, returns, params, evidence, conflicts };
  });
}
