/* Fixed: the borrowed module is used and not released. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
run(PyObject *module, PyObject *arg)
{
    /* Record arg as _example_registry.last, creating the module on first use. */
    /* On 3.13+, PyImport_AddModuleRef returns a strong reference to release instead. */
    PyObject *registry = PyImport_AddModule("_example_registry");  /* borrowed */
    if (registry == NULL) {
        return NULL;
    }
    if (PyObject_SetAttrString(registry, "last", arg) < 0) {
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
