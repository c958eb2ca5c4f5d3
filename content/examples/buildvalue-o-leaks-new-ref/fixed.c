/* Fixed: the fresh objects are passed with "N", which consumes them. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
run(PyObject *module, PyObject *arg)
{
    /* Return (label, arg * 1000) where label is "item-<arg>". */
    long v = PyLong_AsLong(arg);
    if (v == -1 && PyErr_Occurred()) {
        return NULL;
    }
    /* "N" steals; if an argument is NULL, Py_BuildValue fails and still releases the others. */
    return Py_BuildValue("(NN)",
                         PyUnicode_FromFormat("item-%ld", v),
                         PyLong_FromLong(v * 1000));
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
