/**
 * capi-refs <Name> [--version X.Y] [--json]          look an API up
 * capi-refs check <paths...> [--python X.Y] [--limited-api X.Y] [--gil-disabled] [--explain] [--format text|json|sarif] [--fail-on error|warning|note|none] [--config FILE]
 * capi-refs lsp                                       a language server on stdio (lsp/server.ts)
 *
 * Exit codes are listed in USAGE below and in the package README.
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { availableVersions, getVersion, latestVersion, loadCombined } from './data.ts';
import { formatLookup, lookupResult } from './lookup.ts';
import { findProjectConfig, readProjectConfig } from './config/project-config.ts';
import { suggestNames } from './query.ts';
import { RULE_IDS } from './rules/index.ts';

export const EXIT = { ok: 0, notFound: 1, findings: 1, usage: 2, notInVersion: 3, unreadable: 3 } as const;

export const USAGE = `Usage:
  capi-refs <Name> [--version X.Y] [--json]
      Reference ownership, Stable ABI, thread safety, safer alternative and docs link of one C-API name.
  capi-refs check <files or folders...> [--python X.Y] [--limited-api X.Y] [--gil-disabled] [--explain]
                   [--format text|json|sarif] [--fail-on error|warning|note|none] [--config FILE]
      Find reference leaks, releases of borrowed or stolen references, double releases, uses after release,
      borrowed returns, members that tp_dealloc forgets, and deprecated or removed APIs, each with its path.
      #if branches not compiled for the target (--python, --limited-api, --gil-disabled) are skipped.
      --explain also notes every call that returns a borrowed reference or steals an argument.
      Settings (the options above and rule levels) come from capi-refs.toml or [tool.capi-refs] in
      pyproject.toml, in the current folder or the nearest above it, or from --config; options override them.
  capi-refs lsp
      A language server on stdin/stdout: hover, diagnostics and fixes in any LSP editor (see the README).
  capi-refs --help | --version

Exit codes:
  lookup: 0 found; 1 unknown name (did-you-mean suggestions on stderr); 2 usage error;
          3 the name exists, but not in the version asked for.
  check:  0 no finding at or above --fail-on (default: warning); 1 findings at or above it; 2 usage error;
          3 a path could not be read, or a file could not be checked (the other files are still checked).`;

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Resolves once written output has drained, so that a long report is not all held in memory first. */
  flush?: () => Promise<void>;
}

const defaultIo: Io = {
  out: (t) => process.stdout.write(t + '\n'),
  err: (t) => process.stderr.write(t + '\n'),
  flush: () => (process.stdout.writableNeedDrain ? once(process.stdout, 'drain').then(() => undefined) : Promise.resolve()),
};

function checkVersion(version: string, io: Io): boolean {
  if (availableVersions().includes(version)) return true;
  io.err(`capi-refs: no data for Python ${version}; available: ${availableVersions().join(', ')}`);
  return false;
}

export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  // A reader that stops early (`| head`) closes the pipe: end quietly rather than with EPIPE's stack trace.
  if (io === defaultIo) process.stdout.on('error', (error: NodeJS.ErrnoException) => process.exit(error.code === 'EPIPE' ? (process.exitCode ?? 0) : EXIT.unreadable));
  if (argv[0] === 'check') return runCheck(argv.slice(1), io);
  if (argv[0] === 'lsp') {
    const { startServer } = await import('./lsp/server.ts');
    startServer();
    return new Promise<number>(() => {}); // runs until the client asks it to exit
  }
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    // `capi-refs --version` alone: the package's version (with a name, --version X.Y picks the Python version).
    io.out(packageVersion());
    return EXIT.ok;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { version: { type: 'string', short: 'v' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    io.err(`capi-refs: ${(error as Error).message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(USAGE);
    return EXIT.ok;
  }
  if (positionals.length !== 1) {
    io.err(`capi-refs: give one API name${positionals.length > 1 ? ` (got ${positionals.length})` : ''}\n\n${USAGE}`);
    return EXIT.usage;
  }
  const name = positionals[0]!;
  const version = values.version ?? latestVersion();
  if (!checkVersion(version, io)) return EXIT.usage;
  const combined = loadCombined();
  const index = getVersion(version);
  const api = index.apis.get(name);
  if (!api) {
    const versions = combined.apis[name]?.versions ?? [];
    if (versions.length > 0) {
      const message = `${name} is not documented in Python ${version}; it is in ${versions.join(', ')}`;
      if (values.json) io.out(JSON.stringify({ error: 'not-in-version', name, version, versions }, null, 2));
      io.err(`capi-refs: ${message}`);
      return EXIT.notInVersion;
    }
    const suggestions = suggestNames(Object.keys(combined.apis), name);
    if (values.json) io.out(JSON.stringify({ error: 'unknown-name', name, version, suggestions }, null, 2));
    io.err(`capi-refs: unknown name ${name}${suggestions.length ? `; did you mean ${suggestions.join(', ')}?` : ''}`);
    return EXIT.notFound;
  }
  const result = lookupResult(api, index, combined.apis[name]?.versions ?? [version]);
  io.out(values.json ? JSON.stringify(result, null, 2) : formatLookup(result));
  return EXIT.ok;
}

const LEVEL_RANK = { note: 1, warning: 2, error: 3 } as const;

async function runCheck(argv: readonly string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        python: { type: 'string', short: 'p' },
        format: { type: 'string', short: 'f', default: 'text' },
        'fail-on': { type: 'string' },
        config: { type: 'string' },
        'limited-api': { type: 'string' },
        'gil-disabled': { type: 'boolean' },
        explain: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.err(`capi-refs check: ${(error as Error).message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(USAGE);
    return EXIT.ok;
  }
  let config;
  try {
    config = values.config !== undefined ? await readProjectConfig(values.config, RULE_IDS) : await findProjectConfig(process.cwd(), RULE_IDS);
  } catch (error) {
    io.err(`capi-refs check: ${(error as Error).message}`);
    return EXIT.usage;
  }
  const format = values.format;
  const failOn = values['fail-on'] ?? config?.failOn ?? 'warning';
  if (format !== 'text' && format !== 'json' && format !== 'sarif') {
    io.err(`capi-refs check: --format must be text, json or sarif (got ${format})`);
    return EXIT.usage;
  }
  if (failOn !== 'error' && failOn !== 'warning' && failOn !== 'note' && failOn !== 'none') {
    io.err(`capi-refs check: --fail-on must be error, warning, note or none (got ${failOn})`);
    return EXIT.usage;
  }
  if (positionals.length === 0) {
    io.err(`capi-refs check: give at least one file or folder\n\n${USAGE}`);
    return EXIT.usage;
  }
  // The parser and grammar are loaded only here, so the lookup and the library never load them.
  const { checkFilesStreaming, collectFiles } = await import('./check.ts');
  // The files are listed while the version is checked (its data is parsed meanwhile); a usage error drops them.
  const collecting = collectFiles(positionals);
  collecting.catch(() => undefined);
  const python = values.python ?? config?.python ?? latestVersion();
  if (!checkVersion(python, io)) {
    if (values.python === undefined && config?.python !== undefined) io.err(`capi-refs check: the version comes from ${config.file}`);
    return EXIT.usage;
  }
  const limitedApi = values['limited-api'] ?? config?.limitedApi ?? null;
  if (limitedApi !== null && !/^3\.\d+$/.test(limitedApi)) {
    io.err(`capi-refs check: --limited-api takes a version such as 3.10 (got ${limitedApi})`);
    return EXIT.usage;
  }
  const report = await import('./run/report.ts');
  let files;
  try {
    files = await collecting;
  } catch (error) {
    io.err(`capi-refs check: ${(error as Error).message}`);
    return EXIT.unreadable;
  }
  let output;
  if (format === 'json') output = report.jsonReport(python, files, io);
  else if (format === 'sarif') {
    const { toSarif } = await import('./sarif.ts');
    output = report.sarifReport(python, files, io, (result) => toSarif(result, packageVersion()));
  } else output = report.textReport(python, files, io);
  try {
    for await (const result of checkFilesStreaming(files, python, {
      explain: values.explain ?? config?.explain ?? false,
      limitedApi,
      gilDisabled: values['gil-disabled'] ?? config?.gilDisabled ?? false,
      rules: config?.rules,
    })) {
      output.add(result);
      await io.flush?.();
    }
  } catch (error) {
    // Not about one file (those come back as the file's error): the run itself could not go on.
    io.err(`capi-refs check: ${(error as Error).message}`);
    return EXIT.unreadable;
  }
  output.end();
  for (const e of output.errors) io.err(`capi-refs check: ${e.stage === 'read' ? 'cannot read' : 'could not check'} ${e.file}: ${e.message}`);
  if (output.errors.length > 0) return EXIT.unreadable;
  if (failOn === 'none') return EXIT.ok;
  const threshold = LEVEL_RANK[failOn];
  return (Object.keys(LEVEL_RANK) as (keyof typeof LEVEL_RANK)[]).some((level) => LEVEL_RANK[level] >= threshold && output.levels[level] > 0) ? EXIT.findings : EXIT.ok;
}

// Run directly (`node src/cli.ts ...` from the repository); the published entry point is bin/capi-refs.js.
if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
