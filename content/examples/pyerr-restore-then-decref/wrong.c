/* Wrong: the three references are released after PyErr_Restore took them. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
run(PyObject *module, PyObject *arg)
{
    /* Call arg(); let its exception through, but count KeyErrors. */
    static long key_errors = 0;
    PyObject *res = PyObject_CallNoArgs(arg);
    if (res != NULL) {
        return res;
    }
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    if (PyErr_GivenExceptionMatches(type, PyExc_KeyError)) {
        key_errors++;
    }
    PyErr_Restore(type, value, tb);
    Py_XDECREF(type);   /* wrong: PyErr_Restore stole all three */
    Py_XDECREF(value);
    Py_XDECREF(tb);
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
