/* Fixed: the parsed argument is borrowed and not released. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
run(PyObject *module, PyObject *args)
{
    /* run(obj): return len(obj) + 1. */
    PyObject *obj;
    if (!PyArg_ParseTuple(args, "O", &obj)) {
        return NULL;
    }
    Py_ssize_t n = PyObject_Length(obj);
    if (n < 0) {
        return NULL;
    }
    return PyLong_FromSsize_t(n + 1);
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
