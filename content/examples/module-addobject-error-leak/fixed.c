/* Fixed: PyModule_AddObjectRef never steals, so the value is released on both paths. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
run(PyObject *module, PyObject *arg)
{
    /* Add a fresh "limits" dict to the module given as arg. */
    PyObject *limits = Py_BuildValue("{s:i}", "max", 100);
    if (limits == NULL) {
        return NULL;
    }
    int rc = PyModule_AddObjectRef(arg, "limits", limits);
    Py_DECREF(limits);
    if (rc < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
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
