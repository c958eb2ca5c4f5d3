import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SourceError } from '../scripts/lib/errors.ts';
import { findStaleFiles, stableJson, writeFilesAtomically } from '../scripts/lib/json-output.ts';

const made: string[] = [];
async function scratch(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'capi-refs-json-'));
  made.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('stableJson', () => {
  it('sorts keys at every depth, keeps array order, drops undefined, ends with a newline', () => {
    const text = stableJson({ b: 1, a: { d: [3, 1], c: undefined, b: null } });
    expect(text).toBe('{\n  "a": {\n    "b": null,\n    "d": [\n      3,\n      1\n    ]\n  },\n  "b": 1\n}\n');
  });
  it('gives the same text whatever order the keys were built in', () => {
    expect(stableJson({ x: 1, y: 2 })).toBe(stableJson({ y: 2, x: 1 }));
  });
});

describe('writeFilesAtomically', () => {
  it('replaces every file and leaves no temporary or backup behind', async () => {
    const dir = await scratch();
    await writeFile(path.join(dir, 'a.json'), 'old a');
    await writeFilesAtomically(new Map([[path.join(dir, 'a.json'), 'new a'], [path.join(dir, 'sub', 'b.json'), 'new b']]));
    expect(await readFile(path.join(dir, 'a.json'), 'utf8')).toBe('new a');
    expect(await readFile(path.join(dir, 'sub', 'b.json'), 'utf8')).toBe('new b');
    expect((await readdir(dir)).sort()).toEqual(['a.json', 'sub']);
  });

  it('changes nothing when one output cannot be written, and says which', async () => {
    const dir = await scratch();
    await writeFile(path.join(dir, 'a.json'), 'old a');
    await mkdir(path.join(dir, 'b.json', 'inside'), { recursive: true });
    const attempt = writeFilesAtomically(new Map([[path.join(dir, 'a.json'), 'new a'], [path.join(dir, 'b.json'), 'new b']]));
    await expect(attempt).rejects.toBeInstanceOf(SourceError);
    await expect(attempt).rejects.toThrow(/b\.json: could not write the output/);
    expect(await readFile(path.join(dir, 'a.json'), 'utf8')).toBe('old a');
    expect((await readdir(dir)).sort()).toEqual(['a.json', 'b.json']);
  });

  it('fails cleanly when the output folder cannot be made', async () => {
    const dir = await scratch();
    await writeFile(path.join(dir, 'blocker'), 'a file where a folder should be');
    await expect(writeFilesAtomically(new Map([[path.join(dir, 'blocker', 'x.json'), '{}']]))).rejects.toThrow(/blocker\/x\.json/);
    expect(await readdir(dir)).toEqual(['blocker']);
  });
});

describe('findStaleFiles', () => {
  it('lists missing and different files, not equal ones', async () => {
    const dir = await scratch();
    await writeFile(path.join(dir, 'same'), 'x');
    await writeFile(path.join(dir, 'different'), 'x');
    const stale = await findStaleFiles(new Map([[path.join(dir, 'same'), 'x'], [path.join(dir, 'different'), 'y'], [path.join(dir, 'missing'), 'z']]));
    expect(stale.map((file) => path.basename(file))).toEqual(['different', 'missing']);
  });
});
