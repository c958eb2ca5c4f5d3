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

export const Audit = z
  .object({
    versions: z.array(MinorVersion),
    counts: z
      .record(MinorVersion, z.object({ entries: z.number().int(), measured: z.number().int(), apis: z.number().int() }).strict())
      .describe('Per version: disagreements, how many of them a runtime measurement settles, and how many APIs they touch.'),
    entries: z.array(AuditEntry).describe('Sorted by version, name and field.'),
  })
  .strict()
  .describe('data/audit.json: every disagreement among refcounts.dat, the docs annotation, the docs prose and the runtime probes.');
export type Audit = z.infer<typeof Audit>;
