/* Wrong: the borrowed item is released as if it were owned. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
run(PyObject *module, PyObject *arg)
{
    /* Return str() of the first item of the list arg. */
    PyObject *item = PyList_GetItem(arg, 0);
    if (item == NULL) {
        return NULL;
    }
    PyObject *text = PyObject_Str(item);
    Py_DECREF(item);  /* item was borrowed: not ours to release */
    return text;
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
