/**
 * What a rule is: an id, a default level, the words that document it (with a wrong and a right example), and a
 * function from what the analysis saw in one file to findings. Rules judge; they never walk the code themselves.
 */
import type { FunctionAnalysis, Observation, Step } from '../analysis/engine.ts';
import type { Span } from '../analysis/expressions.ts';
import type { NameUse, UseKind } from '../analysis/name-uses.ts';
import type { UnitAnalysis } from '../analysis/translation-unit.ts';
import type { CheckerIndex } from '../checker-facts.ts';
import type { CombinedDataset } from '../types.ts';

export type Level = 'error' | 'warning' | 'note';

export interface RuleMeta {
  readonly id: string;
  /** PascalCase, for SARIF's rule name. */
  readonly name: string;
  readonly summary: string;
  readonly help: string;
  readonly defaultLevel: Level;
  /** Reported only with --explain: it describes correct code, it does not find a bug. */
  readonly explainOnly: boolean;
  /** A minimal case the rule reports, and the same code written right. */
  readonly example: { readonly wrong: string; readonly right: string };
}

/** What a rule reports, before positions become lines and columns. */
export interface RuleFinding {
  readonly span: Span;
  readonly message: string;
  readonly api: string | null;
  readonly level?: Level;
  readonly use?: UseKind;
  readonly replacement?: string | null;
  /** The steps that lead to the problem, first to last (the last is where it is reported). */
  readonly path?: readonly Step[];
  /** Other places where the same problem shows (the same reference lost on other paths). */
  readonly related?: readonly Step[];
}

export interface RuleContext {
  readonly python: string;
  readonly index: CheckerIndex;
  readonly combined: CombinedDataset;
  readonly source: string;
  readonly unit: UnitAnalysis;
  readonly uses: readonly NameUse[];
  /** 1-based line of an offset, for messages that point at another line. */
  lineOf(offset: number): number;
}

/** What a per-name rule needs to know to say which names it is about. */
export type WatchContext = Pick<RuleContext, 'python' | 'index' | 'combined'>;

export interface Rule {
  readonly meta: RuleMeta;
  check(ctx: RuleContext): Iterable<RuleFinding>;
  /**
   * For a rule that reads `ctx.uses`: whether uses of this name can give a finding for the target. The checker
   * looks up only the names some enabled rule watches: finding every use of every API in a large file costs
   * more than the rest of the analysis of most files.
   */
  watches?(name: string, ctx: WatchContext): boolean;
}

/** Every observation of one type the engine made in the file, with the function it was made in. */
export function* observationsOf<T extends Observation['type']>(
  ctx: RuleContext,
  type: T,
): Generator<{ readonly fn: FunctionAnalysis; readonly o: Extract<Observation, { type: T }> }> {
  for (const fn of ctx.unit.functions) {
    for (const o of fn.observations) if (o.type === type) yield { fn, o: o as Extract<Observation, { type: T }> };
  }
}

/**
 * One finding per reference: the same reference lost on several paths is one bug, reported where it is first
 * lost, with the other places that lose it (as clang's analyzer reports one leak per allocation site).
 */
export function firstPerReference<T extends { readonly made: { readonly span: Span }; readonly at: Span }>(
  items: readonly { readonly fn: FunctionAnalysis; readonly o: T }[],
): { readonly fn: FunctionAnalysis; readonly o: T; readonly others: readonly T[] }[] {
  const groups = new Map<string, { fn: FunctionAnalysis; all: T[] }>();
  for (const item of items) {
    const key = `${item.fn.fn.name}:${item.o.made.span.start}`;
    const group = groups.get(key);
    if (group) group.all.push(item.o);
    else groups.set(key, { fn: item.fn, all: [item.o] });
  }
  return [...groups.values()].map(({ fn, all }) => {
    const [first, ...others] = [...all].sort((a, b) => a.at.start - b.at.start);
    return { fn, o: first!, others };
  });
}

/** The other places a reference is lost, as related locations. */
export function alsoLost(others: readonly { readonly at: Span }[]): Step[] {
  return others.map((o) => ({ span: o.at, message: 'the same reference is lost here too' }));
}

/**
 * The words that end a leak's message: how many other paths lose it, and the lower stakes of a leak on the
 * failure path of a module's initialization (a note: it happens once, when the import fails anyway).
 */
export function leakContext(fnName: string, leak: { readonly onFailure: boolean }, others: readonly unknown[], ctx: RuleContext): { suffix: string; level?: Level } {
  const more = others.length > 0 ? ` (and on ${others.length} other path${others.length > 1 ? 's' : ''})` : '';
  if (!ctx.unit.moduleInit.has(fnName) || !leak.onFailure) return { suffix: more };
  return { suffix: `${more}; this path is a failed module import, so it leaks at most once`, level: 'note' };
}
