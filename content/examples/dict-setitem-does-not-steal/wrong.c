/* Wrong: a fresh value is passed inline to a function that does not steal. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

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
    if (PyDict_SetItemString(d, "value", PyLong_FromLong(v * 1000)) < 0
        || PyDict_SetItemString(d, "negated", PyLong_FromLong(-v * 1000)) < 0) {
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
