/* Fixed: the old value is owned before the dict is changed. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
run(PyObject *module, PyObject *args)
{
    /* run(d, key, value): d[key] = value; return repr of the previous value (or None). */
    PyObject *d, *key, *value;
    if (!PyArg_ParseTuple(args, "O!OO", &PyDict_Type, &d, &key, &value)) {
        return NULL;
    }
    /* On 3.13+, PyDict_GetItemRef(d, key, &old) returns a strong reference directly. */
    PyObject *old = Py_XNewRef(PyDict_GetItemWithError(d, key));
    if (old == NULL && PyErr_Occurred()) {
        return NULL;
    }
    if (PyDict_SetItem(d, key, value) < 0) {
        Py_XDECREF(old);
        return NULL;
    }
    if (old == NULL) {
        Py_RETURN_NONE;
    }
    PyObject *text = PyObject_Repr(old);
    Py_DECREF(old);
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
