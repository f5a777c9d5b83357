/* outfile.c: temporary file, then rename. */
#define _GNU_SOURCE /* sync_file_range */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

ng_status ng_outfile_open(ng_outfile *f, const char *path)
{
    memset(f, 0, sizeof *f);
    f->durable = -1;
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = path + dir_len;
    size_t n = strlen(path) + 16;
    f->path = ng_strdup(path);
    f->tmp_path = malloc(n);
    if (!f->path || !f->tmp_path) {
        ng_outfile_abort(f);
        return ng_error_set(NG_ENOMEM, "out of memory");
    }
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        ng_outfile_abort(f);
        return ng_error_set(NG_EIO, "%s: is a directory", path);
    }
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        free(f->tmp_path);
        f->tmp_path = NULL;
        f->direct = 1;
        if (!(f->fp = fopen(path, "w"))) {
            int e = errno;
            ng_outfile_abort(f);
            return ng_error_set(NG_EIO, "%s: cannot open: %s", path, strerror(e));
        }
        return NG_OK;
    }
    snprintf(f->tmp_path, n, "%.*s.%s.XXXXXX", (int)dir_len, path, base);
    int fd = mkstemp(f->tmp_path);
    if (fd < 0) {
        int e = errno;
        free(f->tmp_path);
        f->tmp_path = NULL;
        ng_outfile_abort(f);
        return ng_error_set(NG_EIO, "%s: cannot create: %s", path, strerror(e));
    }
    /* mkstemp creates 0600; the file should get what the umask allows. */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0) {
        int e = errno;
        close(fd);
        ng_outfile_abort(f);
        return ng_error_set(NG_EIO, "%s: cannot set permissions: %s", path, strerror(e));
    }
    f->fp = fdopen(fd, "w");
    if (!f->fp) {
        int e = errno;
        close(fd);
        ng_outfile_abort(f);
        return ng_error_set(NG_EIO, "%s: cannot open: %s", path, strerror(e));
    }
    return NG_OK;
}

/* Blocks at least this large skip fp's buffer. */
#define DIRECT_BYTES ((size_t)64 << 10)
/* Start writing to disk every time this much more was written. */
#define WRITEBACK_BYTES ((long long)16 << 20)

void ng_outfile_write(ng_outfile *f, const void *data, size_t len)
{
    if (f->error || !len)
        return;
    f->written += (long long)len;
    if (len < DIRECT_BYTES) {
        if (fwrite(data, 1, len, f->fp) != len)
            f->error = errno ? errno : EIO;
    } else if (fflush(f->fp) != 0) {
        f->error = errno ? errno : EIO;
    } else {
        for (const char *p = data; len && !f->error;) {
            ssize_t n = write(fileno(f->fp), p, len);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                f->error = n < 0 ? errno : EIO;
            else
                p += n, len -= (size_t)n;
        }
    }
    if (!f->error && !f->direct && f->written - f->synced >= WRITEBACK_BYTES) {
        if (fflush(f->fp) != 0) {
            f->error = errno ? errno : EIO;
            return;
        }
        /* Only a hint: a failure shows again at fsync. */
        (void)sync_file_range(fileno(f->fp), f->synced, f->written - f->synced,
                              SYNC_FILE_RANGE_WRITE);
        f->synced = f->written;
    }
}

/* The errno of what went wrong with `f` so far and of flushing (and with
 * `sync`, syncing) it; 0 if nothing did. */
static int flush_error(ng_outfile *f, int sync)
{
    if (f->error)
        return f->error;
    if (fflush(f->fp) != 0 || ferror(f->fp) || (sync && !f->direct && fsync(fileno(f->fp)) != 0))
        return errno ? errno : EIO;
    return 0;
}

ng_status ng_outfile_sync(ng_outfile *f)
{
    int e = flush_error(f, 1);
    if (e)
        f->error = e;
    else
        f->durable = ftello(f->fp);
    return e ? ng_error_set(NG_EIO, "%s: write failed: %s", f->path, strerror(e)) : NG_OK;
}

ng_status ng_outfile_commit(ng_outfile *f)
{
    ng_status st = NG_OK;
    /* a file synced since its last write needs no second fsync (each one
     * waits for the device to flush its cache) */
    int e = flush_error(f, f->durable < 0 || ftello(f->fp) != f->durable);
    if (fclose(f->fp) != 0 && !e)
        e = errno;
    f->fp = NULL;
    if (!e && !f->direct && rename(f->tmp_path, f->path) != 0)
        e = errno;
    if (e)
        st = ng_error_set(NG_EIO, "%s: write failed: %s", f->path, strerror(e));
    else {
        free(f->tmp_path);
        f->tmp_path = NULL;
    }
    ng_outfile_abort(f);
    return st;
}

void ng_outfile_abort(ng_outfile *f)
{
    if (f->fp)
        fclose(f->fp);
    if (f->tmp_path)
        unlink(f->tmp_path);
    free(f->tmp_path);
    free(f->path);
    memset(f, 0, sizeof *f);
}
