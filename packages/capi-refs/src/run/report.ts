/**
 * The check command's output, written as file results arrive: text findings file by file; JSON and SARIF as whole
 * documents, but written piece by piece (one finding at a time), since a single JSON.stringify of a few hundred
 * thousand findings builds a string of hundreds of megabytes.
 */
import type { CheckResult, FileError, FileResult, Finding, Notice } from '../check.ts';
import { countByRule, formatFinding, summaryLine } from '../check.ts';

export interface Output {
  /** Writes one line (the newline is added). */
  out(text: string): void;
  err(text: string): void;
}

export interface Report {
  /** One file's result, in file order. */
  add(result: FileResult): void;
  /** After the last file: what is left of the document, and the summary. */
  end(): void;
  /** The files that could not be read or checked, so far. */
  readonly errors: readonly ({ readonly file: string } & FileError)[];
  /** Findings so far, counted by level (for --fail-on). */
  readonly levels: { error: number; warning: number; note: number };
}

/** The document's lines after the first, indented by `by` spaces, as JSON.stringify(…, null, 2) nests them. */
function indent(json: string, by: number): string {
  return json.replaceAll('\n', `\n${' '.repeat(by)}`);
}

/** What every format keeps of a run: totals, errors and notices (few), never the findings themselves. */
function tally(): { add(result: FileResult): void; lines: number; counts: Record<string, number>; errors: ({ file: string } & FileError)[]; notices: Notice[]; levels: Report['levels'] } {
  const state = {
    lines: 0,
    counts: countByRule([]),
    errors: [] as ({ file: string } & FileError)[],
    notices: [] as Notice[],
    levels: { error: 0, warning: 0, note: 0 },
    add(result: FileResult): void {
      state.lines += result.lines;
      for (const f of result.findings) {
        state.counts[f.ruleId] = (state.counts[f.ruleId] ?? 0) + 1;
        state.levels[f.level]++;
      }
      for (const n of result.notices) state.notices.push(n);
      if (result.error) state.errors.push({ file: result.file, ...result.error });
    },
  };
  return state;
}

/** `file:line:column: level [rule] message` per finding as each file is done; notices on stderr; the summary last. */
export function textReport(python: string, files: readonly string[], io: Output): Report {
  const run = tally();
  return {
    errors: run.errors,
    levels: run.levels,
    add(result) {
      run.add(result);
      for (const f of result.findings) io.out(formatFinding(f));
      for (const n of result.notices) io.err(`capi-refs check: ${n.file}:${n.line}: ${n.message}`);
    },
    end() {
      io.err(summaryLine({ python, files, lines: run.lines, findings: [], errors: run.errors, notices: run.notices }, run.counts));
    },
  };
}

/** The CheckResult as JSON (two-space indent), findings written as they come. */
export function jsonReport(python: string, files: readonly string[], io: Output): Report {
  const run = tally();
  io.out(`{\n  "python": ${JSON.stringify(python)},\n  "files": ${indent(JSON.stringify(files, null, 2), 2)},`);
  // Each finding is written when the next one comes, so that the last goes out without its comma.
  let pending: string | null = null;
  return {
    errors: run.errors,
    levels: run.levels,
    add(result) {
      run.add(result);
      for (const f of result.findings) {
        io.out(pending === null ? '  "findings": [' : `${pending},`);
        pending = `    ${indent(JSON.stringify(f, null, 2), 4)}`;
      }
    },
    end() {
      io.out(pending === null ? '  "findings": [],' : `${pending}\n  ],`);
      const rest = { lines: run.lines, errors: run.errors, notices: run.notices };
      // The remaining members, without the braces of their own object.
      io.out(JSON.stringify(rest, null, 2).slice(2, -2) + '\n}');
    },
  };
}

/**
 * SARIF: its results need every finding at once (fingerprints count repeats across the run), so findings are
 * kept, and the document is written result by result around the rest of it.
 */
export function sarifReport(python: string, files: readonly string[], io: Output, toSarif: (result: CheckResult) => object): Report {
  const run = tally();
  const findings: Finding[] = [];
  return {
    errors: run.errors,
    levels: run.levels,
    add(result) {
      run.add(result);
      for (const f of result.findings) findings.push(f);
    },
    end() {
      const doc = toSarif({ python, files, lines: run.lines, findings, errors: run.errors, notices: run.notices }) as { runs: { results: unknown[] }[] };
      const first = doc.runs[0]!;
      const results = first.results;
      first.results = [];
      const marker = '"results": []';
      const skeleton = JSON.stringify(doc, null, 2);
      const at = skeleton.indexOf(marker);
      if (results.length === 0 || at === -1) {
        first.results = results;
        io.out(JSON.stringify(doc, null, 2));
        return;
      }
      const lineStart = skeleton.lastIndexOf('\n', at) + 1;
      const depth = at - lineStart + 2;
      io.out(`${skeleton.slice(0, at)}"results": [`);
      results.forEach((r, i) => io.out(`${' '.repeat(depth)}${indent(JSON.stringify(r, null, 2), depth)}${i < results.length - 1 ? ',' : ''}`));
      io.out(`${' '.repeat(depth - 2)}]${skeleton.slice(at + marker.length)}`);
    },
  };
}
