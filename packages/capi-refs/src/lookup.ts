/** What `capi-refs <Name>` prints: one API in one version, in plain words (text) or as a JSON document. */
import { alternativesFor, describeAlternative, type Alternative } from './alternatives.ts';
import { CONFIDENCE_WORDS, ERROR_WORDS, PARAM_WORDS, RETURN_WORDS, freeWords, lenderWords, stableAbiWords, threadSafetyWords } from './ownership-words.ts';
import { isDeprecated, isRemoved, type VersionIndex } from './query.ts';
import type { Api, Confidence, Param, ParamOwnership } from './types.ts';

export interface LookupResult {
  readonly name: string;
  readonly version: string;
  readonly kind: Api['kind'];
  readonly signature: string;
  readonly returns: (NonNullable<Api['returns']> & { readonly words: string }) | null;
  readonly params: readonly (Param & { readonly words: string })[];
  readonly steals: readonly string[];
  readonly stableAbi: { readonly value: Api['stableAbi']; readonly recorded: boolean; readonly words: string };
  readonly threadSafety: { readonly value: Api['threadSafety']; readonly recorded: boolean; readonly words: string };
  readonly added: string | null;
  readonly deprecated: Api['deprecated'];
  readonly removed: Api['removed'];
  readonly unstable: boolean;
  readonly alternatives: readonly Alternative[];
  readonly conflicts: Api['conflicts'];
  /** null for a public name the docs of this version do not describe. */
  readonly docsUrl: string | null;
  readonly errors: Api['errors'];
  readonly documented: boolean;
  /** Where this version's public headers declare it. */
  readonly header: Api['header'];
  /** Every dataset version that has the name. */
  readonly versions: readonly string[];
}

function withConfidence(words: string, confidence: Confidence): string {
  const remark = CONFIDENCE_WORDS[confidence];
  return remark ? `${words} [${remark}]` : words;
}

export function lookupResult(api: Api, index: VersionIndex, versions: readonly string[]): LookupResult {
  return {
    name: api.name,
    version: index.version,
    kind: api.kind,
    signature: api.signature,
    returns: api.returns && { ...api.returns, words: withConfidence(RETURN_WORDS[api.returns.ownership], api.returns.confidence) },
    params: api.params.map((p) => ({ ...p, words: withConfidence(PARAM_WORDS[p.ownership as ParamOwnership], p.confidence) })),
    steals: api.params.filter((p) => p.ownership === 'stolen' || p.ownership === 'stolen-on-success').map((p) => p.name),
    stableAbi: { value: api.stableAbi, recorded: index.coverage.stableAbi, words: stableAbiWords(api.stableAbi, index.coverage.stableAbi) },
    threadSafety: {
      value: api.threadSafety,
      recorded: index.coverage.threadSafety,
      words: threadSafetyWords(api.threadSafety?.level ?? null, index.coverage.threadSafety),
    },
    added: api.added?.version ?? null,
    deprecated: api.deprecated,
    removed: api.removed,
    unstable: api.unstable,
    alternatives: alternativesFor(api.name, index.apis, index.version),
    conflicts: api.conflicts,
    docsUrl: api.docsUrl,
    errors: api.errors,
    documented: api.documented,
    header: api.header,
    versions,
  };
}

export function formatLookup(r: LookupResult): string {
  const lines: string[] = [];
  lines.push(`${r.name} — ${r.kind}, Python ${r.version}${r.unstable ? ' (Unstable C API)' : ''}`);
  lines.push(`  ${r.signature}`, '');
  if (r.returns) lines.push(`Returns:       ${r.returns.words}`);
  if (r.returns?.borrowedFrom) lines.push(`Lives:         ${lenderWords(r.returns.borrowedFrom)}`);
  if (r.returns?.freeWith) lines.push(`Free:          ${freeWords(r.returns.freeWith)}`);
  if (r.errors) lines.push(`Errors:        ${withConfidence(ERROR_WORDS[r.errors.convention], r.errors.confidence)}`);
  if (r.params.length > 0) {
    lines.push('Parameters:');
    const width = Math.max(...r.params.map((p) => p.name.length));
    for (const p of r.params) lines.push(`  ${p.name.padEnd(width)}  ${p.words}`);
  }
  if (r.steals.length > 0) lines.push(`Steals:        ${r.steals.join(', ')}`);
  lines.push(`Stable ABI:    ${r.stableAbi.words}`);
  lines.push(`Thread safety: ${r.threadSafety.words}`);
  if (r.added) lines.push(`Added in:      ${r.added}`);
  if (r.deprecated) {
    const removal = r.deprecated.removalPlanned ? `, removal planned in ${r.deprecated.removalPlanned}` : '';
    lines.push(`Deprecated:    ${r.deprecated.soft ? 'soft-deprecated' : 'deprecated'} since ${r.deprecated.version}${removal}`);
  }
  if (r.removed) lines.push(`Removed:       in ${r.removed.version}`);
  if (r.alternatives.length > 0) {
    lines.push('Safer alternative:');
    for (const a of r.alternatives) lines.push(`  ${describeAlternative(a)}${a.available ? '' : ` — not available in ${r.version}`}`);
  }
  if (r.conflicts.length > 0) lines.push(`Sources disagree on: ${r.conflicts.map((c) => `${c.field} (kept ${c.chosen})`).join(', ')}`);
  lines.push(`In versions:   ${r.versions.join(', ')}`);
  if (r.header) lines.push(`Header:        ${r.header.file}:${r.header.line}`);
  lines.push(`Docs:          ${r.docsUrl ?? `not in the docs of ${r.version}: a public name of the headers, with no documented promise`}`);
  return lines.join('\n');
}

export { isDeprecated, isRemoved };
