/* Wrong: early returns leave the objects created before the failure alive. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
run(PyObject *module, PyObject *arg)
{
    /* Return {"id": arg["id"], "score": arg["score"]}; KeyError if one is missing. */
    PyObject *result = PyDict_New();
    if (result == NULL) {
        return NULL;
    }
    PyObject *id = PyObject_GetItem(arg, PyUnicode_FromString("id"));
    if (id == NULL) {
        return NULL;
    }
    PyObject *score = PyMapping_GetItemString(arg, "score");
    if (score == NULL) {
        return NULL;
    }
    if (PyDict_SetItemString(result, "id", id) < 0
        || PyDict_SetItemString(result, "score", score) < 0) {
        return NULL;
    }
    Py_DECREF(id);
    Py_DECREF(score);
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
