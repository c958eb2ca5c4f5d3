/* Wrong: the looked-up value is treated as borrowed and never released. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
run(PyObject *module, PyObject *args)
{
    /* run(mapping, key): return mapping[key] + 1 as an int. */
    PyObject *mapping, *key;
    if (!PyArg_ParseTuple(args, "OO", &mapping, &key)) {
        return NULL;
    }
    PyObject *value = PyObject_GetItem(mapping, key);  /* new reference */
    if (value == NULL) {
        return NULL;
    }
    long n = PyLong_AsLong(value);
    if (n == -1 && PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromLong(n + 1);
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
