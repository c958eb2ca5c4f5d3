/**
 * A real language client, for the tests and the latency benchmark: `capi-refs lsp` spawned from source, spoken to
 * over stdio with vscode-jsonrpc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShowMessageNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type ShowMessageParams,
} from 'vscode-languageserver-protocol/node';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
export const CLI = path.join(ROOT, 'packages/capi-refs/src/cli.ts');

export interface TestClient {
  readonly connection: ProtocolConnection;
  readonly child: ChildProcess;
  /** The next diagnostics published for `uri` that satisfy `accept` (all published ones are kept in `published`). */
  diagnostics(uri: string, accept?: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams>;
  readonly published: PublishDiagnosticsParams[];
  /** The messages the server asked the editor to show, in order. */
  readonly messages: ShowMessageParams[];
  open(uri: string, text: string, version?: number): void;
  change(uri: string, text: string, version: number): void;
  stop(): Promise<void>;
}

/** Starts `cli lsp` (the CLI from source by default, or the package's compiled bin) and initialises it. */
export async function startClient(initializationOptions: unknown = undefined, cli = CLI): Promise<TestClient> {
  const child = spawn(process.execPath, [cli, 'lsp', '--stdio'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const published: PublishDiagnosticsParams[] = [];
  const waiting: { uri: string; accept: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    published.push(params);
    for (const w of [...waiting]) {
      if (w.uri === params.uri && w.accept(params)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(params);
      }
    }
  });
  const messages: ShowMessageParams[] = [];
  connection.onNotification(ShowMessageNotification.type, (params) => void messages.push(params));
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions });
  await connection.sendNotification(InitializedNotification.type, {});
  return {
    connection,
    child,
    published,
    messages,
    diagnostics: (uri, accept = () => true) => new Promise((resolve) => waiting.push({ uri, accept, resolve })),
    open: (uri, text, version = 1) => void connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'c', version, text } }),
    change: (uri, text, version) => void connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] }),
    stop: async () => {
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.on('exit', resolve)));
      connection.dispose();
    },
  };
}
