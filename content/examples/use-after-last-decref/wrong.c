/* Wrong: the object is used after the reference that kept it alive was released. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
run(PyObject *module, PyObject *arg)
{
    /* Return repr(arg * 1000003). */
    long v = PyLong_AsLong(arg);
    if (v == -1 && PyErr_Occurred()) {
        return NULL;
    }
    PyObject *scaled = PyLong_FromLong(v * 1000003);
    if (scaled == NULL) {
        return NULL;
    }
    Py_DECREF(scaled);              /* last reference: scaled is freed here */
    return PyObject_Repr(scaled);   /* ... and read here */
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
