/* decode.c: BOM sniffing, UTF-8 validation and iconv conversion, each
 * keeping the way back to the original bytes. */
#include "nergraph/decode.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "utf8.h"

static const char REPLACEMENT[] = "\xEF\xBF\xBD";

static ng_status reserve(ng_text *t, size_t len)
{
    if (NG_GROW(t->own, t->own_cap, len) != NG_OK)
        return NG_ENOMEM;
    if (NG_GROW(t->map_own, t->map_cap, t->own_cap + 1) != NG_OK)
        return NG_ENOMEM;
    t->map = t->map_own;
    return NG_OK;
}

static void warn_replaced(const ng_text *t, const char *docname, size_t first)
{
    ng_warn("%s: byte %zu: invalid %s, %zu character%s replaced by U+FFFD", docname, first,
            t->encoding, t->replaced, t->replaced == 1 ? "" : "s");
}

/* UTF-8 with invalid sequences: copy, replacing each bad byte by U+FFFD. */
static ng_status decode_utf8_repair(ng_text *t, const char *src, size_t len, size_t start,
                                    const char *docname)
{
    if (len - start > (UINT32_MAX - 1) / 3)
        return ng_error_set(NG_ELIMIT, "%s: too large to repair", docname);
    ng_status st = reserve(t, (len - start) * 3);
    if (st != NG_OK)
        return st;
    const unsigned char *u = (const unsigned char *)src;
    size_t o = 0, first = 0;
    for (size_t i = start; i < len;) {
        int32_t cp;
        size_t k = u[i] < 0x80 ? 1 : ng_utf8_decode(u + i, len - i, &cp);
        if (k) {
            memcpy(t->own + o, src + i, k);
            for (size_t j = 0; j < k; j++)
                t->map[o + j] = (uint32_t)i;
            o += k;
            i += k;
        } else {
            if (t->replaced++ == 0)
                first = i;
            memcpy(t->own + o, REPLACEMENT, 3);
            t->map[o] = t->map[o + 1] = t->map[o + 2] = (uint32_t)i;
            o += 3;
            i++;
        }
    }
    t->map[o] = (uint32_t)len;
    t->data = t->own;
    t->len = o;
    warn_replaced(t, docname, first);
    return NG_OK;
}

/* ---- guessing a legacy encoding ---- */

/* 8-bit encodings a document of this domain may be in, in order of preference. */
static const char *const legacy[] = {"CP1251", "KOI8-R", "RK1048", "PT154", "CP1254"};
#define LEGACY_COUNT (sizeof legacy / sizeof *legacy)
#define GUESS_WINDOW ((size_t)1 << 20) /* bytes looked at */

static const char cyrillic_common[] = "абвгдежзийклмнопрстуфхцчшщъыьэюяёәғқңөұүһі";
static const char turkish_letters[] = "çşğıöüâîûÇŞĞİÖÜÂÎÛ";

static int in_utf8_set(int32_t cp, const char *set)
{
    const unsigned char *u = (const unsigned char *)set;
    size_t n = strlen(set);
    for (size_t i = 0; i < n;) {
        int32_t c;
        size_t k = ng_utf8_decode(u + i, n - i, &c);
        if (c == cp)
            return 1;
        i += k ? k : 1;
    }
    return 0;
}

/* How plausible is `cp` (decoded from a byte >= 0x80) in running text?
 * `latin_context`: an ASCII letter stands next to the byte. */
static int plausibility(int32_t cp, int latin_context)
{
    if (cp < 0 || (cp >= 0x80 && cp < 0xA0) || (cp >= 0xE000 && cp <= 0xF8FF))
        return -3; /* unmapped, C1 control, private use */
    if (in_utf8_set(cp, turkish_letters))
        return latin_context ? 3 : 1;
    if (cp >= 0x400 && cp <= 0x4FF) {
        if (latin_context)
            return -2; /* Cyrillic inside a Latin word: the wrong table */
        if (in_utf8_set(cp, cyrillic_common))
            return 2;
        int32_t lower = cp >= 0x410 && cp <= 0x42F ? cp + 0x20 : cp >= 0x400 && cp <= 0x40F ? cp + 0x50 : cp + 1;
        return in_utf8_set(lower, cyrillic_common) ? 1 : -1;
    }
    if ((cp >= 0xC0 && cp <= 0x24F))
        return -1; /* accented Latin that Turkish does not use */
    return 0;      /* punctuation, symbols */
}

static int ascii_letter(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The byte -> code point table of an 8-bit encoding (-1: unmapped). */
static int build_table(const char *enc, int32_t table[128])
{
    iconv_t cd = iconv_open("UTF-8", enc);
    if (cd == (iconv_t)-1)
        return 0;
    for (int b = 0; b < 128; b++) {
        char in = (char)(b + 0x80), out[8];
        char *ip = &in, *op = out;
        size_t il = 1, ol = sizeof out;
        table[b] = -1;
        if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 && op > out)
            ng_utf8_decode((const unsigned char *)out, (size_t)(op - out), &table[b]);
        iconv(cd, NULL, NULL, NULL, NULL);
    }
    iconv_close(cd);
    return 1;
}

/* UTF-16 without a byte-order mark: NUL bytes (the high half of ASCII
 * characters) gather at odd offsets (little-endian) or even ones. */
static const char *guess_utf16(const unsigned char *s, size_t n)
{
    size_t look = n < GUESS_WINDOW ? n : GUESS_WINDOW, zero[2] = {0, 0};
    if (!memchr(s, 0, look)) /* text: the usual case, found at memchr's speed */
        return NULL;
    for (size_t i = 0; i < look; i++)
        zero[i & 1] += s[i] == 0;
    if (zero[1] > look / 32 && zero[1] > 4 * zero[0])
        return "UTF-16LE";
    if (zero[0] > look / 32 && zero[0] > 4 * zero[1])
        return "UTF-16BE";
    return NULL;
}

/* Is this damaged UTF-8 (repair it: NULL) or a legacy encoding (which)? */
static const char *guess_legacy(const unsigned char *s, size_t n)
{
    size_t look = n < GUESS_WINDOW ? n : GUESS_WINDOW, valid = 0, invalid = 0;
    for (size_t i = 0; i < look;) {
        int32_t cp;
        size_t k = s[i] < 0x80 ? 0 : ng_utf8_decode(s + i, look - i, &cp);
        if (s[i] < 0x80)
            i++;
        else if (k)
            valid++, i += k;
        else
            invalid++, i++;
    }
    if (valid >= 4 * invalid)
        return NULL;
    const char *best = NULL;
    long best_score = 0;
    for (size_t e = 0; e < LEGACY_COUNT; e++) {
        int32_t table[128];
        if (!build_table(legacy[e], table))
            continue;
        long score = 0;
        for (size_t i = 0; i < look; i++) {
            if (s[i] < 0x80)
                continue;
            int latin = (i > 0 && ascii_letter(s[i - 1])) || (i + 1 < look && ascii_letter(s[i + 1]));
            score += plausibility(table[s[i] - 0x80], latin);
        }
        if (!best || score > best_score) {
            best = legacy[e];
            best_score = score;
        }
    }
    return best;
}

static ng_status decode_iconv(ng_text *t, const char *src, size_t len, size_t bom,
                              const char *enc, const char *docname);

#define BINARY_WINDOW ((size_t)64 << 10)

int ng_decode_is_binary(const char *src, size_t len)
{
    const unsigned char *u = (const unsigned char *)src;
    size_t look = len < BINARY_WINDOW ? len : BINARY_WINDOW, nul = 0, control = 0;
    if ((len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) ||
        (len >= 4 && u[0] == 0 && u[1] == 0 && u[2] == 0xFE && u[3] == 0xFF) ||
        guess_utf16(u, len))
        return 0;
    for (size_t i = 0; i < look; i++) {
        nul += u[i] == 0;
        control += u[i] < 0x20 && u[i] != '\n' && u[i] != '\r' && u[i] != '\t' &&
                   u[i] != '\f' && u[i] != 0x1B;
    }
    /* a stray NUL or two is damaged text (decoded with a warning); more is
     * a binary format */
    return (nul > 2 && nul * 100 > look) || control * 10 > look;
}

/* UTF-8, declared or assumed. When it was only assumed (`may_guess`) and the
 * bytes are not UTF-8 but look like a legacy encoding, that one is used and
 * named in a warning. */
static ng_status decode_utf8(ng_text *t, const char *src, size_t len, size_t bom,
                             const char *docname, int may_guess)
{
    t->encoding = "UTF-8";
    const unsigned char *u = (const unsigned char *)src + bom;
    const char *guess = may_guess ? guess_utf16(u, len - bom) : NULL;
    if (guess) {
        ng_warn("%s: no byte-order mark; decoded as %s (a guess: declare it with --encoding)",
                docname, guess);
        return decode_iconv(t, src, len, bom, guess, docname);
    }
    if (ng_utf8_valid_prefix(src + bom, len - bom) == len - bom) {
        t->data = src + bom;
        t->len = len - bom;
        t->shift = (uint32_t)bom;
        return NG_OK;
    }
    if (may_guess && (guess = guess_legacy(u, len - bom)) != NULL) {
        ng_warn("%s: not UTF-8; decoded as %s (a guess: declare it with --encoding)", docname,
                guess);
        return decode_iconv(t, src, len, bom, guess, docname);
    }
    return decode_utf8_repair(t, src, len, bom, docname);
}

/* Bytes of input per decoded character: constant except UTF-16 surrogates. */
static size_t unit_of(const char *enc, int32_t cp)
{
    if (strncasecmp(enc, "UTF-16", 6) == 0)
        return cp >= 0x10000 ? 4 : 2;
    if (strncasecmp(enc, "UTF-32", 6) == 0)
        return 4;
    return 1;
}

/* Map the decoded bytes [from, to) of t->own, which came from source bytes
 * starting at *in_off; advances *in_off. Returns 0 if a character's width
 * does not fit the encoding's unit (a multi-byte legacy encoding). */
static int map_range(ng_text *t, const char *enc, size_t from, size_t to, size_t *in_off)
{
    const unsigned char *u = (const unsigned char *)t->own;
    while (from < to) {
        int32_t cp;
        size_t k = ng_utf8_decode(u + from, to - from, &cp);
        if (!k)
            return 0;
        for (size_t j = 0; j < k; j++)
            t->map[from + j] = (uint32_t)*in_off;
        *in_off += unit_of(enc, cp);
        from += k;
    }
    return 1;
}

static ng_status decode_iconv(ng_text *t, const char *src, size_t len, size_t bom,
                              const char *enc, const char *docname)
{
    iconv_t cd = iconv_open("UTF-8", enc);
    if (cd == (iconv_t)-1)
        return ng_error_set(NG_EINVAL, "%s: unknown encoding '%s'", docname, enc);
    t->encoding = enc;
    ng_status st = reserve(t, (len - bom) * 2 + 16);
    char *in = (char *)src + bom;
    size_t inleft = len - bom, in_off = bom, first = 0;
    size_t o = 0;
    while (st == NG_OK && inleft > 0) {
        if (t->own_cap - o < 64 && (st = reserve(t, t->own_cap * 2)) != NG_OK)
            break;
        char *out = t->own + o;
        size_t outleft = t->own_cap - o - 4; /* room for one U+FFFD */
        size_t r = iconv(cd, &in, &inleft, &out, &outleft);
        int e = r == (size_t)-1 ? errno : 0;
        size_t produced_end = (size_t)(out - t->own);
        if (!map_range(t, enc, o, produced_end, &in_off) ||
            in_off != (size_t)(in - src)) {
            st = ng_error_set(NG_EINVAL, "%s: encoding '%s' is not supported (multi-byte)",
                              docname, enc);
            break;
        }
        o = produced_end;
        if (e == E2BIG) {
            st = reserve(t, t->own_cap * 2);
        } else if (e == EILSEQ || e == EINVAL) {
            size_t skip = unit_of(enc, 0);
            if (skip > inleft)
                skip = inleft;
            if (t->replaced++ == 0)
                first = in_off;
            memcpy(t->own + o, REPLACEMENT, 3);
            t->map[o] = t->map[o + 1] = t->map[o + 2] = (uint32_t)in_off;
            o += 3;
            in += skip;
            inleft -= skip;
            in_off += skip;
            iconv(cd, NULL, NULL, NULL, NULL);
        } else if (e) {
            st = ng_error_set(NG_EENCODING, "%s: byte %zu: conversion from %s failed: %s",
                              docname, in_off, enc, strerror(e));
        }
        if (st == NG_OK && o > UINT32_MAX - 8)
            st = ng_error_set(NG_ELIMIT, "%s: decoded text over 4 GiB", docname);
    }
    iconv_close(cd);
    if (st != NG_OK)
        return st;
    t->map[o] = (uint32_t)len;
    t->data = t->own;
    t->len = o;
    if (t->replaced)
        warn_replaced(t, docname, first);
    return NG_OK;
}

static int has_prefix(const char *s, size_t n, const char *p, size_t pn)
{
    return n >= pn && memcmp(s, p, pn) == 0;
}

static ng_status decode_as(ng_text *out, const char *src, size_t len, const char *encoding,
                           const char *docname)
{
    out->data = NULL;
    out->len = 0;
    out->source_len = len;
    out->shift = 0;
    out->replaced = 0;
    out->map = NULL;
    if (len > NG_MAX_DOCUMENT_BYTES)
        return ng_error_set(NG_ELIMIT, "%s: larger than %zu bytes", docname,
                            NG_MAX_DOCUMENT_BYTES);
    if (encoding && strcasecmp(encoding, "KZ-1048") == 0)
        encoding = "RK1048";
    int utf16ish = encoding && (strcasecmp(encoding, "UTF-16") == 0 ||
                                strcasecmp(encoding, "UTF-32") == 0);
    if (!encoding || utf16ish || strcasecmp(encoding, "UTF-8") == 0 ||
        strcasecmp(encoding, "UTF8") == 0) {
        if (has_prefix(src, len, "\xEF\xBB\xBF", 3))
            return decode_utf8(out, src, len, 3, docname, 0);
        if (has_prefix(src, len, "\xFF\xFE\0\0", 4))
            return decode_iconv(out, src, len, 4, "UTF-32LE", docname);
        if (has_prefix(src, len, "\0\0\xFE\xFF", 4))
            return decode_iconv(out, src, len, 4, "UTF-32BE", docname);
        if (has_prefix(src, len, "\xFF\xFE", 2))
            return decode_iconv(out, src, len, 2, "UTF-16LE", docname);
        if (has_prefix(src, len, "\xFE\xFF", 2))
            return decode_iconv(out, src, len, 2, "UTF-16BE", docname);
        if (utf16ish) /* no BOM: glibc would assume little-endian, and so do we */
            return decode_iconv(out, src, len, 0,
                                strcasecmp(encoding, "UTF-16") == 0 ? "UTF-16LE" : "UTF-32LE",
                                docname);
        return decode_utf8(out, src, len, 0, docname, encoding == NULL);
    }
    return decode_iconv(out, src, len, 0, encoding, docname);
}

/* A declared single-byte encoding of bytes that are UTF-8 with letters
 * beyond ASCII is almost always a wrong declaration: say where. */
static void check_declared(const char *src, size_t len, const char *encoding,
                           const char *docname)
{
    if (!encoding || strncasecmp(encoding, "UTF", 3) == 0 ||
        ng_utf8_valid_prefix(src, len) != len)
        return;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)src[i] >= 0x80) {
            ng_warn("%s: byte %zu: declared %s, but the bytes are UTF-8: check the encoding "
                    "declared for it",
                    docname, i, encoding);
            return;
        }
}

/* NUL is valid UTF-8 but never text: one warning with the first and the count. */
static void check_nul(const ng_text *t, const char *docname)
{
    const char *nul = t->len ? memchr(t->data, '\0', t->len) : NULL;
    if (!nul)
        return;
    size_t count = 0;
    for (const char *p = nul; p; p = memchr(p + 1, '\0', t->len - (size_t)(p + 1 - t->data)))
        count++;
    ng_warn("%s: byte %u: NUL byte%s in the text (%zu in all)", docname,
            ng_text_source_offset(t, (size_t)(nul - t->data)), count == 1 ? "" : "s", count);
}

ng_status ng_decode(ng_text *out, const char *src, size_t len, const char *encoding,
                    const char *docname)
{
    ng_status st = decode_as(out, src, len, encoding, docname);
    if (st == NG_OK) {
        check_declared(src, len, encoding, docname);
        check_nul(out, docname);
    }
    return st;
}

void ng_text_destroy(ng_text *t)
{
    free(t->own);
    free(t->map_own);
    memset(t, 0, sizeof *t);
}
