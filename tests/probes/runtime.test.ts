/**
 * Against the real CPython 3.11 debug build (Debian python3.11-dbg at the version data/runtime/3.11.json pins, fetched
 * into .cache/python-builds/ on first use): the generated C compiles as an extension module, unknown functions are
 * dropped with a reason, and a handful of well-known APIs measure as CPython's source says they behave.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { planProbe, type ProbePlan } from '../../scripts/probes/arguments.ts';
import { classifyProbe, type OnceRun, type RepeatRun } from '../../scripts/probes/classify.ts';
import { ensurePythonBuild, type PythonBuild } from '../../scripts/probes/python-build.ts';
import { compileRunner, describePython, runChild, type Layout } from '../../scripts/probes/run.ts';
import { probeVersion } from '../../scripts/probe-runtime.ts';
import { RuntimeProbes, type RuntimeProbe } from '../../src/schema/runtime.ts';

const PINS = RuntimeProbes.parse(JSON.parse(readFileSync(path.join(import.meta.dirname, '../../data/runtime/3.11.json'), 'utf8'))).debian.packages;
let build: PythonBuild;
let extSuffix: string;
beforeAll(async () => {
  build = await ensurePythonBuild('3.11', { pins: PINS, log: () => {} });
  extSuffix = describePython(build.layout, '3.11').extSuffix;
}, 300_000);

function compile(plans: ProbePlan[], dir: string) {
  return compileRunner(plans, dir, build.layout, '3.11', extSuffix);
}

function plan(name: string, returns: string, params: [string, string][]): ProbePlan {
  const result = planProbe({ name, returns: { type: returns }, params: params.map(([type, n]) => ({ type, name: n })) });
  if (!result.ok) throw new Error(result.reason);
  return result.plan;
}

describe('the generated runner', () => {
  it('compiles with -Wall, drops what the headers do not declare and runs one probe per process', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'capi-refs-probe-test-'));
    try {
      const compiled = compile([
        plan('PyList_Append', 'int', [['PyObject *', 'list'], ['PyObject *', 'item']]),
        plan('PyObject_NotInCPython', 'PyObject *', [['PyObject *', 'o']]),
      ], dir);
      expect(compiled.plans.map((p) => p.name)).toEqual(['PyList_Append']);
      expect(compiled.rejected.get('PyObject_NotInCPython')).toBe("not declared by this platform's 3.11 headers");
      const run = await runChild(compiled.runner, ['PyList_Append', 'S', 'F']);
      expect(run.code).toBe(0);
      expect(run.lines).toHaveLength(2);
      // a crash is a result: the child dies, the parent reads what it printed before
      const crash = await runChild(compiled.runner, ['PyList_Append', 'S', 'no-such-experiment']);
      expect(crash.signal).toBe('SIGABRT');
      expect(crash.lines).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the process layouts', () => {
  it('repeat an address in the same layout and move it in the other, so that a read past an object can be told', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'capi-refs-probe-test-'));
    try {
      // where the probe's fresh argument lies: what a call reading past its object depends on
      const address = { ...plan('PyList_Append', 'int', [['PyObject *', 'list'], ['PyObject *', 'item']]), name: 'Fake_Address', call: 'A->hasIret = 1; A->iret = (long long)(uintptr_t)A->o[1]' };
      const { runner } = compile([address], dir);
      const iret = async (layout: Layout) => ((await runChild(runner, ['Fake_Address', 'S'], layout)).lines[0] as OnceRun).iret;
      const first = await iret(0);
      expect(first).toBeGreaterThan(0);
      expect(await iret(0)).toBe(first);
      expect(await iret(1)).not.toBe(first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Known answers: functions written here with a chosen ownership, measured like real ones, must come out as written.
 * They guard the measurement itself against answering 'borrowed' by default.
 */
describe('known-answer probes', () => {
  const list: [string, string][] = [['PyObject *', 'list'], ['PyObject *', 'item']];
  const fakes: ProbePlan[] = [
    { ...plan('PyList_Append', 'int', list), name: 'Fake_StealOnSuccess', call: 'int r = PyList_Append(A->o[0], A->o[1]); if (r == 0) Py_DECREF(A->o[1]); A->hasIret = 1; A->iret = r' },
    { ...plan('PyList_Append', 'int', list), name: 'Fake_AlwaysSteal', call: 'int r = PyList_Append(A->o[0], A->o[1]); Py_DECREF(A->o[1]); A->hasIret = 1; A->iret = r' },
    { ...plan('PyList_Append', 'int', list), name: 'Fake_Borrow', call: 'A->hasIret = 1; A->iret = PyList_Append(A->o[0], A->o[1])' },
    { ...plan('PyObject_Repr', 'PyObject *', [['PyObject *', 'o']]), name: 'Fake_NewRefToArgument', call: 'A->ret = Py_NewRef(A->o[0])' },
    { ...plan('PyObject_Repr', 'PyObject *', [['PyObject *', 'o']]), name: 'Fake_BorrowedAttribute', call: 'PyObject *v = PyObject_GetAttrString(A->o[0], "attr"); if (v) Py_DECREF(v); A->ret = v' },
    { ...plan('PyObject_Repr', 'PyObject *', [['PyObject *', 'o']]), name: 'Fake_FreshNew', call: 'A->ret = PyList_New(0)' },
  ];
  const verdicts = new Map<string, ReturnType<typeof classifyProbe>>();
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'capi-refs-probe-test-'));
    try {
      const compiled = compile(fakes, dir);
      expect(compiled.rejected.size).toBe(0);
      for (const fake of fakes) {
        const experiments = [...(fake.returnsObject ? ['R'] : []), 'S', ...(fake.failure ? ['F'] : [])];
        const run = await runChild(compiled.runner, [fake.name, ...experiments]);
        const runs: { R?: RepeatRun; S?: OnceRun; F?: OnceRun } = {};
        for (const line of run.lines as (RepeatRun | OnceRun)[]) (runs as Record<string, unknown>)[line.exp] = line;
        verdicts.set(fake.name, classifyProbe(fake, runs));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  const item = (name: string) => verdicts.get(name)?.params.find((p) => p.name === 'item')?.value;
  it('tells borrowed, stolen and stolen-on-success apart', () => {
    expect(item('Fake_Borrow')).toBe('borrowed');
    expect(item('Fake_AlwaysSteal')).toBe('stolen');
    expect(item('Fake_StealOnSuccess')).toBe('stolen-on-success');
  });
  it('tells a new reference from a borrowed one, for existing and fresh objects', () => {
    expect(verdicts.get('Fake_NewRefToArgument')?.returns?.value).toBe('new');
    expect(verdicts.get('Fake_NewRefToArgument')?.params[0]?.value).toBe('borrowed');
    expect(verdicts.get('Fake_BorrowedAttribute')?.returns?.value).toBe('borrowed');
    expect(verdicts.get('Fake_FreshNew')?.returns?.value).toBe('new');
  });
});

describe('probes of well-known APIs on CPython 3.11 (debug build)', () => {
  const names = ['PyList_GetItem', 'PyList_SetItem', 'PyList_Append', 'PyModule_AddObject', 'PyDict_GetItem',
    'PyObject_GetAttrString', 'PyErr_Restore', 'PyErr_Fetch', 'PyBytes_Concat', 'PyTuple_SetItem', 'PySet_Discard'];
  const byName = new Map<string, RuntimeProbe>();
  beforeAll(async () => {
    const workDir = mkdtempSync(path.join(tmpdir(), 'capi-refs-probe-test-'));
    const { output } = await probeVersion({ version: '3.11', only: names, jobs: 2, workDir, log: () => {} });
    for (const probe of output.probes) byName.set(probe.name, probe);
    expect(output.python).toMatchObject({ build: 'debug', implementation: 'cpython' });
    expect(output.python.version).toMatch(/^3\.11\./);
  });
  const param = (api: string, name: string) => byName.get(api)?.params.find((p) => p.name === name);

  it('PyList_GetItem and PyDict_GetItem return borrowed references', () => {
    expect(byName.get('PyList_GetItem')?.returns?.value).toBe('borrowed');
    expect(byName.get('PyDict_GetItem')?.returns?.value).toBe('borrowed');
  });
  it('PyObject_GetAttrString returns a new reference', () => {
    expect(byName.get('PyObject_GetAttrString')?.returns?.value).toBe('new');
  });
  it('PyList_SetItem steals the item, also when the index is out of range', () => {
    expect(param('PyList_SetItem', 'item')).toMatchObject({ value: 'stolen', success: 'released', failure: 'released' });
    expect(param('PyList_SetItem', 'list')?.value).toBe('borrowed');
  });
  it('PyList_Append borrows the item', () => {
    expect(param('PyList_Append', 'item')?.value).toBe('borrowed');
  });
  it('PyModule_AddObject steals the value only on success', () => {
    expect(param('PyModule_AddObject', 'value')).toMatchObject({ value: 'stolen-on-success', success: 'released', failure: 'kept' });
  });
  it('PyErr_Restore steals all three; PyErr_Fetch hands out three new references', () => {
    expect(byName.get('PyErr_Restore')?.params.map((p) => p.value)).toEqual(['stolen', 'stolen', 'stolen']);
    expect(byName.get('PyErr_Fetch')?.params.map((p) => p.value)).toEqual(['out-new', 'out-new', 'out-new']);
  });
  it('PyBytes_Concat releases the left operand and stores a new bytes object: in-out', () => {
    expect(param('PyBytes_Concat', 'bytes')?.value).toBe('in-out');
    expect(param('PyBytes_Concat', 'newpart')?.value).toBe('borrowed');
  });
  it('PyTuple_SetItem steals the item; PySet_Discard borrows the key (refcounts.dat says -1)', () => {
    expect(param('PyTuple_SetItem', 'o')?.value).toBe('stolen');
    expect(param('PySet_Discard', 'key')?.value).toBe('borrowed');
  });
});
