/* Fixed: a strong reference to the referent is taken before anything else runs. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
run(PyObject *module, PyObject *args)
{
    /* run(ref, before): call before(), then return repr() of ref's referent. */
    PyObject *ref, *before;
    if (!PyArg_ParseTuple(args, "OO", &ref, &before)) {
        return NULL;
    }
    /* On 3.13+: PyWeakref_GetRef(ref, &target) returns a strong reference directly. */
    PyObject *target = PyWeakref_GetObject(ref);
    if (target == NULL) {
        return NULL;
    }
    if (target == Py_None) {
        return PyUnicode_FromString("<dead>");
    }
    target = Py_NewRef(target);
    PyObject *res = PyObject_CallNoArgs(before);
    if (res == NULL) {
        Py_DECREF(target);
        return NULL;
    }
    Py_DECREF(res);
    PyObject *text = PyObject_Repr(target);
    Py_DECREF(target);
    return text;
}

static PyMethodDef example_methods[] = {
    {"run", run, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef example_module = {
    PyModuleDef_HEAD_INIT, "example", NULL, -1, example_methods,
};

PyMODINIT_FUNC
PyInit_example(void)
{
    return PyModule_Create(&example_module);
}
