/** Reads scripts/sources/pythoncapi-compat.json, the manifest of what pythoncapi-compat provides (read-pythoncapi-compat.ts writes it). */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CompatManifest } from '../../src/schema/compat.ts';
import { SourceError } from './errors.ts';
import { COMPAT_MANIFEST_FILE, REPO_ROOT } from './paths.ts';

export async function readCompatManifest(file = COMPAT_MANIFEST_FILE): Promise<CompatManifest> {
  const where = path.relative(REPO_ROOT, file);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new SourceError(where, `cannot be read as JSON (${(error as Error).message})`, 'Rewrite it with npm run read:pythoncapi-compat -- --repo DIR.', { cause: error });
  }
  const parsed = CompatManifest.safeParse(json);
  if (!parsed.success) throw new SourceError(where, `is not a pythoncapi-compat manifest: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, 'Rewrite it with npm run read:pythoncapi-compat -- --repo DIR.');
  return parsed.data;
}
