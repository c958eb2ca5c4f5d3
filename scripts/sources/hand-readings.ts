/**
 * Reads scripts/sources/hand-readings.toml: the returns and parameters of the few APIs that neither the docs, the
 * headers' declarations nor the macro reader type (X-macros, declaration helpers, float checks), read by hand
 * from their definitions. Pure: text in, readings with their line numbers out.
 */
import { parse as parseToml, TomlError } from 'smol-toml';
import { HandReading } from '../../src/schema/hand-reading.ts';
import { SourceError } from '../lib/errors.ts';

export interface LocatedHandReading extends HandReading {
  /** file:line of the entry's [name] header. */
  location: string;
}

export function parseHandReadings(text: string, file: string): Map<string, LocatedHandReading> {
  let table: Record<string, unknown>;
  try {
    table = parseToml(text);
  } catch (cause) {
    const line = cause instanceof TomlError ? `:${cause.line}` : '';
    throw new SourceError(`${file}${line}`, `is not valid TOML (${(cause as Error).message.split('\n')[0]})`, 'Fix the syntax; each entry is a [Name] table with note, returns and params.', { cause });
  }
  const lines = text.split('\n');
  const readings = new Map<string, LocatedHandReading>();
  for (const [name, value] of Object.entries(table)) {
    const line = lines.findIndex((candidate) => candidate.trim() === `[${name}]`) + 1;
    const parsed = HandReading.safeParse(value);
    if (!parsed.success || !/^\w+$/.test(name)) {
      const issue = parsed.success ? { path: [], message: 'the name must be a C identifier' } : parsed.error.issues[0]!;
      throw new SourceError(`${file}:${line}`, `entry [${name}] is not a hand reading at ${issue.path.join('.') || 'its name'}: ${issue.message}`, 'Give note (a sentence), returns and params, each slot one of the values in src/schema/hand-reading.ts.');
    }
    readings.set(name, { ...parsed.data, location: `${file}:${line}` });
  }
  return readings;
}
