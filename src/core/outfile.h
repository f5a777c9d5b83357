/* outfile.h: a file that appears whole or not at all.
 *
 * Writes go to a temporary file beside the target (same directory, so the
 * rename is atomic); ng_outfile_commit flushes, syncs and renames, and
 * ng_outfile_abort removes the temporary. Write errors are sticky: they are
 * checked once, at commit. A target that exists and is not a regular file
 * (/dev/null, a FIFO, /dev/stdout) is written directly: renaming over it
 * would replace the device.
 */
#ifndef NG_OUTFILE_H
#define NG_OUTFILE_H

#include <stdio.h>

#include "nergraph/error.h"

typedef struct ng_outfile {
    FILE *fp;
    char *path;     /* the target */
    char *tmp_path; /* the temporary, NULL once committed or aborted */
    int direct;     /* writing to the target itself */
    int error;      /* errno of a failed ng_outfile_write, reported at commit */
    long long written; /* bytes passed to ng_outfile_write */
    long long synced;  /* of those, bytes whose writing to disk has been started */
    long long durable; /* the file's size when ng_outfile_sync last synced it, or -1 */
} ng_outfile;

/** Errors: NG_EIO (the directory cannot be written), NG_ENOMEM. */
ng_status ng_outfile_open(ng_outfile *f, const char *path);
/** Append `len` bytes: a large block goes to the file without a copy into
 *  fp's buffer; every few MB, writing to disk starts in the background, so
 *  that commit's fsync does not wait for all of a large output at the end. */
void ng_outfile_write(ng_outfile *f, const void *data, size_t len);
/** Flush and sync to disk (commit then only renames, unless more was
 *  written since); safe to call from another thread while nothing else uses
 *  `f`. Errors as commit's. */
ng_status ng_outfile_sync(ng_outfile *f);
/** Errors: NG_EIO naming the target (write, sync or rename failed); the
 *  temporary is removed either way. */
ng_status ng_outfile_commit(ng_outfile *f);
/** Remove the temporary (safe on a zeroed or committed outfile). */
void ng_outfile_abort(ng_outfile *f);

#endif
