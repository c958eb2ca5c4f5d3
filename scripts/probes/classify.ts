/**
 * Pure: raw measurements of the runner → ownership values in the dataset's vocabulary, with the numbers that led
 * there. Inconclusive measurements give `null` and say why; nothing is guessed.
 *
 * For an object argument the probe records its count before the call (b), and after it released every reference
 * it could account for (c), together with how many GC-tracked objects still refer to it then and before (hc, hb:
 * holders it could not clear, such as sys.__dict__). The caller's own reference is gone iff
 * (c - hc) - (b - hb) = -1, kept iff 0.
 */
import type { ErrorConvention } from '../../src/schema/errors.ts';
import type { ParamOwnership, ReturnOwnership } from '../../src/schema/ownership.ts';
import type { ProbePlan } from './arguments.ts';

export interface RepeatRun {
  exp: 'R';
  null: number[];
  err: number[];
  same: number;
  argIndex: number;
  rc: number[];
}

export interface ParamRun {
  b: number;
  a: number;
  c: number;
  hb: number;
  hc: number;
  outNull?: number;
  outIsOld?: number;
  outRc?: number;
  outHolders?: number;
}

export interface OnceRun {
  exp: 'S' | 'F';
  err: number;
  /** A scalar return as a number (a pointer return: -1 for NULL, 0 otherwise); null for void and object returns. */
  iret: number | null;
  retMode: number;
  retNull: number;
  retArg: number;
  retRcCall: number;
  retRcClear: number;
  retHolders: number;
  retReleased: number;
  params: (ParamRun | null)[];
}

export type Effect = 'kept' | 'released' | 'over-released' | 'added';

export interface ParamVerdict {
  name: string;
  value: ParamOwnership | null;
  /** What a call that succeeded / failed did with the caller's reference (null: not measured). */
  success: Effect | null;
  failure: Effect | null;
  detail: string;
}

export interface ReturnVerdict {
  value: ReturnOwnership | null;
  detail: string;
}

export interface ProbeVerdict {
  status: 'ok' | 'ambiguous';
  returns?: ReturnVerdict;
  params: ParamVerdict[];
  errors?: ErrorVerdict;
}

/** The caller's reference after the call: -1 released, 0 kept, else odd. */
export function callerDelta(m: ParamRun): number {
  return m.c - m.hc - (m.b - m.hb);
}

function effect(delta: number): Effect {
  return delta === 0 ? 'kept' : delta === -1 ? 'released' : delta < -1 ? 'over-released' : 'added';
}

/** `alwaysNull`: a function whose job is to raise (PyErr_*), for which NULL on every call is its answer. */
export function classifyReturn(repeat: RepeatRun | undefined, once: OnceRun | undefined, alwaysNull = false): ReturnVerdict {
  if (repeat && repeat.same) {
    const [r0 = 0, r1 = 0, r2 = 0] = repeat.rc;
    const d1 = r1 - r0 - 1;
    const d2 = r2 - r1 - 1;
    if (d1 === d2 && (d1 === 0 || d1 === 1)) {
      return {
        value: d1 === 1 ? 'new' : 'borrowed',
        detail: `the same object on three calls, its count ${d1 === 1 ? 'one higher after each' : 'unchanged by each'} call`,
      };
    }
    // the probe's own Py_INCREF after each call does not show either: the count of an immortal object (3.12+) is fixed
    if (r0 === r1 && r1 === r2) return { value: null, detail: 'the same immortal object on three calls: its count never moves, so new and borrowed look alike' };
    return { value: null, detail: `the same object on three calls, but its count changed by ${d1} then ${d2}` };
  }
  if (alwaysNull && repeat && repeat.null.every((n) => n === 1) && repeat.err.every((e) => e === 1)) {
    return { value: 'always-null', detail: 'NULL with an exception set on each of three calls' };
  }
  if (!once) return { value: null, detail: 'no successful call to measure' };
  if (once.retNull) {
    return { value: null, detail: once.err ? 'the call raised an exception and returned NULL' : 'the call returned NULL without an exception' };
  }
  if (once.retArg >= 0) return { value: null, detail: 'returned one of its arguments, and not the same object on repeated calls' };
  const owned = once.retRcClear - 1 - once.retHolders; // minus the probe's witness and the holders it could not clear
  if (owned === 1) {
    return { value: 'new', detail: 'a fresh object on each call; once the arguments were released only the caller\u2019s reference kept it' };
  }
  if (owned === 0) {
    return { value: 'borrowed', detail: 'a fresh object kept alive by an argument: released with it, the caller held no reference' };
  }
  return { value: null, detail: `a fresh object on each call with ${unaccounted(owned)}` };
}

/** Past this many, the references are an object the whole interpreter shares (None, a small int, an interned string). */
const SHARED_OBJECT_REFERENCES = 100;

/**
 * References the probe cannot account for, in words. Beyond any count a live object reaches, the number is an
 * immortal object's fixed count (3.12+) or a word read from something that is not an object at all, which differs
 * from run to run: it is not printed, so the results stay reproducible. A shared object's count is not printed
 * either: it moves with whatever the runner itself holds (3.11's None went from 4,339 to 4,340 when the runner
 * gained a helper).
 */
function unaccounted(owned: number): string {
  if (owned > 1_000_000_000) return 'a count no live object reaches (an immortal object, or not an object)';
  if (owned > SHARED_OBJECT_REFERENCES) return `more than ${SHARED_OBJECT_REFERENCES} references unaccounted for (an object the interpreter shares)`;
  return `${owned} references unaccounted for`;
}

function describe(e: Effect): string {
  return { kept: 'kept the caller\u2019s reference', released: 'took the caller\u2019s reference', 'over-released': 'released more than one reference', added: 'kept extra references the probe could not find' }[e];
}

/** Why a function has no failure to report, when it has none. */
export type NoFailure = 'void' | 'unchecked' | null;

export function classifyParam(name: string, success: ParamRun | null, failure: ParamRun | null, outputOnly: boolean, noFailure: NoFailure = null): ParamVerdict {
  if (outputOnly) {
    // a PyObject ** that starts NULL: what was written there, and does the caller own it
    const m = success;
    if (!m || m.outNull || m.outRc === undefined) return { name, value: null, success: null, failure: null, detail: 'nothing was written to the output' };
    const owned = m.outRc - 1 - (m.outHolders ?? 0);
    if (owned === 1) return { name, value: 'out-new', success: null, failure: null, detail: 'the object written is owned by the caller alone (count minus holders is 1)' };
    if (owned === 0) return { name, value: 'out-borrowed', success: null, failure: null, detail: 'the object written is kept alive by others; the caller holds no reference' };
    return { name, value: null, success: null, failure: null, detail: `the object written has ${unaccounted(owned)}` };
  }
  const measured = (r: ParamRun | null): r is ParamRun => r !== null && r.b >= 0; // b < 0: no witness, not measurable
  const s = measured(success) ? effect(callerDelta(success)) : null;
  const f = measured(failure) ? effect(callerDelta(failure)) : null;
  const both = `on success: ${s ? describe(s) : 'not measured'}; on failure: ${f ? describe(f) : 'not measured'}`;
  let value: ParamOwnership | null = null;
  if (success?.outIsOld !== undefined) {
    // in-out PyObject **: the old value's reference is released and a new object put in its place
    const replaced = !success.outIsOld && !success.outNull;
    if (s === 'released' && replaced) value = 'in-out';
    else if (s === 'kept' && success.outIsOld) value = 'in-out';
    const unmeasured = s === null ? '; the call needs the only reference to the old object, so the probe could not keep one to measure' : '';
    return { name, value, success: s, failure: f, detail: `${both}; the output ${replaced ? 'was replaced' : success.outIsOld ? 'still holds the same object' : 'was set to NULL'}${unmeasured}` };
  }
  if (s === 'kept' && (f === 'kept' || f === null)) value = 'borrowed';
  else if (s === 'released' && f === 'released') value = 'stolen';
  else if (s === 'released' && f === 'kept') value = 'stolen-on-success';
  else if (s === null && f === 'released') value = 'stolen';
  else if (s === 'released' && f === null && noFailure) value = 'stolen';
  const why = { void: 'the function returns void', unchecked: 'it checks no errors' };
  const note = s === 'released' && f === null ? (noFailure ? ` (${why[noFailure]}: it has no failure to report)` : ' (stolen or stolen-on-success)') : '';
  return { name, value, success: s, failure: f, detail: both + note };
}

/**
 * Whether a call failed: it raised and returned its error value (NULL, or -1 for a scalar). Functions whose job is to
 * raise (PyErr_*) never count as failed: an exception set is their success.
 */
export function callFailed(plan: ProbePlan, run: OnceRun): boolean {
  if (!run.err || plan.name.startsWith('PyErr_')) return false;
  if (plan.returnsObject) return run.retNull === 1;
  if (run.iret !== null) return run.iret === -1;
  return true;
}

export interface ErrorVerdict {
  value: ErrorConvention | null;
  detail: string;
}

/**
 * How the call built to fail reported it: the indicator it returned with an exception set. A call that raised
 * nothing proves nothing (it may not have failed, or it suppressed the error), so it gives null.
 */
export function classifyErrors(plan: ProbePlan, failed: OnceRun | undefined): ErrorVerdict | undefined {
  if (!failed || plan.failure === null || plan.name.startsWith('PyErr_') || plan.returnType === 'void') return undefined;
  const how = `the call built to fail (${plan.failure})`;
  if (!failed.err) return { value: null, detail: `${how} raised no exception: it did not fail, or it cleared the error` };
  if (plan.returnsObject || plan.returnType.endsWith('*')) {
    const isNull = plan.returnsObject ? failed.retNull === 1 : failed.iret === -1;
    return isNull ? { value: 'null-with-exception', detail: `${how} raised and returned NULL` } : { value: null, detail: `${how} raised but returned a value` };
  }
  if (failed.iret === -1) return { value: 'minus-one-with-exception', detail: `${how} raised and returned -1` };
  if (failed.iret === 0) return { value: 'zero-with-exception', detail: `${how} raised and returned 0` };
  return { value: null, detail: `${how} raised and returned ${failed.iret}` };
}

/** Classifies one probe from its runs: the success side from the call that succeeded, the failure side from the one that failed. */
export function classifyProbe(plan: ProbePlan, runs: { R?: RepeatRun; S?: OnceRun; F?: OnceRun }): ProbeVerdict {
  const success = runs.S && !callFailed(plan, runs.S) ? runs.S : undefined;
  const failed = runs.F && callFailed(plan, runs.F) ? runs.F : runs.S && callFailed(plan, runs.S) ? runs.S : undefined;
  const params: ParamVerdict[] = [];
  plan.params.forEach((p, i) => {
    if (p.kind !== 'obj' && p.kind !== 'slot') return;
    if (p.kind === 'obj' && p.value === 'NULL') return; // passed as NULL on purpose: nothing to measure
    const outputOnly = p.kind === 'slot' && p.value === 'NULL';
    const s = success?.params[i] ?? null;
    const f = outputOnly ? null : failed?.params[i] ?? null;
    if (!s && !f && !outputOnly) {
      params.push({ name: p.name, value: null, success: null, failure: null, detail: p.witness ? 'no call completed' : 'not measured: the call needs the only reference to this argument' });
      return;
    }
    params.push(classifyParam(p.name, s, f, outputOnly, plan.returnType === 'void' ? 'void' : plan.unchecked ? 'unchecked' : null));
  });
  const verdict: ProbeVerdict = { status: 'ok', params };
  if (plan.returnsObject) verdict.returns = classifyReturn(runs.R, success, plan.name.startsWith('PyErr_'));
  const errors = classifyErrors(plan, runs.F);
  if (errors) verdict.errors = errors;
  const open = params.some((p) => p.value === null) || (verdict.returns && verdict.returns.value === null);
  verdict.status = open ? 'ambiguous' : 'ok';
  return verdict;
}
