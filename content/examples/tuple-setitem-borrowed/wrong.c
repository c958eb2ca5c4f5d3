/* Wrong: a borrowed argument is given to a function that steals. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
run(PyObject *module, PyObject *arg)
{
    /* Return the 1-tuple (arg,). */
    PyObject *tuple = PyTuple_New(1);
    if (tuple == NULL) {
        return NULL;
    }
    PyTuple_SetItem(tuple, 0, arg);  /* arg is borrowed: the tuple steals what we never had */
    return tuple;
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
