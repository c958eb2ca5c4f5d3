/* Fixed: Py_RETURN_NONE returns a new reference to None. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
run(PyObject *module, PyObject *arg)
{
    /* Validate that arg is truthy; return None. */
    int t = PyObject_IsTrue(arg);
    if (t < 0) {
        return NULL;
    }
    if (!t) {
        PyErr_SetString(PyExc_ValueError, "expected a true value");
        return NULL;
    }
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
