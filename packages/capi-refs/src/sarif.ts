/** The checker's findings as SARIF 2.1.0, the format code-scanning tools (GitHub code scanning and others) accept. */
import path from 'node:path';
import { RULES, type CheckResult } from './check.ts';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** A relative URI with forward slashes, percent-encoded, for artifactLocation.uri. */
function toUri(file: string, root: string): string {
  const rel = path.isAbsolute(file) ? path.relative(root, file) : file;
  const posix = rel.split(path.sep).join('/').replace(/^\.\//, '');
  return posix.startsWith('../') || path.isAbsolute(posix) ? new URL(`file://${path.resolve(root, file)}`).href : encodeURI(posix);
}

function artifact(uri: string): { uri: string; uriBaseId?: string } {
  return uri.startsWith('file:') ? { uri } : { uri, uriBaseId: '%SRCROOT%' };
}

export function toSarif(result: CheckResult, toolVersion: string, root = process.cwd()): object {
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i]));
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
            informationUri: 'https://www.npmjs.com/package/capi-refs',
            rules: RULES.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.summary },
              fullDescription: { text: r.help },
              help: { text: r.help },
              defaultConfiguration: { level: r.defaultLevel },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: new URL(`file://${path.resolve(root)}/`).href } },
        properties: { python: result.python },
        results: result.findings.map((f) => ({
          ruleId: f.ruleId,
          ruleIndex: ruleIndex.get(f.ruleId),
          level: f.level,
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: artifact(toUri(f.file, root)),
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
          properties: { api: f.api, use: f.use, ...(f.replacement ? { replacement: f.replacement } : {}) },
        })),
      },
    ],
  };
}
