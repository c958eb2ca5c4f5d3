import { z } from 'zod';

export const ThreadSafetyLevel = z
  .enum(['incompatible', 'compatible', 'distinct', 'shared', 'atomic'])
  .describe(
    "The docs' thread-safety level for free-threaded builds. incompatible: not safe to call from several threads at all. " +
      'compatible: safe with external synchronization only. distinct: safe on distinct objects. ' +
      'shared: safe on a shared object, with the caveats the docs give. atomic: behaves as one atomic operation.',
  );
export type ThreadSafetyLevel = z.infer<typeof ThreadSafetyLevel>;

export const ThreadSafety = z.object({ level: ThreadSafetyLevel }).strict();
export type ThreadSafety = z.infer<typeof ThreadSafety>;
