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

/* ---------------------------------------------------------------------------------------------
 * columns(data, delimiter, names, records, utf8) -> [(schema capsule, array capsule), ...] or None
 *
 * The cells of a slice that scan() found regular, as one Arrow string-view array per column (the
 * Arrow C data interface, format "vu"), which polars takes without copying them. The slice is copied
 * once into a buffer shared by the columns (cells of more than 12 bytes point into it; shorter ones
 * are held in their view); quoted cells are unquoted in that copy, in place. A record with fewer
 * cells than ``names`` has null cells, a blank record only nulls. None when the slice is not what
 * scan() calls regular, has another number of records, or (``utf8`` true) is not valid UTF-8: the
 * caller then parses it another way, which says what is wrong.
 */

struct ArrowSchema {
    const char *format;
    const char *name;
    const char *metadata;
    int64_t flags;
    int64_t n_children;
    struct ArrowSchema **children;
    struct ArrowSchema *dictionary;
    void (*release)(struct ArrowSchema *);
    void *private_data;
};

struct ArrowArray {
    int64_t length;
    int64_t null_count;
    int64_t offset;
    int64_t n_buffers;
    int64_t n_children;
    const void **buffers;
    struct ArrowArray **children;
    struct ArrowArray *dictionary;
    void (*release)(struct ArrowArray *);
    void *private_data;
};

#define ARROW_FLAG_NULLABLE 2

/* Bytes shared by the columns of a slice: freed with the last of them (or the Text object). */
typedef struct {
    int64_t references; /* atomic: the columns may be released by any thread, without the GIL */
    Py_ssize_t size;
    Py_ssize_t capacity;
    unsigned char *data; /* size bytes, then at least 16 readable bytes */
} SharedText;

static int64_t live_texts; /* atomic: SharedText not freed yet (see texts()) */

static SharedText *new_text(Py_ssize_t capacity)
{
    SharedText *text = malloc(sizeof *text);
    if (text == NULL) {
        return NULL;
    }
    text->data = malloc((size_t)capacity + 16);
    if (text->data == NULL) {
        free(text);
        return NULL;
    }
    memset(text->data + capacity, 0, 16);
    text->size = 0;
    text->capacity = capacity;
    text->references = 1;
    __atomic_add_fetch(&live_texts, 1, __ATOMIC_RELAXED);
    return text;
}

static void retain_text(SharedText *text)
{
    __atomic_add_fetch(&text->references, 1, __ATOMIC_ACQ_REL);
}

static void release_text(SharedText *text)
{
    if (text != NULL && __atomic_sub_fetch(&text->references, 1, __ATOMIC_ACQ_REL) == 0) {
        free(text->data);
        free(text);
        __atomic_sub_fetch(&live_texts, 1, __ATOMIC_RELAXED);
    }
}

typedef struct {
    SharedText *texts[2]; /* the slice, and the unquoted cells that held doubled quotes; NULL if unused */
    unsigned char *views;
    unsigned char *validity;
    int64_t sizes[2];
    const void *buffers[5];
} ColumnData;

static void release_schema(struct ArrowSchema *schema)
{
    free(schema->private_data); /* the name */
    schema->release = NULL;
}

static void release_array(struct ArrowArray *array)
{
    ColumnData *column = array->private_data;
    if (column != NULL) {
        free(column->views);
        free(column->validity);
        release_text(column->texts[0]);
        release_text(column->texts[1]);
        free(column);
    }
    array->release = NULL;
}

static void free_schema_capsule(PyObject *capsule)
{
    struct ArrowSchema *schema = PyCapsule_GetPointer(capsule, "arrow_schema");
    if (schema != NULL) {
        if (schema->release != NULL) {
            schema->release(schema);
        }
        free(schema);
    }
}

static void free_array_capsule(PyObject *capsule)
{
    struct ArrowArray *array = PyCapsule_GetPointer(capsule, "arrow_array");
    if (array != NULL) {
        if (array->release != NULL) {
            array->release(array);
        }
        free(array);
    }
}

/* One code point at data[i] in strict UTF-8 as Python decodes it (no overlong form, no surrogate,
 * nothing above U+10FFFF): its length in bytes, 0 if invalid. */
static int utf8_sequence(const unsigned char *data, Py_ssize_t i, Py_ssize_t size)
{
    unsigned char byte = data[i];
    if (byte < 0x80) {
        return 1;
    }
    int more;
    unsigned char low = 0x80, high = 0xBF;
    if (byte >= 0xC2 && byte <= 0xDF) {
        more = 1;
    } else if (byte >= 0xE0 && byte <= 0xEF) {
        more = 2;
        if (byte == 0xE0) {
            low = 0xA0;
        } else if (byte == 0xED) {
            high = 0x9F;
        }
    } else if (byte >= 0xF0 && byte <= 0xF4) {
        more = 3;
        if (byte == 0xF0) {
            low = 0x90;
        } else if (byte == 0xF4) {
            high = 0x8F;
        }
    } else {
        return 0;
    }
    if (i + more >= size) {
        return 0; /* cut short */
    }
    if (data[i + 1] < low || data[i + 1] > high) {
        return 0;
    }
    for (int k = 2; k <= more; k++) {
        if (data[i + k] < 0x80 || data[i + k] > 0xBF) {
            return 0;
        }
    }
    return more + 1;
}

static int valid_utf8(const unsigned char *data, Py_ssize_t size)
{
    Py_ssize_t i = 0;
#ifdef SOCLE_SSE2
    /* Sixteen bytes at a time: every byte that must be a continuation byte (after a lead byte) is
     * one, and no other is; the lead bytes that limit their next byte (E0, ED, F0, F4) and the bytes
     * never valid (C0, C1, F5 to FF) are rare and checked one by one. */
    const __m128i above_bf = _mm_set1_epi8((char)0xBF), above_df = _mm_set1_epi8((char)0xDF);
    const __m128i above_ef = _mm_set1_epi8((char)0xEF), above_f4 = _mm_set1_epi8((char)0xF4);
    const __m128i c0 = _mm_set1_epi8((char)0xC0), c1 = _mm_set1_epi8((char)0xC1);
    const __m128i e0 = _mm_set1_epi8((char)0xE0), ed = _mm_set1_epi8((char)0xED);
    const __m128i f0 = _mm_set1_epi8((char)0xF0), f4 = _mm_set1_epi8((char)0xF4);
    uint32_t carried = 0; /* continuation bytes the previous block's lead bytes require in this one */
    while (i + 16 <= size) {
        __m128i block = _mm_loadu_si128((const __m128i *)(data + i));
        uint32_t high = (uint32_t)_mm_movemask_epi8(block);
        if (!high) {
            if (carried) {
                return 0;
            }
            i += 16;
            continue;
        }
        /* Signed comparisons: above 0xBF (as signed) holds for 0xC0..0xFF and for ASCII. */
        uint32_t lead = high & (uint32_t)_mm_movemask_epi8(_mm_cmpgt_epi8(block, above_bf));
        uint32_t lead3 = high & (uint32_t)_mm_movemask_epi8(_mm_cmpgt_epi8(block, above_df));
        uint32_t lead4 = high & (uint32_t)_mm_movemask_epi8(_mm_cmpgt_epi8(block, above_ef));
        uint32_t never = high & (uint32_t)_mm_movemask_epi8(_mm_or_si128(
                                    _mm_cmpgt_epi8(block, above_f4),
                                    _mm_or_si128(_mm_cmpeq_epi8(block, c0), _mm_cmpeq_epi8(block, c1))));
        uint32_t limited = (uint32_t)_mm_movemask_epi8(
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(block, e0), _mm_cmpeq_epi8(block, ed)),
                         _mm_or_si128(_mm_cmpeq_epi8(block, f0), _mm_cmpeq_epi8(block, f4))));
        uint32_t required = carried | (lead << 1) | (lead3 << 2) | (lead4 << 3);
        uint32_t continuation = high & ~lead;
        if (never || (required & 0xFFFFu) != continuation) {
            return 0;
        }
        while (limited) {
            int at = __builtin_ctz(limited);
            if (utf8_sequence(data, i + at, size) == 0) {
                return 0;
            }
            limited &= limited - 1;
        }
        carried = required >> 16;
        i += 16;
    }
    if (carried) {
        /* The last lead bytes of the blocks: back to the start of their sequence. */
        while (i > 0 && (data[i - 1] & 0xC0) == 0x80) {
            i--;
        }
        i--;
    }
#endif
    while (i < size) {
        int length = utf8_sequence(data, i, size);
        if (length == 0) {
            return 0;
        }
        i += length;
    }
    return 1;
}

typedef struct {
    Py_ssize_t width;   /* columns */
    Py_ssize_t records; /* expected records */
    unsigned char **views;
    unsigned char **validity;
    int64_t *nulls;
    char *long_cells; /* per column: some cell is longer than 12 bytes */
    SharedText *unquoted; /* cells that held doubled quotes, written once each; NULL until needed */
} Builder;

/* An Arrow string view of base[start:start + length]: its length then, up to 12 bytes, the text;
 * beyond, its first 4 bytes, its buffer and its offset there. 16 bytes are readable from any cell. */
static inline void put_view(unsigned char *view, const unsigned char *base, Py_ssize_t start, Py_ssize_t length,
                            uint32_t buffer)
{
#ifdef SOCLE_SSE2
    if (length <= 12) {
        static const unsigned char ones[32] = {
            255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        };
        /* Bytes 4 to 4 + length of the view: the text, moved up by 4 bytes, kept under a mask. */
        __m128i text = _mm_slli_si128(_mm_loadu_si128((const __m128i *)(base + start)), 4);
        __m128i mask = _mm_slli_si128(_mm_loadu_si128((const __m128i *)(ones + 16 - length)), 4);
        _mm_storeu_si128((__m128i *)view, _mm_or_si128(_mm_and_si128(text, mask), _mm_cvtsi32_si128((int)length)));
        return;
    }
#endif
    uint32_t size = (uint32_t)length;
    memset(view, 0, 16);
    memcpy(view, &size, 4);
    if (length <= 12) {
        memcpy(view + 4, base + start, (size_t)length);
    } else {
        uint32_t offset = (uint32_t)start;
        memcpy(view + 4, base + start, 4);
        memcpy(view + 8, &buffer, 4);
        memcpy(view + 12, &offset, 4);
    }
}

/* A null cell: zero view, validity bit cleared (the bitmap made on the first null). */
static int put_null(Builder *builder, Py_ssize_t column, Py_ssize_t record)
{
    memset(builder->views[column] + 16 * record, 0, 16);
    if (builder->validity[column] == NULL) {
        size_t bytes = (size_t)(builder->records + 7) / 8;
        builder->validity[column] = malloc(bytes ? bytes : 1);
        if (builder->validity[column] == NULL) {
            return 0;
        }
        memset(builder->validity[column], 0xFF, bytes ? bytes : 1);
    }
    builder->validity[column][record / 8] &= (unsigned char)~(1u << (record % 8));
    builder->nulls[column]++;
    return 1;
}

/* Append data[start:stop] to the unquoted cells; 0 when out of memory. */
static int unquote(Builder *builder, const unsigned char *data, Py_ssize_t start, Py_ssize_t stop)
{
    SharedText *text = builder->unquoted;
    Py_ssize_t length = stop - start;
    if (text == NULL) {
        text = builder->unquoted = new_text(length + 4096);
        if (text == NULL) {
            return 0;
        }
    }
    if (text->size + length > text->capacity) {
        Py_ssize_t capacity = 2 * text->capacity + length;
        unsigned char *grown = realloc(text->data, (size_t)capacity + 16);
        if (grown == NULL) {
            return 0;
        }
        memset(grown + capacity, 0, 16);
        text->data = grown;
        text->capacity = capacity;
    }
    memcpy(text->data + text->size, data + start, (size_t)length);
    text->size += length;
    return 1;
}

/* Fill the views; 1 on success, 0 when the slice is not regular as scan() sees it (or out of memory).
 * The slice is only read. */
static int build_columns(Builder *builder, const unsigned char *data, Py_ssize_t size, unsigned char delimiter)
{
    Py_ssize_t pos = 0, record = 0;
#ifdef SOCLE_SSE2
    const __m128i delimiter_x16 = _mm_set1_epi8((char)delimiter);
    const __m128i newline_x16 = _mm_set1_epi8('\n');
    const __m128i quote_x16 = _mm_set1_epi8('"');
    const __m128i return_x16 = _mm_set1_epi8('\r');
#endif
    while (pos < size) {
        if (record >= builder->records) {
            return 0;
        }
        Py_ssize_t column = 0;
        if (data[pos] == '\n' || (data[pos] == '\r' && pos + 1 < size && data[pos + 1] == '\n')) {
            pos += data[pos] == '\n' ? 1 : 2; /* a blank record */
        } else {
            for (;;) {
                if (column >= builder->width) {
                    return 0;
                }
                unsigned char *view = builder->views[column] + 16 * record;
                Py_ssize_t length;
                if (data[pos] == '"') {
                    /* Quoted: the text between the quotes; with doubled quotes, the text written with
                     * each of them once in the unquoted buffer. */
                    Py_ssize_t start = pos + 1;
                    const unsigned char *quote = memchr(data + start, '"', (size_t)(size - start));
                    if (quote == NULL) {
                        return 0;
                    }
                    Py_ssize_t at = quote - data;
                    if (at + 1 < size && data[at + 1] == '"') {
                        Py_ssize_t first = builder->unquoted ? builder->unquoted->size : 0, read = start;
                        for (;;) {
                            if (!unquote(builder, data, read, at + 1)) { /* the text and one quote */
                                return 0;
                            }
                            read = at + 2;
                            quote = memchr(data + read, '"', (size_t)(size - read));
                            if (quote == NULL) {
                                return 0;
                            }
                            at = quote - data;
                            if (at + 1 < size && data[at + 1] == '"') {
                                continue;
                            }
                            if (!unquote(builder, data, read, at)) {
                                return 0;
                            }
                            break;
                        }
                        length = builder->unquoted->size - first;
                        put_view(view, builder->unquoted->data, first, length, 1);
                    } else {
                        length = at - start;
                        put_view(view, data, start, length, 0);
                    }
                    pos = at + 1;
                } else {
                    Py_ssize_t start = pos;
#ifdef SOCLE_SSE2
                    for (;;) {
                        if (pos + 16 > size) {
                            while (pos < size && data[pos] != delimiter && data[pos] != '\n' && data[pos] != '\r'
                                   && data[pos] != '"') {
                                pos++;
                            }
                            break;
                        }
                        __m128i block = _mm_loadu_si128((const __m128i *)(data + pos));
                        unsigned stops = (unsigned)_mm_movemask_epi8(
                            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(block, delimiter_x16), _mm_cmpeq_epi8(block, newline_x16)),
                                         _mm_or_si128(_mm_cmpeq_epi8(block, quote_x16), _mm_cmpeq_epi8(block, return_x16))));
                        if (stops) {
                            pos += __builtin_ctz(stops);
                            break;
                        }
                        pos += 16;
                    }
#else
                    while (pos < size && data[pos] != delimiter && data[pos] != '\n' && data[pos] != '\r' && data[pos] != '"') {
                        pos++;
                    }
#endif
                    if (pos < size && data[pos] == '"') {
                        return 0; /* a quote in the middle of a cell */
                    }
                    length = pos - start;
                    put_view(view, data, start, length, 0);
                }
                if (length > 12) {
                    builder->long_cells[column] = 1;
                }
                column++;
                if (pos >= size) {
                    break;
                }
                unsigned char next = data[pos];
                if (next == delimiter) {
                    pos++;
                    if (pos >= size) { /* a final delimiter: one more empty cell */
                        if (column >= builder->width) {
                            return 0;
                        }
                        put_view(builder->views[column] + 16 * record, data, pos, 0, 0);
                        column++;
                        break;
                    }
                    continue;
                }
                if (next == '\n') {
                    pos++;
                    break;
                }
                if (next == '\r' && pos + 1 < size && data[pos + 1] == '\n') {
                    pos += 2;
                    break;
                }
                return 0; /* text after a closing quote, or a lone carriage return */
            }
        }
        for (; column < builder->width; column++) {
            if (!put_null(builder, column, record)) {
                return 0;
            }
        }
        record++;
    }
    return record == builder->records;
}

/* ---- Text: a slice's bytes, read-only, shared with the columns built from it -------------------- */

typedef struct {
    PyTypeObject *text_type;
} ModuleState;

typedef struct {
    PyObject_HEAD
    SharedText *text;
} TextObject;

static int text_getbuffer(PyObject *self, Py_buffer *view, int flags)
{
    SharedText *text = ((TextObject *)self)->text;
    return PyBuffer_FillInfo(view, self, text->data, text->size, 1, flags);
}

static Py_ssize_t text_length(PyObject *self)
{
    return ((TextObject *)self)->text->size;
}

static void text_dealloc(PyObject *self)
{
    PyTypeObject *type = Py_TYPE(self);
    release_text(((TextObject *)self)->text);
    type->tp_free(self);
    Py_DECREF(type);
}

static PyType_Slot text_slots[] = {
    {Py_tp_doc, "Octets d'une tranche de CSV, en lecture seule (partagés avec les colonnes construites)."},
    {Py_tp_dealloc, text_dealloc},
    {Py_bf_getbuffer, text_getbuffer},
    {Py_sq_length, text_length},
    {0, NULL},
};

static PyType_Spec text_spec = {
    "socle.io._scanner.Text", sizeof(TextObject), 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE | Py_TPFLAGS_DISALLOW_INSTANTIATION, text_slots,
};

static PyObject *copy(PyObject *module, PyObject *args)
{
    Py_buffer view;
    Py_ssize_t start, end;
    if (!PyArg_ParseTuple(args, "y*nn", &view, &start, &end)) {
        return NULL;
    }
    if (start < 0 || end > view.len || start > end || end - start > (Py_ssize_t)UINT32_MAX) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "copy: bornes invalides");
        return NULL;
    }
    ModuleState *state = PyModule_GetState(module);
    SharedText *text = new_text(end - start);
    TextObject *object = text != NULL ? PyObject_New(TextObject, state->text_type) : NULL;
    if (object == NULL) {
        if (text != NULL) {
            release_text(text);
        }
        PyBuffer_Release(&view);
        return PyErr_Occurred() ? NULL : PyErr_NoMemory();
    }
    Py_BEGIN_ALLOW_THREADS
    memcpy(text->data, (const unsigned char *)view.buf + start, (size_t)(end - start));
    Py_END_ALLOW_THREADS
    text->size = end - start;
    object->text = text;
    PyBuffer_Release(&view);
    return (PyObject *)object;
}

static PyObject *columns(PyObject *module, PyObject *args)
{
    PyObject *text_object, *names;
    int delimiter_code, check_utf8;
    Py_ssize_t records;
    ModuleState *state = PyModule_GetState(module);
    if (!PyArg_ParseTuple(args, "O!iO!np", state->text_type, &text_object, &delimiter_code, &PyList_Type, &names,
                          &records, &check_utf8)) {
        return NULL;
    }
    Py_ssize_t width = PyList_GET_SIZE(names);
    if (delimiter_code < 0 || delimiter_code > 255 || width < 1 || records < 0) {
        PyErr_SetString(PyExc_ValueError, "columns: séparateur, colonnes ou enregistrements invalides");
        return NULL;
    }
    for (Py_ssize_t k = 0; k < width; k++) {
        if (!PyUnicode_Check(PyList_GET_ITEM(names, k))) {
            PyErr_SetString(PyExc_TypeError, "columns: les noms de colonnes doivent être des str");
            return NULL;
        }
    }
    SharedText *text = ((TextObject *)text_object)->text;
    Builder builder = {width, records, calloc((size_t)width, sizeof(void *)), calloc((size_t)width, sizeof(void *)),
                       calloc((size_t)width, sizeof(int64_t)), calloc((size_t)width, 1), NULL};
    int built = 0;
    PyObject *result = NULL;
    if (builder.views == NULL || builder.validity == NULL || builder.nulls == NULL || builder.long_cells == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t k = 0; k < width; k++) {
        builder.views[k] = malloc(records ? (size_t)records * 16 : 16);
        if (builder.views[k] == NULL) {
            PyErr_NoMemory();
            goto done;
        }
    }
    Py_BEGIN_ALLOW_THREADS
    if (!check_utf8 || valid_utf8(text->data, text->size)) {
        built = build_columns(&builder, text->data, text->size, (unsigned char)delimiter_code);
    }
    Py_END_ALLOW_THREADS
    if (!built) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    result = PyList_New(width);
    if (result == NULL) {
        goto done;
    }
    for (Py_ssize_t k = 0; k < width; k++) {
        struct ArrowSchema *schema = calloc(1, sizeof *schema);
        struct ArrowArray *array = calloc(1, sizeof *array);
        ColumnData *column = calloc(1, sizeof *column);
        Py_ssize_t name_size;
        const char *name = PyUnicode_AsUTF8AndSize(PyList_GET_ITEM(names, k), &name_size);
        char *name_copy = name != NULL ? malloc((size_t)name_size + 1) : NULL;
        if (schema == NULL || array == NULL || column == NULL || name_copy == NULL) {
            free(schema);
            free(array);
            free(column);
            free(name_copy);
            if (!PyErr_Occurred()) {
                PyErr_NoMemory();
            }
            Py_CLEAR(result);
            goto done;
        }
        memcpy(name_copy, name, (size_t)name_size + 1);
        schema->format = "vu";
        schema->name = name_copy;
        schema->flags = ARROW_FLAG_NULLABLE;
        schema->release = release_schema;
        schema->private_data = name_copy;

        column->views = builder.views[k];
        column->validity = builder.validity[k];
        builder.views[k] = NULL;
        builder.validity[k] = NULL;
        column->buffers[0] = column->validity;
        column->buffers[1] = column->views;
        int64_t buffers = 0; /* of text: the views of long cells point into them */
        if (builder.long_cells[k]) {
            SharedText *pointed[2] = {text, builder.unquoted};
            for (int t = 0; t < 2 && pointed[t] != NULL; t++) {
                retain_text(pointed[t]);
                column->texts[t] = pointed[t];
                column->sizes[t] = pointed[t]->size;
                column->buffers[2 + t] = pointed[t]->data;
                buffers++;
            }
        }
        column->buffers[2 + buffers] = column->sizes; /* the sizes of the text buffers */
        array->n_buffers = 3 + buffers;
        array->length = records;
        array->null_count = builder.nulls[k];
        array->buffers = column->buffers;
        array->release = release_array;
        array->private_data = column;

        PyObject *schema_capsule = PyCapsule_New(schema, "arrow_schema", free_schema_capsule);
        if (schema_capsule == NULL) {
            release_schema(schema);
            free(schema);
            release_array(array);
            free(array);
            Py_CLEAR(result);
            goto done;
        }
        PyObject *array_capsule = PyCapsule_New(array, "arrow_array", free_array_capsule);
        if (array_capsule == NULL) {
            Py_DECREF(schema_capsule);
            release_array(array);
            free(array);
            Py_CLEAR(result);
            goto done;
        }
        PyObject *pair = PyTuple_Pack(2, schema_capsule, array_capsule);
        Py_DECREF(schema_capsule);
        Py_DECREF(array_capsule);
        if (pair == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        PyList_SET_ITEM(result, k, pair);
    }

done:
    release_text(builder.unquoted); /* this function's reference: the columns hold theirs */
    if (builder.views != NULL) {
        for (Py_ssize_t k = 0; k < width; k++) {
            free(builder.views[k]);
        }
    }
    if (builder.validity != NULL) {
        for (Py_ssize_t k = 0; k < width; k++) {
            free(builder.validity[k]);
        }
    }
    free(builder.views);
    free(builder.validity);
    free(builder.nulls);
    free(builder.long_cells);
    return result;
}

static PyObject *texts(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(args))
{
    return PyLong_FromLongLong(__atomic_load_n(&live_texts, __ATOMIC_RELAXED));
}

static int exec_module(PyObject *module)
{
    ModuleState *state = PyModule_GetState(module);
    state->text_type = (PyTypeObject *)PyType_FromModuleAndSpec(module, &text_spec, NULL);
    if (state->text_type == NULL) {
        return -1;
    }
    return PyModule_AddType(module, state->text_type);
}

static int traverse_module(PyObject *module, visitproc visit, void *arg)
{
    ModuleState *state = PyModule_GetState(module);
    Py_VISIT(state->text_type);
    return 0;
}

static int clear_module(PyObject *module)
{
    ModuleState *state = PyModule_GetState(module);
    Py_CLEAR(state->text_type);
    return 0;
}

static void free_module(void *module)
{
    clear_module((PyObject *)module);
}

static PyMethodDef methods[] = {
    {"scan", scan, METH_VARARGS,
     "scan(data, start, end, at_eof, delimiter, expected) -> (cut, records, indices, cells, widest, offset, kind)"},
    {"texts", texts, METH_NOARGS, "texts() -> int: slice copies and unquoted cells still held (by columns)"},
    {"copy", copy, METH_VARARGS, "copy(data, start, end) -> Text: data[start:end], for columns()"},
    {"columns", columns, METH_VARARGS,
     "columns(text, delimiter, names, records, utf8) -> [(arrow_schema capsule, arrow_array capsule), ...] or None"},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot slots[] = {
    {Py_mod_exec, exec_module},
#ifdef Py_mod_multiple_interpreters
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
#endif
    {0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    "_scanner",
    "One-pass scan of CSV bytes (see socle/io/scan.py), and the columns of a regular slice.",
    sizeof(ModuleState),
    methods,
    slots,
    traverse_module,
    clear_module,
    free_module,
};

PyMODINIT_FUNC PyInit__scanner(void)
{
    return PyModuleDef_Init(&module);
}
