/**
 * What the checker could not do, for SARIF: files it could not read or check (errors) and functions it skipped
 * (notices) become the run's invocation's toolExecutionNotifications, so that code scanning shows them instead of
 * the silence of a clean file.
 */
import type { CheckResult } from '../check.ts';

/** The run's `invocations[0]`; `artifact` gives a file's artifactLocation as the results spell it. */
export function sarifInvocation(result: CheckResult, artifact: (file: string) => object): object {
  const at = (file: string, line?: number): object[] => [{ physicalLocation: { artifactLocation: artifact(file), ...(line === undefined ? {} : { region: { startLine: line } }) } }];
  return {
    executionSuccessful: result.errors.length === 0,
    toolExecutionNotifications: [
      ...result.errors.map((e) => ({
        level: 'error',
        message: { text: `${e.stage === 'read' ? 'cannot read' : 'could not check'} ${e.file}: ${e.message}` },
        locations: at(e.file),
      })),
      ...result.notices.map((n) => ({ level: 'warning', message: { text: n.message }, locations: at(n.file, n.line) })),
    ],
  };
}
