/**
 * Which C-API calls real extension code makes most: counts `Name(` for every function and macro of a version in
 * the C files under the given folders (CPython's own Modules/ from Debian's source package, the heads of the
 * checker benchmark's repositories), and writes the names with their counts to
 * tests/fixtures/snippets/most-used.json, the list whose snippets the tests run under the debug build. The counted
 * sources are read, not kept.
 *
 *   npm run count:api-calls -- --python 3.11 --top 150 DIR...
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { getVersion } from '../packages/capi-refs/src/data.ts';
import { runStage, writeOrCheck } from './lib/cli.ts';
import { stableJson } from './lib/json-output.ts';
import { REPO_ROOT } from './lib/paths.ts';

export const MOST_USED_FILE = path.join(REPO_ROOT, 'tests/fixtures/snippets/most-used.json');

const { values, positionals } = parseArgs({ allowPositionals: true, options: { python: { type: 'string', default: '3.11' }, top: { type: 'string', default: '150' } } });

async function cFiles(dir: string, out: string[] = []): Promise<string[]> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) await cFiles(p, out);
    else if (/\.(c|h)$/.test(entry.name)) out.push(p);
  }
  return out;
}

await runStage(async () => {
  const index = getVersion(values.python);
  const counts = new Map<string, number>();
  for (const dir of positionals) {
    for (const file of await cFiles(dir)) {
      for (const m of (await readFile(file, 'utf8')).matchAll(/\b(_?Py[A-Za-z0-9_]*)\s*\(/g)) {
        if (index.apis.has(m[1]!)) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
      }
    }
  }
  // Every name, with a snippet or not: the test says why one without a snippet is not run.
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const top = ranked.slice(0, Number(values.top)).map(([name, calls]) => ({ name, calls }));
  const doc = { generated: `by scripts/count-api-calls.ts over ${positionals.map((d) => path.basename(path.resolve(d))).join(', ')}; do not edit`, python: values.python, apis: top };
  await writeOrCheck(new Map([[MOST_USED_FILE, stableJson(doc)]]), false, 'tests/fixtures/snippets/most-used.json');
  console.error(`wrote tests/fixtures/snippets/most-used.json: ${top.length} names, ${top.at(-1)?.calls} calls or more each`);
});
