/** The dataset's fields, documented from the zod schemas (the same descriptions the JSON Schema carries). */
import { z } from 'zod';

export type FieldDoc = { path: string; type: string; description: string };

type JsonSchema = {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  additionalProperties?: JsonSchema | boolean;
};

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((e) => JSON.stringify(e)).join(' | ');
  if (s.anyOf) return s.anyOf.map(typeOf).join(' | ');
  if (s.type === 'array') return `${s.items ? typeOf(s.items) : 'any'}[]`;
  if (Array.isArray(s.type)) return s.type.join(' | ');
  return s.type ?? 'any';
}

function walk(s: JsonSchema, prefix: string, out: FieldDoc[], depth: number): void {
  const obj = s.anyOf?.find((x) => x.properties) ?? (s.type === 'array' && s.items ? s.items : s);
  const target = obj.anyOf?.find((x) => x.properties) ?? obj;
  if (!target.properties) return;
  for (const [k, v] of Object.entries(target.properties)) {
    const path = prefix ? `${prefix}.${k}` : k;
    const inner = v.anyOf?.find((x) => x.description) ?? v;
    out.push({ path, type: typeOf(v).replace(/"object"|object/g, '{…}'), description: v.description ?? inner.description ?? '' });
    if (depth < 2) walk(v.type === 'array' && v.items ? v.items : v, v.type === 'array' ? `${path}[]` : path, out, depth + 1);
  }
}

export function fieldDocs(schema: z.ZodType): FieldDoc[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const out: FieldDoc[] = [];
  walk(json, '', out, 0);
  return out;
}
