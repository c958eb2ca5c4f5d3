/** The data contract: every schema of the dataset, and the types inferred from them. */
export * from './api.ts';
export * from './capi.ts';
export * from './compat.ts';
export * from './evidence.ts';
export * from './ownership.ts';
export * from './runtime.ts';
export * from './source.ts';
export * from './stable-abi.ts';
export * from './thread-safety.ts';
export * from './version.ts';
export * from './version-dataset.ts';
export * from './content.ts';
export * from './audit.ts';
export * from './hand-reading.ts';
export * from './errors.ts';
export * from './precondition.ts';
export * from './side-effect.ts';
