/* Fixed: PyModule_AddObjectRef does not steal, so releasing afterwards is right. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
run(PyObject *module, PyObject *arg)
{
    /* Set arg.answer to a fresh list [42]. */
    PyObject *answer = Py_BuildValue("[i]", 42);
    if (answer == NULL) {
        return NULL;
    }
    int rc = PyModule_AddObjectRef(arg, "answer", answer);
    Py_DECREF(answer);
    return rc < 0 ? NULL : Py_NewRef(Py_None);
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
