import { z } from 'zod';
import { Conflict, Evidence } from './evidence.ts';
import { Confidence, ParamOwnership, ReturnOwnership } from './ownership.ts';
import { StableAbi } from './stable-abi.ts';
import { ThreadSafety } from './thread-safety.ts';
import { PythonVersion } from './version.ts';

export const ApiKind = z
  .enum(['function', 'macro', 'type', 'var', 'struct', 'member', 'enumerator'])
  .describe("The docs' C domain kind.");
export type ApiKind = z.infer<typeof ApiKind>;

export const ApiName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/)
  .describe("The C name; members are 'Struct.member'.");

export const Returns = z
  .object({
    type: z.string().describe("The declared C return type, e.g. 'PyObject *'."),
    ownership: ReturnOwnership,
    confidence: Confidence,
  })
  .strict();

export const Param = z
  .object({
    name: z.string().describe("The parameter's name as the docs give it; '...' for C varargs."),
    type: z.string().describe("The declared C type, e.g. 'PyObject *'; '...' for varargs."),
    ownership: ParamOwnership,
    confidence: Confidence,
  })
  .strict();
export type Param = z.infer<typeof Param>;

export const VersionNote = z.object({ version: PythonVersion }).strict();

export const Deprecation = z
  .object({
    version: PythonVersion,
    removalPlanned: PythonVersion.nullable().describe('The version the docs say it will be removed in, if any.'),
    soft: z.boolean().describe('A soft deprecation: kept, with no removal planned, but new code should not use it.'),
  })
  .strict();

export const Removal = z
  .object({
    version: PythonVersion,
  })
  .strict()
  .describe('The docs still list the API but say it was removed in this version.');

export const Api = z
  .object({
    name: ApiName,
    kind: ApiKind,
    docsUrl: z.url().describe('The docs.python.org page and anchor for this version.'),
    signature: z.string().describe('The C declaration as the docs show it.'),
    returns: Returns.nullable().describe('null for anything that is not called (types, variables, members, object-like macros).'),
    params: z.array(Param).describe("In prototype order; a variadic '...' is a parameter too. Empty when not called."),
    stableAbi: StableAbi.nullable(),
    threadSafety: ThreadSafety.nullable(),
    added: VersionNote.nullable(),
    changed: z.array(VersionNote),
    deprecated: Deprecation.nullable(),
    removed: Removal.nullable(),
    unstable: z.boolean().describe('Part of the Unstable C API (PyUnstable_*): may change in any feature release.'),
    evidence: z.array(Evidence).describe('What each source says about each ownership field.'),
    conflicts: z.array(Conflict).describe('Fields on which sources disagree, and which value was kept.'),
  })
  .strict();
export type Api = z.infer<typeof Api>;
