import { describe, expect, it } from 'vitest';
import { planProbe, type ProbePlan } from '../../scripts/probes/arguments.ts';
import type { OnceRun, RepeatRun } from '../../scripts/probes/classify.ts';
import { agreeingOutcomes, crashDescription, probeRecord, UNDEFINED_BEHAVIOUR, type Outcome } from '../../scripts/probes/outcomes.ts';

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
const hashS: OnceRun = { exp: 'S', err: 0, iret: 8796084319006, retMode: 0, retNull: 1, retArg: -1, retRcCall: 0, retRcClear: 0, retHolders: 0, retReleased: 0, params: [{ b: 2, a: 2, c: 2, hb: 0, hc: 0 }] };

const append = plan('PyList_Append', 'int', [['PyObject *', 'list'], ['PyObject *', 'item']]);
const evalCode = plan('PyEval_EvalCode', 'PyObject *', [['PyObject *', 'co'], ['PyObject *', 'globals'], ['PyObject *', 'locals']]);
const appendRun: Outcome[] = [{ experiment: 'S', line: appendS }, { experiment: 'F', line: appendF }];
// PyEval_EvalCode's call on a non-code object, as the two layouts of one 3.13 run ended it
const segv: Outcome = { experiment: 'F', crash: 'killed by SIGSEGV' };
const assertion: Outcome = { experiment: 'F', crash: "killed by SIGABRT: Assertion `size < INT_MAX/sizeof(PyObject *)' failed" };
const evalRun = (f: Outcome): Outcome[] => [{ experiment: 'R', line: evalR }, { experiment: 'S', line: evalS }, f];

describe('agreeingOutcomes', () => {
  it('keeps every outcome the layouts gave alike', () => {
    expect(agreeingOutcomes([appendRun, structuredClone(appendRun)])).toEqual({ outcomes: appendRun, varied: [] });
  });
  it('drops a failing call that crashed differently in the two layouts, and keeps the succeeding side', () => {
    const agreement = agreeingOutcomes([evalRun(segv), evalRun(assertion)]);
    expect(agreement.varied).toEqual(['F']);
    expect(agreement.outcomes.map((o) => o.experiment)).toEqual(['R', 'S']);
  });
  it('drops a failing call that crashed in one layout and returned in the other', () => {
    expect(agreeingOutcomes([appendRun, [appendRun[0]!, { experiment: 'F', crash: 'killed by SIGSEGV' }]]).varied).toEqual(['F']);
  });
  it('a changed count is a different outcome', () => {
    const moved: OnceRun = { ...appendF, params: [appendF.params[0]!, { b: 2, a: 2, c: 1, hb: 0, hc: 0 }] };
    expect(agreeingOutcomes([appendRun, [appendRun[0]!, { experiment: 'F', line: moved }]]).varied).toEqual(['F']);
  });
  it('drops R with S: both make the same call, so when one varies the other agreed by luck', () => {
    const otherS: OnceRun = { ...evalS, retHolders: 12 };
    const agreement = agreeingOutcomes([evalRun(segv), [{ experiment: 'R', line: evalR }, { experiment: 'S', line: otherS }, segv]]);
    expect(agreement).toEqual({ outcomes: [segv], varied: ['R', 'S'] });
  });
  it('ignores a scalar return of a call that raised nothing (a hash or an address), not one that raised', () => {
    const hashed = (iret: number): Outcome[] => [{ experiment: 'S', line: { ...hashS, iret } }];
    expect(agreeingOutcomes([hashed(8796084319006), hashed(8796084309857)]).varied).toEqual([]);
    const raised = (iret: number): Outcome[] => [{ experiment: 'F', line: { ...appendF, iret } }];
    expect(agreeingOutcomes([raised(-1), raised(0)]).varied).toEqual(['F']);
  });
  it('an experiment only one layout reached varied', () => {
    expect(agreeingOutcomes([appendRun, [appendRun[0]!]]).varied).toEqual(['F']);
  });
});

describe('probeRecord', () => {
  it('records the measurement, with no skips, when the layouts agree', () => {
    const probe = probeRecord(append, agreeingOutcomes([appendRun, appendRun]));
    expect(probe).toMatchObject({ name: 'PyList_Append', status: 'ok', errors: { value: 'minus-one-with-exception' } });
    expect(probe.params.map((p) => p.value)).toEqual(['borrowed', 'borrowed']);
    expect(probe.skips).toBeUndefined();
  });
  it('keeps the succeeding side of a probe whose failing call varied, and the skip with its reason', () => {
    const probe = probeRecord(evalCode, agreeingOutcomes([evalRun(segv), evalRun(assertion)]));
    expect(probe.skips).toEqual([{ experiment: 'F', reason: UNDEFINED_BEHAVIOUR }]);
    expect(probe.crashes).toBeUndefined();
    expect(probe.params.map((p) => [p.value, p.failure])).toEqual([['borrowed', null], ['borrowed', null], ['borrowed', null]]);
    expect(probe.errors).toBeUndefined();
  });
  it('records a crash both layouts agree on as a crash', () => {
    const probe = probeRecord(evalCode, agreeingOutcomes([evalRun(segv), evalRun(segv)]));
    expect(probe.crashes).toEqual([{ experiment: 'F', how: 'killed by SIGSEGV' }]);
    expect(probe.skips).toBeUndefined();
  });
  it('a probe none of whose experiments agreed is skipped, with the reason', () => {
    const other: OnceRun = { ...appendS, params: [appendS.params[0]!, { b: 2, a: 3, c: 3, hb: 0, hc: 0 }] };
    const probe = probeRecord(append, agreeingOutcomes([appendRun, [{ experiment: 'S', line: other }, { experiment: 'F', crash: 'killed by SIGSEGV' }]]));
    expect(probe).toEqual({ name: 'PyList_Append', status: 'skipped', reason: UNDEFINED_BEHAVIOUR, failure: append.failure, params: [], skips: [
      { experiment: 'S', reason: UNDEFINED_BEHAVIOUR }, { experiment: 'F', reason: UNDEFINED_BEHAVIOUR },
    ] });
  });
  it('a probe whose only agreed outcomes are crashes is a crash', () => {
    const sCrash: Outcome = { experiment: 'S', crash: 'killed by SIGSEGV' };
    const probe = probeRecord(append, agreeingOutcomes([[sCrash, segv], [sCrash, assertion]]));
    expect(probe).toMatchObject({ status: 'crash', reason: 'killed by SIGSEGV', skips: [{ experiment: 'F', reason: UNDEFINED_BEHAVIOUR }] });
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
