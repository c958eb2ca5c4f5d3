/* Fixed: nothing to release after PyList_SetItem, success or failure. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
run(PyObject *module, PyObject *args)
{
    /* run(list, index): list[index] = index * 1000001; IndexError if out of range. */
    PyObject *list;
    Py_ssize_t index;
    if (!PyArg_ParseTuple(args, "O!n", &PyList_Type, &list, &index)) {
        return NULL;
    }
    PyObject *item = PyLong_FromSsize_t(index * 1000001);
    if (item == NULL) {
        return NULL;
    }
    if (PyList_SetItem(list, index, item) < 0) {  /* item is gone either way */
        return NULL;
    }
    Py_RETURN_NONE;
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
