/**
 * The checker on the project's own examples (content/examples/*: a wrong.c and a fixed.c each, leak-checked at
 * run time by npm run measure:examples): an example is told apart when wrong.c has a warning or error and
 * fixed.c has none.
 *
 *   npm run bench:checker-examples [-- --python 3.11] [--verbose]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkContext, checkSource, formatFinding } from '../src/check.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const EXAMPLES = path.join(ROOT, 'content/examples');
const { values } = parseArgs({ options: { python: { type: 'string', default: '3.11' }, verbose: { type: 'boolean', default: false } } });

const ctx = checkContext(values.python!);
let told = 0;
let total = 0;
for (const slug of readdirSync(EXAMPLES).sort()) {
  const dir = path.join(EXAMPLES, slug);
  if (!existsSync(path.join(dir, 'wrong.c'))) continue;
  total++;
  const problems = async (name: string) =>
    (await checkSource(readFileSync(path.join(dir, name), 'utf8'), `${slug}/${name}`, ctx)).filter((f) => f.level !== 'note');
  const wrong = await problems('wrong.c');
  const fixed = await problems('fixed.c');
  const apart = wrong.length > 0 && fixed.length === 0;
  if (apart) told++;
  console.log(`${apart ? 'told apart' : 'not      '}  ${slug}: wrong.c ${wrong.length}, fixed.c ${fixed.length}`);
  if (values.verbose) for (const f of [...wrong, ...fixed]) console.log(`    ${formatFinding(f).split('\n')[0]}`);
}
console.log(`\n${told} of ${total} examples told apart (Python ${values.python})`);
