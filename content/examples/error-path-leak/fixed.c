/* Fixed: one exit releases everything with Py_XDECREF; the result is handed over only on success. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
run(PyObject *module, PyObject *arg)
{
    /* Return {"id": arg["id"], "score": arg["score"]}; KeyError if one is missing. */
    PyObject *ret = NULL;
    PyObject *key = NULL, *id = NULL, *score = NULL;
    PyObject *result = PyDict_New();
    if (result == NULL) {
        goto done;
    }
    key = PyUnicode_FromString("id");
    if (key == NULL) {
        goto done;
    }
    id = PyObject_GetItem(arg, key);
    if (id == NULL) {
        goto done;
    }
    score = PyMapping_GetItemString(arg, "score");
    if (score == NULL) {
        goto done;
    }
    if (PyDict_SetItemString(result, "id", id) < 0
        || PyDict_SetItemString(result, "score", score) < 0) {
        goto done;
    }
    ret = Py_NewRef(result);
done:
    Py_XDECREF(result);
    Py_XDECREF(key);
    Py_XDECREF(id);
    Py_XDECREF(score);
    return ret;
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
