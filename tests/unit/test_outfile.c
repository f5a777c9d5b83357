/* test_outfile.c: a file that appears whole or not at all, written in small
 * and large blocks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <nergraph.h>

#include <dirent.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"
#include "support.h"

static char dir[64];

/* fsync, counted: this definition stands in for libc's for the library too. */
static int fsyncs;
int fsync(int fd);
int fsync(int fd)
{
    fsyncs++;
    void *found = dlsym(RTLD_NEXT, "fsync");
    int (*real)(int);
    memcpy(&real, &found, sizeof real); /* POSIX's way from object to function pointer */
    return found ? real(fd) : 0;
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/ng-outfile-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ng_test_remove_tree(dir);
    return 0;
}

static size_t entries(void)
{
    size_t n = 0;
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

/* Blocks of every size, past the point where writing to disk starts in the
 * background (16 MB), arrive in order and whole, and only at commit. */
static void test_blocks_in_order(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/out.txt", dir);
    size_t cap = (size_t)40 << 20, total = 0;
    unsigned char *want = malloc(cap), *got = malloc(cap);
    assert_non_null(want);
    assert_non_null(got);
    ng_outfile f;
    assert_int_equal(ng_outfile_open(&f, path), NG_OK);
    uint32_t x = 7;
    static const size_t sizes[] = {1, 100, 65535, 65536, 1 << 20, 3, 5 << 20, 70000, 0, 12};
    for (size_t k = 0; total < ((size_t)36 << 20); k++) {
        size_t n = sizes[k % (sizeof sizes / sizeof *sizes)];
        for (size_t i = 0; i < n; i++)
            want[total + i] = (unsigned char)((x = x * 1103515245u + 12345u) >> 24);
        if (k % 3 == 0 && n) { /* some through fp itself, as the exporters write */
            assert_int_equal(fwrite(want + total, 1, n, f.fp), n);
        } else {
            ng_outfile_write(&f, want + total, n);
        }
        total += n;
    }
    struct stat sb;
    assert_int_not_equal(stat(path, &sb), 0); /* not there before commit */
    assert_int_equal(entries(), 1);           /* the temporary */
    assert_int_equal(ng_outfile_commit(&f), NG_OK);
    assert_int_equal(entries(), 1);
    FILE *in = fopen(path, "rb");
    assert_non_null(in);
    assert_int_equal(fread(got, 1, cap, in), total);
    fclose(in);
    assert_memory_equal(got, want, total);
    free(want);
    free(got);
}

/* A failed write is reported at commit, naming the target; nothing remains. */
static void test_write_error_at_commit(void **state)
{
    (void)state;
    if (access("/dev/full", W_OK) != 0)
        skip();
    ng_outfile f;
    assert_int_equal(ng_outfile_open(&f, "/dev/full"), NG_OK);
    static char block[1 << 17];
    ng_outfile_write(&f, block, sizeof block);
    ng_outfile_write(&f, "x", 1);
    assert_int_equal(ng_outfile_sync(&f), NG_EIO);
    assert_int_equal(ng_outfile_commit(&f), NG_EIO);
    assert_non_null(strstr(ng_error_message(), "/dev/full: write failed"));
}

/* Commit skips the fsync of a file synced since its last write, and only
 * of such a file: what is written after a sync, through fp or around it,
 * is synced at commit and reaches the file. */
static void test_write_after_sync(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/unchanged.txt", dir);
    ng_outfile f;
    assert_int_equal(ng_outfile_open(&f, path), NG_OK);
    ng_outfile_write(&f, "done", 4);
    fsyncs = 0;
    assert_int_equal(ng_outfile_sync(&f), NG_OK);
    assert_int_equal(ng_outfile_commit(&f), NG_OK);
    assert_int_equal(fsyncs, 1);

    snprintf(path, sizeof path, "%s/synced.txt", dir);
    assert_int_equal(ng_outfile_open(&f, path), NG_OK);
    ng_outfile_write(&f, "one ", 4);
    assert_int_equal(ng_outfile_sync(&f), NG_OK);
    fputs("two ", f.fp);
    assert_int_equal(ng_outfile_sync(&f), NG_OK);
    static char block[1 << 17]; /* past the size that skips fp's buffer */
    memset(block, 'x', sizeof block);
    ng_outfile_write(&f, block, sizeof block);
    fsyncs = 0;
    assert_int_equal(ng_outfile_commit(&f), NG_OK);
    assert_int_equal(fsyncs, 1);
    FILE *in = fopen(path, "rb");
    assert_non_null(in);
    static char got[sizeof block + 16];
    assert_int_equal(fread(got, 1, sizeof got, in), 8 + sizeof block);
    fclose(in);
    assert_memory_equal(got, "one two ", 8);
    assert_memory_equal(got + 8, block, sizeof block);
}

/* An aborted file leaves neither the target nor the temporary. */
static void test_abort(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/gone.txt", dir);
    ng_outfile f;
    assert_int_equal(ng_outfile_open(&f, path), NG_OK);
    static char block[1 << 17];
    ng_outfile_write(&f, block, sizeof block);
    ng_outfile_abort(&f);
    assert_int_equal(entries(), 0);
}

int main(void)
{
    if (ng_init() != NG_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_blocks_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_error_at_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_after_sync, setup, teardown),
        cmocka_unit_test_setup_teardown(test_abort, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
