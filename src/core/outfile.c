/* outfile.c: temporary file, then rename. */
#include "outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

ng_status ng_outfile_open(ng_outfile *f, const char *path)
{
    memset(f, 0, sizeof *f);
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

ng_status ng_outfile_commit(ng_outfile *f)
{
    ng_status st = NG_OK;
    int e = 0;
    if (fflush(f->fp) != 0 || ferror(f->fp) || (!f->direct && fsync(fileno(f->fp)) != 0))
        e = errno ? errno : EIO;
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
