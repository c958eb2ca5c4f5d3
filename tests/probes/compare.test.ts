import { describe, expect, it } from 'vitest';
import { compareWithDataset, type DatasetApi } from '../../scripts/probes/compare.ts';
import type { RuntimeProbe } from '../../src/schema/runtime.ts';

describe('compareWithDataset', () => {
  const api: DatasetApi = {
    name: 'PyList_SetItem',
    returns: { ownership: 'no-object' },
    params: [{ name: 'list', ownership: 'borrowed' }, { name: 'index', ownership: 'no-object' }, { name: 'item', ownership: 'stolen' }],
    errors: { convention: 'minus-one-with-exception' },
    evidence: [
      { field: 'errors', source: 'docs-prose', value: 'minus-one-with-exception' },
      { field: 'errors', source: 'inference', value: 'ambiguous-minus-one' },
      { field: 'params.list', source: 'refcounts.dat', value: 'borrowed' },
      { field: 'params.item', source: 'docs-prose', value: 'stolen' },
      { field: 'params.item', source: 'refcounts.dat', value: 'borrowed' },
    ],
  };
  const probe: RuntimeProbe = {
    name: 'PyList_SetItem', status: 'ok', params: [
      { name: 'list', value: 'borrowed', success: 'kept', failure: 'kept', detail: '' },
      { name: 'item', value: 'stolen', success: 'released', failure: 'released', detail: '' },
    ],
  };
  it('counts agreement per source and against the chosen value, and lists every disagreement', () => {
    const result = compareWithDataset('3.11', [probe], [api]);
    expect(result.bySource).toEqual({ 'refcounts.dat': { agree: 1, disagree: 1 }, 'docs-prose': { agree: 1, disagree: 0 } });
    expect(result.withChosen).toEqual({ agree: 2, disagree: 0 });
    expect(result.disagreements).toEqual([{
      name: 'PyList_SetItem', field: 'params.item', runtime: 'stolen', chosen: 'stolen',
      sources: [{ source: 'docs-prose', value: 'stolen' }, { source: 'refcounts.dat', value: 'borrowed' }],
    }]);
  });
  it('compares error conventions apart, counting -1 with an exception as bearing out "-1 may be a value"', () => {
    const raisedMinusOne: RuntimeProbe = { ...probe, errors: { value: 'minus-one-with-exception', detail: '' } };
    expect(compareWithDataset('3.11', [raisedMinusOne], [api]).errors).toEqual({
      bySource: { 'docs-prose': { agree: 1, disagree: 0 }, inference: { agree: 1, disagree: 0 } },
      disagreements: [],
    });
    const raisedZero: RuntimeProbe = { ...probe, errors: { value: 'zero-with-exception', detail: '' } };
    expect(compareWithDataset('3.11', [raisedZero], [api]).errors.disagreements).toEqual([
      { name: 'PyList_SetItem', runtime: 'zero-with-exception', chosen: 'minus-one-with-exception', sources: [{ source: 'docs-prose', value: 'minus-one-with-exception' }, { source: 'inference', value: 'ambiguous-minus-one' }] },
    ]);
  });
  it('leaves out what the runtime could not settle', () => {
    const open: RuntimeProbe = { ...probe, params: [{ ...probe.params[1]!, value: null }] };
    expect(compareWithDataset('3.11', [open], [api]).withChosen).toEqual({ agree: 0, disagree: 0 });
  });
});
