/* One pass over a slice of CSV bytes: record boundaries, cells per record, quoting regularity.
 *
 * The same model as socle/io/scan.py (the pure-Python fallback, and the reference of the tests): a
 * quote opens a quoted field when an even number of quotes precede it in the slice, closes it
 * otherwise; a line feed outside quotes ends a record; a delimiter outside quotes separates cells.
 * The model is exact for regular RFC 4180 quoting; the first place where it is not (a quote in the
 * middle of a cell, text after a closing quote, a lone carriage return, a quote never closed) is
 * reported, and the caller reads around it with Python's csv module.
 *
 * scan(data, start, end, at_eof, delimiter, expected)
 *     -> (cut, records, indices, cells, widest, offset, kind)
 *   cut        end (exclusive) of the last complete record of data[start:end], -1 if none ends
 *   records    number of records up to the cut
 *   indices, cells   the records (0-based, in order) whose number of cells is not ``expected``, and
 *              their numbers of cells (0 for a blank record): two lists, short in regular files
 *   widest     the largest number of cells of a record (0 without records)
 *   offset     position of the first irregularity before the cut, -1 if none
 *   kind       1 quote in the middle of a cell, 2 text after a closing quote, 3 quote never closed,
 *              4 lone carriage return; 0 if none
 * The GIL is released during the scan.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#define SOCLE_SSE2 1
#endif

#ifdef SOCLE_SSE2
/* Bits set in a 16-bit mask (portable: no popcnt instruction assumed, no libgcc call). */
static inline int bits16(unsigned mask)
{
    mask = mask - ((mask >> 1) & 0x5555u);
    mask = (mask & 0x3333u) + ((mask >> 2) & 0x3333u);
    mask = (mask + (mask >> 4)) & 0x0F0Fu;
    return (int)((mask + (mask >> 8)) & 0x1Fu);
}
#endif

enum { REGULAR = 0, BAD_OPEN = 1, BAD_CLOSE = 2, UNCLOSED = 3, LONE_CR = 4 };

typedef struct {
    int32_t *cells;
    Py_ssize_t count;
    Py_ssize_t capacity;
    int failed;
} Records;

static void push(Records *records, int32_t cells)
{
    if (records->failed) {
        return;
    }
    if (records->count == records->capacity) {
        Py_ssize_t capacity = records->capacity ? records->capacity * 2 : 4096;
        int32_t *grown = PyMem_RawRealloc(records->cells, (size_t)capacity * sizeof(int32_t));
        if (grown == NULL) {
            records->failed = 1;
            return;
        }
        records->cells = grown;
        records->capacity = capacity;
    }
    records->cells[records->count++] = cells;
}

static int32_t record_cells(const unsigned char *data, Py_ssize_t first, Py_ssize_t stop, Py_ssize_t delimiters)
{
    Py_ssize_t length = stop - first;
    int crlf = length > 0 && data[stop - 1] == '\r';
    if (length == 0 || (length == 1 && crlf)) {
        return 0; /* blank record */
    }
    return (int32_t)(delimiters + 1);
}

static PyObject *scan(PyObject *Py_UNUSED(module), PyObject *args)
{
    Py_buffer view;
    Py_ssize_t start, end;
    int at_eof, delimiter_code, expected;
    if (!PyArg_ParseTuple(args, "y*nnpii", &view, &start, &end, &at_eof, &delimiter_code, &expected)) {
        return NULL;
    }
    if (start < 0 || end > view.len || start > end || delimiter_code < 0 || delimiter_code > 255) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "scan: bornes ou séparateur invalides");
        return NULL;
    }
    const unsigned char *data = (const unsigned char *)view.buf;
    const unsigned char delimiter = (unsigned char)delimiter_code;
    unsigned char special[256];
    memset(special, 0, sizeof special);
    special[delimiter] = 1;
    special['\n'] = 1;
    special['\r'] = 1;
    special['"'] = 1;

    Records records = {NULL, 0, 0, 0};
    Py_ssize_t record_start = start, delimiters = 0, last_end = -1, last_quote = -1;
    Py_ssize_t records_at_last_end = 0, irregular = -1;
    int kind = REGULAR, quoted = 0;

    Py_BEGIN_ALLOW_THREADS
    Py_ssize_t i = start;
    while (i < end) {
        if (quoted) {
            /* Inside a quoted field only the next quote matters. */
            const unsigned char *quote = memchr(data + i, '"', (size_t)(end - i));
            if (quote == NULL) {
                i = end;
                break;
            }
            i = quote - data;
            last_quote = i;
            quoted = 0;
            if (irregular < 0 && i + 1 < end) {
                unsigned char next = data[i + 1];
                if (next != delimiter && next != '\n' && next != '\r' && next != '"') {
                    irregular = i;
                    kind = BAD_CLOSE;
                }
            }
            i++;
            continue;
        }
#ifdef SOCLE_SSE2
        /* Sixteen bytes at a time up to the next line feed, quote or carriage return; delimiters are
         * only counted. */
        const __m128i delimiter_x16 = _mm_set1_epi8((char)delimiter);
        const __m128i newline_x16 = _mm_set1_epi8('\n');
        const __m128i quote_x16 = _mm_set1_epi8('"');
        const __m128i return_x16 = _mm_set1_epi8('\r');
        while (i + 16 <= end) {
            __m128i block = _mm_loadu_si128((const __m128i *)(data + i));
            unsigned found = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(block, delimiter_x16));
            unsigned stops = (unsigned)_mm_movemask_epi8(_mm_or_si128(
                _mm_cmpeq_epi8(block, newline_x16),
                _mm_or_si128(_mm_cmpeq_epi8(block, quote_x16), _mm_cmpeq_epi8(block, return_x16))));
            if (!stops) {
                delimiters += bits16(found);
                i += 16;
                continue;
            }
            int first = __builtin_ctz(stops);
            delimiters += bits16(found & ((1u << first) - 1u));
            i += first;
            break;
        }
        if (i >= end) {
            break;
        }
#endif
        unsigned char byte = data[i];
        if (!special[byte]) {
            i++;
            continue;
        }
        if (byte == delimiter) {
            delimiters++;
        } else if (byte == '\n') {
            push(&records, record_cells(data, record_start, i, delimiters));
            delimiters = 0;
            record_start = i + 1;
            last_end = i + 1;
            records_at_last_end = records.count;
        } else if (byte == '"') {
            if (irregular < 0 && i > start) {
                unsigned char previous = data[i - 1];
                if (previous != delimiter && previous != '\n' && previous != '"') {
                    irregular = i;
                    kind = BAD_OPEN;
                }
            }
            last_quote = i;
            quoted = 1;
        } else if (byte == '\r' && irregular < 0) {
            if (i + 1 < end ? data[i + 1] != '\n' : at_eof) {
                irregular = i;
                kind = LONE_CR;
            }
        }
        i++;
    }
    Py_END_ALLOW_THREADS

    Py_ssize_t cut;
    if (at_eof) {
        cut = end;
        if (quoted && (irregular < 0 || last_quote < irregular)) {
            irregular = last_quote;
            kind = UNCLOSED;
        }
        if (record_start < end) { /* the last record of the file, without a final line feed */
            push(&records, record_cells(data, record_start, end, delimiters));
        }
    } else {
        cut = last_end;
        records.count = records_at_last_end; /* the records ending in the next read are not complete */
    }
    PyBuffer_Release(&view);
    if (records.failed) {
        PyMem_RawFree(records.cells);
        return PyErr_NoMemory();
    }
    if (irregular >= cut) {
        irregular = -1; /* beyond the cut: the next slice's */
        kind = REGULAR;
    }
    int32_t widest = 0;
    PyObject *indices = PyList_New(0), *cells = PyList_New(0);
    if (indices == NULL || cells == NULL) {
        goto failed;
    }
    for (Py_ssize_t k = 0; k < records.count; k++) {
        int32_t count = records.cells[k];
        if (count > widest) {
            widest = count;
        }
        if (count != expected) {
            PyObject *index = PyLong_FromSsize_t(k), *value = PyLong_FromLong(count);
            int appended = index != NULL && value != NULL && PyList_Append(indices, index) == 0
                           && PyList_Append(cells, value) == 0;
            Py_XDECREF(index);
            Py_XDECREF(value);
            if (!appended) {
                goto failed;
            }
        }
    }
    PyMem_RawFree(records.cells);
    return Py_BuildValue("(nnNNini)", cut, records.count, indices, cells, (int)widest, irregular, kind);

failed:
    PyMem_RawFree(records.cells);
    Py_XDECREF(indices);
    Py_XDECREF(cells);
    return NULL;
}

static PyMethodDef methods[] = {
    {"scan", scan, METH_VARARGS,
     "scan(data, start, end, at_eof, delimiter, expected) -> (cut, records, indices, cells, widest, offset, kind)"},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot slots[] = {
#ifdef Py_mod_multiple_interpreters
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
#endif
    {0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_scanner", "One-pass scan of CSV bytes (see socle/io/scan.py).", 0, methods, slots,
};

PyMODINIT_FUNC PyInit__scanner(void)
{
    return PyModuleDef_Init(&module);
}
