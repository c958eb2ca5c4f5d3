/* Wrong: the PySequence_Fast result is never released. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
run(PyObject *module, PyObject *arg)
{
    /* Return the number of items of arg that are true. */
    PyObject *seq = PySequence_Fast(arg, "expected a sequence");
    if (seq == NULL) {
        return NULL;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq), count = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        int t = PyObject_IsTrue(PySequence_Fast_GET_ITEM(seq, i));  /* borrowed from seq */
        if (t < 0) {
            return NULL;
        }
        count += t;
    }
    return PyLong_FromSsize_t(count);  /* seq leaked */
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
