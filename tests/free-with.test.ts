/**
 * scripts/sources/free-with.ts: which function frees a result that is memory. The inline snippets are sentences of
 * the real docs (as docs-html.ts renders them); the last block reads the datasets built from the offline snapshot.
 */
import { describe, expect, it } from 'vitest';
import { findFreeWith, freersByAllocator } from '../scripts/sources/free-with.ts';
import { getVersion } from '../packages/capi-refs/src/data.ts';

const MEM_FREE =
  'Frees the memory block pointed to by ⟦p⟧, which must have been returned by a previous call to PyMem_Malloc(), PyMem_Realloc() or PyMem_Calloc(). Otherwise, or if PyMem_Free(p) has been called before, undefined behavior occurs.';
const freers = freersByAllocator([{ name: 'PyMem_Free', prose: MEM_FREE, location: 'https://docs.python.org/3.15/c-api/memory.html#c.PyMem_Free' }]);

describe('findFreeWith', () => {
  it('maps each allocator a freeing function names to that function, with where its docs say so', () => {
    expect([...freers.keys()]).toEqual(['PyMem_Malloc', 'PyMem_Realloc', 'PyMem_Calloc']);
    expect(findFreeWith('PyMem_Calloc', 'Allocates ⟦nelem⟧ elements each whose size in bytes is ⟦elsize⟧.', freers)).toEqual({
      freeWith: 'PyMem_Free',
      rule: 'freed-by',
      statedAt: 'https://docs.python.org/3.15/c-api/memory.html#c.PyMem_Free',
    });
  });

  it("reads the call's own words, which win over the allocator it names", () => {
    const wide = 'Returns a buffer allocated by PyMem_New (use PyMem_Free() to free it) on success.';
    expect(findFreeWith('PyUnicode_AsWideCharString', wide, freers)).toEqual({ freeWith: 'PyMem_Free', rule: 'use-to-free' });
    const locale = 'Return a pointer to a newly allocated wide character string, use PyMem_RawFree() to free the memory.';
    expect(findFreeWith('Py_DecodeLocale', locale, freers)?.freeWith).toBe('PyMem_RawFree');
    const double = 'The caller is responsible for freeing the returned string by calling PyMem_Free().';
    expect(findFreeWith('PyOS_double_to_string', double, freers)).toEqual({ freeWith: 'PyMem_Free', rule: 'caller-frees-by-calling' });
    expect(findFreeWith('PyInitConfig_Create', 'Create a new initialization configuration. It must be freed by PyInitConfig_Free().', freers)?.freeWith).toBe('PyInitConfig_Free');
  });

  it('follows an allocator the prose names to its freeing function', () => {
    const ucs4 = 'Copy the string ⟦unicode⟧ into a new UCS4 buffer that is allocated using PyMem_Malloc().';
    expect(findFreeWith('PyUnicode_AsUCS4Copy', ucs4, freers)).toMatchObject({ freeWith: 'PyMem_Free', rule: 'allocated-using' });
  });

  it('says nothing where the docs name no freeing function (near misses)', () => {
    expect(findFreeWith('PyUnicode_AsUTF8', 'Return a pointer to the UTF-8 encoding of the Unicode object. The caller is not responsible for deallocating the buffer.', freers)).toBeNull();
    expect(findFreeWith('PyObject_Malloc', 'Allocates ⟦n⟧ bytes.', freers)).toBeNull();
    expect(findFreeWith('PyUnicode_AsUCS4Copy', 'a new buffer that is allocated using malloc().', freers)).toBeNull();
  });
});

describe('returns.freeWith in the datasets', () => {
  it('names the freeing function of the allocators and of the calls whose docs say it, with docs-prose evidence', () => {
    for (const version of ['3.9', '3.11', '3.13', '3.14', '3.15'] as const) {
      const apis = getVersion(version).apis;
      expect(apis.get('PyMem_Malloc')!.returns!.freeWith, version).toBe('PyMem_Free');
      expect(apis.get('PyMem_RawCalloc')!.returns!.freeWith, version).toBe('PyMem_RawFree');
      expect(apis.get('PyObject_Realloc')!.returns!.freeWith, version).toBe('PyObject_Free');
      expect(apis.get('PyUnicode_AsWideCharString')!.returns!.freeWith, version).toBe('PyMem_Free');
      expect(apis.get('Py_DecodeLocale')!.returns!.freeWith, version).toBe('PyMem_RawFree');
      const evidence = apis.get('PyMem_Malloc')!.evidence.find((e) => e.field === 'returns.freeWith');
      expect(evidence, version).toMatchObject({ source: 'docs-prose', raw: 'freed-by', location: `https://docs.python.org/${version}/c-api/memory.html#c.PyMem_Free` });
      // Memory the caller does not own, and objects, have none.
      expect(apis.get('PyUnicode_AsUTF8')!.returns!.freeWith, version).toBeUndefined();
      expect(apis.get('PyObject_New')?.returns?.freeWith, version).toBeUndefined();
    }
  });
});
