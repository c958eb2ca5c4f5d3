/* Fixed: the string is kept alive until the C string is no longer used. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
run(PyObject *module, PyObject *arg)
{
    /* Return "<" + str(arg) + ">". */
    PyObject *text = PyObject_Str(arg);
    if (text == NULL) {
        return NULL;
    }
    const char *utf8 = PyUnicode_AsUTF8(text);  /* valid while text lives */
    PyObject *result = utf8 ? PyUnicode_FromFormat("<%s>", utf8) : NULL;
    Py_DECREF(text);
    return result;
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
