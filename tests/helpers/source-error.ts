import { expect } from 'vitest';
import { SourceError } from '../../scripts/lib/errors.ts';

/** Runs `fn`, which must throw a SourceError, and returns it so the test can check what it says. */
export function sourceErrorOf(fn: () => unknown): SourceError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SourceError);
    return error as SourceError;
  }
  throw new Error('expected a SourceError, but nothing was thrown');
}
