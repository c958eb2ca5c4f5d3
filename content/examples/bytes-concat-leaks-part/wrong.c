/* Wrong: each part is concatenated with PyBytes_Concat and never released. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
run(PyObject *module, PyObject *arg)
{
    /* Return b"0,1,2,...,n-1," for n = arg. */
    Py_ssize_t n = PyLong_AsSsize_t(arg);
    if (n == -1 && PyErr_Occurred()) {
        return NULL;
    }
    PyObject *acc = PyBytes_FromStringAndSize(NULL, 0);
    for (Py_ssize_t i = 0; acc != NULL && i < n; i++) {
        PyObject *part = PyBytes_FromFormat("%zd,", i);
        if (part == NULL) {
            Py_CLEAR(acc);
            break;
        }
        PyBytes_Concat(&acc, part);  /* borrows part: part is leaked */
    }
    return acc;
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
