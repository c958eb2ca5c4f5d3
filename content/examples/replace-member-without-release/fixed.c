/* Fixed: Py_XSETREF releases the previous value after the new one is stored. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *last_seen = NULL;  /* owns a reference, or NULL */

static PyObject *
run(PyObject *module, PyObject *arg)
{
    /* Remember arg as the last value seen. */
    Py_XSETREF(last_seen, Py_NewRef(arg));
    Py_RETURN_NONE;
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
