/* Wrong: the cause is released after PyException_SetCause stole it. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
run(PyObject *module, PyObject *arg)
{
    /* Call arg(); turn any error into RuntimeError("wrapped") from the original. */
    PyObject *res = PyObject_CallNoArgs(arg);
    if (res != NULL) {
        return res;
    }
    PyObject *type, *cause, *tb;
    PyErr_Fetch(&type, &cause, &tb);
    PyErr_NormalizeException(&type, &cause, &tb);
    if (tb != NULL) {
        PyException_SetTraceback(cause, tb);
    }
    Py_XDECREF(type);
    Py_XDECREF(tb);
    PyObject *wrapper = PyObject_CallFunction(PyExc_RuntimeError, "s", "wrapped");
    if (wrapper == NULL) {
        Py_DECREF(cause);
        return NULL;
    }
    PyException_SetCause(wrapper, cause);  /* steals cause */
    Py_DECREF(cause);                      /* wrong: not ours any more */
    PyErr_SetObject(PyExc_RuntimeError, wrapper);
    Py_DECREF(wrapper);
    return NULL;
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
