/* progress.h: what `build` and `tag` show on standard error while they run.
 *
 * On a terminal (and outside CI), a line of documents done / total, input
 * bytes and rate, redrawn at most ten times a second and never written into
 * an output. Warnings are printed above it; with --quiet the line is not
 * drawn and warnings are only counted, then summed up in one line at the
 * end (errors are always printed, by the caller).
 */
#ifndef NG_CLI_PROGRESS_H
#define NG_CLI_PROGRESS_H

#include <nergraph.h>

/** Install the warning handler and, when standard error is a terminal, the
 *  progress callback in `o`. Call once, before the run. */
void progress_start(ng_pipeline_options *o, int quiet);
/** After the run: the final line (ok) or none (failed), and with --quiet
 *  the number of warnings. */
void progress_stop(int ok);

#endif
