/* Wrong: the sum is a new reference that is never released. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
run(PyObject *module, PyObject *arg)
{
    /* Is arg + arg greater than 1000? */
    PyObject *sum = PyNumber_Add(arg, arg);
    if (sum == NULL) {
        return NULL;
    }
    PyObject *limit = PyLong_FromLong(1000);
    if (limit == NULL) {
        return NULL;
    }
    int big = PyObject_RichCompareBool(sum, limit, Py_GT);
    Py_DECREF(limit);
    if (big < 0) {
        return NULL;
    }
    return PyBool_FromLong(big);
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
