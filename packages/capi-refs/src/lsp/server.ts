/**
 * `capi-refs lsp`: a Language Server Protocol server on stdin/stdout, built on vscode-languageserver.
 *
 * - hover on a C-API name: its ownership facts for the target version (hover.ts);
 * - diagnostics: the checker's findings for an open C file, recomputed for that file alone a short pause after
 *   its last change (so typing is not slowed by analyses that the next keystroke makes stale);
 * - code actions for the findings whose rewrite is mechanical (fixes.ts).
 *
 * Settings: the project's capi-refs.toml or [tool.capi-refs] (the file the CLI reads), found from the document's
 * folder; the editor's `capi-refs` settings (initializationOptions or workspace/didChangeConfiguration) override
 * them key by key, as the CLI's options do.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  createConnection,
  DiagnosticSeverity,
  MessageType,
  ProposedFeatures,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type Connection,
  type Diagnostic,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkContext, checkSourceReport, loadParser, type CheckContext, type Finding } from '../check.ts';
import { memoized } from '../analysis/memo.ts';
import { ConfigError, ConfigFileCache, findProjectConfig, settingsFromTable, type ProjectConfig } from '../config/project-config.ts';
import { availableVersions, getVersion, latestVersion, loadCombined } from '../data.ts';
import { RULE_IDS } from '../rules/index.ts';
import { fixFor } from './fixes.ts';
import { hoverFor, identifierAt } from './hover.ts';

/** The pause after the last change before a document is analysed again. */
export const DEBOUNCE_MS = 150;
const SOURCE = 'capi-refs';

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, note: DiagnosticSeverity.Information } as const;

/** What a diagnostic carries back to the server for its code action. */
interface DiagnosticData {
  readonly ruleId: string;
  readonly python: string;
}

/** The settings that apply: the project's, then the editor's on top. */
interface Settings {
  readonly python: string;
  readonly limitedApi: string | null;
  readonly gilDisabled: boolean;
  readonly explain: boolean;
  readonly rules: ProjectConfig['rules'];
}

export function mergeSettings(project: ProjectConfig | null, editor: ProjectConfig | null): Settings {
  const pick = <K extends keyof ProjectConfig>(key: K): ProjectConfig[K] | undefined => editor?.[key] ?? project?.[key];
  return {
    python: pick('python') ?? latestVersion(),
    limitedApi: pick('limitedApi') ?? null,
    gilDisabled: pick('gilDisabled') ?? false,
    explain: pick('explain') ?? false,
    rules: { ...project?.rules, ...editor?.rules },
  };
}

function toDiagnostic(f: Finding, uri: string, python: string): Diagnostic {
  const range = (line: number, column: number, endLine: number, endColumn: number) => ({
    start: { line: line - 1, character: column - 1 },
    end: { line: endLine - 1, character: endColumn - 1 },
  });
  return {
    range: range(f.line, f.column, f.endLine, f.endColumn),
    severity: SEVERITY[f.level],
    source: SOURCE,
    code: f.ruleId,
    message: f.message,
    relatedInformation: [...f.path, ...f.related].map((step) => ({ location: { uri, range: range(step.line, step.column, step.endLine, step.endColumn) }, message: step.message })),
    data: { ruleId: f.ruleId, python } satisfies DiagnosticData,
  };
}

function filePath(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}

/** Starts the server on the given connection; by default stdin and stdout (`--stdio`, which clients add, is the same). */
export function startServer(connection: Connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout)): Connection {
  const documents = new TextDocuments(TextDocument);
  const timers = new Map<string, NodeJS.Timeout>();
  const contexts = new Map<string, CheckContext>();
  let editorSettings: ProjectConfig | null = null;
  // A notification, not window.showErrorMessage: that sends a request, and a client that answered it with an error
  // (one that shows no messages) rejected its promise, which ended the server.
  const showError = (message: string): void => void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Error, message: `capi-refs: ${message}` });
  const configFiles = new ConfigFileCache();
  /**
   * What was wrong with the settings at the last request (a broken settings file, a version with no data): each
   * problem is shown when it appears, not again on every edit and hover while it lasts.
   */
  let settingsProblems = new Set<string>();

  const readEditorSettings = (value: unknown, where: string): void => {
    try {
      editorSettings = value === undefined || value === null ? null : settingsFromTable(value, where, 'capi-refs.', RULE_IDS);
    } catch (error) {
      editorSettings = null;
      showError((error as Error).message);
    }
  };

  const settingsFor = async (uri: string): Promise<Settings> => {
    let project: ProjectConfig | null = null;
    const problems: string[] = [];
    const file = filePath(uri);
    if (path.isAbsolute(file)) {
      try {
        project = await findProjectConfig(path.dirname(file), RULE_IDS, configFiles);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        problems.push(error.message);
      }
    }
    let settings = mergeSettings(project, editorSettings);
    if (!availableVersions().includes(settings.python)) {
      problems.push(`no data for Python ${settings.python}; available: ${availableVersions().join(', ')}. Using ${latestVersion()}.`);
      settings = { ...settings, python: latestVersion() };
    }
    for (const problem of problems) if (!settingsProblems.has(problem)) showError(problem);
    settingsProblems = new Set(problems);
    return settings;
  };

  const contextFor = (s: Settings): CheckContext => {
    const key = JSON.stringify(s);
    return memoized(contexts, key, () => checkContext(s.python, { limitedApi: s.limitedApi, gilDisabled: s.gilDisabled, explain: s.explain, rules: s.rules, workers: 1 }));
  };

  const analyse = async (uri: string): Promise<void> => {
    const doc = documents.get(uri);
    if (!doc) return;
    const settings = await settingsFor(uri);
    const version = doc.version;
    let findings: Finding[];
    try {
      ({ findings } = await checkSourceReport(doc.getText(), filePath(uri), contextFor(settings)));
    } catch (error) {
      showError(`could not check ${filePath(uri)}: ${(error as Error).message}`);
      return;
    }
    // A change made while this ran has its own analysis coming.
    if (documents.get(uri)?.version !== version) return;
    await connection.sendDiagnostics({ uri, version, diagnostics: findings.map((f) => toDiagnostic(f, uri, settings.python)) });
  };

  const schedule = (uri: string, delay: number): void => {
    clearTimeout(timers.get(uri));
    timers.set(uri, setTimeout(() => {
      timers.delete(uri);
      void analyse(uri);
    }, delay));
  };

  connection.onInitialize((params) => {
    readEditorSettings((params.initializationOptions as Record<string, unknown> | undefined)?.['capi-refs'] ?? params.initializationOptions, 'the editor settings (initializationOptions)');
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: 'capi-refs' },
    };
  });

  connection.onDidChangeConfiguration((change) => {
    const settings = (change.settings as Record<string, unknown> | null)?.['capi-refs'];
    if (settings === undefined) return;
    readEditorSettings(settings, 'the editor settings (capi-refs)');
    for (const doc of documents.all()) schedule(doc.uri, 0);
  });

  documents.onDidOpen(({ document }) => schedule(document.uri, 0));
  documents.onDidChangeContent(({ document }) => schedule(document.uri, DEBOUNCE_MS));
  documents.onDidClose(({ document }) => {
    clearTimeout(timers.get(document.uri));
    timers.delete(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  connection.onHover(async ({ textDocument, position }) => {
    const doc = documents.get(textDocument.uri);
    if (!doc) return null;
    const text = doc.getText();
    const word = identifierAt(text, doc.offsetAt(position));
    if (!word) return null;
    const settings = await settingsFor(textDocument.uri);
    const markdown = hoverFor(word.name, getVersion(settings.python), loadCombined());
    if (!markdown) return null;
    return { contents: { kind: 'markdown', value: markdown }, range: { start: doc.positionAt(word.start), end: doc.positionAt(word.start + word.name.length) } };
  });

  connection.onCodeAction(async ({ textDocument, context }) => {
    const doc = documents.get(textDocument.uri);
    // Known by their data alone: some clients send diagnostics back without their source.
    const ours = context.diagnostics.filter((d) => typeof (d.data as Partial<DiagnosticData> | undefined)?.ruleId === 'string');
    if (!doc || ours.length === 0) return [];
    const text = doc.getText();
    const tree = (await loadParser()).parse(text);
    if (!tree) return [];
    try {
      const actions: CodeAction[] = [];
      for (const diagnostic of ours) {
        const { ruleId, python } = diagnostic.data as DiagnosticData;
        const fix = fixFor(text, tree.rootNode, { ruleId, python, start: doc.offsetAt(diagnostic.range.start) });
        if (!fix) continue;
        const edits = fix.edits.map((e) => ({ range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) }, newText: e.text }));
        actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: true, edit: { changes: { [textDocument.uri]: edits } } });
      }
      return actions;
    } finally {
      tree.delete();
    }
  });

  documents.listen(connection);
  connection.listen();
  return connection;
}
