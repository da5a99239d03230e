/*
 * steps.c - the plan's steps other than exercise sets, as sequences of whole-leg
 * movements: standing still, functional calibration, walking, sitting down and standing
 * up, fidgeting, adjusting the strap, resting.
 */
#include "simint.h"

#include <math.h>
#include <string.h>

double jitter(sim *s, double x, double rel)
{
    double f = 1.0 + rel * rng_gauss(&s->rng_motion);
    if (f < 0.3)
        f = 0.3;
    if (f > 2.0)
        f = 2.0;
    return x * f;
}

static double U(sim *s, double lo, double hi)
{
    return rng_range(&s->rng_motion, lo, hi);
}

void pose_standing(const sim *s, const double cur[SIM_NQ], double out[SIM_NQ])
{
    memcpy(out, cur, SIM_NQ * sizeof out[0]);
    out[Q_AZ] = s->person.ankle_height_m;
    out[Q_INCL] = s->person.stance_incl_deg * SIM_DEG;
    out[Q_ROLL] = out[Q_AXIAL] = out[Q_PITCH] = out[Q_FROLL] = out[Q_SYAW] = out[Q_FAX] = 0.0;
}

static double sway_for(const sim *s, sim_posture p)
{
    return s->person.sway_deg * (p == SIM_POSTURE_STAND ? 1.0 : 0.3);
}

/* Moves the ankle by `fwd` along the heading and `lat` to the left of it. */
static void shift(double q[SIM_NQ], double fwd, double lat)
{
    double c = cos(q[Q_YAW]), sn = sin(q[Q_YAW]);
    q[Q_AX] += fwd * c - lat * sn;
    q[Q_AY] += fwd * sn + lat * c;
}

bool posture_next(sim *s, double t0, sim_posture to, int k)
{
    const sim_person *p = &s->person;
    sim_posture from = s->posture;
    if (from == to)
        return false;
    if (from != SIM_POSTURE_STAND && to != SIM_POSTURE_STAND) {
        /* seated to seated: stand up in between, then count the sitting from 0 */
        if (posture_next(s, t0, SIM_POSTURE_STAND, k))
            return true;
        s->posture_k0 = k;
        return posture_next(s, t0, to, k);
    }
    k -= s->posture_k0;
    double q[SIM_NQ];
    memcpy(q, move_pose(s), sizeof q);
    if (from == SIM_POSTURE_STAND && to == SIM_POSTURE_CHAIR) {
        switch (k) {
        case 0:
            pivot_set(s, PIVOT_NONE);
            q[Q_INCL] += U(s, 15.0, 25.0) * SIM_DEG;
            move_to(s, t0, U(s, 0.6, 1.0), q, U(s, -0.3, 0.3));
            return true;
        case 1:
            shift(q, 0.03, 0.0);
            q[Q_INCL] = U(s, -8.0, 8.0) * SIM_DEG;
            q[Q_AXIAL] = U(s, 0.0, 0.15);
            move_to(s, t0, U(s, 0.8, 1.3), q, U(s, -0.3, 0.3));
            sway_set(s, t0, sway_for(s, to));
            return true;
        case 2:
            move_hold(s, t0, U(s, 0.3, 0.8));
            return true;
        }
    } else if (from == SIM_POSTURE_STAND && to == SIM_POSTURE_FLOOR) {
        switch (k) {
        case 0:
            pivot_set(s, PIVOT_NONE);
            q[Q_INCL] = U(s, 30.0, 40.0) * SIM_DEG;
            move_to(s, t0, U(s, 0.9, 1.3), q, U(s, -0.3, 0.3));
            return true;
        case 1:
            q[Q_INCL] = -U(s, 30.0, 50.0) * SIM_DEG;
            shift(q, 0.2, 0.0);
            move_to(s, t0, U(s, 1.0, 1.5), q, U(s, -0.3, 0.3));
            sway_set(s, t0, sway_for(s, to));
            return true;
        case 2:
            shift(q, 0.25, 0.0);
            q[Q_AZ] = 0.75 * p->ankle_height_m;
            q[Q_INCL] = -(90.0 - U(s, 3.0, 10.0)) * SIM_DEG;
            q[Q_PITCH] = q[Q_INCL] + jitter(s, p->relaxed_pf_deg, 0.15) * SIM_DEG;
            q[Q_AXIAL] = q[Q_FAX] = U(s, 0.1, 0.35);
            move_to(s, t0, U(s, 1.0, 1.5), q, U(s, -0.3, 0.3));
            return true;
        case 3:
            move_hold(s, t0, U(s, 0.3, 0.8));
            return true;
        }
    } else if (from == SIM_POSTURE_CHAIR) {
        switch (k) {
        case 0:
            pivot_set(s, PIVOT_NONE);
            q[Q_INCL] = U(s, 15.0, 25.0) * SIM_DEG;
            q[Q_AXIAL] = 0.0;
            shift(q, -0.03, 0.0);
            move_to(s, t0, U(s, 0.6, 0.9), q, U(s, -0.3, 0.3));
            return true;
        case 1:
            pose_standing(s, q, q);
            move_to(s, t0, U(s, 0.8, 1.2), q, U(s, -0.3, 0.3));
            sway_set(s, t0, sway_for(s, to));
            return true;
        case 2:
            move_hold(s, t0, U(s, 0.2, 0.5));
            return true;
        }
    } else { /* floor to standing */
        switch (k) {
        case 0:
            pivot_set(s, PIVOT_NONE);
            q[Q_INCL] = -U(s, 35.0, 50.0) * SIM_DEG;
            shift(q, -0.25, 0.0);
            q[Q_AZ] = p->ankle_height_m;
            q[Q_PITCH] = q[Q_AXIAL] = q[Q_FROLL] = q[Q_FAX] = 0.0;
            move_to(s, t0, U(s, 1.0, 1.4), q, U(s, -0.3, 0.3));
            return true;
        case 1:
            q[Q_INCL] = U(s, 30.0, 40.0) * SIM_DEG;
            shift(q, -0.2, 0.0);
            move_to(s, t0, U(s, 1.0, 1.4), q, U(s, -0.3, 0.3));
            return true;
        case 2:
            pose_standing(s, q, q);
            move_to(s, t0, U(s, 1.0, 1.4), q, U(s, -0.3, 0.3));
            sway_set(s, t0, sway_for(s, to));
            return true;
        case 3:
            move_hold(s, t0, U(s, 0.2, 0.5));
            return true;
        }
    }
    s->posture = to;
    if (to == SIM_POSTURE_STAND)
        pivot_set(s, PIVOT_MTP);
    return false;
}

/* ---- excursions: rest -> target -> hold -> back, count times ----
 * scratch: [0] count, [1] go s, [2] top s, [3] back s, [4] skew */

static void excursion(sim *s, const double delta[SIM_NQ], int count, double go, double top,
                      double back)
{
    memcpy(s->rest, move_pose(s), sizeof s->rest);
    for (int i = 0; i < SIM_NQ; i++)
        s->ready[i] = s->rest[i] + delta[i];
    s->scratch[0] = count;
    s->scratch[1] = go;
    s->scratch[2] = top;
    s->scratch[3] = back;
    s->scratch[4] = U(s, -0.4, 0.4);
    s->count = 0;
}

static bool excursion_next(sim *s, double t0)
{
    int k = s->count++;
    int rep = k / 3, ph = k % 3;
    if (rep >= (int)s->scratch[0])
        return false;
    if (ph == 0)
        move_to(s, t0, jitter(s, s->scratch[1], 0.1), s->ready, s->scratch[4]);
    else if (ph == 1)
        move_hold(s, t0, s->scratch[2]);
    else
        move_to(s, t0, jitter(s, s->scratch[3], 0.1), s->rest, -s->scratch[4]);
    return true;
}

/* Picks the next fidget for the current posture and prepares it as an excursion.
 * Returns false for a foot shuffle (handled as two plain movements). */
static bool fidget_pick(sim *s)
{
    double d[SIM_NQ] = {0};
    double u = U(s, 0.0, 1.0);
    pivot_set(s, PIVOT_NONE);
    if (s->posture == SIM_POSTURE_STAND) {
        if (u < 0.25) {
            d[Q_INCL] = U(s, -3.0, 5.0) * SIM_DEG;
            d[Q_ROLL] = U(s, -4.0, 4.0) * SIM_DEG;
            excursion(s, d, 1, U(s, 0.6, 1.5), U(s, 0.3, 2.0), U(s, 0.6, 1.5));
        } else if (u < 0.45) {
            /* a small bounce of the heels: far below any partial rep */
            pivot_set(s, PIVOT_MTP);
            d[Q_PITCH] = U(s, 3.0, 8.0) * SIM_DEG;
            excursion(s, d, 1 + (int)U(s, 0.0, 3.0), U(s, 0.25, 0.6), U(s, 0.0, 0.2),
                      U(s, 0.25, 0.6));
        } else if (u < 0.6) {
            pivot_set(s, PIVOT_HEEL);
            d[Q_PITCH] = -U(s, 8.0, 20.0) * SIM_DEG;
            excursion(s, d, 2 + (int)U(s, 0.0, 4.0), U(s, 0.15, 0.3), 0.0, U(s, 0.15, 0.3));
        } else if (u < 0.8) {
            return false;
        } else {
            /* (going up on the toes to reach a shelf is left out: it is a calf raise to
             * any pod, and distractor plans promise that nothing is to be counted) */
            d[Q_INCL] = U(s, 5.0, 15.0) * SIM_DEG;
            excursion(s, d, 1, U(s, 0.8, 1.5), U(s, 0.0, 1.0), U(s, 0.8, 1.5));
        }
    } else if (s->posture == SIM_POSTURE_CHAIR) {
        if (u < 0.35) {
            pivot_set(s, PIVOT_MTP);
            d[Q_PITCH] = U(s, 3.0, 8.0) * SIM_DEG;
            excursion(s, d, 4 + (int)U(s, 0.0, 9.0), U(s, 0.08, 0.15), 0.0, U(s, 0.08, 0.15));
        } else if (u < 0.6) {
            double di = -U(s, 20.0, 50.0);
            d[Q_INCL] = di * SIM_DEG;
            d[Q_PITCH] = 0.5 * di * SIM_DEG;
            d[Q_AX] = -0.004 * di * cos(move_pose(s)[Q_YAW]);
            d[Q_AY] = -0.004 * di * sin(move_pose(s)[Q_YAW]);
            excursion(s, d, 1, U(s, 0.6, 1.2), U(s, 0.5, 3.0), U(s, 0.6, 1.2));
        } else if (u < 0.8) {
            pivot_set(s, PIVOT_HEEL);
            d[Q_PITCH] = -U(s, 10.0, 25.0) * SIM_DEG;
            excursion(s, d, 2 + (int)U(s, 0.0, 3.0), U(s, 0.2, 0.4), 0.0, U(s, 0.2, 0.4));
        } else {
            d[Q_INCL] = U(s, -5.0, 5.0) * SIM_DEG;
            d[Q_AXIAL] = U(s, -0.17, 0.17);
            excursion(s, d, 1, U(s, 0.6, 1.2), U(s, 0.5, 2.0), U(s, 0.6, 1.2));
        }
    } else {
        if (u < 0.4) {
            d[Q_PITCH] = (U(s, 0.0, 1.0) < 0.5 ? -1.0 : 1.0) * U(s, 10.0, 25.0) * SIM_DEG;
            excursion(s, d, 1 + (int)U(s, 0.0, 3.0), U(s, 0.3, 0.7), U(s, 0.0, 0.5),
                      U(s, 0.3, 0.7));
        } else if (u < 0.7) {
            double di = U(s, 10.0, 40.0);
            d[Q_INCL] = di * SIM_DEG;
            d[Q_PITCH] = di * SIM_DEG;
            d[Q_AX] = -0.004 * di * cos(move_pose(s)[Q_YAW]);
            d[Q_AY] = -0.004 * di * sin(move_pose(s)[Q_YAW]);
            excursion(s, d, 1, U(s, 0.8, 1.5), U(s, 0.5, 3.0), U(s, 0.8, 1.5));
        } else {
            d[Q_AXIAL] = d[Q_FAX] = (U(s, 0.0, 1.0) < 0.5 ? -1.0 : 1.0) * U(s, 0.2, 0.5);
            excursion(s, d, 1, U(s, 0.5, 1.0), U(s, 0.5, 2.0), U(s, 0.5, 1.0));
        }
    }
    return true;
}

/* Foot shuffle while standing: lift, move, place (the rest pose moves). */
static void shuffle_next(sim *s, double t0, int k)
{
    double q[SIM_NQ];
    memcpy(q, move_pose(s), sizeof q);
    double h = s->person.ankle_height_m;
    if (k == 0) {
        s->scratch[0] = U(s, -0.12, 0.12);
        s->scratch[1] = U(s, -0.08, 0.08);
        s->scratch[2] = U(s, -0.3, 0.3);
        shift(q, 0.5 * s->scratch[0], 0.5 * s->scratch[1]);
        q[Q_YAW] += 0.5 * s->scratch[2];
        q[Q_AZ] = h + U(s, 0.02, 0.05);
    } else {
        shift(q, 0.5 * s->scratch[0], 0.5 * s->scratch[1]);
        q[Q_YAW] += 0.5 * s->scratch[2];
        q[Q_AZ] = h;
    }
    move_to(s, t0, U(s, 0.25, 0.45), q, U(s, -0.3, 0.3));
}

/* stage values for multi-part steps */
enum { ST_POSTURE = 0, ST_MAIN, ST_MAIN2, ST_MAIN3, ST_END, ST_DONE };

bool step_next(sim *s, double t0)
{
    const sim_step *st = &s->plan[s->step];
    double dur = st->duration_s > 0.0f ? st->duration_s : 0.0;
    switch (st->kind) {
    case SIM_STEP_STAND_STILL:
    case SIM_STEP_REST:
        if (s->stage++ > 0)
            return false;
        sway_set(s, t0, sway_for(s, s->posture) * (st->kind == SIM_STEP_STAND_STILL ? 0.5 : 1.0));
        move_hold(s, t0, dur);
        return true;

    case SIM_STEP_CALIBRATE:
        for (;;) {
            if (s->stage == 0) {
                s->stage = 1;
                sway_set(s, t0, 0.4 * sway_for(s, s->posture));
                move_hold(s, t0, dur > 0.0 ? fmax(1.5, 0.4 * dur) : U(s, 2.0, 3.0));
                return true;
            }
            if (s->stage == 1) {
                double d[SIM_NQ] = {0};
                if (st->cal == SIM_CAL_KNEE_SWAY) {
                    d[Q_INCL] = U(s, 10.0, 15.0) * SIM_DEG;
                    if (s->posture == SIM_POSTURE_FLOOR)
                        d[Q_INCL] *= 2.0, d[Q_PITCH] = d[Q_INCL];
                } else if (s->posture == SIM_POSTURE_FLOOR) {
                    d[Q_PITCH] = -U(s, 10.0, 15.0) * SIM_DEG;
                } else {
                    pivot_set(s, PIVOT_HEEL);
                    d[Q_PITCH] = -U(s, 10.0, 15.0) * SIM_DEG;
                }
                excursion(s, d, 2, U(s, 1.2, 2.0), U(s, 0.2, 0.6), U(s, 1.2, 2.0));
                s->stage = 2;
            }
            if (s->stage == 2) {
                if (excursion_next(s, t0))
                    return true;
                s->stage = 3;
                if (s->posture != SIM_POSTURE_FLOOR)
                    pivot_set(s, s->posture == SIM_POSTURE_STAND ? PIVOT_MTP : PIVOT_NONE);
                move_hold(s, t0, 1.0);
                return true;
            }
            return false;
        }

    case SIM_STEP_WALK:
        if (s->stage == ST_POSTURE) {
            if (posture_next(s, t0, SIM_POSTURE_STAND, s->sub++))
                return true;
            s->stage = ST_MAIN;
        }
        if (s->stage == ST_MAIN) {
            s->stage = ST_MAIN2;
            s->sub = 0;
            pivot_set(s, PIVOT_NONE);
            if (st->distance_m > 0.0f) {
                move_walk(s, t0, st->distance_m);
                return true;
            }
        }
        if (s->stage == ST_MAIN2 && st->turn_deg != 0.0f && s->sub < 2) {
            double q[SIM_NQ];
            memcpy(q, move_pose(s), sizeof q);
            q[Q_YAW] += 0.5 * st->turn_deg * SIM_DEG;
            q[Q_AZ] = s->person.ankle_height_m + (s->sub == 0 ? U(s, 0.01, 0.03) : 0.0);
            move_to(s, t0, 0.4 + fabs(st->turn_deg) / 360.0, q, 0.0);
            s->sub++;
            return true;
        }
        if (s->stage == ST_MAIN2) {
            s->stage = ST_DONE;
            pivot_set(s, PIVOT_MTP);
            move_hold(s, t0, U(s, 0.2, 0.6));
            return true;
        }
        return false;

    case SIM_STEP_SIT_DOWN:
        return posture_next(s, t0,
                            st->posture == SIM_POSTURE_STAND ? SIM_POSTURE_CHAIR : st->posture,
                            s->sub++);

    case SIM_STEP_STAND_UP:
        return posture_next(s, t0, SIM_POSTURE_STAND, s->sub++);

    case SIM_STEP_FIDGET:
        if (s->stage == 0) {
            s->until_s = t0 + dur;
            s->stage = 1;
        }
        for (;;) {
            if (s->stage == 1) { /* choose */
                if (t0 >= s->until_s) {
                    pivot_set(s, s->posture == SIM_POSTURE_STAND ? PIVOT_MTP : PIVOT_NONE);
                    return false;
                }
                s->stage = fidget_pick(s) ? 2 : 3;
                s->sub = 0;
            }
            if (s->stage == 2) {
                if (excursion_next(s, t0))
                    return true;
                s->stage = 4;
            }
            if (s->stage == 3) {
                if (s->sub < 2) {
                    shuffle_next(s, t0, s->sub++);
                    return true;
                }
                s->stage = 4;
            }
            if (s->stage == 4) { /* a breath between fidgets */
                s->stage = 1;
                pivot_set(s, PIVOT_NONE);
                move_hold(s, t0, U(s, 0.2, 1.5));
                return true;
            }
        }

    case SIM_STEP_STRAP_ADJUST:
        switch (s->stage++) {
        case 0: {
            memcpy(s->rest, move_pose(s), sizeof s->rest);
            double q[SIM_NQ];
            memcpy(q, s->rest, sizeof q);
            q[Q_INCL] += U(s, 2.0, 6.0) * SIM_DEG;
            move_to(s, t0, U(s, 0.6, 1.0), q, 0.0);
            return true;
        }
        case 1:
        case 2: {
            /* the pod is turned in two tugs: 40 % then 60 % of the whole rotation */
            sim_rng *r = &s->rng_strap;
            if (s->stage == 2) {
                double delta = st->strap_delta_deg;
                if (delta == 0.0)
                    delta = (rng_unit(r) < 0.5 ? -1.0 : 1.0) * rng_range(r, 20.0, 180.0);
                s->scratch[5] = delta;
            }
            double tilt = s->sensor.tilt_deg * SIM_DEG;
            double part = s->stage == 2 ? 0.4 : 0.6;
            double turn = U(s, 1.0, 2.0);
            strap_set(s, t0 + 0.2, turn, s->strap_to[0] + part * s->scratch[5] * SIM_DEG,
                      rng_range(r, -tilt, tilt), rng_range(r, -tilt, tilt));
            move_hold(s, t0, turn + 0.2 + U(s, 0.1, 0.5));
            return true;
        }
        case 3:
            move_to(s, t0, U(s, 0.6, 1.0), s->rest, 0.0);
            return true;
        }
        return false;

    case SIM_STEP_EXERCISE:
        return ex_next(s, t0);

    case SIM_STEP_KIND_COUNT:
        break;
    }
    return false;
}
