import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { HAND_READINGS_FILE, REPO_ROOT } from './paths.ts';
import { parseHandReadings, type LocatedHandReading } from '../sources/hand-readings.ts';

/** The repository's hand readings, with locations relative to the repository so the dataset does not depend on where it was made. */
export async function readHandReadings(): Promise<Map<string, LocatedHandReading>> {
  return parseHandReadings(await readFile(HAND_READINGS_FILE, 'utf8'), path.relative(REPO_ROOT, HAND_READINGS_FILE).split(path.sep).join('/'));
}
