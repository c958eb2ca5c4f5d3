/* Fixed: the reference from PyArray_DescrFromType is handed to PyArray_NewFromDescr as is. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <numpy/arrayobject.h>

static PyObject *
run(PyObject *module, PyObject *arg)
{
    /* Return an uninitialized float64 array of length arg. */
    npy_intp n = PyLong_AsSsize_t(arg);
    if (n == -1 && PyErr_Occurred()) {
        return NULL;
    }
    PyArray_Descr *descr = PyArray_DescrFromType(NPY_FLOAT64);  /* new reference */
    if (descr == NULL) {
        return NULL;
    }
    /* PyArray_NewFromDescr steals descr, on success and on failure. */
    return PyArray_NewFromDescr(&PyArray_Type, descr, 1, &n, NULL, NULL, 0, NULL);
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
