/* khabar.storage._fts5rank: BM25 over an FTS5 index with document frequencies given by the caller.
 *
 * FTS5's bm25() finds each phrase's document frequency by walking the phrase's whole doclist on
 * every query (~50 ns a matching row): ~20 ms for a common word in a 1M-article store, however
 * few rows the query ranks. khabar_bm25() is the same formula (FTS5's k1, b, clamping and column
 * weights) with the frequencies passed in:
 *
 *     khabar_bm25(fts_table, weight_col0, ..., weight_colN-1, hits_phrase0, hits_phrase1, ...)
 *
 * Python's sqlite3 cannot load extensions or reach FTS5's C API, so the function lives on a
 * connection of its own: Ranker(path) opens the database read-only with the system SQLite and
 * Ranker.rows(sql, params) runs a query there, without the GIL while SQLite works.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define K1 1.2
#define B 0.75

typedef struct {
    int n_phrase;
    double avgdl;
    double *idf;
    double *freq;
} RankData;

static void rank_data_free(void *p) {
    RankData *d = (RankData *)p;
    if (d) { free(d->idf); free(d->freq); free(d); }
}

/* IDFs and the average row length, once per query (kept as the query's auxdata). */
static RankData *rank_data(const Fts5ExtensionApi *api, Fts5Context *fts, int n_val, sqlite3_value **val, int *rc) {
    RankData *d = (RankData *)api->xGetAuxdata(fts, 0);
    if (d) return d;
    sqlite3_int64 n_row = 0, n_token = 0;
    int n_col = api->xColumnCount(fts), n_phrase = api->xPhraseCount(fts);
    *rc = api->xRowCount(fts, &n_row);
    if (*rc == SQLITE_OK) *rc = api->xColumnTotalSize(fts, -1, &n_token);
    if (*rc != SQLITE_OK) return NULL;
    d = (RankData *)calloc(1, sizeof(RankData));
    if (d) { d->idf = calloc(n_phrase + 1, sizeof(double)); d->freq = calloc(n_phrase + 1, sizeof(double)); }
    if (!d || !d->idf || !d->freq) { rank_data_free(d); *rc = SQLITE_NOMEM; return NULL; }
    d->n_phrase = n_phrase;
    d->avgdl = n_row > 0 ? (double)n_token / (double)n_row : 1.0;
    for (int i = 0; i < n_phrase; i++) {
        double hits = n_col + i < n_val ? sqlite3_value_double(val[n_col + i]) : 0.0;
        double idf = log((0.5 + (double)n_row - hits) / (0.5 + hits));
        d->idf[i] = idf <= 0.0 ? 1e-6 : idf;  /* FTS5's clamp: a word in over half the rows still counts a little */
    }
    *rc = api->xSetAuxdata(fts, d, rank_data_free);
    return *rc == SQLITE_OK ? d : NULL;
}

static void khabar_bm25(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                        int n_val, sqlite3_value **val) {
    int rc = SQLITE_OK, n_inst = 0, n_tok = 0;
    RankData *d = rank_data(api, fts, n_val, val, &rc);
    if (!d) { sqlite3_result_error_code(ctx, rc == SQLITE_OK ? SQLITE_ERROR : rc); return; }
    memset(d->freq, 0, sizeof(double) * d->n_phrase);
    rc = api->xInstCount(fts, &n_inst);
    for (int i = 0; rc == SQLITE_OK && i < n_inst; i++) {
        int phrase, col, off;
        rc = api->xInst(fts, i, &phrase, &col, &off);
        if (rc == SQLITE_OK) d->freq[phrase] += col < n_val ? sqlite3_value_double(val[col]) : 1.0;
    }
    if (rc == SQLITE_OK) rc = api->xColumnSize(fts, -1, &n_tok);
    if (rc != SQLITE_OK) { sqlite3_result_error_code(ctx, rc); return; }
    double score = 0.0, norm = K1 * (1 - B + B * (double)n_tok / d->avgdl);
    for (int i = 0; i < d->n_phrase; i++)
        score += d->idf[i] * (d->freq[i] * (K1 + 1.0)) / (d->freq[i] + norm);
    sqlite3_result_double(ctx, -1.0 * score);
}

static int register_rank(sqlite3 *db) {
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
        sqlite3_step(st);
        rc = sqlite3_finalize(st);
    }
    if (rc != SQLITE_OK || api == NULL || api->iVersion < 2) return SQLITE_ERROR;
    return api->xCreateFunction(api, "khabar_bm25", NULL, khabar_bm25, NULL);
}

/* ---------------------------------------------------------------- the Python type */

typedef struct {
    PyObject_HEAD
    sqlite3 *db;
} Ranker;

static PyObject *sqlite_error(sqlite3 *db, const char *what) {
    PyErr_Format(PyExc_RuntimeError, "%s: %s", what, db ? sqlite3_errmsg(db) : "out of memory");
    return NULL;
}

static int Ranker_init(Ranker *self, PyObject *args, PyObject *kwds) {
    static char *kw[] = {"path", "timeout_ms", NULL};
    const char *path;
    int timeout_ms = 30000;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "s|i", kw, &path, &timeout_ms)) return -1;
    if (self->db) { sqlite3_close_v2(self->db); self->db = NULL; }
    int rc = sqlite3_open_v2(path, &self->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_busy_timeout(self->db, timeout_ms);
    if (rc == SQLITE_OK) rc = register_rank(self->db);
    if (rc != SQLITE_OK) {
        sqlite_error(self->db, "cannot open the ranking connection");
        sqlite3_close_v2(self->db);
        self->db = NULL;
        return -1;
    }
    return 0;
}

static void Ranker_dealloc(Ranker *self) {
    if (self->db) sqlite3_close_v2(self->db);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int bind_all(sqlite3_stmt *st, PyObject *params) {
    Py_ssize_t n = PySequence_Fast_GET_SIZE(params);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *v = PySequence_Fast_GET_ITEM(params, i);
        int rc, at = (int)i + 1;
        if (v == Py_None) rc = sqlite3_bind_null(st, at);
        else if (PyLong_Check(v)) rc = sqlite3_bind_int64(st, at, PyLong_AsLongLong(v));
        else if (PyFloat_Check(v)) rc = sqlite3_bind_double(st, at, PyFloat_AsDouble(v));
        else if (PyUnicode_Check(v)) {
            Py_ssize_t len;
            const char *s = PyUnicode_AsUTF8AndSize(v, &len);
            if (!s) return -1;
            rc = sqlite3_bind_text(st, at, s, (int)len, SQLITE_TRANSIENT);
        } else {
            PyErr_Format(PyExc_TypeError, "parameter %d: int, float, str or None expected", at);
            return -1;
        }
        if (PyErr_Occurred()) return -1;
        if (rc != SQLITE_OK) { sqlite_error(sqlite3_db_handle(st), "bind"); return -1; }
    }
    return 0;
}

static PyObject *column_value(sqlite3_stmt *st, int i) {
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER: return PyLong_FromLongLong(sqlite3_column_int64(st, i));
    case SQLITE_FLOAT: return PyFloat_FromDouble(sqlite3_column_double(st, i));
    case SQLITE_NULL: Py_RETURN_NONE;
    default:
        return PyUnicode_FromStringAndSize((const char *)sqlite3_column_text(st, i), sqlite3_column_bytes(st, i));
    }
}

static PyObject *row_tuple(sqlite3_stmt *st) {
    int n = sqlite3_column_count(st);
    PyObject *row = PyTuple_New(n);
    for (int i = 0; row && i < n; i++) {
        PyObject *v = column_value(st, i);
        if (!v) { Py_DECREF(row); return NULL; }
        PyTuple_SET_ITEM(row, i, v);
    }
    return row;
}

static PyObject *Ranker_rows(Ranker *self, PyObject *args) {
    const char *sql;
    PyObject *params = NULL, *fast, *out;
    sqlite3_stmt *st = NULL;
    if (!PyArg_ParseTuple(args, "s|O", &sql, &params)) return NULL;
    if (!self->db) { PyErr_SetString(PyExc_RuntimeError, "the ranking connection is closed"); return NULL; }
    PyObject *empty = params ? NULL : PyTuple_New(0);
    fast = PySequence_Fast(params ? params : empty, "params must be a sequence");
    Py_XDECREF(empty);
    if (!fast) return NULL;
    if (sqlite3_prepare_v2(self->db, sql, -1, &st, NULL) != SQLITE_OK) { Py_DECREF(fast); return sqlite_error(self->db, "prepare"); }
    if (bind_all(st, fast) < 0) { sqlite3_finalize(st); Py_DECREF(fast); return NULL; }
    Py_DECREF(fast);
    out = PyList_New(0);
    int rc;
    while (out) {
        Py_BEGIN_ALLOW_THREADS
        rc = sqlite3_step(st);
        Py_END_ALLOW_THREADS
        if (rc != SQLITE_ROW) break;
        PyObject *row = row_tuple(st);
        if (!row || PyList_Append(out, row) < 0) Py_CLEAR(out);
        Py_XDECREF(row);
    }
    if (out && rc != SQLITE_DONE) { Py_CLEAR(out); sqlite_error(self->db, "query"); }
    sqlite3_finalize(st);
    return out;
}

static PyObject *Ranker_close(Ranker *self, PyObject *Py_UNUSED(ignored)) {
    if (self->db) { sqlite3_close_v2(self->db); self->db = NULL; }
    Py_RETURN_NONE;
}

static PyMethodDef Ranker_methods[] = {
    {"rows", (PyCFunction)Ranker_rows, METH_VARARGS, "rows(sql, params=()) -> list of tuples"},
    {"close", (PyCFunction)Ranker_close, METH_NOARGS, "Close the connection."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject RankerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "khabar.storage._fts5rank.Ranker",
    .tp_doc = "Ranker(path, timeout_ms=30000): a read-only connection with khabar_bm25() registered.",
    .tp_basicsize = sizeof(Ranker),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Ranker_init,
    .tp_dealloc = (destructor)Ranker_dealloc,
    .tp_methods = Ranker_methods,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_fts5rank", "BM25 over FTS5 with caller-given document frequencies.", -1, NULL,
};

PyMODINIT_FUNC PyInit__fts5rank(void) {
    if (PyType_Ready(&RankerType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    Py_INCREF(&RankerType);
    if (PyModule_AddObject(m, "Ranker", (PyObject *)&RankerType) < 0) {
        Py_DECREF(&RankerType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
