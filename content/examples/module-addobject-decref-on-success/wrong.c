/* Wrong: the value is released although PyModule_AddObject stole it on success. */
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
    if (PyModule_AddObject(arg, "answer", answer) < 0) {
        Py_DECREF(answer);
        return NULL;
    }
    Py_DECREF(answer);  /* wrong: on success the module owns it */
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
