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
} ng_outfile;

/** Errors: NG_EIO (the directory cannot be written), NG_ENOMEM. */
ng_status ng_outfile_open(ng_outfile *f, const char *path);
/** Errors: NG_EIO naming the target (write, sync or rename failed); the
 *  temporary is removed either way. */
ng_status ng_outfile_commit(ng_outfile *f);
/** Remove the temporary (safe on a zeroed or committed outfile). */
void ng_outfile_abort(ng_outfile *f);

#endif
