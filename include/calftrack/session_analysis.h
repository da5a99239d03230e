/*
 * session_analysis.h - the session runner's analyzer backed by the motion analysis
 * (analysis.h): a prescription row becomes the analysis' ct_rx_item, its live view
 * becomes the runner's.
 */
#ifndef CALFTRACK_SESSION_ANALYSIS_H
#define CALFTRACK_SESSION_ANALYSIS_H

#include "calftrack/analysis.h"
#include "calftrack/session.h"

typedef struct {
    ct_analysis a;   /* caller-owned, large: keep it off small stacks */
    float rate_hz;   /* nominal sample rate */
} session_analysis;

/* What analysis needs of a prescription row. */
void session_rx_item(const presc_item *it, ct_side side, ct_rx_item *out);

/* Fills out with functions over sa (which must outlive the run). */
void session_analysis_bind(session_analysis *sa, float rate_hz, session_analyzer *out);

#endif
