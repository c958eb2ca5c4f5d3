/** data/audit.json, validated, for the audit pages. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Audit } from '../../schema/audit.ts';
import { DATA_DIR } from './paths.ts';

export async function readAudit(): Promise<Audit> {
  return Audit.parse(JSON.parse(await readFile(path.join(DATA_DIR, 'audit.json'), 'utf8')));
}
