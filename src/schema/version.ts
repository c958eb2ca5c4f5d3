import { z } from 'zod';

export const PythonVersion = z
  .string()
  .regex(/^\d+\.\d+(\.\d+)?$/)
  .describe("A Python version, 'X.Y' (or 'X.Y.Z' where the docs name a bug-fix release).");

export const MinorVersion = z.string().regex(/^3\.\d+$/).describe("A Python feature release, 'X.Y'.");
