/*
 * simrec.h - a simulated patient written out as one of our recordings (the same bytes a
 * pod would have sent: 4-sample wire packets on the pod's clock), with the simulator's
 * ground truth beside it as CSV. For trying calftrack without a pod, for tests that
 * need motion with known truth, and for benchmarks.
 */
#ifndef CALFTRACK_SIMREC_H
#define CALFTRACK_SIMREC_H

#include <stdint.h>
#include <stdio.h>

#include "calftrack/rec.h"
#include "calftrack/sim.h"

typedef struct {
    uint64_t samples;  /* samples written */
    uint64_t packets;  /* wire packets written */
    uint64_t events;   /* truth events written */
    double seconds;    /* simulated time */
} simrec_stats;

/* Runs s (already sim_init()ed) to its end, writing the stream to a new recording at
 * path (0600, must not exist) with the header fields of meta (info is filled from the
 * simulator), and the truth events as CSV to truth (NULL: none).
 * Returns 0 or a ct_err. */
int simrec_write(sim *s, const char *path, const rec_header *meta, FILE *truth,
                 simrec_stats *stats);

/* The truth CSV header row and one row per event (times in seconds of device time). */
int simrec_truth_header(FILE *f);
int simrec_truth_row(FILE *f, const sim_event *e);

#endif
