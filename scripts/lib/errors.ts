/**
 * The one error type the pipeline throws on bad or unreachable input.
 * Its message always names where the problem is (file and line, or URL),
 * what was expected there, and what the user can do about it.
 */
export class SourceError extends Error {
  readonly location: string;
  readonly line: number | undefined;

  constructor(
    location: string,
    problem: string,
    remedy: string,
    options: { line?: number; cause?: unknown } = {},
  ) {
    const where = options.line === undefined ? location : `${location}:${options.line}`;
    super(`${where}: ${problem}. ${remedy}`, { cause: options.cause });
    this.name = 'SourceError';
    this.location = location;
    this.line = options.line;
  }
}
