/*
 * plan.c - prescriptions and whole plans for the simulated patient: typical clinical
 * sets, random sessions around one exercise with distractors between the sets, and
 * distractor-only plans in which nothing may be counted.
 */
#include "simint.h"

#include <string.h>

void sim_set_default(sim_set *set, ct_exercise ex)
{
    memset(set, 0, sizeof *set);
    set->exercise = ex;
    set->set = 1;
    set->p_partial = set->p_abandon = set->p_pause = set->p_early_start = -1.0f;
    switch (ex) {
    case EX_CALF_RAISE:
        set->count = 15;
        set->hold_s = 1.0f;
        set->up_s = 1.5f;
        set->down_s = 2.0f;
        set->between_s = 0.5f;
        break;
    case EX_ISOMETRIC_RAISE:
        set->count = 3;
        set->hold_s = 30.0f;
        set->up_s = 1.5f;
        set->down_s = 1.5f;
        set->between_s = 10.0f;
        break;
    case EX_LUNGE_STRETCH:
        set->count = 3;
        set->hold_s = 30.0f;
        set->target = 30.0f;
        set->up_s = 2.0f;
        set->down_s = 2.0f;
        set->between_s = 8.0f;
        break;
    case EX_BAND_STRETCH:
        set->count = 3;
        set->hold_s = 30.0f;
        set->target = 10.0f;
        set->up_s = 2.0f;
        set->down_s = 2.0f;
        set->between_s = 8.0f;
        break;
    case EX_DOWNWARD_DOG:
        set->count = 2;
        set->hold_s = 30.0f;
        set->target = 25.0f;
        set->up_s = 2.0f;
        set->down_s = 2.0f;
        set->between_s = 8.0f;
        break;
    default:
        set->count = 1;
        break;
    }
}

ct_placement sim_placement_for(ct_exercise ex)
{
    return ex == EX_BAND_STRETCH ? PLACE_FOOT : PLACE_SHIN;
}

static size_t put(sim_step *plan, size_t cap, size_t n, sim_step st)
{
    if (n < cap)
        plan[n] = st;
    return n + 1;
}

static sim_step timed(sim_step_kind k, double s)
{
    return (sim_step){.kind = k, .duration_s = (float)s};
}

/* One distractor fitting the posture; updates *posture. */
static sim_step distractor(sim_rng *r, sim_posture *posture)
{
    double u = rng_unit(r);
    if (*posture == SIM_POSTURE_STAND) {
        if (u < 0.3)
            return (sim_step){.kind = SIM_STEP_WALK, .distance_m = (float)rng_range(r, 2.0, 10.0),
                              .turn_deg = (float)rng_range(r, -180.0, 180.0)};
        if (u < 0.45) {
            *posture = rng_unit(r) < 0.6 ? SIM_POSTURE_CHAIR : SIM_POSTURE_FLOOR;
            return (sim_step){.kind = SIM_STEP_SIT_DOWN, .posture = *posture};
        }
        if (u < 0.7)
            return timed(SIM_STEP_FIDGET, rng_range(r, 4.0, 20.0));
        if (u < 0.8)
            return (sim_step){.kind = SIM_STEP_STRAP_ADJUST};
        if (u < 0.9)
            return timed(SIM_STEP_STAND_STILL, rng_range(r, 2.0, 10.0));
        return timed(SIM_STEP_REST, rng_range(r, 3.0, 15.0));
    }
    if (u < 0.3) {
        *posture = SIM_POSTURE_STAND;
        return (sim_step){.kind = SIM_STEP_STAND_UP};
    }
    if (u < 0.65)
        return timed(SIM_STEP_FIDGET, rng_range(r, 4.0, 20.0));
    if (u < 0.75)
        return (sim_step){.kind = SIM_STEP_STRAP_ADJUST};
    return timed(SIM_STEP_REST, rng_range(r, 3.0, 15.0));
}

static void random_set(sim_rng *r, ct_exercise ex, int set_no, sim_set *set)
{
    sim_set_default(set, ex);
    set->set = set_no;
    switch (ex) {
    case EX_CALF_RAISE:
        set->single_leg = rng_unit(r) < 0.3;
        set->count = 6 + (int)rng_range(r, 0.0, 15.0);
        set->hold_s = (float)rng_range(r, 0.0, 2.0);
        set->up_s = (float)rng_range(r, 0.8, 2.0);
        set->down_s = (float)rng_range(r, 1.0, 3.0);
        set->between_s = (float)rng_range(r, 0.0, 1.5);
        if (rng_unit(r) < 0.3) {
            set->target = (float)rng_range(r, 5.0, 9.0);
            set->target_cm = true;
        }
        break;
    case EX_ISOMETRIC_RAISE:
        set->count = 2 + (int)rng_range(r, 0.0, 3.0);
        set->hold_s = (float)rng_range(r, 10.0, 30.0);
        set->between_s = (float)rng_range(r, 5.0, 15.0);
        break;
    default:
        set->count = 2 + (int)rng_range(r, 0.0, 3.0);
        set->hold_s = (float)rng_range(r, 15.0, 40.0);
        set->up_s = (float)rng_range(r, 1.0, 3.0);
        set->down_s = (float)rng_range(r, 1.0, 3.0);
        set->between_s = (float)rng_range(r, 3.0, 12.0);
        set->target = (float)(ex == EX_BAND_STRETCH   ? rng_range(r, 5.0, 18.0)
                              : ex == EX_DOWNWARD_DOG ? rng_range(r, 18.0, 30.0)
                                                      : rng_range(r, 25.0, 40.0));
        break;
    }
}

size_t sim_plan_random(sim_step *plan, size_t cap, ct_exercise ex, int sets, uint64_t seed)
{
    sim_rng r;
    rng_seed(&r, seed, 0x504Cu);
    size_t n = 0;
    sim_posture posture = SIM_POSTURE_STAND;
    n = put(plan, cap, n, timed(SIM_STEP_STAND_STILL, rng_range(&r, 2.0, 5.0)));
    sim_step cal = timed(SIM_STEP_CALIBRATE, rng_range(&r, 4.0, 8.0));
    /* a knee sway turns the shank but not a planted foot: the foot needs an ankle pump */
    cal.cal = rng_unit(&r) < 0.7 && sim_placement_for(ex) == PLACE_SHIN ? SIM_CAL_KNEE_SWAY
                                                                        : SIM_CAL_ANKLE_PUMP;
    n = put(plan, cap, n, cal);
    for (int i = 1; i <= sets; i++) {
        int nd = 1 + (int)rng_range(&r, 0.0, 3.0);
        for (int k = 0; k < nd; k++)
            n = put(plan, cap, n, distractor(&r, &posture));
        if (ex == EX_BAND_STRETCH) {
            if (posture == SIM_POSTURE_CHAIR)
                n = put(plan, cap, n, (sim_step){.kind = SIM_STEP_STAND_UP});
            if (posture != SIM_POSTURE_FLOOR)
                n = put(plan, cap, n, (sim_step){.kind = SIM_STEP_SIT_DOWN,
                                                 .posture = SIM_POSTURE_FLOOR});
            posture = SIM_POSTURE_FLOOR;
        } else {
            if (posture != SIM_POSTURE_STAND)
                n = put(plan, cap, n, (sim_step){.kind = SIM_STEP_STAND_UP});
            posture = SIM_POSTURE_STAND;
            n = put(plan, cap, n, (sim_step){.kind = SIM_STEP_WALK,
                                             .distance_m = (float)rng_range(&r, 1.5, 5.0)});
        }
        sim_step st = {.kind = SIM_STEP_EXERCISE};
        random_set(&r, ex, i, &st.set);
        n = put(plan, cap, n, st);
        n = put(plan, cap, n, timed(SIM_STEP_REST, rng_range(&r, 3.0, 10.0)));
    }
    n = put(plan, cap, n, distractor(&r, &posture));
    return n < cap ? n : cap;
}

size_t sim_plan_distractors(sim_step *plan, size_t cap, float duration_s, uint64_t seed)
{
    sim_rng r;
    rng_seed(&r, seed, 0x4453u);
    size_t n = 0;
    sim_posture posture = SIM_POSTURE_STAND;
    double t = 0.0;
    while (t < duration_s && n < cap) {
        sim_step st = distractor(&r, &posture);
        n = put(plan, cap, n, st);
        /* rough durations, only to know when to stop */
        t += st.kind == SIM_STEP_WALK ? st.distance_m / 1.1 + 2.0
             : st.duration_s > 0.0f   ? st.duration_s
                                      : 4.0;
    }
    return n < cap ? n : cap;
}
