/*
 * motion.c - what the virtual pod measures: the simulated patient (sim.h) following a
 * prescription (--plan), the built-in demonstration (--demo), or, without either, an
 * hour and more of everyday movement. When the plan is over the person stands still.
 */
#include "vpod.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calftrack/err.h"
#include "calftrack/presc.h"
#include "calftrack/simrec.h"

#define MAX_STEPS 2048
#define EVERYDAY_S 7200.0f

/* The demonstration: a short programme on the shin, as a physiotherapist would write it. */
static const char demo_csv[] =
    "exercise,side,sets,reps,hold_s,target,target_unit,rest_s,tempo,notes\n"
    "calf_raise,left,2,10,1,,,20,2-1-2,Double-leg calf raises\n"
    "lunge_stretch,left,2,1,30,35,deg,20,,Lunging calf stretch\n";

static int start(motion *m)
{
    m->ended = false;
    if (m->prog) {
        simprog_config cfg = {.seed = m->seed, .sensor = sim_sensor_default,
                              .injured = SIDE_LEFT, .deficit = 1.0f};
        cfg.sensor.odr_hz = m->odr_hz;
        return simprog_init(m->prog, m->rx, &cfg);
    }
    sim_person person;
    sim_person_random(&person, m->seed);
    sim_sensor sensor = sim_sensor_default;
    sensor.odr_hz = m->odr_hz;
    sensor.acc_range_g = 16;
    sensor.gyr_range_dps = 2000;
    return sim_init(m->s, &person, &sensor, m->plan, m->nsteps, m->placement, m->side, m->seed);
}

int motion_init(motion *m, const char *plan_path, bool demo, uint64_t seed, uint16_t odr_hz,
                FILE *truth, char *err, size_t errcap)
{
    memset(m, 0, sizeof *m);
    m->seed = seed;
    m->odr_hz = odr_hz;
    m->truth = truth;
    m->rng = seed * 0x9E3779B97F4A7C15ull + 1u;
    m->s = malloc(sizeof *m->s);
    m->plan = calloc(MAX_STEPS, sizeof *m->plan);
    presc *p = malloc(sizeof *p);
    if (!m->s || !m->plan || !p) {
        free(p);
        snprintf(err, errcap, "out of memory");
        return CT_ENOMEM;
    }
    int rc = CT_OK;
    presc_error pe;
    if (plan_path)
        rc = presc_load(plan_path, p, &pe);
    else if (demo)
        rc = presc_parse("demo", demo_csv, sizeof demo_csv - 1, p, &pe);
    if (rc != CT_OK) {
        presc_error_format(&pe, err, errcap);
        free(p);
        return rc;
    }
    if (plan_path || demo) {
        /* the person does the whole prescription, moving the pod where each exercise
         * is measured, every prescribed side */
        m->rx = p;
        m->prog = malloc(sizeof *m->prog);
        if (!m->prog) {
            snprintf(err, errcap, "out of memory");
            return CT_ENOMEM;
        }
    } else {
        m->nsteps = sim_plan_distractors(m->plan, MAX_STEPS, EVERYDAY_S, seed);
        m->placement = PLACE_SHIN;
        m->side = SIDE_LEFT;
        free(p);
    }
    rc = start(m);
    if (rc != CT_OK) {
        snprintf(err, errcap, "the simulator refused the plan: %s", ct_strerror(rc));
        return rc;
    }
    if (m->truth)
        simrec_truth_header(m->truth);
    return CT_OK;
}

int motion_set_rate(motion *m, uint16_t odr_hz)
{
    /* The sensor cannot change rate mid-movement: the person starts the plan again. */
    m->odr_hz = odr_hz;
    return start(m);
}

void motion_next(motion *m, wire_sample *out)
{
    bool more = !m->ended && (m->prog ? simprog_next(m->prog, out, NULL)
                                      : sim_next(m->s, out, NULL, NULL));
    if (more) {
        m->last = *out;
        sim_event ev;
        while (m->prog ? simprog_event_pop(m->prog, &ev) : sim_event_pop(m->s, &ev)) {
            m->events++;
            if (m->truth)
                simrec_truth_row(m->truth, &ev);
        }
        return;
    }
    /* Plan over: standing still, the sensor's last reading with a little noise. */
    if (!m->ended && m->prog) {
        sim_event ev;
        while (simprog_event_pop(m->prog, &ev)) {
            m->events++;
            if (m->truth)
                simrec_truth_row(m->truth, &ev);
        }
    }
    m->ended = true;
    *out = m->last;
    for (int a = 0; a < 3; a++) {
        m->rng = m->rng * 6364136223846793005ull + 1442695040888963407ull;
        int d = (int)((m->rng >> 62) & 3u) - 1; /* -1, 0, +1, +2 LSB */
        if (out->acc[a] > INT16_MIN + 2 && out->acc[a] < INT16_MAX - 2)
            out->acc[a] = (int16_t)(out->acc[a] + d);
        out->gyr[a] = (int16_t)((int)((m->rng >> 59) & 3u) - 1); /* no rotation */
    }
}

void motion_free(motion *m)
{
    free(m->prog);
    free(m->rx);
    m->prog = NULL;
    m->rx = NULL;
    free(m->s);
    free(m->plan);
    m->s = NULL;
    m->plan = NULL;
}
