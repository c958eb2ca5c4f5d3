/**
 * What the language server shows on hover over a C-API name: the lookup's facts (lookup.ts) as Markdown, for the
 * configured target version, with a link to the name's page on the site. Pure.
 */
import { describeAlternative } from '../alternatives.ts';
import { lookupResult, type LookupResult } from '../lookup.ts';
import { ERROR_WORDS, freeWords, lenderWords } from '../ownership-words.ts';
import type { VersionIndex } from '../query.ts';
import type { CombinedDataset } from '../types.ts';

/** The site's address (astro.config.mjs's DEFAULT_SITE_URL; a test keeps them the same). */
export const SITE_URL = 'https://capi-refs.org';

/** The identifier at `offset` of `text` and where it starts, or null when the offset is not on one. */
export function identifierAt(text: string, offset: number): { name: string; start: number } | null {
  const isWord = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  let start = offset;
  while (start > 0 && isWord(text.charCodeAt(start - 1))) start--;
  let end = offset;
  while (end < text.length && isWord(text.charCodeAt(end))) end++;
  if (start === end || (text.charCodeAt(start) >= 48 && text.charCodeAt(start) <= 57)) return null;
  return { name: text.slice(start, end), start };
}

export function pageUrl(name: string, version: string): string {
  return `${SITE_URL}/api/${name}/?v=${version}`;
}

/** Markdown for one lookup result. */
export function hoverMarkdown(r: LookupResult): string {
  const lines: string[] = [];
  lines.push('```c', r.signature, '```', '');
  lines.push(`**${r.name}** — ${r.kind}, Python ${r.version}${r.unstable ? ' (Unstable C API)' : ''}`, '');
  if (r.returns) lines.push(`- **Returns:** ${r.returns.words}`);
  if (r.returns?.borrowedFrom) lines.push(`- **Lives:** ${lenderWords(r.returns.borrowedFrom)}`);
  if (r.returns?.freeWith) lines.push(`- **Free:** ${freeWords(r.returns.freeWith)}`);
  for (const p of r.params) lines.push(`- \`${p.name}\`: ${p.words}`);
  if (r.errors) lines.push(`- **Errors:** ${ERROR_WORDS[r.errors.convention]}`);
  lines.push(`- **Limited API:** ${r.stableAbi.words}`);
  if (r.deprecated) lines.push(`- **Deprecated** since ${r.deprecated.version}${r.deprecated.removalPlanned ? `, removal planned in ${r.deprecated.removalPlanned}` : ''}`);
  if (r.removed) lines.push(`- **Removed** in ${r.removed.version}`);
  const usable = r.alternatives.find((a) => a.available);
  if (usable) lines.push(`- **Instead:** ${describeAlternative(usable)}`);
  lines.push('', `[${r.name} on capi-refs](${pageUrl(r.name, r.version)})${r.docsUrl ? ` · [Python docs](${r.docsUrl})` : ''}`);
  return lines.join('\n');
}

/** The hover for `name` in the target version, or null for a name the dataset does not know there. */
export function hoverFor(name: string, index: VersionIndex, combined: CombinedDataset): string | null {
  const api = index.apis.get(name);
  if (!api) return null;
  return hoverMarkdown(lookupResult(api, index, combined.apis[name]?.versions ?? [index.version]));
}
