import { describe, expect, it } from 'vitest';
import { planProbe, type ProbePlan } from '../../scripts/probes/arguments.ts';
import type { OnceRun, RepeatRun } from '../../scripts/probes/classify.ts';
import { agreedRecord, crashDescription, recordedVaried, UNDEFINED_BEHAVIOUR, type Outcome } from '../../scripts/probes/outcomes.ts';

function plan(name: string, returns: string, params: [string, string][]): ProbePlan {
  const result = planProbe({ name, returns: { type: returns }, params: params.map(([type, n]) => ({ type, name: n })) });
  if (!result.ok) throw new Error(result.reason);
  return result.plan;
}

// Lines as the runner printed them on CPython 3.13.18 (debug build).
const appendS: OnceRun = { exp: 'S', err: 0, iret: 0, retMode: 0, retNull: 1, retArg: -1, retRcCall: 0, retRcClear: 0, retHolders: 0, retReleased: 0, params: [{ b: 2, a: 2, c: 2, hb: 0, hc: 0 }, { b: 2, a: 3, c: 2, hb: 0, hc: 0 }] };
const appendF: OnceRun = { exp: 'F', err: 1, iret: -1, retMode: 0, retNull: 1, retArg: -1, retRcCall: 0, retRcClear: 0, retHolders: 0, retReleased: 0, params: [{ b: 2, a: 2, c: 2, hb: 0, hc: 0 }, { b: 2, a: 2, c: 2, hb: 0, hc: 0 }] };
const evalR: RepeatRun = { exp: 'R', null: [0, 0, 0], err: [0, 0, 0], same: 1, argIndex: -1, rc: [4294967294, 4294967294, 4294967294] };
const evalS: OnceRun = { exp: 'S', err: 0, iret: null, retMode: 0, retNull: 0, retArg: -1, retRcCall: 4294967295, retRcClear: 4294967295, retHolders: 393, retReleased: 0, params: [{ b: 2, a: 2, c: 2, hb: 0, hc: 0 }, { b: 2, a: 2, c: 2, hb: 0, hc: 0 }, { b: 2, a: 2, c: 2, hb: 0, hc: 0 }] };

const append = plan('PyList_Append', 'int', [['PyObject *', 'list'], ['PyObject *', 'item']]);
const evalCode = plan('PyEval_EvalCode', 'PyObject *', [['PyObject *', 'co'], ['PyObject *', 'globals'], ['PyObject *', 'locals']]);
const appendRun: Outcome[] = [{ experiment: 'S', line: appendS }, { experiment: 'F', line: appendF }];
// PyEval_EvalCode's call on a non-code object, as the two layouts of one 3.13 run ended it
const segv: Outcome = { experiment: 'F', crash: 'killed by SIGSEGV' };
const assertion: Outcome = { experiment: 'F', crash: "killed by SIGABRT: Assertion `size < INT_MAX/sizeof(PyObject *)' failed" };
const evalRun = (f: Outcome): Outcome[] => [{ experiment: 'R', line: evalR }, { experiment: 'S', line: evalS }, f];

// 3.11's PyImport_GetImporter returns None, whose count moves with the layout: the record reads only its steps
const noneR = (base: number): RepeatRun => ({ exp: 'R', null: [0, 0, 0], err: [0, 0, 0], same: 1, argIndex: -1, rc: [base, base + 2, base + 4] });
const noneS = (base: number): OnceRun => ({ exp: 'S', err: 0, iret: null, retMode: 1, retNull: 0, retArg: -1, retRcCall: base - 163, retRcClear: 4711, retHolders: 363, retReleased: 1, params: [{ b: 2, a: 2, c: 2, hb: 0, hc: 0 }] });
const getImporter = plan('PyImport_GetImporter', 'PyObject *', [['PyObject *', 'path']]);

describe('agreedRecord', () => {
  it('records the measurement, with no skips, when the layouts agree', () => {
    const probe = agreedRecord(append, [appendRun, structuredClone(appendRun)]);
    expect(probe).toMatchObject({ name: 'PyList_Append', status: 'ok', errors: { value: 'minus-one-with-exception' } });
    expect(probe.params.map((p) => p.value)).toEqual(['borrowed', 'borrowed']);
    expect(probe.skips).toBeUndefined();
  });
  it('compares what the record reads: counts of a shared object that move with the layout are no disagreement', () => {
    const run = (base: number): Outcome[] => [{ experiment: 'R', line: noneR(base) }, { experiment: 'S', line: noneS(base) }];
    const probe = agreedRecord(getImporter, [run(4053), run(4029)]);
    expect(probe.skips).toBeUndefined();
    expect(probe.returns?.value).toBe('new');
  });
  it('leaves out a failing call that crashed differently in the two layouts, and keeps the succeeding side', () => {
    const probe = agreedRecord(evalCode, [evalRun(segv), evalRun(assertion)]);
    expect(probe.skips).toEqual([{ experiment: 'F', reason: UNDEFINED_BEHAVIOUR }]);
    expect(probe.crashes).toBeUndefined();
    expect(probe.params.map((p) => [p.value, p.failure])).toEqual([['borrowed', null], ['borrowed', null], ['borrowed', null]]);
    expect(probe.errors).toBeUndefined();
  });
  it('leaves out a failing call that crashed in one layout and returned in the other', () => {
    const probe = agreedRecord(append, [appendRun, [appendRun[0]!, segv]]);
    expect(probe.skips).toEqual([{ experiment: 'F', reason: UNDEFINED_BEHAVIOUR }]);
    expect(probe.params.map((p) => [p.value, p.failure])).toEqual([['borrowed', null], ['borrowed', null]]);
    expect(probe.errors).toBeUndefined();
  });
  it('a changed ownership on the failing side is a disagreement', () => {
    const released: OnceRun = { ...appendF, params: [appendF.params[0]!, { b: 2, a: 2, c: 1, hb: 0, hc: 0 }] };
    expect(agreedRecord(append, [appendRun, [appendRun[0]!, { experiment: 'F', line: released }]]).skips).toEqual([{ experiment: 'F', reason: UNDEFINED_BEHAVIOUR }]);
  });
  it('leaves R out with S: both make the same call, so when one varies the other agreed by luck', () => {
    const otherS: OnceRun = { ...evalS, retHolders: 12, retRcClear: 14 };
    const probe = agreedRecord(evalCode, [evalRun(segv), [{ experiment: 'R', line: { ...evalR, rc: [5, 7, 9] } }, { experiment: 'S', line: otherS }, segv]]);
    expect(probe).toMatchObject({ status: 'crash', reason: 'killed by SIGSEGV', crashes: [{ experiment: 'F', how: 'killed by SIGSEGV' }] });
    expect(probe.skips).toEqual([{ experiment: 'R', reason: UNDEFINED_BEHAVIOUR }, { experiment: 'S', reason: UNDEFINED_BEHAVIOUR }]);
  });
  it('keeps out an experiment the record before saw vary, though both layouts agree this time', () => {
    const recorded = agreedRecord(append, [appendRun, [appendRun[0]!, segv]]);
    const again = agreedRecord(append, [appendRun, structuredClone(appendRun)], recordedVaried(append, recorded));
    expect(again).toEqual(recorded);
    expect(again.skips).toEqual([{ experiment: 'F', reason: UNDEFINED_BEHAVIOUR }]);
  });
  it('forgets what varied once the failing call is another one: a new plan is measured afresh', () => {
    const recorded = agreedRecord(append, [appendRun, [appendRun[0]!, segv]]);
    const otherFailure: ProbePlan = { ...append, failure: 'override' };
    expect(recordedVaried(otherFailure, recorded)).toEqual([]);
    expect(recordedVaried(append, undefined)).toEqual([]);
    expect(agreedRecord(otherFailure, [appendRun, structuredClone(appendRun)], recordedVaried(otherFailure, recorded)).skips).toBeUndefined();
  });
  it('records a crash both layouts agree on as a crash', () => {
    const probe = agreedRecord(evalCode, [evalRun(segv), evalRun(segv)]);
    expect(probe.crashes).toEqual([{ experiment: 'F', how: 'killed by SIGSEGV' }]);
    expect(probe.skips).toBeUndefined();
  });
  it('a probe none of whose experiments agreed is skipped, with the reason', () => {
    const other: OnceRun = { ...appendS, params: [appendS.params[0]!, { b: 2, a: 3, c: 3, hb: 0, hc: 0 }] };
    const probe = agreedRecord(append, [appendRun, [{ experiment: 'S', line: other }, segv]]);
    expect(probe).toEqual({ name: 'PyList_Append', status: 'skipped', reason: UNDEFINED_BEHAVIOUR, failure: append.failure, params: [], skips: [
      { experiment: 'S', reason: UNDEFINED_BEHAVIOUR }, { experiment: 'F', reason: UNDEFINED_BEHAVIOUR },
    ] });
  });
});

describe('crashDescription', () => {
  it('keeps the signal and the assertion, without addresses', () => {
    const stderr = "python3.13d: ../Objects/tupleobject.c:42: PyTuple_New: Assertion `size < INT_MAX/sizeof(PyObject *)' failed.\nat 0x7ffff7c5e000";
    expect(crashDescription({ signal: 'SIGABRT', code: null, timedOut: false, stderr })).toBe("killed by SIGABRT: Assertion `size < INT_MAX/sizeof(PyObject *)' failed");
    expect(crashDescription({ signal: 'SIGSEGV', code: null, timedOut: false, stderr: '' })).toBe('killed by SIGSEGV');
    expect(crashDescription({ signal: 'SIGKILL', code: null, timedOut: true, stderr: '' })).toBe('timed out');
  });
});
