/* Wrong: each item from PyIter_Next is used and never released. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
run(PyObject *module, PyObject *arg)
{
    /* Return the sum of the ints produced by iterating over arg. */
    PyObject *it = PyObject_GetIter(arg);
    if (it == NULL) {
        return NULL;
    }
    long total = 0;
    PyObject *item;
    while ((item = PyIter_Next(it)) != NULL) {
        long v = PyLong_AsLong(item);  /* item is a new reference, never released */
        if (v == -1 && PyErr_Occurred()) {
            Py_DECREF(it);
            return NULL;
        }
        total += v;
    }
    Py_DECREF(it);
    if (PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromLong(total);
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
