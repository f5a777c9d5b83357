/* memfile.h: a FILE that appends to a memory buffer kept from one use to the
 * next, for output that must wait its turn (a document's lines, written in
 * corpus order). Unlike open_memstream, the buffer is not reallocated from
 * scratch and zero-filled for every document. */
#ifndef NG_MEMFILE_H
#define NG_MEMFILE_H

#include <stdio.h>

#include "nergraph/error.h"

typedef struct ng_memfile {
    char *data;
    size_t len, cap;
    FILE *fp; /* open between ng_memfile_open and ng_memfile_close */
} ng_memfile;

/** Empty the buffer and open fp on it. Errors: NG_ENOMEM. */
ng_status ng_memfile_open(ng_memfile *m);
/** Flush and close fp; data[0, len) holds what was written. Errors: NG_ENOMEM. */
ng_status ng_memfile_close(ng_memfile *m);
/** Close fp if open and free the buffer. */
void ng_memfile_destroy(ng_memfile *m);

#endif
