/**
 * The file's own macros, expanded where a function body uses them: `CLEANUP;` or `RETURN_IF_ERROR(x);` in
 * statement position becomes the statements of its body, and `NEW_REF(x)` in an expression becomes the
 * expression of its body, with the arguments put in for the parameters. Everything an expansion produces is
 * placed at the use, where a finding about it belongs. Names the dataset knows (compatibility shims such as
 * `#define Py_NewRef(o) ...`) are not expanded: the dataset says what they do.
 */
import type { Node as TsNode, Parser, Tree } from 'web-tree-sitter';

export interface FileMacro {
  readonly name: string;
  /** null for an object-like macro. */
  readonly params: readonly string[] | null;
  readonly body: string;
}

/** Expansions nested deeper than this are left as they are written (a macro using a macro using a macro...). */
export const MAX_EXPANSION_DEPTH = 8;
/** Bodies longer than this are not expanded: they are tables or code generators, not statement helpers. */
const MAX_BODY_LENGTH = 4000;

const WRAPPER = 'void capi_refs_macro(void) {\n';

/** The file's macros with a body, by name (a later definition of a name replaces an earlier one). */
export function readFileMacros(definitions: readonly TsNode[]): Map<string, FileMacro> {
  const macros = new Map<string, FileMacro>();
  for (const def of definitions) {
    const name = def.childForFieldName('name')?.text;
    const body = def.childForFieldName('value')?.text.replace(/\\\r?\n/g, ' ').trim();
    if (!name || !body || body.length > MAX_BODY_LENGTH || body.includes('#')) continue;
    const paramList = def.type === 'preproc_function_def' ? def.childForFieldName('parameters') : null;
    const params = paramList
      ? paramList.namedChildren.filter((c): c is TsNode => c !== null).map((c) => (c.type === 'identifier' ? c.text : '__VA_ARGS__'))
      : null;
    macros.set(name, { name, params, body });
  }
  return macros;
}

/** The body with each parameter replaced by its argument's text (whole identifiers only). */
export function substitute(macro: FileMacro, args: readonly string[]): string {
  if (!macro.params || macro.params.length === 0) return macro.body;
  const values = new Map<string, string>();
  macro.params.forEach((p, i) => {
    values.set(p, p === '__VA_ARGS__' ? args.slice(i).join(', ') : (args[i] ?? ''));
  });
  return macro.body.replace(/[A-Za-z_]\w*/g, (word) => values.get(word) ?? word);
}

/** The nodes of an expansion, valid until the expander is disposed of. */
export interface Expansion {
  readonly nodes: readonly TsNode[];
}

export class MacroExpander {
  readonly #parser: Parser;
  readonly #macros: ReadonlyMap<string, FileMacro>;
  readonly #isKnownName: (name: string) => boolean;
  /**
   * Each expansion text parsed once per file: a macro is used with the same arguments again and again
   * (`CHECK_RELEASED(self)` in every method). The trees live until dispose().
   */
  readonly #parsed = new Map<string, Expansion | null>();
  readonly #trees: Tree[] = [];

  constructor(parser: Parser, macros: ReadonlyMap<string, FileMacro>, isKnownName: (name: string) => boolean) {
    this.#parser = parser;
    this.#macros = macros;
    this.#isKnownName = isKnownName;
  }

  /** The macro a use names, if it is one of the file's and not a name the dataset knows. */
  macro(name: string, called: boolean): FileMacro | null {
    const m = this.#macros.get(name);
    if (!m || this.#isKnownName(name) || (m.params !== null) !== called) return null;
    return m;
  }

  /** The statements of an expansion, or null. */
  statements(macro: FileMacro, args: readonly string[]): Expansion | null {
    return this.#parse(`${WRAPPER}${substitute(macro, args)}\n;}\n`, (body) => {
      const block = body.rootNode.namedChildren[0]?.childForFieldName('body');
      return block && !block.hasError ? block.namedChildren.filter((c): c is TsNode => c !== null && c.type !== 'comment') : null;
    });
  }

  /** The expression of an expansion (one node), or null when the body is not a single expression. */
  expression(macro: FileMacro, args: readonly string[]): Expansion | null {
    return this.#parse(`${WRAPPER}(${substitute(macro, args)});\n}\n`, (body) => {
      const statement = body.rootNode.namedChildren[0]?.childForFieldName('body')?.namedChildren[0];
      const expr = statement?.type === 'expression_statement' ? statement.namedChildren[0] : null;
      return expr && !statement!.hasError ? [expr] : null;
    });
  }

  /** Frees the trees of every expansion handed out. */
  dispose(): void {
    for (const tree of this.#trees) tree.delete();
    this.#trees.length = 0;
    this.#parsed.clear();
  }

  #parse(text: string, read: (tree: Tree) => TsNode[] | null): Expansion | null {
    if (this.#parsed.has(text)) return this.#parsed.get(text)!;
    const tree = this.#parser.parse(text);
    const nodes = tree ? read(tree) : null;
    if (tree && nodes) this.#trees.push(tree);
    else tree?.delete();
    const expansion = nodes ? { nodes } : null;
    this.#parsed.set(text, expansion);
    return expansion;
  }
}
