import { z } from 'zod';
import { ApiName } from './api.ts';
import { MinorVersion } from './version.ts';

export const Symptom = z
  .enum(['leak', 'crash', 'use-after-free', 'wrong-result', 'race', 'hidden-error'])
  .describe('What goes wrong when the mistake is made.');
export type Symptom = z.infer<typeof Symptom>;

const VersionRange = z
  .object({
    from: MinorVersion.nullable().describe('First version the text applies to; null for all earlier ones too.'),
    to: MinorVersion.nullable().describe('Last version it applies to; null for all later ones too.'),
  })
  .strict();

/** Front matter of content/pitfalls/*.mdx. */
export const Pitfall = z
  .object({
    title: z.string().min(1),
    summary: z.string().min(1).max(300).describe('One or two sentences, in our own words.'),
    symptoms: z.array(Symptom).min(1),
    rule: z.string().min(1).describe('The ownership rule the mistake breaks, in a short phrase.'),
    apis: z.array(ApiName).min(1).describe('APIs involved; the build fails if one is not in the dataset.'),
    versions: VersionRange,
    examples: z.array(z.string().regex(/^[a-z0-9-]+$/)).default([]).describe('Slugs of content/examples/<slug>/ that show it.'),
  })
  .strict();
export type Pitfall = z.infer<typeof Pitfall>;

/** Front matter of content/examples/<slug>/index.mdx. */
export const Example = z
  .object({
    title: z.string().min(1),
    summary: z.string().min(1).max(300),
    symptom: Symptom.describe('What the wrong version does.'),
    apis: z.array(ApiName).min(1),
    pitfalls: z.array(z.string().regex(/^[a-z0-9-]+$/)).default([]).describe('Slugs of the pitfalls it illustrates.'),
    versions: VersionRange,
  })
  .strict();
export type Example = z.infer<typeof Example>;
