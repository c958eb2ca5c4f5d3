/* Wrong: the referent is used through a borrowed pointer after a callback ran. */
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
    PyObject *target = PyWeakref_GetObject(ref);  /* borrowed; the weakref does not own it */
    if (target == NULL) {
        return NULL;
    }
    if (target == Py_None) {
        return PyUnicode_FromString("<dead>");
    }
    PyObject *res = PyObject_CallNoArgs(before);  /* may drop the last strong reference */
    if (res == NULL) {
        return NULL;
    }
    Py_DECREF(res);
    return PyObject_Repr(target);
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
