/**
 * Reads the per-version datasets of a folder, each validated against the schema.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { VersionDataset } from '../../src/schema/version-dataset.ts';
import { SourceError } from './errors.ts';

export interface ReadOptions {
  /** An empty or missing folder is not an error (the scraper's neighbours may not exist yet). */
  allowNone?: boolean;
  /** Versions not to read (the ones about to be replaced, which an older schema may have written). */
  except?: readonly string[];
}

export async function readVersionDatasets(folder: string, options: ReadOptions = {}): Promise<VersionDataset[]> {
  return readDatasetsAs(folder, VersionDataset, options);
}

/**
 * The datasets of a folder read with a schema of the caller's: a part of the full one (the drift guard's
 * DatasetObjects) reads files an older schema wrote.
 */
export async function readDatasetsAs<Schema extends z.ZodType>(folder: string, schema: Schema, options: ReadOptions = {}): Promise<z.infer<Schema>[]> {
  const files = (await readdir(folder).catch(() => [] as string[]))
    .filter((file) => /^3\.\d+\.json$/.test(file) && !options.except?.includes(file.slice(0, -'.json'.length)))
    .sort();
  if (files.length === 0 && !options.allowNone) {
    throw new SourceError(folder, 'expected per-version datasets named X.Y.json, found none', 'Run npm run scrape first.');
  }
  return Promise.all(
    files.map(async (file) => {
      const location = path.join(folder, file);
      let json: unknown;
      try {
        json = JSON.parse(await readFile(location, 'utf8'));
      } catch (cause) {
        throw new SourceError(location, `is not valid JSON (${(cause as Error).message})`, 'Regenerate it with npm run build:data.', { cause });
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new SourceError(location, `does not match the schema at ${issue.path.join('.')}: ${issue.message}`, 'Regenerate data/ with npm run build:data rather than editing it by hand (a file from an older schema needs the same).');
      }
      return parsed.data as z.infer<Schema>;
    }),
  );
}
