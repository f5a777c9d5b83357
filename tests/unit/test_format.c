/* test_format.c: ng_format_plain against the snprintf formatting it replaced
 * (kept here as the reference), on hand-picked values and on millions of
 * random ones: bit patterns, integers, short decimals, ties, neighbours of
 * powers of ten, for 1 to 17 significant digits; ng_format_g15 likewise
 * against snprintf's "%.15g", which igraph's GraphML writer used. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "jsonw.h"

/* The reference: %.*f with digits - 1 - floor(log10|v|) decimals (0 to 17),
 * trailing zeros and point removed, "-0" as "0", "0" for non-finite. */
static void reference(char *out, size_t cap, double v, int digits)
{
    int decimals = 0;
    if (!isfinite(v))
        v = 0.0;
    else if (v != 0.0) {
        int mag = (int)floor(log10(fabs(v)));
        decimals = digits - 1 - mag < 0 ? 0 : digits - 1 - mag > 17 ? 17 : digits - 1 - mag;
    }
    int n = snprintf(out, cap, "%.*f", decimals, v);
    assert_true(n > 0 && (size_t)n < cap);
    char *end = out + n;
    if (strchr(out, '.')) {
        while (end[-1] == '0')
            end--;
        if (end[-1] == '.')
            end--;
    }
    *end = '\0';
    if (!strcmp(out, "-0"))
        strcpy(out, "0");
}

static int mismatches;

static void check(double v, int digits)
{
    char want[512], got[512];
    reference(want, sizeof want, v, digits);
    size_t len = ng_format_plain(got, sizeof got, v, digits);
    if (strcmp(want, got) || len != strlen(want)) {
        if (mismatches++ < 20)
            print_error("%a with %d digits: \"%s\" (%zu), expected \"%s\"\n", v, digits, got, len,
                        want);
    }
}

static void check_all_digits(double v)
{
    for (int digits = 1; digits <= 17; digits++) {
        check(v, digits);
        check(-v, digits);
    }
}

static uint64_t random64(uint32_t *seed)
{
    uint64_t r = ng_test_rand(seed);
    r = r << 24 | ng_test_rand(seed);
    return r << 16 | (ng_test_rand(seed) & 0xFFFF);
}

static double from_bits(uint64_t bits)
{
    double v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

static void test_hand_picked(void **state)
{
    (void)state;
    static const struct {
        double v;
        int digits;
        const char *want;
    } cases[] = {
        {0.0, 15, "0"},
        {-0.0, 15, "0"},
        {1234567, 6, "1234567"},
        {-42, 15, "-42"},
        {0x1p63, 15, "9223372036854775808"},
        {0x1p64 - 2048, 6, "18446744073709549568"},
        {0x1p64, 6, "18446744073709551616"},
        {1e20, 15, "100000000000000000000"},
        {0.5, 1, "0.5"},
        {2.5, 1, "2"}, /* ties to even */
        {3.5, 1, "4"},
        {0.125, 2, "0.12"},
        {0.375, 2, "0.38"},
        {-0.125, 2, "-0.12"},
        {1.0000000000000005, 16, "1"},
        {1.0000000000000005, 17, "1.0000000000000004"},
        {0.1 + 0.2, 15, "0.3"},
        {0.1 + 0.2, 17, "0.30000000000000004"},
        {1.0 / 3, 15, "0.333333333333333"},
        {2.0 / 3, 6, "0.666667"},
        {-123.456, 4, "-123.5"},
        {123.456, 6, "123.456"},
        {0.000123456, 3, "0.000123"},
        {1e-17, 1, "0.00000000000000001"},
        {-1e-20, 15, "0"},
        {4.9e-324, 17, "0"},
        {5e-18, 1, "0.00000000000000001"},
        {0x1.70ef54646d496p-58, 1, "0"}, /* the double below 5e-18 */
        {0.15, 1, "0.1"},                /* 0.1499999... */
        {0.25, 1, "0.2"},
        {-2.5, 1, "-2"},
        {0x1p51 + 0.5, 17, "2251799813685248.5"},
        {0.09999999999999999, 15, "0.1"},
        {999999.9999999999, 6, "1000000"},
        {1.5, 0, "2"},
        {1.25, 40, "1.25"},
        {1000.5, 25, "1000.5"}, /* 1000.5e17 past 2^64 */
        {1.0 / 3, 40, "0.33333333333333331"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char got[64];
        size_t len = ng_format_plain(got, sizeof got, cases[i].v, cases[i].digits);
        if (strcmp(got, cases[i].want) || len != strlen(got))
            fail_msg("%a with %d digits: \"%s\", expected \"%s\"", cases[i].v, cases[i].digits,
                     got, cases[i].want);
    }
    static const double non_finite[] = {NAN, -NAN, INFINITY, -INFINITY};
    for (size_t i = 0; i < sizeof non_finite / sizeof *non_finite; i++) {
        char got[64];
        assert_int_equal(ng_format_plain(got, sizeof got, non_finite[i], 15), 1);
        assert_string_equal(got, "0");
    }
    /* in less than the documented 64 bytes, a result that does not fit
     * is cut as snprintf cuts it, and 0 returned */
    char small[8];
    assert_int_equal(ng_format_plain(small, sizeof small, 0.5, 15), 0);
    assert_string_equal(small, "0.50000");
    assert_int_equal(ng_format_plain(small, sizeof small, 0.5, 5), 3);
    assert_string_equal(small, "0.5");
}

/* Without optimisation (the sanitizer build) a tenth of the values. */
#ifdef __OPTIMIZE__
enum { ROUNDS = 20000 };
#else
enum { ROUNDS = 2000 };
#endif

static void test_against_snprintf(void **state)
{
    (void)state;
    uint32_t seed = 20240611u;
    mismatches = 0;
    /* neighbours of powers of ten, where log10 may round across */
    for (int k = -20; k <= 22; k++) {
        double p = pow(10, k);
        for (int step = -3; step <= 3; step++) {
            double v = p;
            for (int s = 0; s < abs(step); s++)
                v = nextafter(v, step < 0 ? 0 : INFINITY);
            check_all_digits(v);
        }
    }
    /* halves, quarters... of small integers: ties at few digits */
    for (int den = 2; den <= 1024; den *= 2)
        for (int num = 1; num < 4 * den; num += 2)
            check_all_digits((double)num / den);
    for (int r = 0; r < ROUNDS; r++) {
        /* a random double of magnitude 2^-80 to 2^80 */
        uint64_t bits = random64(&seed);
        double v = ldexp(from_bits(0x3FF0000000000000u | (bits & 0xFFFFFFFFFFFFFu)),
                         (int)(bits >> 52) % 161 - 80);
        check_all_digits(v);
        check_all_digits(nextafter(v, 0));
        check(v, 18 + (int)(ng_test_rand(&seed) % 8));
        /* any bit pattern (subnormals and huge values too) */
        check(from_bits(random64(&seed)), 1 + (int)(ng_test_rand(&seed) % 17));
        check(from_bits(random64(&seed) & 0x000FFFFFFFFFFFFFu), 17);
        /* an integer of up to 64 bits */
        check_all_digits((double)(random64(&seed) >> ng_test_rand(&seed) % 64));
        /* k / 10^j: short decimals and their neighbours */
        uint64_t k = random64(&seed) % (uint64_t)pow(10, 1 + ng_test_rand(&seed) % 17);
        double d = (double)k / pow(10, ng_test_rand(&seed) % 21);
        check_all_digits(d);
        check_all_digits(nextafter(d, INFINITY));
    }
    assert_int_equal(mismatches, 0);
}

static void check_g15(double v)
{
    for (int sign = 0; sign < 2; sign++, v = -v) {
        char want[64], got[64];
        snprintf(want, sizeof want, "%.15g", v);
        size_t len = ng_format_g15(got, sizeof got, v);
        if ((strcmp(want, got) || len != strlen(want)) && mismatches++ < 20)
            print_error("%a: \"%s\" (%zu), expected \"%s\"\n", v, got, len, want);
    }
}

static void test_g15_hand_picked(void **state)
{
    (void)state;
    static const struct {
        double v;
        const char *want;
    } cases[] = {
        {0.0, "0"},
        {-0.0, "-0"},
        {-42, "-42"},
        {0.1 + 0.2, "0.3"},
        {1.0 / 3, "0.333333333333333"},
        {1e-4, "0.0001"},
        {1.5e-5, "1.5e-05"},
        {-2.5e-12, "-2.5e-12"},
        {999999999999999.5, "1e+15"}, /* a tie, rounded up to even: a 16th digit */
        {999999999999999.0, "999999999999999"},
        {99999999999999.95, "100000000000000"}, /* ...953125: a carry to 15 whole digits */
        {123456789012345.6, "123456789012346"},
        {1e15, "1e+15"},
        {1e21, "1e+21"},
        {4.9e-324, "4.94065645841247e-324"},
        {INFINITY, "inf"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char got[64];
        size_t len = ng_format_g15(got, sizeof got, cases[i].v);
        if (strcmp(got, cases[i].want) || len != strlen(got))
            fail_msg("%a: \"%s\", expected \"%s\"", cases[i].v, got, cases[i].want);
    }
    char small[4]; /* under 32 bytes, snprintf: the length where it fits, else 0 */
    assert_int_equal(ng_format_g15(small, sizeof small, 0.5), 3);
    assert_int_equal(ng_format_g15(small, sizeof small, 1.25), 0);
}

static void test_g15_against_snprintf(void **state)
{
    (void)state;
    uint32_t seed = 20240612u;
    mismatches = 0;
    /* neighbours of powers of ten, the edges of the fast range among them */
    for (int k = -330; k <= 308; k++)
        for (int step = -3; step <= 3; step++) {
            double v = pow(10, k);
            for (int s = 0; s < abs(step); s++)
                v = nextafter(v, step < 0 ? 0 : INFINITY);
            check_g15(v);
        }
    for (int r = 0; r < ROUNDS * 5 / 2; r++) { /* some 40 values a round */
        /* magnitudes 2^-60 to 2^60, across both ends of the fast range */
        uint64_t bits = random64(&seed);
        double v = ldexp(from_bits(0x3FF0000000000000u | (bits & 0xFFFFFFFFFFFFFu)),
                         (int)(bits >> 52) % 121 - 60);
        check_g15(v);
        check_g15(nextafter(v, 0));
        check_g15(nextafter(v, INFINITY));
        /* any bit pattern; subnormals */
        check_g15(from_bits(random64(&seed)));
        check_g15(from_bits(random64(&seed) & 0x000FFFFFFFFFFFFFu));
        /* integers of up to 17 digits */
        check_g15((double)(random64(&seed) % (uint64_t)pow(10, 1 + ng_test_rand(&seed) % 17)));
        /* ties at the 16th digit: 16 - p whole digits and an odd number of
         * 2^-p, which ends in 5 */
        int p = 1 + (int)(ng_test_rand(&seed) % 10);
        uint64_t whole = random64(&seed) % (uint64_t)pow(10, 16 - p);
        uint64_t odd = (random64(&seed) % ((uint64_t)1 << p)) | 1;
        check_g15(ldexp((double)((whole << p) + odd), -p));
        /* k / 10^j: short decimals and their neighbours, down to 10^-20 */
        uint64_t k = random64(&seed) % (uint64_t)pow(10, 1 + ng_test_rand(&seed) % 16);
        double d = (double)k / pow(10, ng_test_rand(&seed) % 21);
        check_g15(d);
        check_g15(nextafter(d, INFINITY));
    }
    assert_int_equal(mismatches, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_picked),
        cmocka_unit_test(test_against_snprintf),
        cmocka_unit_test(test_g15_hand_picked),
        cmocka_unit_test(test_g15_against_snprintf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
