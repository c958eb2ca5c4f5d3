/* Wrong: the descriptor is released after PyArray_FromAny stole it. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <numpy/arrayobject.h>

static PyObject *
run(PyObject *module, PyObject *arg)
{
    /* Return arg converted to a 1-d float64 array, and its sum. */
    PyArray_Descr *descr = PyArray_DescrNewFromType(NPY_FLOAT64);  /* a fresh descriptor */
    if (descr == NULL) {
        return NULL;
    }
    PyObject *arr = PyArray_FromAny(arg, descr, 1, 1, NPY_ARRAY_DEFAULT, NULL);
    Py_DECREF(descr);  /* wrong: PyArray_FromAny stole it */
    if (arr == NULL) {
        return NULL;
    }
    PyObject *total = PyArray_Sum((PyArrayObject *)arr, NPY_MAXDIMS, NPY_NOTYPE, NULL);
    Py_DECREF(arr);
    return total;
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
    import_array();
    return PyModule_Create(&example_module);
}
