/*
 * PyEval_CallObject for durable-rules on Python 3.13+, where CPython removed it from its C API.
 *
 * durable-rules 2.0.28 (unmaintained) calls PyEval_CallObject in its C engine module
 * (durable_rules_engine), so on 3.13 that module fails to load: "undefined symbol:
 * PyEval_CallObject". cadre_rules._durable imports this module with RTLD_GLOBAL before it imports
 * durable_rules_engine, and only on 3.13+: the symbol defined here then resolves durable's.
 *
 * durable calls it only from its optional storage callbacks (set_store_message_callback and the
 * like), which cadre-rules never registers. Compiled against 3.13's headers those calls have an
 * implicit `int` declaration, so a caller would truncate the returned pointer: do not register
 * durable-rules' storage callbacks on 3.13+.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* What CPython <= 3.12 defined: a call with a tuple of positional arguments (or NULL) and no keywords. */
Py_EXPORTED_SYMBOL PyObject *
PyEval_CallObject(PyObject *callable, PyObject *args)
{
    return PyObject_CallObject(callable, args);
}

static struct PyModuleDef compat_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "cadre_rules._pyeval_compat",
    .m_doc = "PyEval_CallObject for durable-rules on Python 3.13+ (load with RTLD_GLOBAL).",
    .m_size = 0,
};

PyMODINIT_FUNC
PyInit__pyeval_compat(void)
{
    return PyModuleDef_Init(&compat_module);
}
