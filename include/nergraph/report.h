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
    NG_REPORT_CSV,
    NG_REPORT_JSON,
    NG_REPORT_MARKDOWN
} ng_report_format;

typedef struct ng_report_options {
    ng_measure sort;
    size_t top;             /* 0 = all rows */
    ng_report_format format;
    const char *category;   /* only actors of this category (NULL: all) */
    const char *ego;        /* only the neighbourhood of this actor (key or label) */
    size_t depth;           /* of the neighbourhood, in steps (default 1) */
} ng_report_options;
#define NG_REPORT_OPTIONS_INIT {NG_MEASURE_PAGERANK, 0, NG_REPORT_TEXT, NULL, NULL, 1}

/** Parse "text", "tsv", "csv", "json", "markdown"; -1 if unknown. */
int ng_report_format_parse(const char *name);
/** Measures are those of the whole network; category and ego only choose
 *  the rows. Errors: NG_EINVAL (unknown ego), NG_EIO, NG_ENOMEM. */
ng_status ng_report_write(const ng_graph *g, const ng_report_options *opts, FILE *out);

#endif
