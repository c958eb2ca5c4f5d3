/**
 * lowerExpression (analysis/expressions.ts) reads a node's fields from its children's positions when the children
 * are exactly its production, and by field name otherwise (a comment or a recovered error between them): both
 * ways give the same expression, on a real parse.
 */
import { describe, expect, it } from 'vitest';
import type { Node as TsNode } from 'web-tree-sitter';
import { loadParser } from '../../packages/capi-refs/src/check.ts';
import { lowerExpression, type Expr } from '../../packages/capi-refs/src/analysis/expressions.ts';

/** The expression without its spans (a comment moves them). */
function shape(e: Expr): unknown {
  return JSON.parse(JSON.stringify(e, (key, value) => (key === 'span' ? undefined : value)));
}

async function lowered(expression: string): Promise<unknown> {
  const tree = (await loadParser()).parse(`void g(void)\n{\n    ${expression};\n}\n`)!;
  try {
    const body = tree.rootNode.namedChildren[0]!.childForFieldName('body')!;
    const statement = body.namedChildren.find((c) => c?.type === 'expression_statement')!;
    const node = statement.namedChildren.find((c) => c?.type !== 'comment') as TsNode;
    return shape(lowerExpression(node));
  } finally {
    tree.delete();
  }
}

const CASES: [string, string, unknown][] = [
  ['a = b', 'a /* c */ = b', { t: 'assign', op: '=', left: { t: 'name', name: 'a' }, right: { t: 'name', name: 'b' } }],
  ['a += 1', 'a /* c */ += 1', { t: 'assign', op: '+=', left: { t: 'name', name: 'a' }, right: { t: 'number', value: 1 } }],
  ['a == NULL', 'a /* c */ == NULL', { t: 'binary', op: '==', left: { t: 'name', name: 'a' }, right: { t: 'null' } }],
  ['self->dict', 'self /* c */ -> dict', { t: 'member', base: { t: 'name', name: 'self' }, field: 'dict', arrow: true }],
  ['st.cache', 'st /* c */ . cache', { t: 'member', base: { t: 'name', name: 'st' }, field: 'cache', arrow: false }],
  ['&obj', '& /* c */ obj', { t: 'address', of: { t: 'name', name: 'obj' } }],
  ['*p', '* /* c */ p', { t: 'deref', of: { t: 'name', name: 'p' } }],
  ['!ok', '! /* c */ ok', { t: 'not', of: { t: 'name', name: 'ok' } }],
  ['-n', '- /* c */ n', { t: 'other', parts: [{ t: 'name', name: 'n' }] }],
  ['Py_DECREF(x)', 'Py_DECREF /* c */ (x)', { t: 'call', callee: 'Py_DECREF', calleeExpr: null, args: [{ t: 'name', name: 'x' }] }],
];

describe('lowerExpression', () => {
  for (const [plain, commented, expected] of CASES) {
    it(`lowers \`${plain}\` by position and \`${commented}\` by field name alike`, async () => {
      expect(await lowered(plain)).toEqual(expected);
      expect(await lowered(commented)).toEqual(expected);
    });
  }
});
