/*
 * exercise.c - one prescribed set: getting into position, the reps or holds (each
 * planned when it starts: depth, tempo, hold, partial or abandoned, fatigue), getting
 * out again, and the true event of every rep or hold.
 *
 * The whole-leg movement track does the entry and the exit (position.c); the reps run
 * on their own track of pose deltas on top of it, so a rep can begin while the person
 * is still settling into position, as real people do.
 */
#include "simint.h"

#include <math.h>
#include <string.h>

enum { EX_POSTURE = 0, EX_ENTRY, EX_SETTLE, EX_REPS, EX_EXIT };

/* A stretch this deep (deg) or deeper sags, eases off and bounces by the full amounts. */
#define STRETCH_FULL_SIZE_DEG 10.0

static double U(sim *s, double lo, double hi)
{
    return rng_range(&s->rng_motion, lo, hi);
}

static bool is_raise(ct_exercise e)
{
    return e == EX_CALF_RAISE || e == EX_ISOMETRIC_RAISE;
}

static float pick(float v, float own)
{
    return v >= 0.0f ? v : own;
}

void ex_begin(sim *s)
{
    const sim_person *p = &s->person;
    s->set = s->plan[s->step].set;
    if (s->set.count < 1)
        s->set.count = 1;
    s->p_partial = pick(s->set.p_partial, p->p_partial);
    s->p_abandon = pick(s->set.p_abandon, p->p_abandon);
    s->p_pause = pick(s->set.p_pause, p->p_pause);
    s->early = U(s, 0.0, 1.0) < pick(s->set.p_early_start, p->p_early_start);
    s->number = 0;
    s->phase = SIM_PHASE_ENTRY;
    s->rep_wait = false;
    memset(s->gain, 0, sizeof s->gain);
    ct_exercise e = s->set.exercise;
    double single = s->set.single_leg ? 1.0 : 0.0;
    s->tremor_deg = p->tremor_deg * (1.0 + single) * (e == EX_ISOMETRIC_RAISE ? 1.5 : 1.0);
    s->bounce_deg = 0.0;
    if (is_raise(e)) {
        s->gain[0] = jitter(s, p->knee_bend_deg, 0.3);        /* shank lean at the top, deg */
        s->gain[1] = U(s, 0.02, 0.08) + 0.1 * single;         /* inversion per plantarflexion */
        s->gain[2] = single * U(s, -0.05, 0.08);              /* shank tilt per plantarflexion */
    } else {
        if (p->bounce_deg > 0.0f)
            s->bounce_deg = p->bounce_deg * U(s, 0.5, 1.2);
        s->gain[0] = U(s, -0.15, 0.15); /* lunge: shank yaw per inclination; band: knee lift */
        s->gain[1] = U(s, -0.1, 0.1);   /* lunge: lateral tilt; band: axial rotation */
        s->gain[2] = U(s, -0.1, 0.1);   /* lunge: axial rotation */
        if (e == EX_BAND_STRETCH)
            s->gain[0] = U(s, 0.0, 4.0) * SIM_DEG;
    }
}

/* The pose delta of the rep at level_deg; frac (0..1) says how far the rep goes. */
static void rep_delta(const sim *s, double level_deg, double frac, double d[SIM_NQ])
{
    memset(d, 0, SIM_NQ * sizeof d[0]);
    const double *r = s->ready;
    double L = level_deg * SIM_DEG;
    switch (s->set.exercise) {
    case EX_CALF_RAISE:
    case EX_ISOMETRIC_RAISE: {
        double maxpf = s->person.max_plantarflex_deg > 1.0f ? s->person.max_plantarflex_deg : 40.0;
        d[Q_PITCH] = L;
        d[Q_INCL] = s->gain[0] * SIM_DEG * level_deg / maxpf;
        d[Q_FROLL] = s->gain[1] * L;
        d[Q_ROLL] = s->gain[2] * L;
        break;
    }
    case EX_LUNGE_STRETCH:
        d[Q_INCL] = L - r[Q_INCL];
        d[Q_SYAW] = s->gain[0] * d[Q_INCL];
        d[Q_ROLL] = s->gain[1] * d[Q_INCL];
        d[Q_AXIAL] = s->gain[2] * d[Q_INCL];
        break;
    case EX_DOWNWARD_DOG:
        d[Q_INCL] = L - r[Q_INCL];
        d[Q_PITCH] = -r[Q_PITCH] * frac; /* heels pressed down */
        d[Q_ROLL] = s->gain[1] * d[Q_INCL];
        break;
    case EX_BAND_STRETCH: {
        double df0 = r[Q_INCL] - r[Q_PITCH];
        d[Q_INCL] = s->gain[0] * frac;
        d[Q_PITCH] = -(L - df0) + d[Q_INCL];
        d[Q_AXIAL] = d[Q_FAX] = s->gain[1] * frac;
        break;
    }
    default:
        break;
    }
}

/* The angle the rep starts from (deg of the exercise's angle). */
static double base_deg(const sim *s)
{
    switch (s->set.exercise) {
    case EX_LUNGE_STRETCH:
    case EX_DOWNWARD_DOG:
        return s->ready[Q_INCL] / SIM_DEG;
    case EX_BAND_STRETCH:
        return (s->ready[Q_INCL] - s->ready[Q_PITCH]) / SIM_DEG;
    default:
        return 0.0;
    }
}

/* Plans rep number s->number + 1 starting at t0 and starts its way up. */
static void rep_start(sim *s, double t0)
{
    const sim_person *p = &s->person;
    const sim_set *set = &s->set;
    ct_exercise e = set->exercise;
    int i = s->number; /* reps done before this one */
    double fat = p->fatigue * i;
    double base = base_deg(s), top;
    unsigned flags = s->rep_flags & (SIM_EV_AFTER_PAUSE);
    if (i == 0 && s->early)
        flags |= SIM_EV_EARLY_START;

    if (is_raise(e)) {
        top = p->max_plantarflex_deg * U(s, 0.85, 1.0) * (set->single_leg ? 0.8 : 1.0);
        top *= fmax(0.5, 1.0 - fat);
    } else {
        double lim = e == EX_BAND_STRETCH ? p->max_band_df_deg
                     : e == EX_DOWNWARD_DOG ? 0.85 * p->max_dorsiflex_deg
                                            : p->max_dorsiflex_deg;
        if (set->target > 0.0f && !set->target_cm)
            top = set->target + U(s, -2.0 * p->undershoot_deg, 1.0);
        else
            top = lim * U(s, 0.85, 1.0);
        top += fmin(3.0, i * U(s, 0.0, 0.7)); /* tissues give a little hold after hold */
        if (top > lim)
            top = lim - U(s, 0.0, 1.0);
        if (top < base + 3.0)
            top = base + 3.0;
    }

    double frac = 1.0;
    double tempo = p->tempo_scale * fmax(0.6, 1.0 - 0.5 * fat);
    double up = fmax(0.25, jitter(s, set->up_s * tempo, p->tempo_jitter));
    double down = fmax(0.25, jitter(s, set->down_s * tempo, p->tempo_jitter));
    double hold = set->hold_s;
    double topd;
    if (is_raise(e) && e == EX_CALF_RAISE) {
        topd = hold > 0.0 ? fmax(0.05, jitter(s, hold * tempo, p->tempo_jitter)) : U(s, 0.05, 0.3);
        if (U(s, 0.0, 1.0) < 0.15)
            topd = U(s, 0.05, 0.2); /* no pause at the top */
    } else {
        topd = hold * U(s, p->hold_discipline, 1.0);
        if (U(s, 0.0, 1.0) < 0.2)
            topd *= U(s, 1.0, 1.15);
        if (topd < 0.9 * hold)
            flags |= SIM_EV_SHORT_HOLD;
    }
    double u = U(s, 0.0, 1.0);
    if (u < s->p_abandon) {
        frac = U(s, 0.25, 0.5);
        flags |= SIM_EV_ABANDONED;
        flags &= ~(unsigned)SIM_EV_SHORT_HOLD;
        up *= U(s, 0.4, 0.7);
        down *= 0.7;
        topd = 0.0;
    } else if (u < s->p_abandon + s->p_partial) {
        frac = U(s, 0.35, 0.65);
        flags |= SIM_EV_PARTIAL;
    }
    double level = base + (top - base) * frac;
    /* Sagging, easing off and bouncing in a stretch are sized for stretches 10 deg deep
     * or more (a lunge or band stretch goes 10-45 deg); a shallower one does them in
     * proportion: the downward dog's heel press leans the shank only a few degrees, and
     * easing off or bouncing by more than that would take the shank back past the pose
     * the press began from, which is coming out of the stretch, not easing off in it. */
    double depth = is_raise(e) ? 1.0 : fmin(1.0, (level - base) / STRETCH_FULL_SIZE_DEG);
    double sag = is_raise(e) ? U(s, 0.0, 0.08) * (level - base)
                             : (U(s, -1.0, 2.5) + fat * 10.0) * depth;
    if (topd < 0.5)
        sag = 0.0; /* a brief top is a turn-around, not a hold that sags */
    else if (fabs(sag) > 2.0 * topd)
        sag = copysign(2.0 * topd, sag); /* sagging is slow: at most 2 deg/s */

    /* in a long hold some people ease off for a moment and go back in */
    s->dip_deg = 0.0;
    if (e != EX_CALF_RAISE && topd >= 12.0 && U(s, 0.0, 1.0) < 0.35) {
        s->dip_deg = U(s, 2.0, 6.0) * depth;
        s->dip_hold_s = U(s, 0.5, 2.0);
        s->dip_t0_s = t0 + up + 0.4 + U(s, 0.2, 0.7) * (topd - 2.4 - s->dip_hold_s);
        flags |= SIM_EV_DIPPED;
    }
    s->level_deg = level;
    s->sag_deg = sag;
    s->osc_scale = depth;
    s->up_s = up;
    s->top_s = topd;
    s->down_s = down;
    s->rep_flags = flags;
    s->rep_t0_s = t0;
    s->pk_deg = -1e9;
    s->pk_h_cm = 0.0;
    s->pk_t_s = t0;
    s->above_s = 0.0;
    s->rep_frac = frac;
    double zero[SIM_NQ] = {0}, d[SIM_NQ];
    rep_delta(s, level, frac, d);
    rep_move(s, t0, up, zero, d, U(s, -0.5, 0.5));
    s->phase = SIM_PHASE_UP;
    s->rep_wait = false;
}

static void rep_event(sim *s, double t_end)
{
    const sim_set *set = &s->set;
    sim_event e;
    memset(&e, 0, sizeof e);
    bool raise = set->exercise == EX_CALF_RAISE;
    e.ev.kind = raise ? EV_REP : EV_HOLD;
    e.ev.exercise = set->exercise;
    e.ev.side = s->side;
    e.ev.placement = s->placement;
    e.ev.set = set->set;
    e.ev.number = s->number + 1;
    e.ev.t_start_us = sim_us(s->rep_t0_s);
    e.ev.t_peak_us = sim_us(s->pk_t_s);
    e.ev.t_end_us = sim_us(t_end);
    e.ev.peak_deg = (float)s->pk_deg;
    e.ev.height_cm = is_raise(set->exercise) ? (float)s->pk_h_cm : 0.0f;
    e.ev.up_s = (float)s->up_s;
    e.ev.top_s = (float)s->top_s;
    e.ev.down_s = (float)s->down_s;
    e.ev.target = set->target;
    bool has_target = set->target > 0.0f;
    e.ev.hold_s = (float)(raise || !has_target ? s->top_s : s->above_s);
    unsigned f = s->rep_flags;
    if (has_target) {
        double peak = set->target_cm ? s->pk_h_cm : s->pk_deg;
        if (raise ? peak < set->target : s->above_s < 0.5 * s->top_s)
            f |= SIM_EV_BELOW_TARGET;
    }
    e.flags = f;
    e.ev.grade = (f & (SIM_EV_PARTIAL | SIM_EV_ABANDONED)) ? GRADE_PARTIAL
                 : (f & SIM_EV_SHORT_HOLD)                 ? GRADE_SHORT_HOLD
                                                           : GRADE_FULL;
    e.step = (int)s->step;
    e.peak_pf_deg = is_raise(set->exercise) ? (float)s->pk_deg : 0.0f;
    e.hold_total_s = (float)s->top_s;
    event_push(s, &e);
}

void ex_advance(sim *s, double t)
{
    if (s->plan[s->step].kind != SIM_STEP_EXERCISE || s->stage < EX_SETTLE)
        return;
    for (;;) {
        double end = s->rp.t0 + s->rp.dur;
        double d0[SIM_NQ], d1[SIM_NQ], zero[SIM_NQ] = {0};
        switch (s->phase) {
        case SIM_PHASE_ENTRY:
        case SIM_PHASE_BETWEEN:
            if (!s->rep_wait || t < s->rep_start_s)
                return;
            rep_start(s, s->rep_start_s);
            break;
        case SIM_PHASE_UP:
            if (t < end)
                return;
            rep_delta(s, s->level_deg, s->rep_frac, d0);
            if (s->top_s <= 0.0) {
                rep_move(s, end, s->down_s, d0, zero, U(s, -0.5, 0.5));
                s->phase = SIM_PHASE_DOWN;
            } else {
                rep_delta(s, s->level_deg - s->sag_deg, s->rep_frac, d1);
                rep_move(s, end, s->top_s, d0, d1, 0.0);
                s->phase = SIM_PHASE_TOP;
            }
            break;
        case SIM_PHASE_TOP:
            if (t < end)
                return;
            memcpy(d0, s->rp.to, sizeof d0);
            rep_move(s, end, s->down_s, d0, zero, U(s, -0.5, 0.5));
            s->phase = SIM_PHASE_DOWN;
            break;
        case SIM_PHASE_DOWN:
            if (t < end)
                return;
            rep_event(s, end);
            s->number++;
            s->rep_flags = 0;
            if (s->number < s->set.count) {
                double gap = s->set.between_s > 0.0f ? jitter(s, s->set.between_s, 0.3)
                                                      : U(s, 0.05, 0.3);
                if (U(s, 0.0, 1.0) < s->p_pause) {
                    gap += U(s, 3.0, 8.0);
                    s->rep_flags = SIM_EV_AFTER_PAUSE;
                }
                s->phase = SIM_PHASE_BETWEEN;
                s->rep_wait = true;
                s->rep_start_s = end + gap;
            } else {
                s->phase = SIM_PHASE_EXIT;
                s->stage = EX_EXIT;
                s->sub = 0;
                move_hold(s, end, U(s, 0.3, 1.5));
                return;
            }
            break;
        default:
            return;
        }
    }
}

void ex_track(sim *s, double t, float angle_deg, float height_cm)
{
    if (s->phase < SIM_PHASE_UP || s->phase > SIM_PHASE_DOWN)
        return;
    if (angle_deg > s->pk_deg) {
        s->pk_deg = angle_deg;
        s->pk_t_s = t;
    }
    if (height_cm > s->pk_h_cm)
        s->pk_h_cm = height_cm;
    if (s->set.target > 0.0f) {
        double v = s->set.target_cm ? height_cm : angle_deg;
        if (v >= s->set.target)
            s->above_s += s->dt_s;
    }
}

void ex_truth_angle(const sim *s, ct_exercise ex, const body_pose *pose, double ankle_z,
                    float *angle_deg, float *height_cm)
{
    const jet *q = pose->q;
    *height_cm = 0.0f;
    switch (ex) {
    case EX_CALF_RAISE:
    case EX_ISOMETRIC_RAISE:
        *angle_deg = (float)(q[Q_PITCH].v / SIM_DEG);
        *height_cm = (float)((ankle_z - s->person.ankle_height_m) * 100.0);
        break;
    case EX_BAND_STRETCH:
        *angle_deg = (float)((q[Q_INCL].v - q[Q_PITCH].v) / SIM_DEG);
        break;
    default:
        *angle_deg = (float)(q[Q_INCL].v / SIM_DEG);
        break;
    }
}

bool ex_next(sim *s, double t0)
{
    for (;;) {
        switch (s->stage) {
        case EX_POSTURE:
            if (s->sub == 0)
                ex_begin(s);
            if (posture_next(s, t0, ex_posture(s->set.exercise), s->sub++))
                return true;
            s->stage = EX_ENTRY;
            s->sub = 0;
            break;
        case EX_ENTRY:
            if (ex_entry_next(s, t0, s->sub++))
                return true;
            s->stage = EX_SETTLE;
            s->sub = 0;
            break;
        case EX_SETTLE:
            if (s->sub++ == 0) {
                ex_settle(s, t0);
                return true;
            }
            s->stage = EX_REPS;
            move_hold(s, t0, INFINITY); /* until the reps are over (ex_advance) */
            return true;
        case EX_REPS: /* not reached: ex_advance moves on to the exit */
            return true;
        case EX_EXIT:
            if (ex_exit_next(s, t0, s->sub++))
                return true;
            s->phase = SIM_PHASE_NONE;
            return false;
        default:
            return false;
        }
    }
}
