/**
 * Pure: which function frees a call's result when that result is memory rather than an object (PyMem_Malloc's
 * block, PyUnicode_AsWideCharString's buffer, Py_DecodeLocale's string), from the docs' prose (as docs-html.ts
 * renders it). A snippet or a checker needs it to release what the caller owns; refcounts.dat and the annotations
 * know only objects.
 *
 * Two readings, each a rule id recorded in the evidence:
 * - the call's own prose names the function ("use PyMem_Free() to free it", "The caller is responsible for freeing
 *   the returned string by calling PyMem_Free()", "It must be freed by PyInitConfig_Free()"), or names the
 *   allocator it uses ("allocated using PyMem_Malloc()"), whose freer the second reading gives;
 * - a freeing function's prose names the allocators whose memory it takes ("Frees the memory block pointed to by
 *   p, which must have been returned by a previous call to PyMem_Malloc(), PyMem_Realloc() or PyMem_Calloc()").
 * A wording the rules do not know yields nothing.
 */

export interface FreeWith {
  /** The function that frees the result. */
  readonly freeWith: string;
  /** The rule that read it. */
  readonly rule: string;
  /** For the allocator readings: where the freeing function's docs say so (its prose is the evidence). */
  readonly statedAt?: string;
}

/** A freeing function and where its docs are. */
export interface Freer {
  readonly name: string;
  readonly location: string;
}

const OWN_WORDS: readonly { id: string; pattern: RegExp }[] = [
  { id: 'use-to-free', pattern: /\buse (\w+)\(\) to free (?:it|the (?:memory|buffer|result|string))\b/ },
  { id: 'caller-frees-by-calling', pattern: /\bcaller is responsible for freeing the returned \w+ by calling (\w+)\(\)/ },
  { id: 'must-be-freed-by', pattern: /\b(?:It|The (?:result|returned \w+)) must be freed (?:by|with|using) (\w+)\(\)/ },
];
const ALLOCATED_USING = /\ballocated (?:using|by|with) (\w+)\(\)/;
const FREES_WHAT = /\bFrees the memory block pointed to by ⟦\w+⟧, which must have been returned by a previous call to ((?:\w+\(\)(?:, |,? or )?)+)/;

/**
 * The allocators each freeing function of a docs version takes memory from, by allocator: PyMem_Malloc →
 * PyMem_Free. From every entry's prose; the first freer named wins (the docs name one per allocator).
 */
export function freersByAllocator(entries: Iterable<{ readonly name: string; readonly prose: string; readonly location: string }>): Map<string, Freer> {
  const freers = new Map<string, Freer>();
  for (const { name, prose, location } of entries) {
    const m = FREES_WHAT.exec(prose);
    if (!m) continue;
    for (const allocator of m[1]!.matchAll(/(\w+)\(\)/g)) if (!freers.has(allocator[1]!)) freers.set(allocator[1]!, { name, location });
  }
  return freers;
}

/** How the result of the call `name`, whose prose this is, is freed; null where the docs do not say. */
export function findFreeWith(name: string, prose: string, freers: ReadonlyMap<string, Freer>): FreeWith | null {
  for (const { id, pattern } of OWN_WORDS) {
    const m = pattern.exec(prose);
    if (m) return { freeWith: m[1]!, rule: id };
  }
  const allocated = ALLOCATED_USING.exec(prose);
  const viaAllocator = allocated ? freers.get(allocated[1]!) : undefined;
  if (viaAllocator) return { freeWith: viaAllocator.name, rule: 'allocated-using', statedAt: viaAllocator.location };
  const freer = freers.get(name);
  return freer ? { freeWith: freer.name, rule: 'freed-by', statedAt: freer.location } : null;
}
