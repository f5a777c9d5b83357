/* nergraph/report.h: stage 10, the ranked table of actors.
 *
 * Rows are ordered by the chosen measure (descending), then label, then key,
 * so ties are broken the same way on every machine.
 */
#ifndef NERGRAPH_REPORT_H
#define NERGRAPH_REPORT_H

#include <stdio.h>

#include "nergraph/graph.h"

typedef enum ng_report_format {
    NG_REPORT_TEXT = 0, /* aligned columns for a terminal */
    NG_REPORT_TSV,
    NG_REPORT_JSON
} ng_report_format;

typedef struct ng_report_options {
    ng_measure sort;
    size_t top;          /* 0 = all rows */
    ng_report_format format;
} ng_report_options;
#define NG_REPORT_OPTIONS_INIT {NG_MEASURE_PAGERANK, 0, NG_REPORT_TEXT}

/** Parse "text", "tsv", "json"; -1 if unknown. */
int ng_report_format_parse(const char *name);
/** Errors: NG_EIO, NG_ENOMEM. */
ng_status ng_report_write(const ng_graph *g, const ng_report_options *opts, FILE *out);

#endif
