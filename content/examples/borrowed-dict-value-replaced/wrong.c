/* Wrong: the old value is used after the dict released it. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
run(PyObject *module, PyObject *args)
{
    /* run(d, key, value): d[key] = value; return repr of the previous value (or None). */
    PyObject *d, *key, *value;
    if (!PyArg_ParseTuple(args, "O!OO", &PyDict_Type, &d, &key, &value)) {
        return NULL;
    }
    PyObject *old = PyDict_GetItemWithError(d, key);  /* borrowed from d */
    if (old == NULL && PyErr_Occurred()) {
        return NULL;
    }
    if (PyDict_SetItem(d, key, value) < 0) {  /* releases d's reference to old */
        return NULL;
    }
    if (old == NULL) {
        Py_RETURN_NONE;
    }
    return PyObject_Repr(old);
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
