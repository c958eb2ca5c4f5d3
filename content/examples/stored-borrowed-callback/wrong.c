/* Wrong: the handler is stored as a borrowed pointer. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *handler = NULL;

static PyObject *
set_handler(PyObject *module, PyObject *arg)
{
    handler = arg;  /* borrowed: nothing keeps it alive after this call */
    Py_RETURN_NONE;
}

static PyObject *
fire(PyObject *module, PyObject *unused)
{
    if (handler == NULL) {
        Py_RETURN_NONE;
    }
    return PyObject_CallNoArgs(handler);
}

static PyMethodDef example_methods[] = {
    {"set_handler", set_handler, METH_O, NULL},
    {"fire", fire, METH_NOARGS, NULL},
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
