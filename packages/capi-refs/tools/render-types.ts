/**
 * TypeScript types generated from the zod schemas of src/schema (the data contract), for the npm package: plain
 * types, so that consumers need neither zod nor the repository. The zod schemas go through z.toJSONSchema (the
 * same conversion that makes data/schema) and each JSON Schema node becomes a type; a node equal to a named schema
 * becomes a reference to that name. tests/tools/package-types.test.ts proves the result equals z.infer<...>.
 */
import { z } from 'zod';
import * as schema from '../../../src/schema/index.ts';

/** The schemas exported as named types, in dependency order. */
const NAMED: readonly [string, z.ZodType][] = [
  ['PythonVersion', schema.PythonVersion],
  ['MinorVersion', schema.MinorVersion],
  ['ReturnOwnership', schema.ReturnOwnership],
  ['ParamOwnership', schema.ParamOwnership],
  ['Confidence', schema.Confidence],
  ['ThreadSafetyLevel', schema.ThreadSafetyLevel],
  ['ThreadSafety', schema.ThreadSafety],
  ['StableAbi', schema.StableAbi],
  ['EvidenceSource', schema.EvidenceSource],
  ['Evidence', schema.Evidence],
  ['Conflict', schema.Conflict],
  ['ApiKind', schema.ApiKind],
  ['ErrorConvention', schema.ErrorConvention],
  ['Errors', schema.Errors],
  ['HeaderLocation', schema.HeaderLocation],
  ['BorrowedFrom', schema.BorrowedFrom],
  ['Returns', schema.Returns],
  ['Param', schema.Param],
  ['VersionNote', schema.VersionNote],
  ['Deprecation', schema.Deprecation],
  ['Removal', schema.Removal],
  ['Replacement', schema.Replacement],
  ['ReturnValue', schema.ReturnValue],
  ['PreconditionKind', schema.PreconditionKind],
  ['Precondition', schema.Precondition],
  ['SideEffectKind', schema.SideEffectKind],
  ['SideEffect', schema.SideEffect],
  ['Api', schema.Api],
  ['SourceFile', schema.SourceFile],
  ['Coverage', schema.Coverage],
  ['VersionDataset', schema.VersionDataset],
  ['ApiChange', schema.ApiChange],
  ['CompatBackport', schema.CompatBackport],
  ['ApiHistory', schema.ApiHistory],
  ['CombinedDataset', schema.CombinedDataset],
];

type Json = { [key: string]: unknown };

function jsonSchema(s: z.ZodType): Json {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { target: 'draft-2020-12', io: 'output' }) as Json;
  return rest;
}

/** The shape of a node, without descriptions, to recognise a named schema inside another. */
function shapeKey(node: unknown): string {
  return JSON.stringify(node, (key, value) => (key === 'description' ? undefined : value));
}

const isPrimitiveName = (name: string): boolean => name === 'PythonVersion' || name === 'MinorVersion';

function render(node: Json, names: ReadonlyMap<string, string>, self: string | null, indent: string): string {
  const key = shapeKey(node);
  const named = names.get(key);
  // Plain strings with a pattern (versions) are only named where they are the whole schema.
  if (named && self === null && !isPrimitiveName(named)) return named;
  if (Array.isArray(node.anyOf)) {
    return (node.anyOf as Json[]).map((n) => render(n, names, null, indent)).join(' | ');
  }
  if (Array.isArray(node.type)) {
    return (node.type as string[]).map((t) => render({ ...node, type: t }, names, null, indent)).join(' | ');
  }
  if (Array.isArray(node.enum)) return (node.enum as unknown[]).map((v) => JSON.stringify(v)).join(' | ');
  switch (node.type) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'number':
    case 'integer':
      return 'number';
    case 'null':
      return 'null';
    case 'array': {
      const item = render(node.items as Json, names, null, indent);
      return /[|&]/.test(item) && !item.startsWith('{') ? `(${item})[]` : `${item}[]`;
    }
    case 'object': {
      if (node.properties === undefined && node.additionalProperties && typeof node.additionalProperties === 'object') {
        return `{ [name: string]: ${render(node.additionalProperties as Json, names, null, indent)} }`;
      }
      const required = new Set((node.required as string[] | undefined) ?? []);
      const inner = indent + '  ';
      const lines = Object.entries((node.properties ?? {}) as Record<string, Json>).map(([prop, value]) => {
        const doc = typeof value.description === 'string' ? `${inner}/** ${value.description.replace(/\*\//g, '*\\/')} */\n` : '';
        const propKey = /^[A-Za-z_$][\w$]*$/.test(prop) ? prop : JSON.stringify(prop);
        return `${doc}${inner}${propKey}${required.has(prop) ? '' : '?'}: ${render(value, names, null, inner)};`;
      });
      return `{\n${lines.join('\n')}\n${indent}}`;
    }
    default:
      throw new Error(`render-types: unsupported JSON Schema node ${key.slice(0, 200)}`);
  }
}

export function renderTypes(): string {
  const schemas = NAMED.map(([name, s]) => [name, jsonSchema(s)] as const);
  const names = new Map<string, string>();
  for (const [name, s] of schemas) if (!names.has(shapeKey(s))) names.set(shapeKey(s), name);
  const out = [
    '// Generated from the zod schemas in src/schema by scripts/build-package.ts; do not edit.',
    '// The data contract of capi-refs as plain TypeScript types (no zod needed).',
    '',
  ];
  for (const [name, s] of schemas) {
    if (typeof s.description === 'string') out.push(`/** ${s.description.replace(/\*\//g, '*\\/')} */`);
    out.push(`export type ${name} = ${render(s, names, name, '')};`, '');
  }
  return out.join('\n');
}
