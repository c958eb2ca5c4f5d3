/**
 * Pure: what a probe's experiments gave in each process layout → the probe's record in data/runtime/X.Y.json.
 *
 * Every probe runs its experiments in two process layouts (run.ts, LAYOUTS). A call on the wrong arguments may
 * read memory that is not its object, and what it finds there follows the process's layout; the same call then
 * crashes in one checkout and returns in another. An experiment on which the layouts' records do not agree is no
 * measurement of the function: it is left out, and the record keeps it as a skip with its reason.
 */
import { isDeepStrictEqual } from 'node:util';
import type { RuntimeProbe } from '../../src/schema/runtime.ts';
import type { ProbePlan } from './arguments.ts';
import { classifyProbe, type OnceRun, type RepeatRun } from './classify.ts';

/** R: three repeated calls; S: one call built to succeed; F: one call built to fail. */
export type Experiment = 'R' | 'S' | 'F';

/** What one experiment gave in one process: the line it printed, or how the process died while it ran. */
export type Outcome = { experiment: 'R'; line: RepeatRun } | { experiment: 'S' | 'F'; line: OnceRun } | { experiment: Experiment; crash: string };

export const UNDEFINED_BEHAVIOUR = 'undefined behaviour: outcome varies between runs';

/** The experiments a plan runs, in the order one process runs them. */
export function experimentsOf(plan: ProbePlan): Experiment[] {
  const list: Experiment[] = [];
  if (plan.returnsObject) list.push('R');
  list.push('S');
  if (plan.failure) list.push('F');
  return list;
}

/** How a child died, without addresses or other run-to-run noise. */
export function crashDescription(result: { signal: string | null; code: number | null; timedOut: boolean; stderr: string }): string {
  if (result.timedOut) return 'timed out';
  const fatal = /(Assertion [^\n]*failed|Fatal Python error: [^\n]*|[^\n]*negative refcount[^\n]*)/.exec(result.stderr)?.[0];
  const how = result.signal ? `killed by ${result.signal}` : `exit code ${result.code}`;
  return (fatal ? `${how}: ${fatal}` : how).replace(/0x[0-9a-f]+/gi, '0x…').replace(/\s+/g, ' ').slice(0, 300);
}

/** The return mode R settles, handed to S/F when R ran in an earlier process (1 new, 2 borrowed, 0 open). */
export function repeatMode(r: RepeatRun): number {
  if (!r.same) return 0;
  const [a = 0, b = 0, c = 0] = r.rc;
  const d1 = b - a - 1;
  const d2 = c - b - 1;
  return d1 === d2 && d1 === 1 ? 1 : d1 === d2 && d1 === 0 ? 2 : 0;
}

interface Agreement {
  /** The outcomes the record is made of, in the order they ran. */
  outcomes: Outcome[];
  /** The experiments left out because the layouts did not agree on them, in the order they ran. */
  varied: Experiment[];
}

/**
 * What may be left out, fewest experiments first; when none of these agrees, all are. R and S make the same call on
 * the same arguments: when that call depends on memory it was not given, neither measures the function, so they go
 * together.
 */
const LEAVE_OUT: readonly (readonly Experiment[])[] = [[], ['F'], ['R', 'S']];
const EVERY_EXPERIMENT: readonly Experiment[] = ['R', 'S', 'F'];

/**
 * The probe's record from the outcomes of every layout: the record they all give, leaving out as few experiments as
 * it takes for them to agree. Records are compared, not raw lines: the record is what --check compares, and a raw
 * line also holds numbers the record never reads and that move with the layout without any undefined behaviour (the
 * count of None returned by a call, a hash that is an address).
 *
 * `knownVaried`: experiments of this same plan that an earlier measurement saw vary. They stay out: a call that
 * reads memory it was not given agrees across two layouts some of the time, and one more agreement is luck, not a
 * measurement (3.9's PyStructSequence_GetItem past its end agreed in one CI run and not in the run recorded).
 */
export function agreedRecord(plan: ProbePlan, layouts: readonly (readonly Outcome[])[], knownVaried: readonly Experiment[] = []): RuntimeProbe {
  const attempted = new Set(layouts.flat().map((o) => o.experiment));
  const recordsWithout = (left: readonly Experiment[]): RuntimeProbe[] => {
    const varied = EVERY_EXPERIMENT.filter((e) => left.includes(e) && attempted.has(e));
    return layouts.map((outcomes) => probeRecord(plan, { outcomes: outcomes.filter((o) => !left.includes(o.experiment)), varied }));
  };
  const agree = (records: RuntimeProbe[]) => records.every((record) => isDeepStrictEqual(record, records[0]));
  const candidates = LEAVE_OUT.map((l) => EVERY_EXPERIMENT.filter((e) => l.includes(e) || knownVaried.includes(e)));
  const left = candidates.find((l) => agree(recordsWithout(l))) ?? EVERY_EXPERIMENT;
  return recordsWithout(left)[0]!;
}

/** The experiments a recorded probe left out as varied, when it was measured with the same failing call as `plan`. */
export function recordedVaried(plan: ProbePlan, recorded: RuntimeProbe | undefined): Experiment[] {
  if (!recorded || (recorded.failure ?? null) !== plan.failure) return [];
  return (recorded.skips ?? []).filter((skip) => skip.reason === UNDEFINED_BEHAVIOUR).map((skip) => skip.experiment);
}

/** The record of one probe from the outcomes it keeps, and the experiments left out as varied. */
function probeRecord(plan: ProbePlan, agreement: Agreement): RuntimeProbe {
  const runs: { R?: RepeatRun; S?: OnceRun; F?: OnceRun } = {};
  const crashes: { experiment: Experiment; how: string }[] = [];
  for (const outcome of agreement.outcomes) {
    if ('crash' in outcome) crashes.push({ experiment: outcome.experiment, how: outcome.crash });
    else if (outcome.experiment === 'R') runs.R = outcome.line;
    else runs[outcome.experiment] = outcome.line;
  }
  const skips = agreement.varied.map((experiment) => ({ experiment, reason: UNDEFINED_BEHAVIOUR }));
  if (!runs.R && !runs.S && !runs.F && crashes.length === 0) {
    return { name: plan.name, status: 'skipped', reason: UNDEFINED_BEHAVIOUR, failure: plan.failure, params: [], skips };
  }
  // arguments that crash the succeeding call are wrong for the function, so the repeated calls on them prove nothing
  if (crashes.some((c) => c.experiment === 'S')) delete runs.R;
  const verdict = classifyProbe(plan, runs);
  const probe: RuntimeProbe = { name: plan.name, status: verdict.status, failure: plan.failure, params: verdict.params };
  if (verdict.returns) probe.returns = verdict.returns;
  if (verdict.errors) probe.errors = verdict.errors;
  if (plan.note) probe.note = plan.note;
  if (skips.length > 0) probe.skips = skips;
  if (crashes.length > 0) {
    probe.crashes = crashes;
    if (!runs.S && !runs.F && !runs.R) {
      probe.status = 'crash';
      probe.reason = crashes[0]!.how;
    }
  }
  return probe;
}
