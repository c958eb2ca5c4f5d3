/** scripts/sources/pythoncapi-compat.ts: which names pythoncapi_compat.h provides, and below which version. */
import { describe, expect, it } from 'vitest';
import { SourceError } from '../scripts/lib/errors.ts';
import { readCompatManifest } from '../scripts/lib/read-compat-manifest.ts';
import { parseCompatHeader } from '../scripts/sources/pythoncapi-compat.ts';

const DOCS = 'pythoncapi_compat.h API\n\nSupported Python versions:\n\n* Python 3.6 - 3.15\n* PyPy 2.7\n';

const HEADER = `#ifndef PYTHONCAPI_COMPAT
#define PYTHONCAPI_COMPAT
#if PY_VERSION_HEX < 0x030A00A3 && !defined(Py_NewRef)
static inline PyObject* _Py_NewRef(PyObject *obj)
{
    Py_INCREF(obj);
    return obj;
}
#define Py_NewRef(obj) _Py_NewRef(_PyObject_CAST(obj))
#endif

// gh-106004 added PyDict_GetItemRef() to Python 3.13.0a1
#if PY_VERSION_HEX < 0x030D00A1
static inline int
PyDict_GetItemRef(PyObject *mp, PyObject *key, PyObject **result)
{
#if PY_VERSION_HEX >= 0x03000000
    PyObject *item = PyDict_GetItemWithError(mp, key);
#else
    PyObject *item = _PyDict_GetItemWithError(mp, key);
#endif
    return 0;
}
#endif

#if !defined(PYPY_VERSION)
static inline PyFrameObject* PyFrame_Helper(PyFrameObject *frame) { return frame; }
#endif
#endif
`;

describe('parseCompatHeader', () => {
  it('finds the public names defined under PY_VERSION_HEX < X, on one line or with the type on the line before', () => {
    expect(parseCompatHeader(HEADER, DOCS)).toEqual({
      oldest: '3.6',
      apis: [
        { name: 'PyDict_GetItemRef', before: '3.13', line: 15 },
        { name: 'Py_NewRef', before: '3.10', line: 9 },
      ],
    });
  });

  it('near miss: a helper with an underscore, a name under a test of something else, a call inside a body', () => {
    const names = parseCompatHeader(HEADER, DOCS).apis.map((a) => a.name);
    expect(names).not.toContain('_Py_NewRef');
    expect(names).not.toContain('PyFrame_Helper');
    expect(names).not.toContain('PyDict_GetItemWithError');
  });

  it('says which file and line is wrong', () => {
    expect(() => parseCompatHeader('#endif\n', DOCS, 'h.h')).toThrow(new SourceError('h.h', '#endif without #if', 'Is it pythoncapi_compat.h?', { line: 1 }));
    expect(() => parseCompatHeader(HEADER, 'no list here')).toThrow(/docs\/api\.rst: expected a "Supported Python versions:" list/);
  });
});

describe('the committed manifest', () => {
  it('names a commit and the names PyDict_GetItemRef and Py_NewRef with the versions the header tests', async () => {
    const manifest = await readCompatManifest();
    expect(manifest.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(manifest.apis.find((a) => a.name === 'PyDict_GetItemRef')?.before).toBe('3.13');
    expect(manifest.apis.find((a) => a.name === 'Py_NewRef')?.before).toBe('3.10');
  });
});
