/** The checker's findings as SARIF 2.1.0, the format code-scanning tools (GitHub code scanning and others) accept. */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sarifInvocation } from './run/notices.ts';
import { RULES, type CheckResult, type Finding, type PathStep, type Region, type RuleMeta } from './check.ts';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** Where each rule is documented: the package README gives every rule an anchor `rule-<id>`. */
const README_URI = 'https://www.npmjs.com/package/capi-refs';

/** Names the fingerprint scheme, so a later change of what is hashed can take a new key instead of breaking old alerts. */
export const FINGERPRINT_KEY = 'capiRefs/v1';

/**
 * A URI for artifactLocation.uri: relative to root with forward slashes where the file is under root, a file: URL
 * otherwise. Each path segment is percent-encoded whole: encodeURI would leave `#` and `?`, which a reader then
 * takes for a fragment or a query, and `:` in a first segment would read as a scheme.
 */
function toUri(file: string, root: string): string {
  const rel = path.isAbsolute(file) ? path.relative(root, file) : file;
  const posix = rel.split(path.sep).join('/').replace(/^(\.\/)+/, '');
  if (posix === '..' || posix.startsWith('../') || path.isAbsolute(posix)) return pathToFileURL(path.resolve(root, file)).href;
  return posix.split('/').map(encodeURIComponent).join('/');
}

/** The root as a directory URL: SARIF requires originalUriBaseIds URIs to end with a slash. */
function rootUri(root: string): string {
  const href = pathToFileURL(path.resolve(root)).href;
  return href.endsWith('/') ? href : `${href}/`;
}

function artifact(uri: string): { uri: string; uriBaseId?: string } {
  return uri.startsWith('file:') ? { uri } : { uri, uriBaseId: '%SRCROOT%' };
}

function region(r: Region): { startLine: number; startColumn: number; endLine: number; endColumn: number } {
  return { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn };
}

/** A code fence longer than any run of backticks in the code, so an example can never close it early. */
function fenced(code: string): string {
  const longest = Math.max(0, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}c\n${code}\n${fence}`;
}

function ruleHelp(r: RuleMeta): { text: string; markdown: string } {
  return {
    text: `${r.help}\n\nWrong:\n${r.example.wrong}\n\nRight:\n${r.example.right}`,
    markdown: `${r.help}\n\n**Wrong:**\n\n${fenced(r.example.wrong)}\n\n**Right:**\n\n${fenced(r.example.right)}`,
  };
}

/**
 * How much a step matters to a reader of the flow: where the reference was made and where the problem shows are
 * the story, the branches taken explain why this path, the rest (NULL checks passed, other calls) is context.
 */
function importance(step: PathStep, i: number, count: number): 'essential' | 'important' | 'unimportant' {
  if (i === 0 || i === count - 1) return 'essential';
  return step.message.startsWith('takes the') ? 'important' : 'unimportant';
}

function codeFlows(f: Finding, artifactLocation: { uri: string; uriBaseId?: string }): object[] {
  if (f.path.length === 0) return [];
  return [
    {
      threadFlows: [
        {
          locations: f.path.map((step, i) => ({
            location: { physicalLocation: { artifactLocation, region: region(step) }, message: { text: step.message } },
            importance: importance(step, i, f.path.length),
            // SARIF counts execution order from 1 (0 and -1 mean "not given").
            executionOrder: i + 1,
          })),
        },
      ],
    },
  ];
}

/**
 * The message with its line numbers taken out ("(line 7)", "at line 10", "(12)"): an edit above a finding moves
 * those numbers, and the alert should stay the same one.
 */
function stableMessage(message: string): string {
  return message
    .replace(/\(\s*line \d+\s*\)/g, '')
    .replace(/\bline \d+/g, 'line')
    .replace(/\(\d+\)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function fingerprintHash(f: Finding, uri: string): string {
  const key = [f.ruleId, uri, f.api ?? '', stableMessage(f.message)].join('\0');
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

export function toSarif(result: CheckResult, toolVersion: string, root = process.cwd()): object {
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i]));
  // The same rule, API and message can show twice in one file (the same borrowed call in two functions): an
  // occurrence count keeps their fingerprints apart, as CodeQL's line hashes do, or code scanning would merge them.
  const seen = new Map<string, number>();
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'capi-refs',
            version: toolVersion,
            semanticVersion: toolVersion,
            informationUri: README_URI,
            rules: RULES.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.summary },
              fullDescription: { text: r.help },
              help: ruleHelp(r),
              helpUri: `${README_URI}#rule-${r.id}`,
              defaultConfiguration: { level: r.defaultLevel },
              properties: { tags: r.explainOnly ? ['reliability', 'explanation'] : ['reliability'] },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: rootUri(root) } },
        properties: { python: result.python },
        invocations: [sarifInvocation(result, (file) => artifact(toUri(file, root)))],
        results: result.findings.map((f) => {
          const uri = toUri(f.file, root);
          const artifactLocation = artifact(uri);
          const hash = fingerprintHash(f, uri);
          const occurrence = (seen.get(hash) ?? 0) + 1;
          seen.set(hash, occurrence);
          const flows = codeFlows(f, artifactLocation);
          return {
            ruleId: f.ruleId,
            ruleIndex: ruleIndex.get(f.ruleId),
            level: f.level,
            message: { text: f.message },
            locations: [{ physicalLocation: { artifactLocation, region: region(f) } }],
            partialFingerprints: { [FINGERPRINT_KEY]: `${hash}:${occurrence}` },
            ...(flows.length > 0 ? { codeFlows: flows } : {}),
            ...(f.related.length > 0
              ? {
                  relatedLocations: f.related.map((step, i) => ({
                    id: i + 1,
                    physicalLocation: { artifactLocation, region: region(step) },
                    message: { text: step.message },
                  })),
                }
              : {}),
            properties: { api: f.api, use: f.use, ...(f.replacement ? { replacement: f.replacement } : {}) },
          };
        }),
      },
    ],
  };
}
