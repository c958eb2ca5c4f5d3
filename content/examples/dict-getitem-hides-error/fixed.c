/* Fixed: PyDict_GetItemWithError keeps the exception, and the caller tells both cases apart. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
run(PyObject *module, PyObject *args)
{
    /* run(table, key): table[key], or None when the key is absent. */
    PyObject *table, *key;
    if (!PyArg_ParseTuple(args, "O!O", &PyDict_Type, &table, &key)) {
        return NULL;
    }
    PyObject *value = PyDict_GetItemWithError(table, key);  /* borrowed */
    if (value == NULL) {
        if (PyErr_Occurred()) {
            return NULL;
        }
        Py_RETURN_NONE;
    }
    return Py_NewRef(value);
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
