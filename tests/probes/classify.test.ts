import { describe, expect, it } from 'vitest';
import type { ProbePlan } from '../../scripts/probes/arguments.ts';
import { callFailed, callerDelta, classifyErrors, classifyParam, classifyProbe, classifyReturn, type OnceRun, type ParamRun, type RepeatRun } from '../../scripts/probes/classify.ts';

/** A measurement of one argument: count before (b), after the release (c), holders before/after. */
const m = (b: number, c: number, hb = 1, hc = 1): ParamRun => ({ b, a: b, c, hb, hc });
const repeat = (rc: number[], same = 1): RepeatRun => ({ exp: 'R', null: [0, 0, 0], err: [0, 0, 0], same, argIndex: -1, rc });
const once = (over: Partial<OnceRun> = {}): OnceRun => ({
  exp: 'S', err: 0, iret: null, retMode: 0, retNull: 0, retArg: -1, retRcCall: 1, retRcClear: 2, retHolders: 0, retReleased: 1, params: [], ...over,
});

describe('callerDelta', () => {
  it('discounts holders the probe could not clear', () => {
    expect(callerDelta(m(2, 2))).toBe(0);
    expect(callerDelta(m(2, 1))).toBe(-1);
    // stored in sys.__dict__: one more holder and one more reference, so the caller's reference is still there
    expect(callerDelta(m(2, 3, 1, 2))).toBe(0);
    // stolen and stored: the count is unchanged but a holder appeared
    expect(callerDelta(m(2, 2, 1, 2))).toBe(-1);
  });
});

describe('classifyParam', () => {
  it('kept on success and failure: borrowed', () => {
    expect(classifyParam('item', m(2, 2), m(2, 2), false).value).toBe('borrowed');
  });
  it('released on success and failure: stolen', () => {
    expect(classifyParam('item', m(2, 1), m(2, 1), false).value).toBe('stolen');
  });
  it('released on success only: stolen-on-success', () => {
    const v = classifyParam('value', m(2, 1), m(2, 2), false);
    expect(v).toMatchObject({ value: 'stolen-on-success', success: 'released', failure: 'kept' });
  });
  it('released on success with no failing call: open, unless the function cannot fail', () => {
    expect(classifyParam('v', m(2, 1), null, false).value).toBeNull();
    expect(classifyParam('v', m(2, 1), null, false, 'void').value).toBe('stolen');
    expect(classifyParam('v', m(2, 1), null, false, 'unchecked').detail).toMatch(/it checks no errors/);
  });
  it('kept only on success and released on failure is not a known ownership', () => {
    expect(classifyParam('v', m(2, 2), m(2, 1), false).value).toBeNull();
  });
  it('extra references it cannot account for: open', () => {
    const v = classifyParam('o', m(2, 3), null, false);
    expect(v).toMatchObject({ value: null, success: 'added' });
  });
  it('outputs: owned by the caller alone is out-new, kept alive by others is out-borrowed', () => {
    const out = (outRc: number, outHolders: number): ParamRun => ({ ...m(-1, -1), outNull: 0, outIsOld: 0, outRc, outHolders });
    expect(classifyParam('p', out(2, 0), null, true).value).toBe('out-new');
    expect(classifyParam('p', out(2, 1), null, true).value).toBe('out-borrowed');
    expect(classifyParam('p', out(5, 0), null, true).value).toBeNull();
    expect(classifyParam('p', out(5, 0), null, true).detail).toBe('the object written has 4 references unaccounted for');
    // None's count moves with what the runner itself holds: not printed, so that a new helper changes no record
    expect(classifyParam('p', out(4341, 0), null, true).detail).toBe('the object written has more than 100 references unaccounted for (an object the interpreter shares)');
    expect(classifyParam('p', { ...out(2, 0), outNull: 1 }, null, true).value).toBeNull();
  });
  it('in-out: the old reference released and another object written', () => {
    const inOut = { ...m(2, 1), outIsOld: 0, outNull: 0, outRc: 2, outHolders: 0 };
    expect(classifyParam('p', inOut, null, false).value).toBe('in-out');
  });
});

describe('classifyReturn', () => {
  it('the same object with its count one higher per call is new; unchanged is borrowed', () => {
    // the probe keeps each result alive, so the raw counts also rise by one per call
    expect(classifyReturn(repeat([5, 7, 9]), undefined).value).toBe('new');
    expect(classifyReturn(repeat([5, 6, 7]), undefined).value).toBe('borrowed');
    expect(classifyReturn(repeat([5, 6, 9]), undefined).value).toBeNull();
  });
  it('an immortal object (3.12+), whose count never moves, is no answer, and says why', () => {
    const immortal = classifyReturn(repeat([3221225471, 3221225471, 3221225471]), undefined);
    expect(immortal.value).toBeNull();
    expect(immortal.detail).toMatch(/immortal/);
  });
  it('a fresh object: new when only the caller holds it, borrowed when its lender was released', () => {
    expect(classifyReturn(repeat([1, 1, 1], 0), once({ retRcClear: 2 })).value).toBe('new');
    expect(classifyReturn(repeat([2, 2, 2], 0), once({ retRcClear: 1 })).value).toBe('borrowed');
    expect(classifyReturn(repeat([2, 2, 2], 0), once({ retRcClear: 3, retHolders: 1 })).value).toBe('new');
    expect(classifyReturn(repeat([2, 2, 2], 0), once({ retRcClear: 4 })).value).toBeNull();
  });
  it('NULL is no answer, except always-null for raising functions', () => {
    const nulls: RepeatRun = { ...repeat([0, 0, 0], 0), null: [1, 1, 1], err: [1, 1, 1] };
    expect(classifyReturn(nulls, once({ retNull: 1, err: 1 })).value).toBeNull();
    expect(classifyReturn(nulls, once({ retNull: 1, err: 1 }), true).value).toBe('always-null');
  });
});

describe('classifyProbe', () => {
  const plan: ProbePlan = {
    name: 'PyList_SetItem', returnType: 'int', returnsObject: false, failure: 'out-of-range index (index)',
    params: [
      { name: 'list', type: 'PyObject *', kind: 'obj', value: 'mk_list()', witness: true },
      { name: 'index', type: 'Py_ssize_t', kind: 'ssize', value: '0', failValue: '100', witness: false },
      { name: 'item', type: 'PyObject *', kind: 'obj', value: 'mk_leaf()', witness: true },
    ],
  };
  it('reads the error convention from the call built to fail, and only from one that raised', () => {
    const F = once({ exp: 'F', err: 1, iret: -1, params: [m(2, 2), null, m(2, 1)] });
    expect(classifyErrors(plan, F)).toMatchObject({ value: 'minus-one-with-exception' });
    expect(classifyErrors(plan, { ...F, iret: 0 })).toMatchObject({ value: 'zero-with-exception' });
    expect(classifyErrors(plan, { ...F, iret: 7 })?.value).toBeNull();
    expect(classifyErrors(plan, { ...F, err: 0, iret: 0 })).toMatchObject({ value: null, detail: expect.stringContaining('raised no exception') });
    const getter = { ...plan, name: 'PyList_GetItem', returnType: 'PyObject *', returnsObject: true };
    expect(classifyErrors(getter, once({ exp: 'F', err: 1, retNull: 1 }))).toMatchObject({ value: 'null-with-exception' });
    expect(classifyErrors({ ...plan, failure: null }, F)).toBeUndefined();
    expect(classifyErrors({ ...plan, name: 'PyErr_SetString' }, F)).toBeUndefined();
  });
  it('uses the failing call for the failure side only when it did fail', () => {
    const S = once({ iret: 0, params: [m(2, 2), null, m(2, 1)] });
    const F = once({ exp: 'F', err: 1, iret: -1, params: [m(2, 2), null, m(2, 1)] });
    const v = classifyProbe(plan, { S, F });
    expect(v.status).toBe('ok');
    expect(v.params.map((p) => p.value)).toEqual(['borrowed', 'stolen']);
    const notFailed = classifyProbe(plan, { S, F: { ...F, err: 0, iret: 0 } });
    expect(notFailed.params[1]!.value).toBeNull();
    expect(notFailed.status).toBe('ambiguous');
  });
  it('an exception with the error value is a failure; for PyErr_* it is the point', () => {
    expect(callFailed(plan, once({ err: 1, iret: -1 }))).toBe(true);
    expect(callFailed(plan, once({ err: 1, iret: 0 }))).toBe(false);
    expect(callFailed({ ...plan, name: 'PyErr_SetObject', returnType: 'void' }, once({ err: 1 }))).toBe(false);
  });
});

describe('unmeasurable arguments', () => {
  it('an in-out slot the probe could not keep a reference to stays open', () => {
    const slot: ParamRun = { b: -1, a: -1, c: -1, hb: -1, hc: -1, outNull: 0, outIsOld: 0, outRc: 2, outHolders: 0 };
    expect(classifyParam('p', slot, null, false)).toMatchObject({ value: null, success: null });
  });
});
