/* Fixed: the value is released after PyErr_SetObject took its reference. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
run(PyObject *module, PyObject *arg)
{
    /* Raise KeyError(arg) with the key wrapped in a tuple-free message. */
    PyObject *msg = PyUnicode_FromFormat("no entry for %R", arg);
    if (msg == NULL) {
        return NULL;
    }
    PyErr_SetObject(PyExc_KeyError, msg);
    Py_DECREF(msg);
    return NULL;
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
