/**
 * Measures how often each inference rule, and carrying values across versions, gives the value the runtime
 * probes measure: the dataset is rebuilt without the probes, and every value a rule gave is compared with the
 * measurement of the same field.
 *
 *   npm run measure:inference
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { RuntimeProbes } from '../src/schema/runtime.ts';
import { runStage } from './lib/cli.ts';
import { DATA_DIR } from './lib/paths.ts';
import { scrapeSnapshot } from './lib/scrape-snapshot.ts';

await runStage(async () => {
  const runtime = RuntimeProbes.parse(JSON.parse(await readFile(path.join(DATA_DIR, 'runtime', '3.11.json'), 'utf8')));
  const measured = new Map<string, string>();
  for (const probe of runtime.probes) {
    if (probe.returns?.value) measured.set(`${probe.name} returns`, probe.returns.value);
    for (const param of probe.params) if (param.value) measured.set(`${probe.name} params.${param.name}`, param.value);
  }
  const dataset = (await scrapeSnapshot({ withoutRuntime: true })).find((candidate) => candidate.version === runtime.version)!;
  const tally = new Map<string, { agree: number; disagree: number; wrong: string[] }>();
  for (const api of dataset.apis) {
    for (const evidence of api.evidence) {
      if (evidence.source !== 'inference') continue;
      const truth = measured.get(`${api.name} ${evidence.field}`);
      if (truth === undefined) continue;
      const rule = evidence.raw?.startsWith('carried-from-') ? 'carried' : (evidence.raw ?? '?');
      const row = tally.get(rule) ?? { agree: 0, disagree: 0, wrong: [] };
      if (truth === evidence.value) row.agree++;
      else {
        row.disagree++;
        row.wrong.push(`${api.name} ${evidence.field}: rule ${evidence.value}, measured ${truth}`);
      }
      tally.set(rule, row);
    }
  }
  console.log(`Inference rules against the runtime probes of CPython ${runtime.python.version} (${runtime.version}, ${measured.size} measured fields)\n`);
  console.log('| rule | measured fields it filled | agree | disagree | accuracy |\n|---|---|---|---|---|');
  for (const [rule, { agree, disagree }] of [...tally].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(`| ${rule} | ${agree + disagree} | ${agree} | ${disagree} | ${((100 * agree) / (agree + disagree)).toFixed(1)}% |`);
  }
  for (const [rule, { wrong }] of tally) if (wrong.length > 0) console.log(`\n${rule} disagreements:\n  ${wrong.join('\n  ')}`);
});
