/* jsonw.h: JSON string output without building a tree. */
#ifndef NG_JSONW_H
#define NG_JSONW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Output gathered in a buffer and written to `out` in large pieces: a line
 * of JSON is a dozen small pieces, and stdio's cost is per call. */
typedef struct ng_jsonbuf {
    FILE *out;
    size_t n;
    char buf[8192];
} ng_jsonbuf;

void ng_jsonbuf_put(ng_jsonbuf *b, const char *s, size_t len);
/** `v` in decimal. */
void ng_jsonbuf_uint(ng_jsonbuf *b, uint64_t v);
/** Like ng_json_write_string. */
void ng_jsonbuf_string(ng_jsonbuf *b, const char *s, size_t len);
/** Write out what is buffered; call before the FILE is used directly. */
void ng_jsonbuf_flush(ng_jsonbuf *b);

/** Write `len` bytes of UTF-8 as a quoted JSON string; control characters
 *  are escaped, invalid UTF-8 bytes become U+FFFD. */
void ng_json_write_string(FILE *out, const char *s, size_t len);

/** Write a double as JSON with up to 15 significant digits; non-finite
 *  values as null. Locale-independent. */
void ng_json_write_number(FILE *out, double v);

/** Format `v` with up to `digits` significant digits in plain (never
 *  exponent) notation, trailing zeros removed; "0" for non-finite. Returns
 *  the length written into `buf` (at least 64 bytes). Locale-independent. */
size_t ng_format_plain(char *buf, size_t cap, double v, int digits);

/** Format finite `v` as snprintf's "%.15g" does in the C locale (igraph's
 *  igraph_real_fprintf_precise): the same bytes, "-0" included. Returns the
 *  length written into `buf` (at least 32 bytes), 0 if it did not fit.
 *  Magnitudes below 10^-12 or from 10^15 on, and non-finite values, go to
 *  snprintf, which follows the thread's LC_NUMERIC: the export view sets
 *  the C locale. */
size_t ng_format_g15(char *buf, size_t cap, double v);

#endif
