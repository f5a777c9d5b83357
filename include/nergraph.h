/* nergraph.h: the whole public API, stage by stage in data-flow order. */
#ifndef NERGRAPH_H
#define NERGRAPH_H

#include "nergraph/common.h"
#include "nergraph/error.h"
#include "nergraph/input.h"
#include "nergraph/config.h"
#include "nergraph/decode.h"
#include "nergraph/normalize.h"
#include "nergraph/segment.h"
#include "nergraph/dict.h"
#include "nergraph/suffix.h"
#include "nergraph/matcher.h"
#include "nergraph/context.h"
#include "nergraph/mcache.h"
#include "nergraph/dcache.h"
#include "nergraph/cooc.h"
#include "nergraph/partial.h"
#include "nergraph/graph.h"
#include "nergraph/export.h"
#include "nergraph/report.h"
#include "nergraph/diff.h"
#include "nergraph/mentions.h"
#include "nergraph/pipeline.h"
#include "nergraph/score.h"
#include "nergraph/dicttools.h"

#endif
