/* Fixed: each value is created, stored and released. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static int
set_long(PyObject *d, const char *key, long value)
{
    PyObject *obj = PyLong_FromLong(value);
    if (obj == NULL) {
        return -1;
    }
    int rc = PyDict_SetItemString(d, key, obj);  /* the dict takes its own reference */
    Py_DECREF(obj);
    return rc;
}

static PyObject *
run(PyObject *module, PyObject *arg)
{
    /* Return {"value": arg * 1000, "negated": -arg * 1000}. */
    long v = PyLong_AsLong(arg);
    if (v == -1 && PyErr_Occurred()) {
        return NULL;
    }
    PyObject *d = PyDict_New();
    if (d == NULL) {
        return NULL;
    }
    if (set_long(d, "value", v * 1000) < 0 || set_long(d, "negated", -v * 1000) < 0) {
        Py_DECREF(d);
        return NULL;
    }
    return d;
}

static PyMethodDef example_methods[] = {
    {"run", run, METH_O, NULL},
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
