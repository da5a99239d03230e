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

static size_t add(sim_step *plan, size_t n, const sim_step *st)
{
    if (n < MAX_STEPS)
        plan[n++] = *st;
    return n;
}

/* The person does the prescription: a still stand and a calibration first, then every
 * set of every item measured with the first item's placement, with the rests. */
static size_t plan_from(const presc *p, sim_step *plan, ct_placement *placement,
                        ct_side *side, char *note, size_t notecap)
{
    size_t n = 0;
    sim_step st;
    memset(&st, 0, sizeof st);
    st.kind = SIM_STEP_STAND_STILL;
    st.duration_s = 8;
    n = add(plan, n, &st);
    st.kind = SIM_STEP_CALIBRATE;
    st.duration_s = 12;
    st.cal = SIM_CAL_KNEE_SWAY;
    n = add(plan, n, &st);
    st.kind = SIM_STEP_STAND_STILL;
    st.duration_s = 4;
    n = add(plan, n, &st);
    *placement = sim_placement_for(p->item[0].exercise);
    *side = p->item[0].side == SIDE_RIGHT ? SIDE_RIGHT : SIDE_LEFT;
    note[0] = '\0';
    for (int i = 0; i < p->n; i++) {
        const presc_item *it = &p->item[i];
        if (sim_placement_for(it->exercise) != *placement) {
            size_t used = strlen(note);
            snprintf(note + used, notecap - used, "%s%s", used ? ", " : "",
                     ct_exercise_name(it->exercise));
            continue;
        }
        for (int pass = 0; pass < presc_item_sides(it); pass++)
            for (int set = 1; set <= it->sets; set++) {
                memset(&st, 0, sizeof st);
                if (set == 1) { /* to the wall, or wherever the exercise is done */
                    st.kind = SIM_STEP_WALK;
                    st.distance_m = 3;
                    n = add(plan, n, &st);
                    memset(&st, 0, sizeof st);
                }
                st.kind = SIM_STEP_STAND_STILL;
                st.duration_s = 3;
                n = add(plan, n, &st);
                memset(&st, 0, sizeof st);
                st.kind = SIM_STEP_EXERCISE;
                sim_set_default(&st.set, it->exercise);
                st.set.set = set;
                st.set.count = it->reps;
                st.set.hold_s = it->hold_s;
                st.set.target = it->unit == PRESC_UNIT_NONE ? 0.0f : it->target;
                st.set.target_cm = it->unit == PRESC_UNIT_CM;
                if (it->has_tempo) {
                    st.set.up_s = it->tempo_up_s;
                    st.set.down_s = it->tempo_down_s;
                }
                n = add(plan, n, &st);
                memset(&st, 0, sizeof st);
                st.kind = SIM_STEP_REST;
                st.duration_s = it->rest_s > 1 ? it->rest_s : 1;
                n = add(plan, n, &st);
            }
    }
    return n;
}

static int start(motion *m)
{
    sim_person person;
    sim_person_random(&person, m->seed);
    sim_sensor sensor = sim_sensor_default;
    sensor.odr_hz = m->odr_hz;
    sensor.acc_range_g = 16;
    sensor.gyr_range_dps = 2000;
    m->ended = false;
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
    char skipped[256];
    if (plan_path || demo) {
        m->nsteps = plan_from(p, m->plan, &m->placement, &m->side, skipped, sizeof skipped);
        if (skipped[0])
            fprintf(stderr, "calftrack-vpod: the pod stays on the %s: %s not simulated\n",
                    ct_placement_name(m->placement), skipped);
    } else {
        m->nsteps = sim_plan_distractors(m->plan, MAX_STEPS, EVERYDAY_S, seed);
        m->placement = PLACE_SHIN;
        m->side = SIDE_LEFT;
    }
    free(p);
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
    if (!m->ended && sim_next(m->s, out, NULL, NULL)) {
        m->last = *out;
        sim_event ev;
        while (sim_event_pop(m->s, &ev)) {
            m->events++;
            if (m->truth)
                simrec_truth_row(m->truth, &ev);
        }
        return;
    }
    /* Plan over: standing still, the sensor's last reading with a little noise. */
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
    free(m->s);
    free(m->plan);
    m->s = NULL;
    m->plan = NULL;
}
