/* jsonw.h: JSON string output without building a tree. */
#ifndef NG_JSONW_H
#define NG_JSONW_H

#include <stddef.h>
#include <stdio.h>

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

#endif
