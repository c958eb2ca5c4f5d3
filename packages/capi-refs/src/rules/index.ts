/** Every rule, in the order the docs list them: ownership rules first, then the per-name ones, then explanations. */
import { rule as borrowedReturn } from './borrowed-return.ts';
import { rule as deallocMissingMember } from './dealloc-missing-member.ts';
import { rule as deprecatedApi } from './deprecated-api.ts';
import { rule as discardedReference } from './discarded-reference.ts';
import { rule as doubleRelease } from './double-release.ts';
import { rule as errorHidingCall } from './error-hiding-call.ts';
import { rule as extraIncref } from './extra-incref.ts';
import { rule as memberOverwrite } from './member-overwrite.ts';
import { rule as referenceLeak } from './reference-leak.ts';
import { rule as releaseAfterSteal } from './release-after-steal.ts';
import { rule as releaseBeforeStore } from './release-before-store.ts';
import { rule as releaseOfBorrowed } from './release-of-borrowed.ts';
import { rule as releaseOfNull } from './release-of-null.ts';
import { rule as removedApi } from './removed-api.ts';
import { rule as returnsBorrowed } from './returns-borrowed.ts';
import { rule as stealOfBorrowed } from './steal-of-borrowed.ts';
import { rule as stealOnSuccessLeak } from './steal-on-success-leak.ts';
import { rule as stealsArgument } from './steals-argument.ts';
import { rule as traverseMissingMember } from './traverse-missing-member.ts';
import { rule as useAfterRelease } from './use-after-release.ts';
import type { Rule } from './rule.ts';

export const ALL_RULES: readonly Rule[] = [
  referenceLeak,
  discardedReference,
  stealOnSuccessLeak,
  extraIncref,
  releaseOfBorrowed,
  stealOfBorrowed,
  doubleRelease,
  releaseOfNull,
  useAfterRelease,
  releaseAfterSteal,
  returnsBorrowed,
  releaseBeforeStore,
  memberOverwrite,
  deallocMissingMember,
  traverseMissingMember,
  deprecatedApi,
  removedApi,
  errorHidingCall,
  borrowedReturn,
  stealsArgument,
];

/** The ids a project's settings may name. */
export const RULE_IDS: ReadonlySet<string> = new Set(ALL_RULES.map((rule) => rule.meta.id));
