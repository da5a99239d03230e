/*
 * accuracy_run.h - plays simulated sessions through the analysis pipeline and scores it
 * against the simulator's ground truth. Shared by tests/test_accuracy.c (a fixed small
 * set, asserted) and bench/accuracy.c (hundreds of sets, printed).
 *
 * Angles are scored against the quantity the analysis specifies (see analysis.h):
 *   lunge, downward dog: shank inclination from the standing reference, i.e. the true
 *     inclination minus the person's relaxed standing inclination;
 *   band stretch: foot pitch past the neutral 90 deg, i.e. relative to a horizontal
 *     shank (the true shank lies 3-14 deg off horizontal; that part is invisible to a
 *     pod on the foot and is reported separately as "vs ankle");
 *   calf raise: ankle rise (shin) and foot pitch (foot), as the simulator gives them.
 * Hold duration is the time in the hold (top phase); the time at or above the target
 * is reported beside it.
 */
#ifndef ACCURACY_RUN_H
#define ACCURACY_RUN_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "calftrack/analysis.h"
#include "calftrack/sim.h"

#define ACC_MAX_STEPS 64
#define ACC_MAX_REPS 64

typedef struct {
    double se, sum;
    double max;
    long n;
} acc_err;

static inline void acc_err_add(acc_err *e, double d)
{
    e->se += d * d;
    e->sum += d;
    if (fabs(d) > e->max)
        e->max = fabs(d);
    e->n++;
}

static inline double acc_rmse(const acc_err *e) { return e->n ? sqrt(e->se / (double)e->n) : 0.0; }

typedef struct {
    long sets, sets_exact;
    long reps_true, reps_found, reps_paired;
    long class_n, class_ok;
    long placement_n, placement_ok;
    long phantom_runs, phantom_hits;
    acc_err angle;      /* the specified measure, deg */
    acc_err angle_sim;  /* against the simulator's own angle (band: ankle dorsiflexion) */
    acc_err height;     /* cm */
    acc_err hold;       /* time in the hold, s */
    acc_err above;      /* time at or above the target, s */
    long samples;
} acc_stats;

typedef struct {
    int number;
    ct_event ev;
    float spec_peak; /* peak of the specified measure over the rep */
    float hold_total_s;
    bool partial;
} acc_truth;

/* Per-set bookkeeping while a session plays. */
typedef struct {
    acc_truth truth[ACC_MAX_REPS];
    int ntruth;
    ct_event mine[ACC_MAX_REPS];
    int nmine;
} acc_set;

static inline ct_rx_item acc_rx_from(const sim_set *st)
{
    ct_rx_item rx = {0};
    rx.exercise = st->exercise;
    rx.side = SIDE_LEFT;
    rx.reps = st->count;
    rx.hold_s = st->hold_s;
    rx.target = st->target;
    rx.unit = st->target_cm ? RX_UNIT_CM : RX_UNIT_DEG;
    rx.up_s = st->up_s;
    rx.down_s = st->down_s;
    return rx;
}

static inline void acc_score_set(acc_stats *st, const acc_set *s, ct_exercise ex, ct_placement pl,
                                 bool verbose)
{
    st->sets++;
    st->reps_true += s->ntruth;
    st->reps_found += s->nmine;
    if (s->ntruth == s->nmine)
        st->sets_exact++;
    /* pair by time: each true rep with the detected one overlapping it most */
    for (int i = 0; i < s->ntruth; i++) {
        const acc_truth *t = &s->truth[i];
        int best = -1;
        int64_t best_ov = 0;
        for (int j = 0; j < s->nmine; j++) {
            const ct_event *m = &s->mine[j];
            int64_t a = m->t_start_us > t->ev.t_start_us ? m->t_start_us : t->ev.t_start_us;
            int64_t b = m->t_end_us < t->ev.t_end_us ? m->t_end_us : t->ev.t_end_us;
            if (b - a > best_ov) {
                best_ov = b - a;
                best = j;
            }
        }
        if (best < 0)
            continue;
        const ct_event *m = &s->mine[best];
        if (verbose)
            printf("    rep %d: truth pk %.2f spec %.2f h %.2f top %.2f above %.2f %s | mine pk %.2f "
                   "h %.2f top %.2f above %.2f grade %d\n", t->number, (double)t->ev.peak_deg,
                   (double)t->spec_peak, (double)t->ev.height_cm, (double)t->hold_total_s,
                   (double)t->ev.hold_s, t->partial ? "PARTIAL" : "full", (double)m->peak_deg,
                   (double)m->height_cm, (double)m->top_s, (double)m->hold_s, (int)m->grade);
        st->reps_paired++;
        st->class_n++;
        st->class_ok += (m->grade == GRADE_PARTIAL) == t->partial;
        bool raise = ex == EX_CALF_RAISE || ex == EX_ISOMETRIC_RAISE;
        if (raise && pl == PLACE_SHIN) {
            acc_err_add(&st->height, m->height_cm - t->ev.height_cm);
        } else {
            acc_err_add(&st->angle, m->peak_deg - t->spec_peak);
            acc_err_add(&st->angle_sim, m->peak_deg - t->ev.peak_deg);
        }
        if (ex != EX_CALF_RAISE) {
            acc_err_add(&st->hold, m->top_s - t->hold_total_s);
            if (t->ev.target > 0.0f)
                acc_err_add(&st->above, m->hold_s - t->ev.hold_s);
        }
    }
}

/* The sensor's output rate for every run below: 0 keeps the simulator's default sensor
 * (104 Hz); 104, 208, 416 or 833 run the same people and plans at that rate (the pod's
 * firmware samples at 833 Hz). */
static uint16_t acc_odr_hz;
/* The sensor's errors for every run below: NULL keeps the simulator's default (the pod's
 * LSM6DSOX); &sim_sensor_other is another maker's consumer-grade IMU. */
static const sim_sensor *acc_sensor_base;
/* Recordings made without the calibration gestures (another maker's app records a person
 * who never did our knee sway or foot pump): every calibrate step becomes a still stand. */
static bool acc_no_calibrate;

static inline sim_sensor acc_sensor(float gyr_bias_dps)
{
    sim_sensor sensor = acc_sensor_base ? *acc_sensor_base : sim_sensor_default;
    sensor.gyr_bias_dps = gyr_bias_dps;
    if (acc_odr_hz)
        sensor.odr_hz = acc_odr_hz;
    return sensor;
}

/* One session of `sets` sets of ex with the pod at pl; sensor: the simulator's default
 * errors with the gyro bias raised to gyr_bias_dps and a random strap rotation. */
static inline void acc_run_session(acc_stats *st, ct_exercise ex, ct_placement pl, uint64_t seed,
                                   int sets, float gyr_bias_dps, bool verbose)
{
    sim_step plan[ACC_MAX_STEPS];
    size_t n = sim_plan_random(plan, ACC_MAX_STEPS, ex, sets, seed);
    if (acc_no_calibrate)
        for (size_t i = 0; i < n; i++)
            if (plan[i].kind == SIM_STEP_CALIBRATE)
                plan[i].kind = SIM_STEP_STAND_STILL;
    sim_person person;
    sim_person_random(&person, seed * 7919u + 1u);
    sim_sensor sensor = acc_sensor(gyr_bias_dps);
    sensor.strap_random = true;
    static sim s; /* large; one at a time */
    if (sim_init(&s, &person, &sensor, plan, n, pl, SIDE_LEFT, seed) != CT_OK)
        return;

    ct_rx_item rx = {.exercise = ex, .side = SIDE_LEFT};
    for (size_t i = 0; i < n; i++)
        if (plan[i].kind == SIM_STEP_EXERCISE) {
            rx = acc_rx_from(&plan[i].set);
            break;
        }
    static ct_analysis a;
    analysis_init(&a, &rx, (float)sensor.odr_hz);
    acc_set cur;
    memset(&cur, 0, sizeof cur);
    int open_step = -1;
    bool told = false;
    float spec_max = -1e9f;
    int spec_num = 0;
    ct_sample smp;
    sim_truth_sample tr;
    ct_event ev[8];
    while (sim_next(&s, NULL, &smp, &tr)) {
        st->samples++;
        bool in_ex = tr.kind == SIM_STEP_EXERCISE;
        if (open_step >= 0 && (!in_ex || tr.step != open_step)) {
            int k = analysis_end_set(&a, ev, 8);
            for (int i = 0; i < k; i++)
                if ((ev[i].kind == EV_REP || ev[i].kind == EV_HOLD) && cur.nmine < ACC_MAX_REPS)
                    cur.mine[cur.nmine++] = ev[i];
            acc_score_set(st, &cur, ex, pl, verbose);
            if (verbose && cur.nmine != cur.ntruth)
                printf("  seed %llu %s set %d: truth %d found %d\n", (unsigned long long)seed,
                       ct_exercise_name(ex), plan[open_step].set.set, cur.ntruth, cur.nmine);
            memset(&cur, 0, sizeof cur);
            open_step = -1;
        }
        if (in_ex && open_step < 0) {
            rx = acc_rx_from(&plan[tr.step].set);
            analysis_set_rx(&a, &rx);
            analysis_begin_set(&a, plan[tr.step].set.set);
            open_step = tr.step;
        }
        /* the specified measure of the true rep in progress */
        if (tr.number > 0) {
            float v;
            if (ex == EX_LUNGE_STRETCH || ex == EX_DOWNWARD_DOG)
                v = tr.shank_incl_deg - person.stance_incl_deg;
            else if (ex == EX_BAND_STRETCH)
                v = -tr.foot_pitch_deg - 90.0f;
            else
                v = tr.foot_pitch_deg;
            if (tr.number != spec_num) {
                spec_num = tr.number;
                spec_max = v;
            } else if (v > spec_max) {
                spec_max = v;
            }
        }
        int k = analysis_update(&a, &smp, ev, 8);
        for (int i = 0; i < k; i++) {
            if (ev[i].kind == EV_PLACEMENT && !told) {
                told = true;
                st->placement_n++;
                st->placement_ok += ev[i].placement == pl;
            }
            if ((ev[i].kind == EV_REP || ev[i].kind == EV_HOLD) && open_step >= 0 &&
                cur.nmine < ACC_MAX_REPS)
                cur.mine[cur.nmine++] = ev[i];
        }
        sim_event te;
        while (sim_event_pop(&s, &te)) {
            if (open_step < 0 || cur.ntruth >= ACC_MAX_REPS)
                continue;
            acc_truth *t = &cur.truth[cur.ntruth++];
            t->number = te.ev.number;
            t->ev = te.ev;
            t->spec_peak = te.ev.number == spec_num ? spec_max : te.ev.peak_deg;
            t->hold_total_s = te.hold_total_s;
            t->partial = te.ev.grade == GRADE_PARTIAL;
        }
    }
    if (!told) {
        st->placement_n++; /* never told: counts as wrong */
    }
}

/* A distractor-only recording (walking, sitting, fidgeting, strap adjusting...) with a
 * set of ex open the whole time: any rep or hold counted is a phantom. */
static inline void acc_run_distractors(acc_stats *st, ct_exercise ex, ct_placement pl,
                                       uint64_t seed, float dur_s, float gyr_bias_dps,
                                       bool verbose)
{
    sim_step plan[ACC_MAX_STEPS];
    size_t n = 0;
    plan[n++] = (sim_step){.kind = SIM_STEP_STAND_STILL, .duration_s = 3.0f};
    plan[n++] = (sim_step){.kind = SIM_STEP_CALIBRATE, .duration_s = 5.0f,
                           .cal = (seed & 1) ? SIM_CAL_KNEE_SWAY : SIM_CAL_ANKLE_PUMP};
    n += sim_plan_distractors(plan + n, ACC_MAX_STEPS - n, dur_s, seed);
    sim_person person;
    sim_person_random(&person, seed * 104729u + 3u);
    sim_sensor sensor = acc_sensor(gyr_bias_dps);
    static sim s;
    if (sim_init(&s, &person, &sensor, plan, n, pl, SIDE_RIGHT, seed) != CT_OK)
        return;
    sim_set def;
    sim_set_default(&def, ex);
    ct_rx_item rx = acc_rx_from(&def);
    static ct_analysis a;
    analysis_init(&a, &rx, (float)sensor.odr_hz);
    ct_sample smp;
    sim_truth_sample tr;
    ct_event ev[8];
    int hits = 0;
    bool open = false;
    while (sim_next(&s, NULL, &smp, &tr)) {
        st->samples++;
        if (!open && tr.step >= 2) { /* the set opens after the calibration */
            analysis_begin_set(&a, 1);
            open = true;
        }
        int k = analysis_update(&a, &smp, ev, 8);
        for (int i = 0; i < k; i++)
            if (ev[i].kind == EV_REP || ev[i].kind == EV_HOLD) {
                hits++;
                if (verbose)
                    printf("  phantom: seed %llu %s step %d (kind %d) t %.1f s peak %.1f h %.1f\n",
                           (unsigned long long)seed, ct_exercise_name(ex), tr.step,
                           (int)plan[tr.step].kind, (double)tr.t_us * 1e-6,
                           (double)ev[i].peak_deg, (double)ev[i].height_cm);
            }
        sim_event te;
        while (sim_event_pop(&s, &te))
            ;
    }
    int k = analysis_end_set(&a, ev, 8);
    for (int i = 0; i < k; i++)
        hits += ev[i].kind == EV_REP || ev[i].kind == EV_HOLD;
    st->phantom_runs++;
    st->phantom_hits += hits > 0;
}

#endif
