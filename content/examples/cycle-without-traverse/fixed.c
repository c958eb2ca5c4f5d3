/* Fixed: Box is a GC type: it reports its reference in tp_traverse and can drop it in tp_clear. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

typedef struct {
    PyObject_HEAD
    PyObject *value;
} BoxObject;

static PyObject *
Box_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *value;
    if (!PyArg_ParseTuple(args, "O:Box", &value)) {
        return NULL;
    }
    BoxObject *self = (BoxObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    self->value = Py_NewRef(value);
    return (PyObject *)self;
}

static PyMemberDef Box_members[] = {
    {"value", T_OBJECT_EX, offsetof(BoxObject, value), 0, NULL},
    {NULL, 0, 0, 0, NULL},
};

static int
Box_traverse(BoxObject *self, visitproc visit, void *arg)
{
    Py_VISIT(self->value);
    return 0;
}

static int
Box_clear(BoxObject *self)
{
    Py_CLEAR(self->value);
    return 0;
}

static void
Box_dealloc(BoxObject *self)
{
    PyObject_GC_UnTrack(self);
    Box_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyTypeObject BoxType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "example.Box",
    .tp_basicsize = sizeof(BoxObject),
    .tp_dealloc = (destructor)Box_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = (traverseproc)Box_traverse,
    .tp_clear = (inquiry)Box_clear,
    .tp_new = Box_new,
    .tp_members = Box_members,
};

static PyMethodDef example_methods[] = {

    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef example_module = {
    PyModuleDef_HEAD_INIT, "example", NULL, -1, example_methods,
};

PyMODINIT_FUNC
PyInit_example(void)
{
    PyObject *m = PyModule_Create(&example_module);
    if (m == NULL) {
        return NULL;
    }
    if (PyType_Ready(&BoxType) < 0 || PyModule_AddObjectRef(m, "Box", (PyObject *)&BoxType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
