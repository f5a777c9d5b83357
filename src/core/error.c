/* error.c: the thread-local error record, warnings, and library start-up. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "graph_internal.h"
#include "utf8.h"
#include "nergraph/common.h"
#include "nergraph/normalize.h"

static _Thread_local struct {
    ng_status code;
    char msg[1024];
} last_error;

ng_status ng_error_set(ng_status code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error.msg, sizeof last_error.msg, fmt, ap);
    va_end(ap);
    last_error.code = code;
    return code;
}

const char *ng_error_message(void) { return last_error.msg; }
ng_status ng_error_code(void) { return last_error.code; }

void ng_error_clear(void)
{
    last_error.code = NG_OK;
    last_error.msg[0] = '\0';
}

const char *ng_strerror(ng_status code)
{
    switch (code) {
    case NG_OK: return "success";
    case NG_ENOMEM: return "out of memory";
    case NG_EIO: return "input/output error";
    case NG_EENCODING: return "encoding error";
    case NG_EPARSE: return "parse error";
    case NG_EINVAL: return "invalid argument";
    case NG_ELIMIT: return "limit exceeded";
    case NG_EGRAPH: return "graph error";
    case NG_EINTERNAL: return "internal error";
    }
    return "unknown error";
}

static void print_warning(const char *msg, void *userdata)
{
    (void)userdata;
    fprintf(stderr, "nergraph: warning: %s\n", msg);
}

static ng_warning_fn warning_fn = print_warning;
static void *warning_userdata;

void ng_set_warning_handler(ng_warning_fn fn, void *userdata)
{
    warning_fn = fn ? fn : print_warning;
    warning_userdata = userdata;
}

void ng_warn(const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    warning_fn(msg, warning_userdata);
}

static const char *const category_names[NG_CATEGORY_COUNT] = {"person", "state", "organization",
                                                                "place"};

const char *ng_category_name(ng_category c)
{
    return (unsigned)c < NG_CATEGORY_COUNT ? category_names[c] : "unknown";
}

int ng_category_parse(const char *name)
{
    for (int i = 0; i < NG_CATEGORY_COUNT; i++)
        if (strcmp(name, category_names[i]) == 0)
            return i;
    return -1;
}

const char *ng_version(void) { return NG_VERSION_STRING; }

ng_status ng_init(void)
{
    ng_status st = ng_normalize_init();
    if (st != NG_OK)
        return st;
    ng_utf8_init();
    ng_graph_init_igraph();
    return NG_OK;
}
