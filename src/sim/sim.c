/*
 * sim.c - the simulator's clock: plays the plan step by step, sums the movement layers
 * at each sample time, derives the exact sensor reading from the leg's kinematics, adds
 * the sensor's errors and writes the truth beside it.
 */
#include "simint.h"

#include <math.h>
#include <string.h>

int64_t sim_us(double t_s)
{
    return (int64_t)llround(t_s * 1e6);
}

int64_t sample_t_us(const sim *s)
{
    if (s->sensor.odr_error_pct == 0.0f) /* exact: every supported period is whole us */
        return (int64_t)(s->index * (uint64_t)s->period_ns / 1000u);
    return sim_us(s->t_s);
}

void event_push(sim *s, const sim_event *ev)
{
    if (s->q_len == SIM_EVENT_QUEUE) {
        s->q_head = (s->q_head + 1) % SIM_EVENT_QUEUE;
        s->q_len--;
        s->q_dropped++;
    }
    s->q[(s->q_head + s->q_len) % SIM_EVENT_QUEUE] = *ev;
    s->q_len++;
}

bool sim_event_pop(sim *s, sim_event *ev)
{
    if (s == NULL || s->q_len == 0)
        return false;
    if (ev)
        *ev = s->q[s->q_head];
    s->q_head = (s->q_head + 1) % SIM_EVENT_QUEUE;
    s->q_len--;
    return true;
}

uint64_t sim_events_dropped(const sim *s)
{
    return s->q_dropped;
}

double sim_time_s(const sim *s)
{
    return s->t_s;
}

void sim_wire_info(const sim *s, wire_info *info)
{
    memset(info, 0, sizeof *info);
    info->protocol = WIRE_PROTOCOL_VERSION;
    info->imu_id = 0x6C;
    info->status = WIRE_STATUS_IMU_OK;
    info->odr_hz = s->sensor.odr_hz;
    info->acc_range_g = s->sensor.acc_range_g;
    info->gyr_range_dps = s->sensor.gyr_range_dps;
    info->acc_ug_per_lsb = wire_acc_ug_per_lsb(s->sensor.acc_range_g);
    info->gyr_udps_per_lsb = wire_gyr_udps_per_lsb(s->sensor.gyr_range_dps);
    info->period_ns = s->period_ns;
    info->board = WIRE_BOARD_VIRTUAL;
    info->max_samples = WIRE_MAX_SAMPLES;
}

static bool finite_nonneg(float v)
{
    return isfinite(v) && v >= 0.0f;
}

static bool plan_valid(const sim_step *plan, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const sim_step *st = &plan[i];
        if ((unsigned)st->kind >= SIM_STEP_KIND_COUNT || !finite_nonneg(st->duration_s) ||
            !finite_nonneg(st->distance_m) || !isfinite(st->turn_deg) ||
            !isfinite(st->strap_delta_deg))
            return false;
        if (st->kind == SIM_STEP_SIT_DOWN && (unsigned)st->posture > SIM_POSTURE_FLOOR)
            return false;
        if (st->kind == SIM_STEP_EXERCISE) {
            const sim_set *e = &st->set;
            if ((unsigned)e->exercise >= EX_COUNT || e->count < 1 || e->count > 1000 ||
                !finite_nonneg(e->hold_s) || !finite_nonneg(e->target) ||
                !finite_nonneg(e->up_s) || !finite_nonneg(e->down_s) ||
                !finite_nonneg(e->between_s))
                return false;
        }
    }
    return true;
}

static void step_start(sim *s)
{
    s->stage = 0;
    s->sub = 0;
    s->count = 0;
    s->posture_k0 = 0;
    s->phase = SIM_PHASE_NONE;
}

int sim_init(sim *s, const sim_person *person, const sim_sensor *sensor,
             const sim_step *plan, size_t nsteps, ct_placement placement, ct_side side,
             uint64_t seed)
{
    if (s == NULL || person == NULL || sensor == NULL || plan == NULL || nsteps == 0)
        return CT_EARG;
    if ((placement != PLACE_SHIN && placement != PLACE_FOOT) ||
        (side != SIDE_LEFT && side != SIDE_RIGHT) || !plan_valid(plan, nsteps))
        return CT_EARG;
    if (!(person->height_m > 0.5f) || !(person->foot_lever_m > 0.0f) ||
        !(person->ankle_height_m > 0.0f) || !(person->max_plantarflex_deg > 0.0f))
        return CT_EARG;
    memset(s, 0, sizeof *s);
    s->person = *person;
    s->sensor = *sensor;
    s->plan = plan;
    s->nsteps = nsteps;
    s->placement = placement;
    s->side = side;
    s->side_sign = side == SIDE_RIGHT ? 1 : -1;
    rng_seed(&s->rng_motion, seed, 1);
    rng_seed(&s->rng_noise, seed, 2);
    rng_seed(&s->rng_strap, seed, 3);
    int rc = sensor_init(s);
    if (rc != CT_OK)
        return rc;

    double *q = s->mv.to;
    q[Q_AY] = 0.1 * -s->side_sign * person->height_m / 1.72;
    pose_standing(s, q, q);
    memcpy(s->mv.from, q, sizeof s->mv.from);
    s->posture = SIM_POSTURE_STAND;
    s->pivot = PIVOT_MTP;

    static const double sw_lo[3] = {0.1, 0.25, 0.5}, sw_hi[3] = {0.25, 0.5, 0.9};
    static const double sw_amp[3] = {0.55, 0.3, 0.15};
    for (int i = 0; i < 3; i++)
        wobble_init(&s->sway[i], &s->rng_motion, s->dt_s, sw_lo, sw_hi, sw_amp);
    /* holding: a little physiological tremor (6-10 Hz, tenths of a millimetre at the
     * ankle), balance corrections (1.5-3 Hz) and a slow drift */
    static const double tr_lo[3] = {6.0, 1.5, 0.3}, tr_hi[3] = {10.0, 3.0, 0.8};
    static const double tr_amp[3] = {0.08, 0.4, 0.6};
    wobble_init(&s->tremor, &s->rng_motion, s->dt_s, tr_lo, tr_hi, tr_amp);
    static const double bo_lo[3] = {0.6, 1.0, 1.0}, bo_hi[3] = {1.4, 1.0, 1.0};
    static const double bo_amp[3] = {1.0, 0.0, 0.0};
    wobble_init(&s->bounce, &s->rng_motion, s->dt_s, bo_lo, bo_hi, bo_amp);
    s->sway_base = 0.5 * person->sway_deg;
    for (int i = 0; i < 3; i++)
        s->sway_t[i] = -10.0;

    double strap = sensor->strap_random ? rng_range(&s->rng_strap, 0.0, 2.0 * SIM_PI)
                                        : sensor->strap_deg * SIM_DEG;
    double tilt = sensor->tilt_deg * SIM_DEG;
    s->strap_from[0] = s->strap_to[0] = strap;
    s->strap_from[1] = s->strap_to[1] = rng_range(&s->rng_strap, -tilt, tilt);
    s->strap_from[2] = s->strap_to[2] = rng_range(&s->rng_strap, -tilt, tilt);
    s->strap_t0 = -10.0;
    s->tail_key[0] = NAN; /* no mounting computed yet */
    s->strap_dur = 0.0;
    step_start(s);
    return CT_OK;
}

/* Plays the plan up to time t. */
static void advance(sim *s, double t)
{
    for (int guard = 0; guard < 100000; guard++) {
        double end = s->mv.t0 + s->mv.dur;
        if (t >= end) {
            if (!step_next(s, end)) {
                if (++s->step >= s->nsteps) {
                    s->done = true;
                    return;
                }
                step_start(s);
            }
            continue;
        }
        ex_advance(s, t);
        if (t >= s->mv.t0 + s->mv.dur)
            continue;
        return;
    }
    s->done = true; /* a plan that never moves time on */
}

bool sim_next(sim *s, wire_sample *raw, ct_sample *phys, sim_truth_sample *truth)
{
    if (s->done)
        return false;
    double t = s->sensor.odr_error_pct == 0.0f
                   ? (double)(s->index * (uint64_t)s->period_ns) * 1e-9
                   : (double)s->index * s->dt_s;
    s->t_s = t;
    advance(s, t);
    if (s->done)
        return false;

    body_pose pose;
    body_out o;
    motion_eval(s, t, &pose);
    body_tail tail = {s->tail_key, s->tail_R, s->tail_d};
    body_eval(&s->person, s->placement, s->side_sign, (body_pivot)s->pivot, &pose, &tail, &o);
    sensor_apply(s, o.acc_g, o.gyr_dps, raw, phys);

    const sim_step *st = &s->plan[s->step];
    bool in_set = st->kind == SIM_STEP_EXERCISE;
    float angle = 0.0f, height = 0.0f;
    if (in_set) {
        ex_truth_angle(s, s->set.exercise, &pose, o.ankle_z, &angle, &height);
        ex_track(s, t, angle, height);
    }
    if (truth) {
        truth->t_us = sample_t_us(s);
        truth->index = s->index;
        truth->step = (int)s->step;
        truth->kind = st->kind;
        truth->posture = s->posture;
        truth->exercise = in_set ? s->set.exercise : EX_CALF_RAISE;
        truth->set = in_set ? s->set.set : 0;
        truth->phase = s->phase;
        truth->number = s->phase >= SIM_PHASE_UP && s->phase <= SIM_PHASE_DOWN ? s->number + 1 : 0;
        truth->angle_deg = angle;
        truth->height_cm = height;
        truth->shank_incl_deg = (float)(pose.q[Q_INCL].v / SIM_DEG);
        truth->foot_pitch_deg = (float)(pose.q[Q_PITCH].v / SIM_DEG);
        truth->ankle_df_deg = truth->shank_incl_deg - truth->foot_pitch_deg;
        double sd = fmod(pose.strap.v / SIM_DEG, 360.0);
        truth->strap_deg = (float)(sd < 0.0 ? sd + 360.0 : sd);
        body_quat(o.R, truth->quat);
        for (int i = 0; i < 3; i++) {
            truth->pos_m[i] = o.p[i];
            truth->vel_m_s[i] = o.v[i];
            truth->acc_g[i] = o.acc_g[i];
            truth->gyr_dps[i] = o.gyr_dps[i];
        }
    }
    motion_tick(s);
    s->index++;
    return true;
}
