/* Wrong: a fresh value is passed inline to PyErr_SetObject. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
run(PyObject *module, PyObject *arg)
{
    /* Raise KeyError(arg) with the key wrapped in a tuple-free message. */
    PyErr_SetObject(PyExc_KeyError, PyUnicode_FromFormat("no entry for %R", arg));
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
