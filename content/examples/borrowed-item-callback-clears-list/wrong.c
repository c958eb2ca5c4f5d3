/* Wrong: the borrowed item is used after Python code had the chance to drop it. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
run(PyObject *module, PyObject *args)
{
    /* run(items, callback): call callback(), then return repr(items[0]). */
    PyObject *items, *callback;
    if (!PyArg_ParseTuple(args, "O!O", &PyList_Type, &items, &callback)) {
        return NULL;
    }
    PyObject *first = PyList_GetItem(items, 0);   /* borrowed */
    if (first == NULL) {
        return NULL;
    }
    PyObject *res = PyObject_CallNoArgs(callback);   /* may change items */
    if (res == NULL) {
        return NULL;
    }
    Py_DECREF(res);
    return PyObject_Repr(first);
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
