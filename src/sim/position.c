/*
 * position.c - getting into and out of position for each exercise: stepping into the
 * lunge, walking the feet back into downward dog, looping the band round the foot,
 * leaning on the wall for raises, and settling before the first rep (which is when a
 * hurried person already starts it).
 */
#include "simint.h"

#include <math.h>
#include <string.h>

static double U(sim *s, double lo, double hi)
{
    return rng_range(&s->rng_motion, lo, hi);
}

static void shift(double q[SIM_NQ], double fwd)
{
    q[Q_AX] += fwd * cos(q[Q_YAW]);
    q[Q_AY] += fwd * sin(q[Q_YAW]);
}

sim_posture ex_posture(ct_exercise e)
{
    return e == EX_BAND_STRETCH ? SIM_POSTURE_FLOOR : SIM_POSTURE_STAND;
}

bool ex_entry_next(sim *s, double t0, int k)
{
    double q[SIM_NQ];
    memcpy(q, move_pose(s), sizeof q);
    double h = s->person.ankle_height_m, hk = s->person.height_m / 1.72;
    switch (s->set.exercise) {
    case EX_LUNGE_STRETCH:
        if (k == 0) {
            s->gain[3] = U(s, 0.0, 1.0) < 0.7 ? -1.0 : 1.0; /* step back (or forward) */
            s->gain[4] = U(s, 0.5, 0.8) * hk;
            s->gain[5] = U(s, 0.0, 0.25); /* foot turned out */
            pivot_set(s, PIVOT_NONE);
            shift(q, 0.5 * s->gain[3] * s->gain[4]);
            q[Q_AZ] = h + U(s, 0.03, 0.06);
            q[Q_YAW] += 0.5 * s->gain[5] * -s->side_sign;
        } else if (k == 1) {
            shift(q, 0.5 * s->gain[3] * s->gain[4]);
            q[Q_AZ] = h;
            q[Q_YAW] += 0.5 * s->gain[5] * -s->side_sign;
        } else {
            return false;
        }
        move_to(s, t0, U(s, 0.3, 0.5), q, U(s, -0.3, 0.3));
        return true;
    case EX_DOWNWARD_DOG:
        if (k == 0) {
            q[Q_INCL] = U(s, 15.0, 25.0) * SIM_DEG;
            move_to(s, t0, U(s, 1.0, 1.5), q, 0.0);
        } else if (k == 1 || k == 2) {
            if (k == 1) {
                s->gain[4] = U(s, 0.4, 0.7) * hk;
                pivot_set(s, PIVOT_NONE);
            }
            shift(q, -0.5 * s->gain[4]);
            q[Q_AZ] = h + (k == 1 ? U(s, 0.03, 0.06) : 0.0);
            move_to(s, t0, U(s, 0.3, 0.5), q, 0.0);
        } else {
            pivot_set(s, PIVOT_MTP);
            return false;
        }
        return true;
    case EX_BAND_STRETCH:
        if (k == 0) {
            memcpy(s->rest, q, sizeof s->rest);
            double up = U(s, 20.0, 35.0) * SIM_DEG;
            q[Q_INCL] += up;
            q[Q_PITCH] += up;
            shift(q, -0.1);
            move_to(s, t0, U(s, 0.8, 1.2), q, 0.0);
        } else if (k == 1) {
            move_hold(s, t0, U(s, 1.5, 3.0)); /* the band goes round the foot */
        } else if (k == 2) {
            move_to(s, t0, U(s, 0.8, 1.2), s->rest, 0.0);
        } else {
            return false;
        }
        return true;
    default:
        return false;
    }
}

void ex_settle(sim *s, double t0)
{
    double q[SIM_NQ];
    memcpy(q, move_pose(s), sizeof q);
    double dur = U(s, 0.8, 2.0);
    switch (s->set.exercise) {
    case EX_LUNGE_STRETCH:
        q[Q_INCL] = U(s, 5.0, 12.0) * SIM_DEG;
        break;
    case EX_DOWNWARD_DOG:
        q[Q_INCL] = U(s, 18.0, 28.0) * SIM_DEG;
        q[Q_PITCH] = U(s, 10.0, 25.0) * SIM_DEG;
        break;
    case EX_BAND_STRETCH:
        q[Q_PITCH] -= U(s, 0.0, 5.0) * SIM_DEG;
        break;
    default: /* raises: lean toward the wall; single leg: weight over the pod leg */
        q[Q_INCL] += U(s, 1.0, 4.0) * SIM_DEG;
        if (s->set.single_leg)
            q[Q_ROLL] += U(s, 1.0, 3.0) * SIM_DEG;
        break;
    }
    memcpy(s->ready, q, sizeof s->ready);
    move_to(s, t0, dur, q, U(s, -0.3, 0.3));
    double sw = s->person.sway_deg * (ex_posture(s->set.exercise) == SIM_POSTURE_STAND ? 1.0 : 0.3);
    sway_set(s, t0, sw * (s->set.single_leg ? 1.6 : 1.0));
    s->rep_wait = true;
    s->rep_start_s = s->early ? t0 + U(s, 0.2, 0.6) * dur : t0 + dur + U(s, 0.5, 2.0);
}

bool ex_exit_next(sim *s, double t0, int k)
{
    double q[SIM_NQ];
    memcpy(q, move_pose(s), sizeof q);
    double h = s->person.ankle_height_m;
    switch (s->set.exercise) {
    case EX_LUNGE_STRETCH:
        if (k == 0) {
            q[Q_INCL] = s->person.stance_incl_deg * SIM_DEG;
            q[Q_ROLL] = q[Q_SYAW] = q[Q_AXIAL] = 0.0;
            move_to(s, t0, U(s, 0.8, 1.2), q, 0.0);
        } else if (k == 1 || k == 2) {
            if (k == 1)
                pivot_set(s, PIVOT_NONE);
            shift(q, -0.5 * s->gain[3] * s->gain[4]);
            q[Q_AZ] = h + (k == 1 ? U(s, 0.03, 0.06) : 0.0);
            q[Q_YAW] -= 0.5 * s->gain[5] * -s->side_sign;
            move_to(s, t0, U(s, 0.3, 0.5), q, 0.0);
        } else {
            pivot_set(s, PIVOT_MTP);
            return false;
        }
        return true;
    case EX_DOWNWARD_DOG:
        if (k == 0) {
            q[Q_PITCH] = 0.0;
            move_to(s, t0, U(s, 0.6, 1.0), q, 0.0);
        } else if (k == 1 || k == 2) {
            if (k == 1)
                pivot_set(s, PIVOT_NONE);
            shift(q, 0.5 * s->gain[4]);
            q[Q_AZ] = h + (k == 1 ? U(s, 0.03, 0.06) : 0.0);
            move_to(s, t0, U(s, 0.3, 0.5), q, 0.0);
        } else if (k == 3) {
            pivot_set(s, PIVOT_MTP);
            pose_standing(s, q, q);
            move_to(s, t0, U(s, 1.2, 1.8), q, 0.0);
        } else {
            return false;
        }
        return true;
    case EX_BAND_STRETCH:
        if (k == 0) {
            double up = U(s, 20.0, 35.0) * SIM_DEG;
            memcpy(q, s->rest, sizeof q);
            q[Q_INCL] += up;
            q[Q_PITCH] += up;
            shift(q, -0.1);
            move_to(s, t0, U(s, 0.8, 1.2), q, 0.0);
        } else if (k == 1) {
            move_hold(s, t0, U(s, 1.0, 2.0));
        } else if (k == 2) {
            move_to(s, t0, U(s, 0.8, 1.2), s->rest, 0.0);
        } else {
            return false;
        }
        return true;
    default:
        if (k == 0) {
            pose_standing(s, q, q);
            move_to(s, t0, U(s, 0.8, 1.5), q, 0.0);
            return true;
        }
        return false;
    }
}
