import { z } from 'zod';
import { ApiName } from './api.ts';
import { EvidenceSource } from './evidence.ts';
import { ErrorConvention } from './errors.ts';
import { ParamOwnership, ReturnOwnership } from './ownership.ts';
import { MinorVersion } from './version.ts';

/** What a call did with the caller's reference to one argument, as measured. */
export const RuntimeEffect = z
  .enum(['kept', 'released', 'over-released', 'added'])
  .describe(
    "kept: the caller's reference survived the call; released: the call took it over; over-released: more than one " +
      'reference went; added: the call kept extra references the probe could not find.',
  );

export const RuntimeParam = z
  .object({
    name: z.string(),
    value: ParamOwnership.nullable().describe('The ownership the measurements show; null when they do not settle it.'),
    success: RuntimeEffect.nullable().describe('What a call that succeeded did with the reference (null: not measured).'),
    failure: RuntimeEffect.nullable().describe('What a call that failed did with it (null: not measured).'),
    detail: z.string().describe('The measurements behind the value, in words.'),
  })
  .strict();

export const RuntimeReturn = z
  .object({
    value: ReturnOwnership.nullable().describe('new or borrowed as measured; null when the measurements do not settle it.'),
    detail: z.string(),
  })
  .strict();

export const RuntimeProbe = z
  .object({
    name: ApiName,
    status: z
      .enum(['ok', 'ambiguous', 'crash', 'skipped'])
      .describe(
        'ok: every measured field has a value; ambiguous: some do not; crash: the child process died; skipped: not called, ' +
          'or no experiment gave the same outcome twice (see skips).',
      ),
    reason: z.string().optional().describe('Why it was skipped, or how it crashed.'),
    failure: z.string().nullable().optional().describe('How the failing call was made (null: none attempted).'),
    note: z.string().optional().describe('How the probe called it, where that decides the answer (a format string, say).'),
    returns: RuntimeReturn.optional().describe('Only for functions returning an object.'),
    params: z.array(RuntimeParam).describe('The object parameters (PyObject *, PyObject **) that were measured.'),
    errors: z
      .object({
        value: ErrorConvention.nullable().describe('The indicator the call built to fail returned with its exception; null when it raised nothing or returned something else.'),
        detail: z.string(),
      })
      .strict()
      .optional()
      .describe('How the call built to fail reported its failure; only where a failing call was attempted and the function returns a value.'),
    crashes: z
      .array(z.object({ experiment: z.enum(['R', 'S', 'F']), how: z.string() }).strict())
      .optional()
      .describe('Experiments whose process died (R: repeated calls, S: succeeding call, F: failing call).'),
    skips: z
      .array(z.object({ experiment: z.enum(['R', 'S', 'F']), reason: z.string() }).strict())
      .optional()
      .describe(
        'Experiments left out of the measurement, with why: one whose outcome differed between two runs in differently ' +
          'laid-out processes depends on memory the call was not given (undefined behaviour), not on the function.',
      ),
  })
  .strict();
export type RuntimeProbe = z.infer<typeof RuntimeProbe>;

export const RuntimePython = z
  .object({
    version: z.string().describe('The exact CPython release probed, e.g. 3.11.2.'),
    build: z.literal('debug'),
    implementation: z.string(),
    compiler: z.string(),
    platform: z.string(),
    executable: z.string(),
  })
  .strict();
export type RuntimePython = z.infer<typeof RuntimePython>;

export const RuntimePackage = z
  .object({
    name: z.string().describe('The Debian package name, e.g. python3.15-dbg.'),
    version: z.string().describe('The Debian version that was unpacked; the next run asks apt for exactly this one.'),
    sha256: z.string().regex(/^[0-9a-f]{64}$/).describe('The SHA-256 of the .deb file; a download with another hash fails the run.'),
    size: z.number().int().describe('The .deb file size in bytes.'),
  })
  .strict();
export type RuntimePackage = z.infer<typeof RuntimePackage>;

export const RuntimeProbes = z
  .object({
    version: MinorVersion,
    python: RuntimePython.describe('The CPython build the probes ran against.'),
    debian: z
      .object({
        suite: z.string().describe('The Debian suite the packages came from.'),
        packages: z.array(RuntimePackage).describe('Every package unpacked into the build root, sorted by name: the pins.'),
      })
      .strict()
      .describe('The Debian packages the build was unpacked from, pinned: interpreter, headers, stdlib and C libraries.'),
    summary: z.record(z.string(), z.number().int()).describe('How many probes ended in each status.'),
    probes: z.array(RuntimeProbe).describe('One per documented function of the version, sorted by name.'),
  })
  .strict()
  .describe('data/runtime/X.Y.json: ownership measured by running each C-API function on a real CPython debug build.');
export type RuntimeProbes = z.infer<typeof RuntimeProbes>;

export const RuntimeComparison = z
  .object({
    version: MinorVersion,
    bySource: z
      .record(z.string(), z.object({ agree: z.number().int(), disagree: z.number().int() }).strict())
      .describe('Per evidence source: fields where the source and the runtime value agree or not.'),
    withChosen: z
      .object({ agree: z.number().int(), disagree: z.number().int() })
      .strict()
      .describe("Fields where the dataset's current value and the runtime value agree or not."),
    disagreements: z
      .array(
        z
          .object({
            name: ApiName,
            field: z.string(),
            runtime: z.union([ParamOwnership, ReturnOwnership]),
            sources: z.array(z.object({ source: EvidenceSource, value: z.string() }).strict()).describe('What each source of the dataset says.'),
            chosen: z.string().describe("The dataset's current value."),
          })
          .strict(),
      )
      .describe("Every field where some source, or the dataset's current value, disagrees with the runtime value."),
    errors: z
      .object({
        bySource: z
          .record(z.string(), z.object({ agree: z.number().int(), disagree: z.number().int() }).strict())
          .describe('Per evidence source: error conventions the measured failure bears out or not (-1 with an exception also bears out "-1 may be a value").'),
        disagreements: z
          .array(
            z
              .object({
                name: ApiName,
                runtime: ErrorConvention,
                sources: z.array(z.object({ source: EvidenceSource, value: z.string() }).strict()),
                chosen: z.string(),
              })
              .strict(),
          )
          .describe('Every API whose stated or inferred error convention the measured failure contradicts.'),
      })
      .strict()
      .describe('The same comparison for error conventions, from the call each probe built to fail.'),
  })
  .strict()
  .describe('data/runtime/X.Y-comparison.json: the runtime values against each source of the dataset.');
export type RuntimeComparison = z.infer<typeof RuntimeComparison>;
