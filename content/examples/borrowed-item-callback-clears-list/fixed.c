/* Fixed: a strong reference keeps the item alive across the callback. */
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
    PyObject *first = PyList_GetItem(items, 0);
    if (first == NULL) {
        return NULL;
    }
    first = Py_NewRef(first);   /* ours now, whatever the callback does */
    PyObject *res = PyObject_CallNoArgs(callback);
    if (res == NULL) {
        Py_DECREF(first);
        return NULL;
    }
    Py_DECREF(res);
    PyObject *text = PyObject_Repr(first);
    Py_DECREF(first);
    return text;
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
