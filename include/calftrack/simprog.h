/*
 * simprog.h - a simulated patient doing a whole prescription: every exercise on every
 * prescribed side, the pod moved to where each exercise is measured (shin or foot,
 * left or right) between them, calibration, sets, rests. One continuous raw stream on
 * one clock, as one pod would send it, with the true reps and holds beside it.
 * What the demo, the virtual pod and the end-to-end tests play.
 */
#ifndef CALFTRACK_SIMPROG_H
#define CALFTRACK_SIMPROG_H

#include <stdbool.h>
#include <stdint.h>

#include "calftrack/presc.h"
#include "calftrack/sim.h"

#define SIMPROG_MAX_STEPS 96

typedef struct {
    uint64_t seed;          /* person (unless given), sensor errors, habits */
    const sim_person *person; /* NULL: sim_person_random(seed) */
    sim_sensor sensor;      /* copy sim_sensor_default and edit */
    ct_side injured;        /* SIDE_LEFT or SIDE_RIGHT: the side with the deficit */
    float deficit;          /* injured side's range as a fraction of the other's (1: none) */
} simprog_config;

typedef struct {
    simprog_config cfg;
    const presc *rx;
    sim_person person;
    int item, pass;         /* current prescription item and pass (side) */
    ct_side side;           /* where the pod is in the current pass */
    ct_placement placement;
    uint64_t base_index;    /* samples played before the current segment */
    uint64_t index;         /* samples played in all */
    bool done;
    sim_event q[SIM_EVENT_QUEUE]; /* true events of a finished pass not yet taken */
    unsigned q_head, q_len;
    sim_step plan[SIMPROG_MAX_STEPS];
    sim s;
} simprog;

/* Prepares p to play rx (kept alive by the caller). CT_OK or CT_EARG. */
int simprog_init(simprog *p, const presc *rx, const simprog_config *cfg);

/* The next raw sample (and its truth, times on the continuous clock); false at the end. */
bool simprog_next(simprog *p, wire_sample *raw, sim_truth_sample *truth);

/* The oldest true rep or hold not yet taken (times on the continuous clock). */
bool simprog_event_pop(simprog *p, sim_event *ev);

/* What a pod playing this would answer to GET_INFO. */
void simprog_wire_info(const simprog *p, wire_info *info);

#endif
