/* Fixed: a strong reference keeps the bytes object (and its buffer) alive while the GIL is released. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdatomic.h>
#include <time.h>

/* Test scaffolding, not part of the pattern: lets the driver's second thread act exactly while run() has
   released the GIL, so the race happens on every call instead of once in a while. */
static atomic_int phase;  /* 0 idle, 1 GIL released in run(), 2 other thread done */

static PyObject *
gil_released(PyObject *module, PyObject *unused)
{
    return PyBool_FromLong(atomic_load(&phase) == 1);
}

static PyObject *
other_thread_done(PyObject *module, PyObject *unused)
{
    atomic_store(&phase, 2);
    Py_RETURN_NONE;
}

static void
wait_for_other_thread(void)
{
    atomic_store(&phase, 1);
    for (int i = 0; i < 5000 && atomic_load(&phase) != 2; i++) {
        struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL);
    }
    atomic_store(&phase, 0);
}

static PyObject *
run(PyObject *module, PyObject *chunks)
{
    /* Checksum chunks[0] (a bytes object) without holding the GIL. */
    PyObject *chunk = PyList_GetItem(chunks, 0);
    if (chunk == NULL) {
        return NULL;
    }
    chunk = Py_NewRef(chunk);  /* ours: no other thread can free it now */
    const char *data = PyBytes_AsString(chunk);
    if (data == NULL) {
        Py_DECREF(chunk);
        return NULL;
    }
    Py_ssize_t size = PyBytes_GET_SIZE(chunk);
    unsigned long sum = 0;
    Py_BEGIN_ALLOW_THREADS
    wait_for_other_thread();  /* meanwhile another thread runs chunks.clear() */
    for (Py_ssize_t i = 0; i < size; i++) {
        sum += (unsigned char)data[i];
    }
    Py_END_ALLOW_THREADS
    Py_DECREF(chunk);  /* with the GIL held again */
    return PyLong_FromUnsignedLong(sum);
}

static PyMethodDef example_methods[] = {
    {"run", run, METH_O, NULL},
    {"gil_released", gil_released, METH_NOARGS, NULL},
    {"other_thread_done", other_thread_done, METH_NOARGS, NULL},
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
