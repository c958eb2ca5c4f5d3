import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const DATA_DIR = path.join(REPO_ROOT, 'data');
export const VERSIONS_DIR = path.join(DATA_DIR, 'versions');
export const COMBINED_FILE = path.join(DATA_DIR, 'capi.json');
export const AUDIT_FILE = path.join(DATA_DIR, 'audit.json');
export const SCHEMA_DIR = path.join(DATA_DIR, 'schema');
/** The one hand-maintained input of the pipeline (see scripts/sources/hand-readings.ts). */
export const HAND_READINGS_FILE = path.join(REPO_ROOT, 'scripts/sources/hand-readings.toml');
export const COMPAT_MANIFEST_FILE = path.join(REPO_ROOT, 'scripts/sources/pythoncapi-compat.json');
/** The offline snapshot beside the repository (see ../shared/cpython/PROVENANCE.md). */
export const SNAPSHOT_DIR = path.resolve(REPO_ROOT, '../shared/cpython');
/** The versions the committed dataset covers: those the offline snapshot has. */
export const SNAPSHOT_VERSIONS = ['3.9', '3.11', '3.13', '3.14', '3.15'] as const;

