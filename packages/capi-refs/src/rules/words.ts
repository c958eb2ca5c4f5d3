/** Words shared by the rules' messages: where a reference came from, and from what a borrowed one is borrowed. */
import { alternativesFor, describeAlternative } from '../alternatives.ts';
import type { BorrowOrigin, Made, Step } from '../analysis/engine.ts';
import type { UseKind } from '../analysis/name-uses.ts';
import { getApi } from '../data.ts';
import type { RuleContext } from './rule.ts';

export function madeWords(made: Made, ctx: RuleContext): string {
  const line = ctx.lineOf(made.span.start);
  switch (made.kind) {
    case 'call':
      return `the new reference returned by ${made.api} (line ${line})`;
    case 'out':
      return `the new reference ${made.api} stored (line ${line})`;
    case 'incref':
      return `the strong reference taken by ${made.api} (line ${line})`;
    case 'newref':
      return `the reference made by ${made.api} (line ${line})`;
  }
}

export function originWords(origin: BorrowOrigin, ctx: RuleContext): string {
  switch (origin.kind) {
    case 'api':
      return `a borrowed reference from ${origin.api} (line ${ctx.lineOf(origin.span.start)})`;
    case 'param':
      return `the parameter ${origin.name}, a borrowed reference`;
    case 'static':
      return `${origin.name}, a static object`;
  }
}

export function placeWords(names: readonly string[]): string {
  return names.length > 0 ? `\`${names[0]}\`` : 'it';
}

/** The replacement usable in the target version (or the one that needs a later version), and the words for it. */
export function alternativeWords(name: string, ctx: RuleContext): { usable: string | null; text: string } {
  const lastSeen = ctx.index.apis.has(name) ? undefined : ctx.combined.apis[name]?.lastSeen;
  const alternatives = alternativesFor(name, ctx.index.apis, ctx.python, lastSeen ? getApi(name, lastSeen)?.replacements : undefined);
  const usable = alternatives.find((a) => a.available) ?? null;
  const later = alternatives.find((a) => !a.available) ?? null;
  const text = usable ? ` Use ${describeAlternative(usable)}.` : later ? ` (${later.replacement} needs Python ${later.since ?? 'a later version'}.)` : '';
  return { usable: usable?.replacement ?? null, text };
}

export function useWords(use: UseKind): string {
  return use === 'call' ? '' : use === 'macro-definition' ? ' (in a macro definition)' : ' (used as a function pointer)';
}

/** Where a borrowed reference came from, then where it is misused: the path of a borrowed-reference finding. */
export function borrowPath(origin: BorrowOrigin, last: Step): Step[] {
  return origin.kind === 'api' ? [{ span: origin.span, message: `${origin.api} returns a borrowed reference` }, last] : [last];
}
