/* Wrong: fresh objects are packed and never released. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
run(PyObject *module, PyObject *arg)
{
    /* Return (arg / 2, arg * 2) as floats. */
    double x = PyFloat_AsDouble(arg);
    if (x == -1.0 && PyErr_Occurred()) {
        return NULL;
    }
    PyObject *half = PyFloat_FromDouble(x / 2);
    PyObject *twice = PyFloat_FromDouble(x * 2);
    if (half == NULL || twice == NULL) {
        Py_XDECREF(half);
        Py_XDECREF(twice);
        return NULL;
    }
    return PyTuple_Pack(2, half, twice);  /* half and twice keep an extra reference */
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
