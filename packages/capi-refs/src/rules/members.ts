/** What the member rules share: which members of an object type own references, and who handles them. */
import type { FunctionAnalysis } from '../analysis/engine.ts';
import { memoized } from '../analysis/memo.ts';
import { membersHandled, selfTypeName } from '../analysis/object-types.ts';
import type { RuleContext } from './rule.ts';

/**
 * The members of a type (by name) that hold strong references: stored with a new reference or released
 * somewhere in the file by a function working on that type. Where the file declares the struct, only its object
 * members not said to be borrowed count; where the struct is declared elsewhere (a header), what the file does
 * is all there is to go on.
 */
export function ownedMembers(typeName: string, ctx: RuleContext): readonly string[] {
  // Asked for each function of the type by each member rule: worked out once per file and type.
  const byType = memoized(OWNED_MEMBERS, ctx.unit, () => new Map<string, readonly string[]>());
  return memoized(byType, typeName, () => readOwnedMembers(typeName, ctx));
}

const OWNED_MEMBERS = new WeakMap<RuleContext['unit'], Map<string, readonly string[]>>();

function readOwnedMembers(typeName: string, ctx: RuleContext): string[] {
  const owning = new Set<string>();
  for (const fn of ctx.unit.functions) {
    if (selfTypeName(fn.fn) !== typeName) continue;
    for (const o of fn.observations) if (o.type === 'member-store') owning.add(o.field);
    for (const m of ctx.unit.memberFacts.get(fn.fn.name)?.released ?? []) owning.add(m);
  }
  const declared = ctx.unit.objectTypes.get(typeName);
  if (!declared) return [...owning].sort();
  return declared.members.filter((m) => !m.notOwned && owning.has(m.name)).map((m) => m.name);
}

/** The functions the file registers for each slot. */
export function slotFunctions(ctx: RuleContext): ReadonlyMap<string, string[]> {
  return memoized(SLOT_FUNCTIONS, ctx.unit, () => readSlotFunctions(ctx));
}

const SLOT_FUNCTIONS = new WeakMap<RuleContext['unit'], ReadonlyMap<string, string[]>>();

function readSlotFunctions(ctx: RuleContext): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [name, role] of ctx.unit.roles) {
    if (!role.slot) continue;
    out.set(role.slot, [...(out.get(role.slot) ?? []), name]);
  }
  return out;
}

/** The file's functions registered for one slot, with the name of the object type they work on. */
export function* slotImplementations(slot: string, ctx: RuleContext): Generator<{ fn: FunctionAnalysis; typeName: string }> {
  for (const fn of ctx.unit.functions) {
    if (ctx.unit.roles.get(fn.fn.name)?.slot !== slot) continue;
    const typeName = selfTypeName(fn.fn);
    if (typeName) yield { fn, typeName };
  }
}

export function handled(name: string, what: 'released' | 'visited', ctx: RuleContext): { members: Set<string>; opaque: boolean } {
  return membersHandled(name, what, ctx.unit.memberFacts, slotFunctions(ctx), (callee) => ctx.index.apis.has(callee));
}
