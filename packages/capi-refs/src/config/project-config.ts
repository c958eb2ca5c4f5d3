/**
 * The project's checker settings, shared by `capi-refs check` and `capi-refs lsp`: a `capi-refs.toml`, or a
 * `[tool.capi-refs]` table in `pyproject.toml`, found in the folder of the code or the nearest one above it.
 *
 *   python = "3.13"              # the target version (default: the latest in the dataset)
 *   limited-api = "3.10"         # or false
 *   gil-disabled = false
 *   explain = false
 *   fail-on = "warning"          # error | warning | note | none (the CLI's exit status)
 *   [rules]                      # ([tool.capi-refs.rules] in pyproject.toml)
 *   reference-leak = "error"     # error | warning | note | off
 *
 * parseProjectConfig is pure; findProjectConfig reads files (through a ConfigFileCache in the language server).
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import type { Level } from '../rules/rule.ts';

export type RuleSetting = Level | 'off';
export type FailOn = Level | 'none';

export interface ProjectConfig {
  /** The file the settings come from. */
  readonly file: string;
  readonly python?: string;
  readonly limitedApi?: string | null;
  readonly gilDisabled?: boolean;
  readonly explain?: boolean;
  readonly failOn?: FailOn;
  readonly rules: Readonly<Record<string, RuleSetting>>;
}

export class ConfigError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'ConfigError';
  }
}

export const CONFIG_FILE = 'capi-refs.toml';
const PYPROJECT = 'pyproject.toml';
const KEYS = ['python', 'limited-api', 'gil-disabled', 'explain', 'fail-on', 'rules'] as const;
const RULE_SETTINGS: readonly RuleSetting[] = ['error', 'warning', 'note', 'off'];
const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'note', 'none'];
const VERSION = /^3\.\d+$/;

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/**
 * The settings in a TOML text. `file` names it in errors; a pyproject.toml without a `[tool.capi-refs]` table
 * gives null. `ruleIds` are the rules that exist: a setting for any other is an error, not a silent no-op.
 */
export function parseProjectConfig(text: string, file: string, ruleIds: ReadonlySet<string>): ProjectConfig | null {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text);
  } catch (error) {
    const where = error instanceof TomlError ? ` (line ${error.line}, column ${error.column})` : '';
    throw new ConfigError(file, `not valid TOML${where}: ${(error as Error).message.split('\n')[0]}`);
  }
  const inPyproject = path.basename(file) === PYPROJECT;
  const tool = inPyproject ? doc['tool'] : undefined;
  const table = inPyproject ? (isTable(tool) ? tool['capi-refs'] : undefined) : doc;
  if (table === undefined) return null;
  return settingsFromTable(table, file, inPyproject ? 'tool.capi-refs.' : '', ruleIds);
}

/**
 * The settings in one table (a TOML file's, or an editor's `capi-refs` settings object), checked: `where` names
 * its origin and `prefix` the table's path in errors.
 */
export function settingsFromTable(table: unknown, where: string, prefix: string, ruleIds: ReadonlySet<string>): ProjectConfig {
  if (!isTable(table)) throw new ConfigError(where, `${prefix ? prefix.slice(0, -1) : 'the settings'} must be a table`);
  const fail = (key: string, expected: string, got: unknown): never => {
    throw new ConfigError(where, `${prefix}${key} must be ${expected} (got ${JSON.stringify(got)})`);
  };
  for (const key of Object.keys(table)) {
    if (!(KEYS as readonly string[]).includes(key)) throw new ConfigError(where, `unknown setting ${prefix}${key}; the settings are ${KEYS.join(', ')}`);
  }
  const config: { -readonly [K in keyof ProjectConfig]: ProjectConfig[K] } = { file: where, rules: {} };
  const { python, explain } = table;
  const limitedApi = table['limited-api'];
  const gilDisabled = table['gil-disabled'];
  const failOn = table['fail-on'];
  if (python !== undefined) config.python = typeof python === 'string' && VERSION.test(python) ? python : fail('python', 'a version such as "3.13"', python);
  if (limitedApi !== undefined) {
    config.limitedApi = limitedApi === false ? null : typeof limitedApi === 'string' && VERSION.test(limitedApi) ? limitedApi : fail('limited-api', 'a version such as "3.10", or false', limitedApi);
  }
  if (gilDisabled !== undefined) config.gilDisabled = typeof gilDisabled === 'boolean' ? gilDisabled : fail('gil-disabled', 'true or false', gilDisabled);
  if (explain !== undefined) config.explain = typeof explain === 'boolean' ? explain : fail('explain', 'true or false', explain);
  if (failOn !== undefined) config.failOn = FAIL_ON.includes(failOn as FailOn) ? (failOn as FailOn) : fail('fail-on', FAIL_ON.join(', '), failOn);
  const rules = table['rules'];
  if (rules !== undefined) {
    if (!isTable(rules)) fail('rules', 'a table of rule = level', rules);
    const settings: Record<string, RuleSetting> = {};
    for (const [id, setting] of Object.entries(rules as Record<string, unknown>)) {
      if (!ruleIds.has(id)) throw new ConfigError(where, `${prefix}rules.${id}: no such rule; the rules are ${[...ruleIds].join(', ')}`);
      settings[id] = RULE_SETTINGS.includes(setting as RuleSetting) ? (setting as RuleSetting) : fail(`rules.${id}`, RULE_SETTINGS.join(', '), setting);
    }
    config.rules = settings;
  }
  return config;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (isMissing(error)) return null;
    throw new ConfigError(file, `cannot be read: ${(error as Error).message}`);
  }
}

/**
 * Settings files read once per version: a long-running process (the language server, asked on every edit and
 * hover) stats each candidate file and reads and parses it again only when its size or modification time changed.
 * A file that failed to parse fails the same way, from the cache, until it changes.
 */
export class ConfigFileCache {
  readonly #entries = new Map<string, { readonly stamp: string; readonly config: ProjectConfig | null; readonly error: ConfigError | null }>();

  async read(file: string, ruleIds: ReadonlySet<string>): Promise<ProjectConfig | null> {
    let stamp: string;
    try {
      const st = await stat(file);
      stamp = `${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch (error) {
      if (isMissing(error)) {
        this.#entries.delete(file);
        return null;
      }
      throw new ConfigError(file, `cannot be read: ${(error as Error).message}`);
    }
    let entry = this.#entries.get(file);
    if (entry?.stamp !== stamp) {
      try {
        entry = { stamp, config: await parseFile(file, ruleIds), error: null };
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        entry = { stamp, config: null, error };
      }
      this.#entries.set(file, entry);
    }
    if (entry.error) throw entry.error;
    return entry.config;
  }
}

async function parseFile(file: string, ruleIds: ReadonlySet<string>): Promise<ProjectConfig | null> {
  const text = await readIfExists(file);
  return text === null ? null : parseProjectConfig(text, file, ruleIds);
}

/**
 * The settings that apply to code in `dir`: its own or the nearest folder's above it that has a capi-refs.toml,
 * or a pyproject.toml with a [tool.capi-refs] table (capi-refs.toml first in the same folder); null when none does.
 * With a `cache`, files unchanged since it last read them are not read again.
 */
export async function findProjectConfig(dir: string, ruleIds: ReadonlySet<string>, cache?: ConfigFileCache): Promise<ProjectConfig | null> {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    for (const name of [CONFIG_FILE, PYPROJECT]) {
      const file = path.join(at, name);
      const config = cache ? await cache.read(file, ruleIds) : await parseFile(file, ruleIds);
      if (config) return config;
    }
    if (path.dirname(at) === at) return null;
  }
}

/** Reads one named settings file; an error when it is missing or, for a pyproject.toml, has no [tool.capi-refs]. */
export async function readProjectConfig(file: string, ruleIds: ReadonlySet<string>): Promise<ProjectConfig> {
  const text = await readIfExists(file);
  if (text === null) throw new ConfigError(file, 'no such file');
  const config = parseProjectConfig(text, file, ruleIds);
  if (!config) throw new ConfigError(file, 'has no [tool.capi-refs] table');
  return config;
}
