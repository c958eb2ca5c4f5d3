import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_FILE, DATA_DIR } from '../scripts/lib/paths.ts';
import { buildAudit } from '../scripts/lib/build-audit.ts';
import { Audit } from '../src/schema/audit.ts';
import { VersionDataset } from '../src/schema/version-dataset.ts';
import { RuntimeComparison } from '../src/schema/runtime.ts';

const audit = Audit.parse(JSON.parse(readFileSync(AUDIT_FILE, 'utf8')));
const entry = (version: string, name: string, field: string) =>
  audit.entries.find((candidate) => candidate.version === version && candidate.name === name && candidate.field === field);

describe('the audit', () => {
  it("lists refcounts.dat's missed steal with the line to write", () => {
    const listSetItem = entry('3.13', 'PyList_SetItem', 'params.item')!;
    expect(listSetItem.chosen).toBe('stolen');
    // 3.13's own measurement bears the docs out
    expect(listSetItem.values.map((value) => [value.source, value.value])).toEqual([['runtime', 'stolen'], ['docs-prose', 'stolen'], ['refcounts.dat', 'borrowed']]);
    expect(listSetItem.measured).toBe(true);
    expect(listSetItem.correction).toMatch(/give PyList_SetItem's 'item' line the effect -1/);
  });

  it('lists what a runtime measurement settles, and says the measurement is the basis', () => {
    const discard = entry('3.11', 'PySet_Discard', 'params.key')!;
    expect(discard.measured).toBe(true);
    expect(discard.chosen).toBe('borrowed');
    expect(discard.correction).toMatch(/on the measurement\. Correction: in Doc\/data\/refcounts\.dat, give PySet_Discard's 'key' line the effect 0/);
  });

  it('counts per version agree with the entries', () => {
    for (const version of audit.versions) {
      expect(audit.counts[version]!.entries).toBe(audit.entries.filter((e) => e.version === version).length);
    }
  });
});

describe('the audit against the runtime comparison', () => {
  it('lists every 3.11 measurement that contradicts one of CPython\'s own sources', () => {
    const comparison = RuntimeComparison.parse(JSON.parse(readFileSync(path.join(DATA_DIR, 'runtime', '3.11-comparison.json'), 'utf8')));
    const listed = new Set(audit.entries.filter((entry) => entry.version === '3.11').map((entry) => `${entry.name} ${entry.field}`));
    const contradicted = comparison.disagreements.filter((d) => d.sources.some((s) => s.value !== d.runtime && s.source !== 'inference' && s.source !== 'runtime'));
    expect(contradicted.length).toBeGreaterThan(0);
    expect(contradicted.map((d) => `${d.name} ${d.field}`).filter((key) => !listed.has(key))).toEqual([]);
  });
});

describe('the audit: sources and weak values', () => {
  const weak = (version: string, name: string, field: string) => audit.weak.find((w) => w.version === version && w.name === name && w.field === field);

  it('says per version which sources exist: 3.15 has no refcounts.dat to disagree with', () => {
    expect(audit.sources['3.15']).toMatchObject({ refcountsDat: false, runtime: true });
    expect(audit.sources['3.11']).toMatchObject({ refcountsDat: true, runtime: true, stableAbiFile: 'stable_abi.dat' });
    // so what 3.15 sends upstream is only where its own measurement contradicts its docs
    expect(audit.counts['3.15']!.entries).toBe(audit.counts['3.15']!.measured);
  });

  it("lists a value only refcounts.dat's 0 states, a carried one and a guessed error convention, each by its basis", () => {
    // no probe can build the Py_buffer PyBuffer_FillInfo fills, so refcounts.dat's 0 stays the only word on it
    expect(weak('3.13', 'PyBuffer_FillInfo', 'params.exporter')).toMatchObject({ basis: 'refcounts-zero', value: 'borrowed', rule: null });
    expect(weak('3.13', 'PyList_Append', 'params.list')).toBeUndefined();
    // nor in 3.15, which has no refcounts.dat: the value is carried from the version before
    expect(weak('3.15', 'PyBuffer_FillInfo', 'params.exporter')).toMatchObject({ basis: 'carried', rule: 'carried-from-3.14' });
    expect(weak('3.15', 'PyErr_GivenExceptionMatches', 'errors')).toMatchObject({ basis: 'inferred', value: 'cannot-fail', rule: 'type-check' });
    // near misses: a measured value, and one the docs state, are not weak
    expect(weak('3.11', 'PyList_Append', 'params.list')).toBeUndefined();
    expect(weak('3.15', 'PyList_SetItem', 'params.item')).toBeUndefined();
    expect(weak('3.15', 'PyList_Append', 'params.item')).toBeUndefined();
    expect(Object.keys(audit.settle).sort()).toEqual(['carried', 'inferred', 'refcounts-zero']);
  });

  it("names a twin's statement as the basis of a correction, not a measurement", () => {
    // Every version now measures PyStructSequence_SET_ITEM; without its measurement, 3.13's value rests on its twin.
    const v313 = VersionDataset.parse(JSON.parse(readFileSync(path.join(DATA_DIR, 'versions/3.13.json'), 'utf8')));
    const measured = v313.apis.find((api) => api.name === 'PyStructSequence_SET_ITEM')!;
    expect(entry('3.13', 'PyStructSequence_SET_ITEM', 'params.o')!.measured).toBe(true);
    const twinUrl = 'https://docs.python.org/3.13/c-api/tuple.html#c.PyStructSequence_SetItem';
    const unmeasured = {
      ...measured,
      evidence: [...measured.evidence.filter((e) => e.source !== 'runtime'), { field: 'params.o', source: 'inference' as const, value: 'stolen', location: twinUrl, raw: 'expansion' }],
      conflicts: [{ field: 'params.o', chosen: 'stolen', reason: 'its twin is stated to steal it', values: [{ source: 'inference' as const, value: 'stolen' }, { source: 'refcounts.dat' as const, value: 'borrowed' }] }],
    };
    const twin = buildAudit([{ ...v313, apis: [unmeasured] }]).entries.find((e) => e.field === 'params.o')!;
    expect(twin.measured).toBe(false);
    expect(twin.correction).toMatch(/the stated value of the same call under another name \(https:\/\/docs\.python\.org\/3\.13\/c-api\/tuple\.html#c\.PyStructSequence_SetItem\) says stolen/);
    expect(twin.correction).not.toMatch(/on the measurement/);
  });
});
