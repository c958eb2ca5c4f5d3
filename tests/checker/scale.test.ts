/**
 * The checker at scale: files on worker threads give the same results as in one thread; inputs built to break it
 * (a 100,000-deep #define, 10,000 nested ifs, 200,000 findings in one file) complete, and what is skipped is
 * reported. No timing is asserted: a busy machine must not fail these.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDeepFile } from '../../packages/capi-refs/bench/measure-speed.ts';
import { checkContext, checkFilesStreaming, checkPaths, checkSourceReport, compiledText, loadParser, type CheckResult } from '../../packages/capi-refs/src/check.ts';
import { BLANK_RUN_MIN, dataTableInsides, parsedRanges, planChunks, topLevelUnits } from '../../packages/capi-refs/src/run/chunks.ts';
import { sarifInvocation } from '../../packages/capi-refs/src/run/notices.ts';
import { dispatchOrder, runPool } from '../../packages/capi-refs/src/run/pool.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURES = path.join(ROOT, 'tests/fixtures/checker');
const CLI = path.join(ROOT, 'packages/capi-refs/src/cli.ts');
const TMP = mkdtempSync(path.join(tmpdir(), 'capi-refs-scale-'));

afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** Runs the CLI from source with stdout into a file (a report can be far larger than a pipe buffer). */
async function runCli(args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const outFile = path.join(TMP, `out-${Math.random().toString(36).slice(2)}`);
  const out = openSync(outFile, 'w');
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', out, 'pipe'] });
  closeSync(out);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { status, stdout: readFileSync(outFile, 'utf8'), stderr };
}

describe('files on worker threads', () => {
  it('give the same result as one thread, in the same order', async () => {
    const sequential = await checkPaths([FIXTURES], '3.13', { explain: true, workers: 1 });
    const parallel = await checkPaths([FIXTURES], '3.13', { explain: true, workers: 2 });
    expect(sequential.files.length).toBeGreaterThan(5);
    expect(sequential.findings.length).toBeGreaterThan(10);
    expect(parallel).toEqual(sequential);
  });

  it('are handed out largest first within each window of files, each file once', () => {
    expect(dispatchOrder([10, 30, 20, 30], 4)).toEqual([1, 3, 2, 0]);
    expect(dispatchOrder([1, 5, 9, 2, 8], 2)).toEqual([1, 0, 2, 3, 4]);
    expect(dispatchOrder([])).toEqual([]);
  });

  it('lose only the file a worker died on: the file queued behind it goes to the worker that replaces it', async () => {
    // One worker, sent two files at a time: it answers a.c, dies on dies.c with b.c waiting in its queue.
    const files = ['a.c', 'dies.c', 'b.c', 'c.c'].map((f) => path.join(TMP, f));
    const results = [];
    for await (const r of runPool(files, { python: '3.13', options: {} }, 1, new URL('./dying-worker.ts', import.meta.url))) results.push(r);
    expect(results.map((r) => [path.basename(r.file), r.error?.message ?? null])).toEqual([
      ['a.c', null],
      ['dies.c', 'the checker stopped on it: exit code 3'],
      ['b.c', null],
      ['c.c', null],
    ]);
  });

  it('report a file that cannot be read as its error, and check the others', async () => {
    const good = path.join(FIXTURES, 'reference-leak.c');
    const gone = path.join(TMP, 'deleted-after-listing.c');
    const results = [];
    for await (const r of checkFilesStreaming([good, gone], '3.13', { workers: 2 })) results.push(r);
    expect(results.map((r) => r.file)).toEqual([good, gone]);
    expect(results[0]!.error).toBeNull();
    expect(results[0]!.findings.length).toBeGreaterThan(0);
    expect(results[1]!.error).toEqual({ stage: 'read', message: expect.stringContaining('ENOENT') });
  });

  it('skip a binary file with a note, not an error', async () => {
    const good = path.join(FIXTURES, 'reference-leak.c');
    const binary = path.join(TMP, 'binary.c');
    writeFileSync(binary, 'int x;\0\0\0');
    const result = await checkPaths([good, binary], '3.13', { workers: 2 });
    expect(result.errors).toEqual([]);
    expect(result.notices).toContainEqual({ file: binary, line: 1, message: expect.stringContaining('NUL') });
    expect(result.findings.some((f) => f.file === good)).toBe(true);
    const cli = await runCli(['check', good, binary, '--python', '3.13']);
    expect(cli.status).toBe(1); // the good file's warnings, as if the binary one were not there
    expect(cli.stdout).toContain(good);
    expect(cli.stderr).toContain(`${binary}:1: skipped: not C source text`);
    expect(cli.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe('deep nesting', () => {
  it('completes on a 100,000-deep #define and 10,000 nested ifs, and reports the function it skipped', async () => {
    const deep = generateDeepFile(100_000, 10_000);
    const { notices } = await checkSourceReport(deep.text, 'deep.c', checkContext('3.11'));
    expect(notices).toEqual([{ file: 'deep.c', line: 6, message: expect.stringMatching(/^deep_ifs was not checked: /) }]);
    const result: CheckResult = { python: '3.11', files: ['deep.c'], lines: 0, findings: [], errors: [], notices };
    expect(sarifInvocation(result, (file) => ({ uri: file }))).toEqual({
      executionSuccessful: true,
      toolExecutionNotifications: [{ level: 'warning', message: { text: notices[0]!.message }, locations: [{ physicalLocation: { artifactLocation: { uri: 'deep.c' }, region: { startLine: 6 } } }] }],
    });
  });
});

describe('large files', () => {
  it('are cut into chunks only between top-level declarations, outside #if groups', () => {
    const fn = (n: number): string => `static PyObject *\nf_${n}(PyObject *self)\n{\n    if (self) { return Py_NewRef(self); }\n    Py_RETURN_NONE;\n}\n`;
    const body = Array.from({ length: 400 }, (_, n) => fn(n)).join('');
    const source = `#define M(x) { x\n#if defined(A)\n${fn(1000)}#endif\n${body}static PyMethodDef methods[] = {\n    {"f_399", (PyCFunction)f_399, METH_NOARGS, NULL},\n    {NULL}\n};\n`;
    expect(planChunks(source.slice(0, 2000), topLevelUnits(source.slice(0, 2000)), 4096)).toBeNull(); // small: whole
    expect(planChunks(`${body}{`, topLevelUnits(`${body}{`), 4096)).toBeNull(); // braces that do not balance: whole
    const chunks = planChunks(source, topLevelUnits(source), 4096)!;
    expect(chunks.length).toBeGreaterThan(5);
    const owned = chunks.flatMap((c) => c.owned.map(([s, e]) => source.slice(s, e)));
    // Every function is owned by exactly one chunk, each cut at a function's end.
    expect(owned.join('').match(/^f_\d+\(/gm)).toHaveLength(401);
    for (const text of owned) expect(text.trimEnd().endsWith('}')).toBe(true);
    const shared = (c: (typeof chunks)[number]): string => c.ranges.map(([s, e]) => source.slice(s, e)).join('');
    for (const c of chunks) expect(shared(c)).toContain('#define M(x) { x');
    // The method table goes with the chunk of the function it names, only.
    expect(chunks.filter((c) => shared(c).includes('PyMethodDef'))).toEqual([chunks.at(-1)]);
  });

  it('a 3 MB file with 200,000 findings goes through the CLI as one JSON document', async () => {
    const parts = ['#include <Python.h>\n\n'];
    for (let n = 0; n < 4000; n++) parts.push(`static void\nleaky_${n}(void)\n{\n${'PyList_New(0);\n'.repeat(50)}}\n\n`);
    const file = path.join(TMP, 'many.c');
    writeFileSync(file, parts.join(''));
    const r = await runCli(['check', file, '--python', '3.13', '--format', 'json', '--fail-on', 'none']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as CheckResult;
    expect(doc.findings).toHaveLength(200_000);
    expect(doc.findings.every((f) => f.ruleId === 'discarded-reference')).toBe(true);
    expect(doc).toMatchObject({ python: '3.13', files: [file], lines: 4000 * 55 + 2, errors: [], notices: [] });
  });
});

/** `source` parsed whole, and parsed with the ranges parsedRanges gives (the checker's way). */
async function parseWholeAndRanged(source: string, leftOut: readonly (readonly [number, number])[] = []) {
  const parser = await loadParser();
  const starts = [0, ...[...source.matchAll(/\n/g)].map((m) => m.index + 1)];
  const point = (i: number) => {
    const row = starts.filter((s) => s <= i).length - 1;
    return { row, column: i - starts[row]! };
  };
  const includedRanges = parsedRanges(source, undefined, leftOut).map(([s, e]) => ({ startIndex: s, endIndex: e, startPosition: point(s), endPosition: point(e) }));
  return { whole: parser.parse(source)!, ranged: parser.parse(source, null, { includedRanges })! };
}

describe('comments', () => {
  const source = [
    '#include "a.h"   /* kept: on a directive line */',
    '#define N 1 // kept too',
    'static PyObject *',
    'f(PyObject *self)   /* left out */',
    '{',
    '    // left out',
    '    int a/**/b = 0;   /* the empty comment stays: leaving it out would join two names */',
    '    return PyList_New(N);',
    '}',
    '',
  ].join('\n');

  it('are left out of the parse where no two tokens can join, and never on directive lines', () => {
    const ranges = parsedRanges(source);
    const parsed = ranges.map(([s, e]) => source.slice(s, e)).join('');
    expect(parsed).toContain('/* kept: on a directive line */');
    expect(parsed).toContain('// kept too');
    expect(parsed).toContain('a/**/b');
    expect(parsed).not.toContain('left out');
    expect(parsed).not.toContain('the empty comment stays');
  });

  it('change no node but the comments: the same nodes at the same offsets as a whole parse', async () => {
    const { whole, ranged } = await parseWholeAndRanged(source);
    try {
      const shape = (t: typeof whole) => t.rootNode.descendantsOfType(['preproc_include', 'preproc_def', 'function_definition', 'declaration', 'call_expression', 'return_statement']).map((n) => `${n!.type}@${n!.startIndex}-${n!.endIndex}`);
      expect(whole.rootNode.hasError).toBe(ranged.rootNode.hasError);
      expect(shape(ranged)).toEqual(shape(whole));
      const comments = (t: typeof whole) => t.rootNode.descendantsOfType('comment').map((n) => n!.text);
      expect(comments(whole)).toHaveLength(comments(ranged).length + 3);
      expect(comments(ranged)).toContain('/**/');
    } finally {
      whole.delete();
      ranged.delete();
    }
  });
});

describe('statement macros written without a semicolon', () => {
  it('get one in place of a character of their indentation, every line keeping its length, CRLF or LF', () => {
    const ctx = checkContext('3.13');
    for (const eol of ['\n', '\r\n']) {
      const text = ['static PyObject *', 'f(FooObject *self)', '{', '    CHECK_INITIALIZED(self)   ', '    ENSURE_OPEN', '    return Py_NewRef(self->x);', '}', ''].join(eol);
      const compiled = compiledText(text, ctx);
      expect(compiled).toHaveLength(text.length);
      expect(compiled).toContain(`   CHECK_INITIALIZED(self);   ${eol}`);
      expect(compiled).toContain(`   ENSURE_OPEN;${eol}`);
    }
  });

  it('are left alone in an initializer, an expression or before else', () => {
    const ctx = checkContext('3.13');
    const text = ['static PyMethodDef m[] = {', '    FOO_METHODDEF', '    {NULL}', '};', 'int g(void) {', '    return x +', '        SIZE', '        + 1;', '    if (x)', '        DO_IT', '    else', '        y();', '}', ''].join('\n');
    expect(compiledText(text, ctx)).toBe(text);
  });
});

describe('number tables', () => {
  const numbers = (n: number) => Array.from({ length: n }, (_, i) => `0x${(i * 7919).toString(16)}`).join(', ');

  it('are blanked, lines and offsets kept, and the code after them still checked', async () => {
    const table = `static const unsigned int table[] = {\n${numbers(2000).replace(/(.{70}), /g, '$1,\n')}\n};\n`;
    const code = 'static PyObject *\nf(PyObject *self)\n{\n    PyObject *x = PyList_New(0);\n    return Py_None;\n}\n';
    const ctx = checkContext('3.13');
    const compiled = compiledText(table + code, ctx);
    expect(compiled).toHaveLength(table.length + code.length);
    expect(compiled.split('\n')).toHaveLength((table + code).split('\n').length);
    expect(compiled.slice(0, table.length)).not.toContain('0x');
    expect(compiled.slice(table.length)).toBe(code);
    const { findings } = await checkSourceReport(table + code, 't.c', ctx);
    expect(findings.some((f) => f.ruleId === 'reference-leak' && f.line === table.split('\n').length + 4)).toBe(true);
  });

  it('are looked for in one pass whatever the input: a megabyte of digits with no comma, or runs of 31 numbers', () => {
    // A search for the seed that tried each digit again from inside a number would take minutes on these.
    const ctx = checkContext('3.13');
    const digits = `static const char *blob = "${'1234567890'.repeat(100_000)}";\n`;
    expect(compiledText(digits, ctx)).toBe(digits);
    const runs = `static const int t[] = {\n${`${'1,'.repeat(31)} x,\n`.repeat(20_000)}};\n`;
    expect(compiledText(runs, ctx)).toBe(runs);
  });

  it('are not blanked when short, or when names stand among the numbers', () => {
    const ctx = checkContext('3.13');
    const short = `static const int t[] = { ${numbers(40)} };\n`;
    expect(compiledText(short, ctx)).toBe(short);
    const named = `static const int t[] = { ${numbers(2000).replace(/, /g, ', SIZE, ')} };\n`;
    expect(compiledText(named, ctx)).toContain('SIZE, 0x');
  });
});

describe('data tables', () => {
  const rows = (n: number, row: (i: number) => string) => Array.from({ length: n }, (_, i) => row(i)).join('\n');
  const codes = `static struct lib_code codes[] = {\n${rows(60, (i) => `#ifdef ERR_LIB_${i}\n    {"LIB${i}", ERR_LIB_${i}},\n#endif`)}\n};\n`;
  const methods = `static struct entry handlers[] = {\n${rows(60, (i) => `    {"name${i}", handle, ${i}},`)}\n};\n`;
  const objects = `static struct entry singletons[] = {\n${rows(60, (i) => `    {"name${i}", ${i}, Py_None},`)}\n};\n`;
  const source = `static int handle(int x) { return x; }\n${codes}${methods}${objects}`;
  const concerns = (name: string) => name.startsWith('Py');

  it('leave out the inside of a large initializer that names nothing of Python nor of the file', () => {
    const insides = dataTableInsides(source, topLevelUnits(source), concerns);
    expect(insides).toHaveLength(1);
    const [start, end] = insides[0]!;
    expect(source[start - 1]).toBe('{');
    expect(source[end]).toBe('}');
    expect(source.slice(start, end)).toContain('ERR_LIB_59');
  });

  it('keep a table that names one of the file\'s functions or a C-API name, a small one, and one whose #if groups leave it', () => {
    const inside = (table: string) => dataTableInsides(table, topLevelUnits(table), concerns);
    expect(inside(`static int handle(int x) { return x; }\n${methods}`)).toEqual([]);
    expect(inside(objects)).toEqual([]);
    expect(inside('static int small[] = {\n#ifdef A\n 1,\n#endif\n};\n')).toEqual([]);
    const grouped = `static int t[] = {\n#if A\n${rows(300, (i) => ` ${i},`)}\n#else\n 0,\n#endif\n};\n`;
    expect(inside(grouped)).toHaveLength(1);
    expect(inside(`#if A\nstatic int t[] = {\n${rows(300, (i) => ` ${i},`)}\n#else\nstatic int t[] = {\n#endif\n 0 };\n`)).toEqual([]);
  });

  it('left out, the declaration still parses as an empty initializer', async () => {
    const { whole, ranged } = await parseWholeAndRanged(source, dataTableInsides(source, topLevelUnits(source), concerns));
    try {
      expect(ranged.rootNode.hasError).toBe(false);
      const declarations = (t: typeof whole) => t.rootNode.descendantsOfType('declaration').map((n) => n!.childForFieldName('declarator')?.childForFieldName('declarator')?.text);
      expect(declarations(ranged)).toEqual(declarations(whole));
      expect(ranged.rootNode.descendantsOfType('initializer_list')[0]!.namedChildCount).toBe(0);
    } finally {
      whole.delete();
      ranged.delete();
    }
  });
});

describe('long whitespace runs', () => {
  const table = `static const unsigned char table[] = {${' '.repeat(3 * BLANK_RUN_MIN)}};`;
  const source = `#define N 1\n${' '.repeat(2 * BLANK_RUN_MIN)}\n${table}\nstatic PyObject *\nf(PyObject *self)\n{\n    return PyList_New(N);   ${' '.repeat(BLANK_RUN_MIN - 10)}\n}\n`;

  it('are left out of the parse, each keeping its first newline, shorter runs kept', () => {
    const ranges = parsedRanges(source);
    expect(ranges).toHaveLength(3);
    const left = source.length - ranges.reduce((n, [s, e]) => n + (e - s), 0);
    expect(left).toBeGreaterThanOrEqual(5 * BLANK_RUN_MIN);
    // The directive's newline is parsed; the short run inside the function is kept.
    expect(source.slice(ranges[0]![0], ranges[0]![1])).toBe('#define N 1\n');
    expect(source.slice(ranges[2]![0], ranges[2]![1])).toContain(`PyList_New(N);   ${' '.repeat(BLANK_RUN_MIN - 10)}\n}`);
    expect(parsedRanges('int x;\n')).toEqual([[0, 7]]);
    expect(parsedRanges(' '.repeat(2 * BLANK_RUN_MIN))).toEqual([[0, 2 * BLANK_RUN_MIN]]);
  });

  it('change nothing in the tree: the same nodes at the same offsets as a whole parse', async () => {
    const { whole, ranged } = await parseWholeAndRanged(source);
    try {
      const shape = (t: typeof whole) => t.rootNode.descendantsOfType(['preproc_def', 'declaration', 'function_definition', 'call_expression']).map((n) => `${n!.type}@${n!.startIndex}-${n!.endIndex}`);
      expect(ranged.rootNode.hasError).toBe(false);
      expect(shape(ranged)).toEqual(shape(whole));
      expect(shape(ranged)).toHaveLength(4);
    } finally {
      whole.delete();
      ranged.delete();
    }
  });
});
