/* Wrong: the loop ends on NULL and the pending exception is ignored. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
run(PyObject *module, PyObject *arg)
{
    /* Return how many items iterating over arg produces. */
    PyObject *it = PyObject_GetIter(arg);
    if (it == NULL) {
        return NULL;
    }
    Py_ssize_t count = 0;
    PyObject *item;
    while ((item = PyIter_Next(it)) != NULL) {
        count++;
        Py_DECREF(item);
    }
    Py_DECREF(it);
    return PyLong_FromSsize_t(count);  /* an error may be pending here */
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
