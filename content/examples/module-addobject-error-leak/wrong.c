/* Wrong: on failure the value is neither stolen nor released. */
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
    if (PyModule_AddObject(arg, "limits", limits) < 0) {
        return NULL;  /* limits was not stolen: leaked */
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
