/* Wrong: the pointer is overwritten and the reference it owned is lost. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *last_seen = NULL;  /* owns a reference, or NULL */

static PyObject *
run(PyObject *module, PyObject *arg)
{
    /* Remember arg as the last value seen. */
    last_seen = Py_NewRef(arg);  /* the previous value is never released */
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
