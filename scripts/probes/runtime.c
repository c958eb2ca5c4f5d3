/* capi-refs runtime probes: the fixed part of the generated runner (see scripts/probes/c-generator.ts).
 * The runner is an extension module (capi_probes), compiled against the headers of the CPython debug build it is
 * loaded into, the same way for every version. `capi_probes.run(NAME, EXP...)` runs the experiments of one probe in
 * order and prints one JSON line per experiment, flushed before the next starts, so that a crash (signal, failed
 * assertion) loses only the experiment that was running; then it ends the process. EXP is R (repeat: the same call
 * three times on the same arguments, to classify a returned pre-existing object), S (one call that should succeed)
 * or F (one call built to fail). */
#include <Python.h>
#include <frameobject.h>
#include <datetime.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#if PY_VERSION_HEX < 0x030A0000
/* Py_NewRef came with 3.10; the builders below use it on 3.9 too. */
static inline PyObject *Py_NewRef(PyObject *o) { Py_INCREF(o); return o; }
#endif

#define MAXP 12
enum { P_NONE = 0, P_OBJ, P_TYPE, P_SLOT, P_SSIZE, P_INT, P_LONG, P_ULONG, P_LLONG, P_ULLONG, P_SIZE, P_DOUBLE,
       P_STR, P_UCS4, P_SSIZE_OUT, P_INT_OUT, P_CHAR, P_UINT };

typedef struct {
  PyObject *o[MAXP];     /* object arguments (P_OBJ, P_TYPE) */
  PyObject *slot[MAXP];  /* PyObject ** arguments point here */
  PyObject *slot0[MAXP]; /* what the slot held before the call (in-out) */
  Py_ssize_t ss[MAXP];
  Py_ssize_t ssout[MAXP];
  int iv[MAXP];
  int iout[MAXP];
  long lv[MAXP];
  unsigned long ulv[MAXP];
  long long llv[MAXP];
  unsigned long long ullv[MAXP];
  unsigned int uiv[MAXP];
  size_t szv[MAXP];
  double dv[MAXP];
  const char *sv[MAXP];
  Py_UCS4 uv[MAXP];
  char cv[MAXP];
  PyObject *ret;      /* object return, if any */
  long long iret;     /* a scalar return (a pointer return: 0, or -1 for NULL) */
  int hasIret;
} Args;

typedef struct {
  const char *name;
  int nparams;
  int kind[MAXP];
  int witness[MAXP]; /* 1: the probe keeps an extra reference so the object can be measured after a steal */
  int returnsObject;
  int hasFailure;
  void (*build)(Args *, int fail);
  void (*call)(Args *);
} Spec;

static PyObject *g_ns; /* the prelude's namespace */
static int is_null(const void *p) { return p == NULL; } /* a pointer return, without -Waddress on macros */
/* Scratch space for the non-object pointers some functions take (see RAW in arguments.ts). */
static char *g_charp;
static int g_anchor;
static wchar_t g_wbuf[64];
static Py_UCS4 g_ucs4buf[64];
static size_t g_size;
static unsigned char g_bytes[16];
static FILE *probe_file(void) {
  FILE *f = tmpfile();
  if (!f) abort();
  fputs("attr = 1\n", f);
  rewind(f);
  return f;
}

static PyObject *ns_call(const char *fn) {
  PyObject *f = PyDict_GetItemString(g_ns, fn);
  if (!f) { fprintf(stderr, "prelude lacks %s\n", fn); abort(); }
  PyObject *r = PyObject_CallNoArgs(f);
  if (!r) { PyErr_Print(); abort(); }
  return r;
}

/* Builders: every call returns a new reference to a fresh, non-cached object. */
static PyObject *mk_leaf(void) { return ns_call("Leaf"); }
static PyObject *mk_obj(void) { return ns_call("Obj"); }
static PyObject *mk_str(void) { return PyUnicode_FromString("attr"); }
static PyObject *mk_str_missing(void) { return PyUnicode_FromString("missing"); }
static PyObject *mk_modname(void) { return PyUnicode_FromString("string"); }
static PyObject *mk_bytes(void) { return PyBytes_FromString("attr"); }
static PyObject *mk_bytearray(void) { return PyByteArray_FromStringAndSize("attr", 4); }
static PyObject *mk_int(void) { return PyLong_FromLong(1000); }
static PyObject *mk_float(void) { return PyFloat_FromDouble(1.5); }
static PyObject *mk_complex(void) { return PyComplex_FromDoubles(1.5, 2.5); }
static PyObject *mk_list(void) { return ns_call("mk_list"); }
static PyObject *mk_tuple(void) { return ns_call("mk_tuple"); }
static PyObject *mk_dict(void) { return ns_call("mk_dict"); }
static PyObject *mk_set(void) { return ns_call("mk_set"); }
static PyObject *mk_frozenset(void) { return ns_call("mk_frozenset"); }
static PyObject *mk_iter(void) { return ns_call("mk_iter"); }
static PyObject *mk_module(void) { return ns_call("mk_module"); }
static PyObject *mk_exc(void) { return ns_call("mk_exc"); }
static PyObject *mk_exc_type(void) { return ns_call("mk_exc_type"); }
static PyObject *mk_type(void) { return ns_call("mk_type"); }
static PyObject *mk_tb(void) { return ns_call("mk_tb"); }
static PyObject *mk_code(void) { return ns_call("mk_code"); }
static PyObject *mk_code_raising(void) { return ns_call("mk_code_raising"); }
static PyObject *mk_function(void) { return ns_call("mk_function"); }
static PyObject *mk_slice(void) { return ns_call("mk_slice"); }
static PyObject *mk_memoryview(void) { return ns_call("mk_memoryview"); }
static PyObject *mk_cell(void) { return ns_call("mk_cell"); }
static PyObject *mk_weakref(void) { return ns_call("mk_weakref"); }
static PyObject *mk_method(void) { return ns_call("mk_method"); }
static PyObject *mk_frame(void) { return ns_call("mk_frame"); }
static PyObject *mk_gen(void) { return ns_call("mk_gen"); }
static PyObject *mk_contextvar(void) { return ns_call("mk_contextvar"); }
static PyObject *mk_context(void) { return ns_call("mk_context"); }
/* PyContextVar_Reset needs a token of the same variable it is given: the variable is kept between the two builders. */
static PyObject *g_context_var;
static PyObject *mk_contextvar_kept(void) { Py_XDECREF(g_context_var); g_context_var = mk_contextvar(); return Py_NewRef(g_context_var); }
static PyObject *mk_token_of_kept(void) {
  if (!g_context_var) g_context_var = mk_contextvar();
  PyObject *value = mk_leaf();
  PyObject *token = PyContextVar_Set(g_context_var, value);
  Py_XDECREF(value);
  return token;
}
static PyObject *mk_capsule(void) { return PyCapsule_New((void *)&g_ns, "probe.capsule", NULL); }
static PyObject *mk_unicode_error(void) { return ns_call("mk_unicode_error"); }
static PyObject *mk_unicode_encode_error(void) { return ns_call("mk_unicode_encode_error"); }
static PyObject *mk_unicode_translate_error(void) { return ns_call("mk_unicode_translate_error"); }
static PyObject *mk_date(void) { return ns_call("mk_date"); }
static PyObject *mk_datetime(void) { return ns_call("mk_datetime"); }
static PyObject *mk_time(void) { return ns_call("mk_time"); }
static PyObject *mk_delta(void) { return ns_call("mk_delta"); }
static PyObject *mk_tzinfo(void) { return ns_call("mk_tzinfo"); }
/* Setups for `before`: raise / handle a fresh exception without leaking the probe's reference to it. */
static void set_value_error(void) { PyObject *e = mk_exc(); PyErr_SetObject(PyExc_ValueError, e); Py_DECREF(e); }
#if PY_VERSION_HEX >= 0x030B0000
static void set_handled_exception(void) { PyObject *e = mk_exc(); PyErr_SetHandledException(e); Py_DECREF(e); }
#endif
static PyObject *mk_exc_full(void) { return ns_call("mk_exc_full"); }
static PyObject *mk_gen_started(void) { return ns_call("mk_gen_started"); }
static PyObject *mk_dictproxy(void) { return ns_call("mk_dictproxy"); }
static PyObject *mk_seq_items(void) { return ns_call("mk_seq_items"); }

/* How many GC-tracked objects refer to `o` (gc.get_referrers): holders the probe did not clear. The count includes
 * the call's own argument tuple; it is only ever compared with another count taken the same way. */
static Py_ssize_t holders(PyObject *o) {
  if (o == NULL) return 0;
  PyObject *f = PyDict_GetItemString(g_ns, "_holders");
  PyObject *r = PyObject_CallOneArg(f, o);
  if (!r) { PyErr_Clear(); return -1; }
  Py_ssize_t n = PyLong_AsSsize_t(r);
  Py_DECREF(r);
  return n;
}

/* Drop every reference `o` holds to other objects, without deallocating `o` itself. */
static void clear_holder(PyObject *o) {
  if (o == NULL || PyType_Check(o)) return;
  if (PyTuple_CheckExact(o)) {
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(o); i++) Py_CLEAR(((PyTupleObject *)o)->ob_item[i]);
    return;
  }
  inquiry clear = Py_TYPE(o)->tp_clear;
  if (clear) clear(o);
}

static void json_str(const char *s) {
  putchar('"');
  for (; *s; s++) { if (*s == '"' || *s == '\\') putchar('\\'); putchar(*s); }
  putchar('"');
}

static int is_obj(int k) { return k == P_OBJ || k == P_TYPE; }

static void add_refs(Args *A, const Spec *s, int n) {
  for (int i = 0; i < s->nparams; i++)
    if (is_obj(s->kind[i]) && A->o[i]) for (int k = 0; k < n; k++) Py_INCREF(A->o[i]);
}

/* R: call three times with the same arguments (each object argument carries spare references, so steals cannot
 * free it). The same object each time, with its count rising by one per call: a new reference; unchanged: borrowed. */
static int run_repeat(const Spec *s) {
  Args A;
  memset(&A, 0, sizeof A);
  s->build(&A, 0);
  add_refs(&A, s, 4);
  PyObject *r[3];
  Py_ssize_t rc[3];
  int err[3];
  for (int k = 0; k < 3; k++) {
    for (int i = 0; i < s->nparams; i++) if (s->kind[i] == P_SLOT) { A.slot[i] = A.slot0[i]; Py_XINCREF(A.slot[i]); }
    A.ret = NULL;
    s->call(&A);
    r[k] = A.ret;
    rc[k] = r[k] ? Py_REFCNT(r[k]) : 0;
    err[k] = PyErr_Occurred() != NULL;
    PyErr_Clear();
    if (r[k]) Py_INCREF(r[k]); /* keep it alive whatever it is; leaked on purpose */
    if (r[k]) rc[k] = Py_REFCNT(r[k]) - 1;
  }
  int same = r[0] && r[0] == r[1] && r[1] == r[2];
  int argIndex = -1;
  for (int i = 0; i < s->nparams; i++) if (is_obj(s->kind[i]) && r[0] && A.o[i] == r[0]) argIndex = i;
  /* the probe's own keep-alive references taken after each call are excluded above; later calls see them though */
  printf("{\"exp\":\"R\",\"null\":[%d,%d,%d],\"err\":[%d,%d,%d],\"same\":%d,\"argIndex\":%d,\"rc\":[%zd,%zd,%zd]}\n",
         r[0] == NULL, r[1] == NULL, r[2] == NULL, err[0], err[1], err[2], same, argIndex, rc[0], rc[1], rc[2]);
  fflush(stdout);
  if (!same) return 0;
  Py_ssize_t d1 = rc[1] - rc[0] - 1, d2 = rc[2] - rc[1] - 1; /* minus the keep-alive reference of the call before */
  if (d1 == d2 && d1 == 1) return 1;
  if (d1 == d2 && d1 == 0) return 2;
  return 0;
}

/* S / F: one call. For each object argument: its count before the call (b), right after (a), and after the probe
 * released every other reference it could account for (c). */
static void run_once(const Spec *s, int fail, int retMode) {
  Args A;
  memset(&A, 0, sizeof A);
  s->build(&A, fail);
  Py_ssize_t b[MAXP], a[MAXP], c[MAXP];
  for (int i = 0; i < s->nparams; i++) {
    b[i] = a[i] = c[i] = -1;
    if (is_obj(s->kind[i]) && A.o[i] && s->witness[i]) { Py_INCREF(A.o[i]); b[i] = Py_REFCNT(A.o[i]); }
    if (s->kind[i] == P_SLOT) {
      A.slot[i] = A.slot0[i];
      if (A.slot0[i] && s->witness[i]) { Py_INCREF(A.slot0[i]); b[i] = Py_REFCNT(A.slot0[i]); }
    }
  }
  PyGC_Collect();
  Py_ssize_t hb[MAXP], hc[MAXP];
  for (int i = 0; i < s->nparams; i++) {
    hb[i] = hc[i] = -1;
    if (b[i] >= 0) { hb[i] = holders(is_obj(s->kind[i]) ? A.o[i] : A.slot0[i]); b[i] = Py_REFCNT(is_obj(s->kind[i]) ? A.o[i] : A.slot0[i]); }
  }
  A.ret = NULL;
  s->call(&A);
  int err = PyErr_Occurred() != NULL;
  for (int i = 0; i < s->nparams; i++) {
    if (b[i] >= 0) a[i] = Py_REFCNT(is_obj(s->kind[i]) ? A.o[i] : A.slot0[i]);
  }
  PyObject *ret = A.ret;
  Py_ssize_t retRcCall = ret ? Py_REFCNT(ret) : 0;
  int retArg = -1;
  for (int i = 0; i < s->nparams; i++) if (is_obj(s->kind[i]) && ret && A.o[i] == ret) retArg = i;
  Py_XINCREF(ret); /* witness */
  PyObject *out[MAXP];
  for (int i = 0; i < s->nparams; i++) {
    out[i] = s->kind[i] == P_SLOT ? A.slot[i] : NULL;
    Py_XINCREF(out[i]);
  }
  PyErr_Clear();
  PyErr_SetExcInfo(NULL, NULL, NULL); /* the handled exception, which PyErr_SetExcInfo and friends fill */
  for (int i = 0; i < s->nparams; i++) if (is_obj(s->kind[i]) && A.o[i] && s->witness[i]) clear_holder(A.o[i]);
  PyType_ClearCache(); /* the method cache keeps the attribute names it looked up */
  PyGC_Collect();
  Py_ssize_t retRcClear = ret ? Py_REFCNT(ret) : 0;
  Py_ssize_t retHolders = ret && retArg < 0 ? holders(ret) : 0;
  Py_ssize_t outRc[MAXP];
  int outIsOld[MAXP];
  Py_ssize_t outHolders[MAXP];
  for (int i = 0; i < s->nparams; i++) {
    outRc[i] = out[i] ? Py_REFCNT(out[i]) : 0;
    outIsOld[i] = out[i] && out[i] == A.slot0[i];
    outHolders[i] = out[i] ? holders(out[i]) : 0;
  }
  /* Release the return value and outputs the way their ownership says, so whatever they hold on our arguments goes.
   * retMode: 1 new, 2 borrowed (from R), 0 unknown (then a fresh object held only by us and the witness is new). */
  int retReleased = 0;
  if (ret && retArg < 0) {
    int owned = retMode == 1 || (retMode == 0 && retRcClear - retHolders == 2);
    if (owned) { Py_DECREF(ret); retReleased = 1; }
    if (Py_REFCNT(ret) == 1) { Py_DECREF(ret); ret = NULL; } else if (owned) clear_holder(ret);
  }
  for (int i = 0; i < s->nparams; i++) {
    if (out[i] && !outIsOld[i] && outRc[i] - outHolders[i] == 2) { Py_DECREF(out[i]); Py_DECREF(out[i]); out[i] = NULL; }
  }
  PyGC_Collect();
  PyErr_Clear();
  PyType_ClearCache();
  if (ret && retArg >= 0) {
    Py_DECREF(ret); /* the witness */
    if (retMode == 1) Py_DECREF(ret); /* the new reference the call returned */
  }
  PyGC_Collect();
  for (int i = 0; i < s->nparams; i++) {
    if (b[i] >= 0) {
      PyObject *o = is_obj(s->kind[i]) ? A.o[i] : A.slot0[i];
      hc[i] = holders(o);
      c[i] = Py_REFCNT(o);
    }
  }
  char iret_text[32] = "null";
  if (A.hasIret) snprintf(iret_text, sizeof iret_text, "%lld", A.iret);
  printf("{\"exp\":\"%s\",\"err\":%d,\"iret\":%s,\"retMode\":%d,\"retNull\":%d,\"retArg\":%d,\"retRcCall\":%zd,\"retRcClear\":%zd,\"retHolders\":%zd,\"retReleased\":%d,\"params\":[",
         fail ? "F" : "S", err, iret_text, retMode, A.ret == NULL, retArg, retRcCall, retRcClear, retHolders, retReleased);
  for (int i = 0; i < s->nparams; i++) {
    if (i) putchar(',');
    if (s->kind[i] == P_SLOT)
      printf("{\"b\":%zd,\"a\":%zd,\"c\":%zd,\"hb\":%zd,\"hc\":%zd,\"outNull\":%d,\"outIsOld\":%d,\"outRc\":%zd,\"outHolders\":%zd}",
             b[i], a[i], c[i], hb[i], hc[i], A.slot[i] == NULL, outIsOld[i], outRc[i], outHolders[i]);
    else if (b[i] >= 0)
      printf("{\"b\":%zd,\"a\":%zd,\"c\":%zd,\"hb\":%zd,\"hc\":%zd}", b[i], a[i], c[i], hb[i], hc[i]);
    else
      printf("null");
  }
  printf("]}\n");
  fflush(stdout);
}

static const char PRELUDE[] =
  "import sys, types, contextvars, gc\n"
  "def _holders(o): return len(gc.get_referrers(o))\n"
  "class Leaf:\n"
  "    __slots__ = ()\n"
  "class Obj:\n"
  "    def __init__(self):\n"
  "        self.attr = Leaf()\n"
  "        self.store = {'attr': Leaf()}\n"
  "    def __call__(self, *args, **kwargs): return Leaf()\n"
  "    def __getitem__(self, k): return self.store[k]\n"
  "    def __setitem__(self, k, v): self.store[k] = v\n"
  "    def __delitem__(self, k): del self.store[k]\n"
  "    def __len__(self): return 1\n"
  "    def __iter__(self): return iter([Leaf()])\n"
  "    def __contains__(self, k): return k in self.store\n"
  "    def keys(self): return list(self.store)\n"
  "    def values(self): return list(self.store.values())\n"
  "    def items(self): return list(self.store.items())\n"
  "def mk_list(): return [Leaf(), Leaf(), Leaf()]\n"
  "def mk_tuple(): return tuple(mk_list())\n"
  "def mk_dict(): return {''.join(['at', 'tr']): Leaf(), ''.join(['k', 'ey']): Leaf()}\n"
  "def mk_set(): return {''.join(['at', 'tr']), ''.join(['k', 'ey'])}\n"
  "def mk_frozenset(): return frozenset(mk_set())\n"
  "def mk_iter(): return iter(mk_list())\n"
  "def mk_seq_items(): return [(''.join(['at', 'tr']), Leaf())]\n"
  "def mk_module():\n"
  "    m = types.ModuleType('probe_mod')\n"
  "    m.attr = Leaf()\n"
  "    m.__file__ = ''.join(['probe', '.py'])\n"
  "    return m\n"
  "def mk_exc(): return ValueError(''.join(['ms', 'g']))\n"
  "def mk_exc_type(): return type('ProbeError', (Exception,), {})\n"
  "def mk_type(): return type('ProbeType', (), {'attr': 1})\n"
  "def mk_tb():\n"
  "    try:\n"
  "        raise ValueError\n"
  "    except ValueError:\n"
  "        return sys.exc_info()[2]\n"
  "def mk_code(): return compile('attr = 1', '<probe>', 'exec')\n"
  "def mk_code_raising(): return compile('raise ValueError', '<probe>', 'exec')\n"
  "def mk_function():\n"
  "    x = Leaf()\n"
  "    def f(a: int = Leaf(), *args, **kwargs):\n"
  "        x\n"
  "        return Leaf()\n"
  "    return f\n"
  "def mk_slice(): return slice(1, 2, 1)\n"
  "def mk_memoryview(): return memoryview(bytearray(b'attr'))\n"
  "def mk_cell():\n"
  "    x = Leaf()\n"
  "    def f(): return x\n"
  "    return f.__closure__[0]\n"
  "_keep = []\n"
  "def mk_weakref():\n"
  "    o = Obj(); _keep.append(o)\n"
  "    import weakref\n"
  "    return weakref.ref(o)\n"
  "def mk_method(): return types.MethodType(mk_function(), Obj())\n"
  "def mk_frame():\n"
  "    def inner(): return sys._getframe()\n"
  "    return inner()\n"
  "def mk_gen_started():\n"
  "    def g():\n"
  "        while True:\n"
  "            yield Leaf()\n"
  "    it = g()\n"
  "    next(it)\n"
  "    return it\n"
  "def mk_exc_full():\n"
  "    e = mk_exc()\n"
  "    e.__cause__ = mk_exc()\n"
  "    e.__context__ = mk_exc()\n"
  "    e.__traceback__ = mk_tb()\n"
  "    return e\n"
  "def mk_unicode_encode_error(): return UnicodeEncodeError('ascii', ''.join(['\\xe9', 'x']), 0, 1, 'probe')\n"
  "def mk_unicode_translate_error(): return UnicodeTranslateError(''.join(['\\xe9', 'x']), 0, 1, 'probe')\n"
  "def mk_gen():\n"
  "    def g():\n"
  "        yield Leaf()\n"
  "    return g()\n"
  "def mk_contextvar(): return contextvars.ContextVar(''.join(['at', 'tr']))\n"
  "def mk_context(): return contextvars.Context()\n"
  "def mk_unicode_error(): return UnicodeDecodeError('utf-8', b'attr', 0, 1, 'probe')\n"
  "def mk_dictproxy(): return types.MappingProxyType(mk_dict())\n"
  "import datetime as _dt\n"
  "def mk_delta(): return _dt.timedelta(seconds=3602, microseconds=3)\n"
  "def mk_tzinfo(): return _dt.timezone(mk_delta())\n"
  "def mk_date(): return _dt.date(2020, 1, 2)\n"
  "def mk_datetime(): return _dt.datetime(2020, 1, 2, 3, 4, 5, 6, tzinfo=mk_tzinfo())\n"
  "def mk_time(): return _dt.time(3, 4, 5, 6, tzinfo=mk_tzinfo())\n";

static const Spec *find_spec(const char *name);

/* The shifted process layout (scripts/probes/run.ts, LAYOUTS): before anything of the probe exists, take 16 blocks
 * of every size pymalloc serves and give every other one back. The probe's objects then fill those holes, so each
 * has other neighbours than in the plain layout, and a read past an object finds something else (a uniform shift
 * would keep the same neighbours: tried, 3.13's PyEval_EvalCode on a non-code object crashed alike). Raw blocks, not
 * objects: no count of a shared object changes, so a call that reads only what it was given measures the same. */
static void shift_heap(void) {
  for (size_t size = 8; size <= 512; size += 8) {
    void *blocks[16];
    for (int i = 0; i < 16; i++) blocks[i] = PyObject_Malloc(size);
    for (int i = 0; i < 16; i += 2) PyObject_Free(blocks[i]);
  }
}

/* capi_probes.run(NAME, EXP...): never returns; the process ends with the probe's last line printed. */
static PyObject *probe_run(PyObject *self, PyObject *args) {
  (void)self;
  Py_ssize_t argc = PyTuple_GET_SIZE(args);
  if (argc < 1) { PyErr_SetString(PyExc_TypeError, "usage: run(NAME, [R|S|F|mode=N]...)"); return NULL; }
  const char *argv[MAXP * 2];
  if (argc > (Py_ssize_t)(sizeof argv / sizeof argv[0])) { PyErr_SetString(PyExc_TypeError, "too many experiments"); return NULL; }
  for (Py_ssize_t k = 0; k < argc; k++) {
    argv[k] = PyUnicode_AsUTF8(PyTuple_GET_ITEM(args, k));
    if (!argv[k]) return NULL;
  }
  const Spec *s = find_spec(argv[0]);
  if (!s) { PyErr_Format(PyExc_LookupError, "no probe %s", argv[0]); return NULL; }
  if (getenv("CAPI_REFS_LAYOUT_SHIFT")) shift_heap();
  g_ns = PyModule_GetDict(PyImport_AddModule("__main__"));
  if (PyRun_SimpleString(PRELUDE) != 0) _exit(3);
  PyDateTime_IMPORT;
  if (!PyDateTimeAPI) { PyErr_Print(); _exit(3); }
  int retMode = 0;
  for (Py_ssize_t k = 1; k < argc; k++) {
    if (!strcmp(argv[k], "R")) retMode = run_repeat(s);
    else if (!strcmp(argv[k], "S")) run_once(s, 0, retMode);
    else if (!strcmp(argv[k], "F")) run_once(s, 1, retMode);
    else if (!strncmp(argv[k], "mode=", 5)) retMode = atoi(argv[k] + 5);
    else { fprintf(stderr, "unknown experiment %s\n", argv[k]); fflush(stdout); abort(); }
    PyErr_Clear();
  }
  fflush(stdout);
  _exit(0); /* no finalization: the probes leak on purpose and may leave the interpreter in any state */
}

static PyMethodDef METHODS[] = {
  { "run", probe_run, METH_VARARGS, "run(NAME, EXP...): run one probe's experiments, print them, end the process" },
  { NULL, NULL, 0, NULL },
};
static struct PyModuleDef MODULE = { PyModuleDef_HEAD_INIT, "capi_probes", NULL, -1, METHODS, NULL, NULL, NULL, NULL };
PyMODINIT_FUNC PyInit_capi_probes(void) { return PyModule_Create(&MODULE); }
