import { z } from 'zod';
import { ApiName } from './api.ts';
import { EvidenceSource, OwnershipField } from './evidence.ts';
import { MinorVersion } from './version.ts';

export const AuditValue = z
  .object({
    source: EvidenceSource,
    value: z.string(),
    location: z.string().describe('Where the source says it: file:line, docs URL with anchor, or the runtime results file.'),
    raw: z.string().optional().describe("The source's own token (a refcounts.dat effect, the prose rule, the measurement in words)."),
  })
  .strict();

export const AuditEntry = z
  .object({
    version: MinorVersion,
    name: ApiName,
    field: OwnershipField,
    docsUrl: z.url().nullable().describe('null for an API the docs do not describe (the disagreement is then between refcounts.dat and the runtime).'),
    chosen: z.string().describe('The value the dataset keeps.'),
    measured: z.boolean().describe('Whether a runtime measurement is among the values: the strongest kind of disagreement.'),
    values: z.array(AuditValue).min(2).describe('What each source says, in order of trust.'),
    correction: z.string().describe('The disagreement in words, with the correction to make upstream, ready to send.'),
  })
  .strict();
export type AuditEntry = z.infer<typeof AuditEntry>;

export const WeakBasis = z
  .enum(['refcounts-zero', 'carried', 'inferred'])
  .describe(
    "refcounts-zero: only refcounts.dat's 0 (no count change) says it, which is also what the file writes for many steals it misses; " +
      "carried: no source of this version says it, another version's source does; inferred: one of this project's rules (rule names it).",
  );
export type WeakBasis = z.infer<typeof WeakBasis>;

export const WeakValue = z
  .object({
    version: MinorVersion,
    name: ApiName,
    field: OwnershipField,
    value: z.string().describe('The value the dataset states.'),
    basis: WeakBasis,
    rule: z.string().nullable().describe("For inferred and carried: the rule, as the evidence's raw names it (carried-from-X.Y for carried)."),
  })
  .strict();
export type WeakValue = z.infer<typeof WeakValue>;

export const VersionSources = z
  .object({
    docsPages: z.number().int().describe('Docs pages read.'),
    headers: z.number().int().describe('Header files read.'),
    refcountsDat: z.boolean(),
    stableAbiFile: z.enum(['stable_abi.dat', 'stable_abi.toml']).nullable().describe('The Stable ABI file the version has, if any.'),
    runtime: z.boolean().describe('Whether runtime probes measured this version.'),
  })
  .strict();

export const Audit = z
  .object({
    versions: z.array(MinorVersion),
    sources: z.record(MinorVersion, VersionSources).describe('Per version: which sources exist, so that a count of 0 disagreements can be read (3.15 has no refcounts.dat to disagree with).'),
    weak: z.array(WeakValue).describe('Every ownership value and error convention that rests on one weak source, sorted by version, name and field.'),
    settle: z.record(WeakBasis, z.string()).describe('For each basis, what would settle such a value.'),
    counts: z
      .record(MinorVersion, z.object({ entries: z.number().int(), measured: z.number().int(), apis: z.number().int() }).strict())
      .describe('Per version: disagreements, how many of them a runtime measurement settles, and how many APIs they touch.'),
    entries: z.array(AuditEntry).describe('Sorted by version, name and field.'),
  })
  .strict()
  .describe('data/audit.json: every disagreement among refcounts.dat, the docs annotation, the docs prose and the runtime probes, and every value that rests on one weak source.');
export type Audit = z.infer<typeof Audit>;
