import { describe, expect, it } from 'vitest';
import { describeDrift } from '../../scripts/probes/drift.ts';

// The shape of data/runtime/X.Y.json, cut to what a drift can touch.
const recorded = {
  version: '3.13',
  python: { version: '3.13.18' },
  summary: { attempted: 740, ok: 605 },
  probes: [
    {
      name: 'PyList_Append', status: 'ok', failure: 'wrong type for list',
      params: [
        { name: 'list', value: 'borrowed', success: 'kept', failure: 'kept', detail: 'on success: kept the caller’s reference; on failure: kept the caller’s reference' },
        { name: 'item', value: 'borrowed', success: 'kept', failure: 'kept', detail: 'on success: kept the caller’s reference; on failure: kept the caller’s reference' },
      ],
      errors: { value: 'minus-one-with-exception', detail: 'the call built to fail (wrong type for list) raised and returned -1' },
    },
    { name: 'PyEval_EvalCode', status: 'ambiguous', params: [], crashes: [{ experiment: 'F', how: 'killed by SIGSEGV' }] },
  ],
};

describe('describeDrift', () => {
  it('says nothing when nothing moved', () => {
    expect(describeDrift(recorded, structuredClone(recorded))).toEqual([]);
  });
  it('names the probe, the parameter and both values of a changed ownership', () => {
    const measured = structuredClone(recorded);
    measured.probes[0]!.params[1]!.value = 'stolen';
    expect(describeDrift(recorded, measured)).toEqual(['PyList_Append.params.item.value: "borrowed" → "stolen"']);
  });
  it('names a changed error convention, a changed crash and a new skip', () => {
    const measured = structuredClone(recorded) as typeof recorded & { probes: { skips?: unknown }[] };
    measured.probes[0]!.errors!.value = 'null-with-exception';
    measured.probes[1]!.crashes![0]!.how = 'killed by SIGABRT';
    measured.probes[1]!.skips = [{ experiment: 'F', reason: 'undefined behaviour: outcome varies between runs' }];
    expect(describeDrift(recorded, measured)).toEqual([
      'PyList_Append.errors.value: "minus-one-with-exception" → "null-with-exception"',
      'PyEval_EvalCode.crashes.F.how: "killed by SIGSEGV" → "killed by SIGABRT"',
      'PyEval_EvalCode.skips.F.experiment: absent → "F"',
      'PyEval_EvalCode.skips.F.reason: absent → "undefined behaviour: outcome varies between runs"',
    ]);
  });
  it('keys probes by name, so one probe more does not shift the others', () => {
    const measured = structuredClone(recorded);
    measured.probes.unshift({ name: 'PyList_New', status: 'skipped', params: [] } as unknown as (typeof measured.probes)[number]);
    expect(describeDrift(recorded, measured)).toEqual(['PyList_New.name: absent → "PyList_New"', 'PyList_New.status: absent → "skipped"']);
  });
  it('names a changed build and summary outside the probes', () => {
    const measured = structuredClone(recorded);
    measured.python.version = '3.13.19';
    measured.summary.ok = 604;
    expect(describeDrift(recorded, measured)).toEqual(['python.version: "3.13.18" → "3.13.19"', 'summary.ok: 605 → 604']);
  });
});
