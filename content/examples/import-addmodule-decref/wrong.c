/* Wrong: the borrowed module is released as if PyImport_AddModule had returned a new reference. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
run(PyObject *module, PyObject *arg)
{
    /* Record arg as _example_registry.last, creating the module on first use. */
    PyObject *registry = PyImport_AddModule("_example_registry");  /* borrowed */
    if (registry == NULL) {
        return NULL;
    }
    int rc = PyObject_SetAttrString(registry, "last", arg);
    Py_DECREF(registry);  /* wrong: sys.modules owns it */
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
