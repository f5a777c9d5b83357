/* nergraph/error.h: the one error convention of the library.
 *
 * A fallible function returns ng_status; the message, with its context (path,
 * line:column or byte offset), is recorded where the failure is detected, in a
 * thread-local record read with ng_error_message(). igraph's errors are bridged
 * into the same record by the graph module. Warnings go to one handler.
 */
#ifndef NERGRAPH_ERROR_H
#define NERGRAPH_ERROR_H

typedef enum ng_status {
    NG_OK = 0,
    NG_ENOMEM = -1,    /* allocation failed */
    NG_EIO = -2,       /* open/read/write/rename; message names the path */
    NG_EENCODING = -3, /* undecodable input; message names path and byte offset */
    NG_EPARSE = -4,    /* malformed dictionary or graph file; path:line:col */
    NG_EINVAL = -5,    /* bad option or argument */
    NG_ELIMIT = -6,    /* input exceeds a documented bound */
    NG_EGRAPH = -7,    /* igraph reported an error; message carries its reason */
    NG_EINTERNAL = -8  /* broken invariant */
} ng_status;

/** Record `code` with a printf-style message; returns `code`, so that
 *  `return ng_error_set(NG_EIO, "%s: %s", path, strerror(errno));` reads well. */
ng_status ng_error_set(ng_status code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/** The last recorded message of this thread ("" if none); never NULL. */
const char *ng_error_message(void);
ng_status ng_error_code(void);
void ng_error_clear(void);
const char *ng_strerror(ng_status code);

/** Warnings (a skipped file, a replaced byte) go to one handler; the default
 *  prints "nergraph: warning: MSG" on standard error. */
typedef void (*ng_warning_fn)(const char *msg, void *userdata);
void ng_set_warning_handler(ng_warning_fn fn, void *userdata);
void ng_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
