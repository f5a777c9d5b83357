/* memfile.c: a FILE over a reusable buffer (glibc's fopencookie). */
#define _GNU_SOURCE
#include "memfile.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

static ssize_t append(void *cookie, const char *buf, size_t n)
{
    ng_memfile *m = cookie;
    if (NG_GROW(m->data, m->cap, m->len + n) != NG_OK)
        return -1;
    memcpy(m->data + m->len, buf, n);
    m->len += n;
    return (ssize_t)n;
}

ng_status ng_memfile_open(ng_memfile *m)
{
    if (m->fp) /* left open by a failure */
        fclose(m->fp);
    m->len = 0;
    cookie_io_functions_t io = {.write = append};
    if (!(m->fp = fopencookie(m, "w", io)))
        return ng_error_set(NG_ENOMEM, "out of memory");
    return NG_OK;
}

ng_status ng_memfile_close(ng_memfile *m)
{
    int failed = fclose(m->fp) != 0;
    m->fp = NULL;
    return failed ? ng_error_set(NG_ENOMEM, "out of memory") : NG_OK;
}

void ng_memfile_destroy(ng_memfile *m)
{
    if (m->fp)
        fclose(m->fp);
    free(m->data);
    memset(m, 0, sizeof *m);
}
