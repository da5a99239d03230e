/* test_detect.c - the excursion detector on synthetic measures: counts, numbers,
 * getting into position, bouncing, fidgets, no counter lag. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "calftrack/analysis/detect.h"
#include "calftrack/vec.h"

#define RATE 100.0f
#define DT (1.0f / RATE)

typedef struct {
    ct_detect d;
    double t;
    float x;
    ct_excursion ex[16];
    int n;
    int64_t t_emit[16];
} rig;

static void rig_init(rig *r, float engage, float target, float min_s)
{
    ct_detect_settings c = {.engage = engage, .low = 0.5f * engage, .target = target,
                            .has_target = target > 0.0f, .min_s = min_s, .quiet_rate = 3.0f};
    *r = (rig){0};
    detect_init(&r->d, &c);
}

/* A hold detector as the stretches use it: a 4 deg engage level, hold phases timed,
 * 1 s back near the start to end a hold, turns of 0.5 s at least (min_s: shortest hold). */
static void rig_holds(rig *r, float min_s)
{
    rig_init(r, 4.0f, 0.0f, min_s);
    r->d.cfg.hold_phases = true;
    r->d.cfg.end_s = 1.0f;
    r->d.cfg.min_turn_s = 0.5f;
}

/* A hold detector as the downward dog uses it: a 1.5 deg engage level, at rest below
 * 1 deg/s, hold phases timed, 1 s back near the start to end a hold, a pause between
 * holds of 2.5 s, no start position below 10 deg (the pose not taken yet), the rest
 * level following the pose over 2 s (a swing of the sway) */
static void rig_dog(rig *r, float min_s)
{
    rig_init(r, 1.5f, 0.0f, min_s);
    r->d.cfg.quiet_rate = 1.0f;
    r->d.cfg.hold_phases = true;
    r->d.cfg.end_s = 1.0f;
    r->d.cfg.gap_s = 2.5f;
    r->d.cfg.rest_min = 10.0f;
    r->d.cfg.has_rest_min = true;
    r->d.cfg.rest_tau_s = 2.0f;
}

/* move from the current level to `to` over dur_s (cosine), optional bounce */
static void go(rig *r, float to, float dur_s, float bounce, float bounce_hz)
{
    float from = r->x;
    int n = (int)lroundf(dur_s * RATE);
    for (int i = 0; i < n; i++) {
        float u = (float)(i + 1) / (float)n;
        r->x = from + (to - from) * (0.5f - 0.5f * cosf(CT_PI_F * u));
        float x = r->x + bounce * sinf(2.0f * CT_PI_F * bounce_hz * (float)r->t);
        int64_t t_us = (int64_t)llround(r->t * 1e6);
        if (detect_update(&r->d, x, t_us, DT, false, true, true, &r->ex[r->n]) && r->n < 16) {
            r->t_emit[r->n++] = t_us;
            detect_told(&r->d);
        }
        r->t += DT;
    }
}

/* n swings of sway about `mid` (held there): down by amp, up by amp, back to mid, each
 * swing period_s long (a quarter down, a half across, a quarter back) */
static void sway(rig *r, float mid, float amp, float period_s, int n)
{
    for (int k = 0; k < n; k++) {
        go(r, mid - amp, 0.25f * period_s, 0, 0);
        go(r, mid + amp, 0.5f * period_s, 0, 0);
        go(r, mid, 0.25f * period_s, 0, 0);
    }
}

static void hold(rig *r, float dur_s) { go(r, r->x, dur_s, 0.0f, 0.0f); }

static void stretch_holds_with_position_and_rest(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, 4.0f, 30.0f, 5.0f);
    hold(&r, 2.0f);          /* standing */
    go(&r, 10.0f, 1.5f, 0, 0); /* into the lunge stance */
    hold(&r, 1.5f);
    for (int k = 0; k < 3; k++) {
        go(&r, 33.0f, 2.0f, 0, 0);
        hold(&r, 20.0f);
        go(&r, 10.0f, 2.0f, 0, 0);
        hold(&r, 5.0f);
        assert_int_equal(r.n, k + 1); /* reported once back at rest, not later */
    }
    for (int k = 0; k < 3; k++) {
        assert_true(fabsf(r.ex[k].peak - 33.0f) < 0.01f);
        /* the hold: 20 s at the top; the smooth way in and out add about 0.1 s */
        assert_true(fabsf(r.ex[k].top_s - 20.0f) < 0.4f);
        assert_true(fabsf(r.ex[k].up_s - 2.0f) < 0.4f);
        /* time at or above 30 deg: 20 s plus the ends of the ramps above 30 */
        assert_true(r.ex[k].above_s > 20.0f && r.ex[k].above_s < 21.5f);
    }
    assert_true(fabsf(r.ex[1].base - 10.0f) < 0.5f);
}

/* minimum-jerk move to `to` over dur_s, its peak speed moved earlier (skew > 0) or
 * later (< 0): progress 10w^3 - 15w^4 + 6w^5 of w = u + skew u (1 - u) */
static void go_mj(rig *r, float to, float dur_s, float skew)
{
    float from = r->x;
    int n = (int)lroundf(dur_s * RATE);
    for (int i = 0; i < n; i++) {
        float u = (float)(i + 1) / (float)n, w = u + skew * u * (1.0f - u);
        r->x = from + (to - from) * w * w * w * (10.0f + w * (-15.0f + 6.0f * w));
        int64_t t_us = (int64_t)llround(r->t * 1e6);
        if (detect_update(&r->d, r->x, t_us, DT, false, true, true, &r->ex[r->n]) && r->n < 16)
            r->t_emit[r->n++] = t_us;
        r->t += DT;
    }
}

/* Hold timing: the way up from the ready position (not from standing, which the
 * excursion started from), its asymmetry read from the 50% crossing, the hold from the
 * level first held (it sags 2 deg). */
static void hold_phases_from_the_last_movement(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, 4.0f, 0.0f, 1.5f);
    r.d.cfg.hold_phases = true;
    r.d.cfg.end_s = 1.0f;
    hold(&r, 2.0f);               /* standing */
    go_mj(&r, 9.0f, 1.2f, 0.0f);  /* stepping into the lunge */
    hold(&r, 1.0f);
    go_mj(&r, 30.0f, 2.5f, 0.3f); /* into the stretch, peak speed early */
    go_mj(&r, 28.0f, 20.0f, 0.0f); /* the hold, sagging */
    go_mj(&r, 9.0f, 2.0f, -0.3f);  /* out, peak speed late */
    hold(&r, 0.8f);
    go_mj(&r, 0.0f, 1.0f, 0.0f);  /* stepping out */
    hold(&r, 3.0f);
    assert_int_equal(r.n, 1);
    assert_true(fabsf(r.ex[0].top_s - 20.0f) < 0.05f);
    assert_true(fabsf(r.ex[0].up_s - 2.5f) < 0.1f);
    assert_true(fabsf(r.ex[0].down_s - 2.0f) < 0.1f);
}

/* The hold begins where its way up began, not where stepping into the lunge first
 * rose past standing (2 s in): its way up ends 2.5 s later. */
static void hold_starts_with_its_way_up(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, 4.0f, 0.0f, 1.5f);
    r.d.cfg.hold_phases = true;
    r.d.cfg.end_s = 1.0f;
    hold(&r, 2.0f);               /* standing */
    go_mj(&r, 9.0f, 1.2f, 0.0f);  /* stepping into the lunge */
    hold(&r, 3.0f);               /* at the lunge stance */
    go_mj(&r, 30.0f, 2.5f, 0.0f); /* into the stretch (6.2 s into the recording) */
    hold(&r, 20.0f);
    go_mj(&r, 9.0f, 2.0f, 0.0f);  /* out */
    hold(&r, 0.8f);
    go_mj(&r, 0.0f, 1.0f, 0.0f);  /* stepping out */
    hold(&r, 3.0f);
    assert_int_equal(r.n, 1);
    float t0 = (float)r.ex[0].t_start_us * 1e-6f;
    assert_true(fabsf(t0 - 6.2f) < 0.1f);
    assert_true(fabsf(t0 + r.ex[0].up_s - 8.7f) < 0.15f);
}

/* A slow way into the stretch from the lunge stance: its start is as quiet as the stance
 * (under `quiet_rate` for most of a second), so the stance's level is the mean over the
 * still time before the way up (and after the way out), not the level where the
 * movement's rate rose or fell past `quiet_rate`. */
static void hold_phases_slow_way_up_from_a_step(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, 4.0f, 0.0f, 1.5f);
    r.d.cfg.hold_phases = true;
    r.d.cfg.end_s = 1.0f;
    hold(&r, 2.0f);               /* standing */
    go_mj(&r, 9.0f, 1.2f, 0.0f);  /* stepping into the lunge */
    hold(&r, 1.5f);
    go_mj(&r, 21.0f, 6.0f, 0.0f); /* slowly into the stretch: 3.75 deg/s at most */
    hold(&r, 20.0f);
    go_mj(&r, 9.0f, 6.0f, 0.0f);  /* slowly out */
    hold(&r, 1.5f);
    go_mj(&r, 0.0f, 1.0f, 0.0f);  /* stepping out */
    hold(&r, 3.0f);
    assert_int_equal(r.n, 1);
    assert_true(fabsf(r.ex[0].top_s - 20.0f) < 0.15f);
    assert_true(fabsf(r.ex[0].up_s - 6.0f) < 0.2f);
    /* (the way out's slow end is as quiet as the stance after it: read a little short) */
    assert_true(r.ex[0].down_s > 5.0f && r.ex[0].down_s < 6.2f);
}

/* A long lunge stance: the still step is more than half way up from standing, and held
 * a while (not a hesitation on the way in): the way up is timed from it. */
static void hold_phases_from_a_high_stance(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, 4.0f, 0.0f, 1.5f);
    r.d.cfg.hold_phases = true;
    r.d.cfg.end_s = 1.0f;
    hold(&r, 2.0f);               /* standing */
    go_mj(&r, 12.0f, 1.2f, 0.0f); /* stepping into a long lunge stance */
    hold(&r, 2.0f);
    go_mj(&r, 20.0f, 1.5f, 0.0f); /* into the stretch */
    hold(&r, 20.0f);
    go_mj(&r, 12.0f, 1.5f, 0.0f);
    hold(&r, 1.5f);
    go_mj(&r, 0.0f, 1.0f, 0.0f);  /* stepping out */
    hold(&r, 3.0f);
    assert_int_equal(r.n, 1);
    assert_true(fabsf(r.ex[0].up_s - 1.5f) < 0.15f);
    assert_true(fabsf(r.ex[0].top_s - 20.0f) < 0.1f);
    assert_true(fabsf(r.ex[0].down_s - 1.5f) < 0.15f);
}

/* A hold a few degrees deep that sways (the downward dog's heel press: 3 deg, swaying
 * 0.6 deg either side every 5 s): 10% from the level held is within the sway, and the
 * way up would end wherever the sway first reached it; its ends are timed from
 * crossings `engage` in, and the level held is read over a swing. */
static void shallow_hold_timed_clear_of_the_sway(void **state)
{
    (void)state;
    rig r;
    rig_dog(&r, 1.5f);
    hold(&r, 2.0f);               /* standing */
    go_mj(&r, 20.0f, 3.0f, 0.0f); /* into the pose */
    hold(&r, 4.0f);
    go_mj(&r, 23.0f, 1.5f, 0.0f); /* the heels pressed down */
    for (int k = 0; k < 4; k++) { /* 20 s held, swaying */
        go_mj(&r, 22.4f, 1.25f, 0.0f);
        go_mj(&r, 23.0f, 1.25f, 0.0f);
        go_mj(&r, 23.6f, 1.25f, 0.0f);
        go_mj(&r, 23.0f, 1.25f, 0.0f);
    }
    go_mj(&r, 20.0f, 1.5f, 0.0f); /* back to the pose */
    hold(&r, 4.0f);
    assert_int_equal(r.n, 1);
    /* (1 s short timed from crossings 10% in; 0.2 s short with the level held read over
     * 1.5 s, less than a swing) */
    assert_true(fabsf(r.ex[0].top_s - 20.0f) < 0.15f);
    assert_true(fabsf(r.ex[0].up_s - 1.5f) < 0.25f);
    assert_true(fabsf(r.ex[0].down_s - 1.5f) < 0.25f);
}

/* A press shallower than twice `engage` (2.8 deg): the excursion's trace begins where
 * the measure rose past the pose by `low`, above the crossing `engage` in; the way up
 * is timed from a crossing inside the trace. */
static void shallow_hold_timed_inside_the_trace(void **state)
{
    (void)state;
    rig r;
    rig_dog(&r, 1.5f);
    hold(&r, 2.0f);               /* standing */
    go_mj(&r, 20.0f, 3.0f, 0.0f); /* into the pose */
    hold(&r, 4.0f);
    go_mj(&r, 22.8f, 2.0f, 0.3f); /* the heels pressed down, quickly at first */
    hold(&r, 20.0f);
    go_mj(&r, 20.0f, 1.5f, 0.0f); /* back to the pose */
    hold(&r, 4.0f);
    assert_int_equal(r.n, 1);
    /* (timed from where the trace began: up 1.65 s, hold 20.16 s) */
    assert_true(fabsf(r.ex[0].up_s - 2.0f) < 0.25f);
    assert_true(fabsf(r.ex[0].top_s - 20.0f) < 0.1f);
}

/* An attempt given up (up from the lunge stance and straight back) and the real hold
 * soon after are two excursions, though the excursion began when stepping into the
 * lunge; easing off by 4 deg for 1.5 s in the hold does not split it. */
static void attempt_turned_back_is_its_own(void **state)
{
    (void)state;
    rig r;
    rig_holds(&r, 1.5f);
    hold(&r, 2.0f);               /* standing */
    go_mj(&r, 6.0f, 1.0f, 0.0f);  /* stepping into the lunge: 6 deg, above `engage` */
    hold(&r, 2.0f);
    go_mj(&r, 14.0f, 0.8f, 0.0f); /* the attempt, given up */
    go_mj(&r, 6.0f, 0.7f, 0.0f);
    hold(&r, 1.5f);
    assert_int_equal(r.n, 1);     /* told once resting where it began */
    hold(&r, 2.5f);
    go_mj(&r, 30.0f, 2.0f, 0.0f); /* the hold */
    hold(&r, 8.0f);
    go_mj(&r, 26.0f, 0.8f, 0.0f); /* easing off for a moment */
    hold(&r, 1.5f);
    go_mj(&r, 30.0f, 0.8f, 0.0f);
    hold(&r, 8.0f);
    go_mj(&r, 6.0f, 2.0f, 0.0f);
    hold(&r, 3.0f);
    assert_int_equal(r.n, 2);
    assert_true(r.ex[0].turned);
    assert_true(fabsf(r.ex[0].peak - 14.0f) < 0.01f);
    assert_true(fabsf(r.ex[0].base - 6.0f) < 0.3f);
    assert_true(r.ex[0].top_s < 0.3f);
    assert_false(r.ex[1].turned);
    assert_true(fabsf(r.ex[1].base - 6.0f) < 0.3f);
    /* 8 + 0.8 + 1.5 + 0.8 + 8 s at the top */
    assert_true(fabsf(r.ex[1].top_s - 19.1f) < 0.2f);
}

/* An attempt given up may stand still for a moment where it turns (a slow movement's
 * rate passes through zero slowly): still turned back, told on its own. */
static void attempt_pausing_where_it_turns(void **state)
{
    (void)state;
    rig r;
    rig_holds(&r, 1.5f);
    hold(&r, 2.0f);               /* standing */
    go_mj(&r, 6.0f, 1.0f, 0.0f);  /* stepping into the lunge */
    hold(&r, 2.0f);
    go_mj(&r, 14.0f, 0.8f, 0.0f); /* the attempt, still for 0.6 s where it turns */
    hold(&r, 0.6f);
    go_mj(&r, 6.0f, 0.7f, 0.0f);
    hold(&r, 2.5f);
    assert_int_equal(r.n, 1);
    assert_true(r.ex[0].turned);
    assert_true(fabsf(r.ex[0].base - 6.0f) < 0.3f);
}

/* The set's last attempt, given up, with the leg stepping out of the lunge before it
 * rested at the stance: still an attempt (it went on down past where it began; a
 * bounce in a hold turns up again), told though shorter than a hold. */
static void attempt_then_stepping_out(void **state)
{
    (void)state;
    rig r;
    rig_holds(&r, 1.5f);
    r.x = 12.0f;
    hold(&r, 3.0f);               /* at the lunge stance (after a hold) */
    go_mj(&r, 17.5f, 0.7f, 0.0f); /* the attempt, given up */
    go_mj(&r, 12.0f, 0.7f, 0.0f);
    hold(&r, 0.8f);               /* back at the stance for less than a rest */
    go_mj(&r, 0.0f, 1.0f, 0.0f);  /* stepping out */
    hold(&r, 3.0f);
    assert_int_equal(r.n, 1);
    assert_true(r.ex[0].turned);
    assert_true(fabsf(r.ex[0].peak - 17.5f) < 0.01f);
    assert_true(fabsf(r.ex[0].base - 12.0f) < 0.3f);
    assert_true(r.ex[0].top_s < 0.3f);
}

/* Two holds with a rest at the lunge stance between them are two, though each hold is
 * as still as the rest (a steady hold, and a way out slow enough to look still). */
static void holds_with_a_still_rest_between_are_two(void **state)
{
    (void)state;
    rig r;
    rig_holds(&r, 1.5f);
    r.d.cfg.gap_s = 2.5f;
    hold(&r, 2.0f);               /* standing */
    go_mj(&r, 9.0f, 1.2f, 0.0f);  /* stepping into the lunge */
    hold(&r, 1.0f);
    go_mj(&r, 15.0f, 1.5f, 0.0f); /* a shallow hold */
    hold(&r, 20.0f);
    go_mj(&r, 9.0f, 4.5f, 0.0f);  /* slowly out: 2.5 deg/s at most */
    hold(&r, 7.0f);
    go_mj(&r, 28.0f, 1.5f, 0.0f); /* the next one */
    hold(&r, 20.0f);
    go_mj(&r, 9.0f, 2.0f, 0.0f);
    hold(&r, 3.0f);
    assert_int_equal(r.n, 2);
    assert_true(fabsf(r.ex[0].peak - 15.0f) < 0.01f);
    assert_true(fabsf(r.ex[1].peak - 28.0f) < 0.01f);
    assert_true(fabsf(r.ex[1].top_s - 20.0f) < 1.0f);
}

/* Easing off in a lunge hold for a moment: 11 deg down from 30, still there for 2 s, and
 * back in (the weight taken off the front leg). Still well below the top, but nearer it
 * than the start and for less than the rest between holds: one hold, timed whole. */
static void easing_off_for_a_moment_is_one_hold(void **state)
{
    (void)state;
    rig r;
    rig_holds(&r, 1.5f);
    r.d.cfg.gap_s = 2.5f;
    hold(&r, 2.0f);               /* standing */
    go_mj(&r, 9.0f, 1.2f, 0.0f);  /* stepping into the lunge */
    hold(&r, 3.0f);
    go_mj(&r, 30.0f, 1.5f, 0.0f); /* the hold */
    hold(&r, 12.0f);
    go_mj(&r, 19.0f, 0.6f, 0.0f); /* eased off */
    hold(&r, 2.0f);
    go_mj(&r, 30.0f, 0.8f, 0.0f); /* back in */
    hold(&r, 12.0f);
    go_mj(&r, 9.0f, 2.0f, 0.0f);
    hold(&r, 8.0f);
    assert_int_equal(r.n, 1);
    assert_true(fabsf(r.ex[0].peak - 30.0f) < 0.01f);
    assert_true(fabsf(r.ex[0].top_s - 27.4f) < 1.0f);
}

/* Stepping into the lunge and on into the stretch in one go, the attempt given up and
 * the shank back at the stance, 6 deg (less than half way down from 10.5 deg), resting
 * there 8 s; then the hold, 24 deg. Taken for one hold from standing to the end, its time
 * ran from the attempt (31 s, where 20 s were held) and the attempt was lost. Two: the
 * attempt ended where it came to rest, the hold timed from the stance. */
static void attempt_into_the_stance_then_the_hold_are_two(void **state)
{
    (void)state;
    rig r;
    rig_holds(&r, 1.5f);
    r.d.cfg.gap_s = 2.5f;
    hold(&r, 2.0f);               /* standing */
    go_mj(&r, 10.5f, 1.0f, 0.0f); /* into the lunge and on: the attempt */
    go_mj(&r, 6.0f, 0.8f, 0.0f);  /* given up, back to the stance */
    hold(&r, 8.0f);
    go_mj(&r, 24.0f, 1.5f, 0.0f); /* the hold */
    hold(&r, 20.0f);
    go_mj(&r, 6.0f, 1.5f, 0.0f);
    hold(&r, 3.0f);
    assert_int_equal(r.n, 2);
    assert_true(r.ex[0].turned);
    assert_true(fabsf(r.ex[0].peak - 10.5f) < 0.01f);
    assert_true(r.ex[0].top_s < 0.6f); /* (its turn-around: nothing held) */
    assert_false(r.ex[1].turned);
    assert_true(fabsf(r.ex[1].base - 6.0f) < 0.3f);
    assert_true(fabsf(r.ex[1].top_s - 20.0f) < 0.3f);
}

/* A shallow hold (5 to 17 deg, the first moment in it 19 deg) eased off for a moment by
 * 6 deg, half way down, still there 1.2 s and back in. The drop taken from the top
 * (8 deg: to 11 deg) had it over at the dip, and the rest of the hold counted as a
 * second: one hold, timed whole. */
static void easing_off_a_shallow_hold_is_one_hold(void **state)
{
    (void)state;
    rig r;
    rig_holds(&r, 1.5f);
    r.d.cfg.gap_s = 2.5f;
    r.x = 5.0f;
    hold(&r, 3.0f);               /* at the lunge stance */
    go_mj(&r, 19.0f, 1.2f, 0.0f); /* in, a little too far */
    go_mj(&r, 17.0f, 0.8f, 0.0f);
    hold(&r, 20.0f);
    go_mj(&r, 10.8f, 0.8f, 0.0f); /* eased off */
    hold(&r, 1.2f);
    go_mj(&r, 17.0f, 0.8f, 0.0f); /* back in */
    hold(&r, 12.0f);
    go_mj(&r, 5.0f, 1.5f, 0.0f);
    hold(&r, 4.0f);
    assert_int_equal(r.n, 1);
    assert_false(r.ex[0].turned);
    assert_true(fabsf(r.ex[0].peak - 19.0f) < 0.01f);
    assert_true(fabsf(r.ex[0].top_s - 35.6f) < 1.0f);
}

/* Bouncing in a hold passes its bottom without resting there: no attempt. A quick tilt
 * shorter than min_turn_s is nothing either. */
static void bounces_and_quick_tilts_are_no_attempts(void **state)
{
    (void)state;
    rig r;
    rig_holds(&r, 5.0f);
    hold(&r, 2.0f);
    for (int k = 0; k < 5; k++) { /* 8 deg tilts of 0.4 s, resting after each */
        go(&r, 8.0f, 0.2f, 0, 0);
        go(&r, 0.0f, 0.2f, 0, 0);
        hold(&r, 2.0f);
    }
    assert_int_equal(r.n, 0);
    go(&r, 30.0f, 2.0f, 0, 0);
    go(&r, 30.0f, 20.0f, 5.0f, 0.8f); /* +-5 deg bouncing */
    go(&r, 0.0f, 2.0f, 0, 0);
    hold(&r, 3.0f);
    assert_int_equal(r.n, 1);
    assert_true(fabsf(r.ex[0].top_s - 20.0f) < 1.5f);
}

static void bouncing_is_one_hold(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, 4.0f, 0.0f, 5.0f);
    hold(&r, 2.0f);
    go(&r, 30.0f, 2.0f, 0, 0);
    go(&r, 30.0f, 25.0f, 4.0f, 0.3f); /* +-4 deg slow bouncing */
    go(&r, 0.0f, 2.0f, 0, 0);
    hold(&r, 3.0f);
    assert_int_equal(r.n, 1);
    assert_true(fabsf(r.ex[0].top_s - 25.0f) < 1.5f);
}

/* A hold reached in one quick movement from the start position and bounced in from its
 * first still moment: the bounce rises past that moment by `engage` and straight back,
 * which is no movement on from a position (the band looped round the foot, the foot
 * back to rest, a quick pull into the stretch, bouncing): one hold, from the rest. */
static void bouncing_from_a_quick_way_up_is_one_hold(void **state)
{
    (void)state;
    rig r;
    rig_holds(&r, 7.5f);
    r.d.cfg.gap_s = 2.5f;
    r.x = -58.0f;
    hold(&r, 2.0f);             /* the foot pointed, the band looped round it */
    go(&r, -20.0f, 1.0f, 0, 0); /* back to rest */
    hold(&r, 1.5f);
    go(&r, -5.0f, 1.5f, 0, 0);  /* into the stretch */
    hold(&r, 0.6f);
    go(&r, -5.0f, 25.0f, 4.5f, 1.0f); /* +-4.5 deg bouncing */
    go(&r, -20.0f, 2.0f, 0, 0);
    hold(&r, 4.0f);
    assert_int_equal(r.n, 1);
    assert_true(fabsf(r.ex[0].base - -20.0f) < 1.0f);
    assert_true(fabsf(r.ex[0].top_s - 25.6f) < 1.5f);
}

static void fidgets_and_short_dips_are_nothing(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, 4.0f, 0.0f, 5.0f);
    hold(&r, 2.0f);
    for (int k = 0; k < 10; k++) { /* quick 15 deg tilts, 1 s each */
        go(&r, 15.0f, 0.4f, 0, 0);
        go(&r, 0.0f, 0.4f, 0, 0);
        hold(&r, 0.5f);
    }
    assert_int_equal(r.n, 0);
}

static void reps_counted_without_lag(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, 5.0f, 0.0f, 0.35f);
    hold(&r, 1.0f);
    for (int k = 0; k < 12; k++) {
        go(&r, 40.0f, 1.0f, 0, 0);
        hold(&r, 0.5f);
        go(&r, 0.0f, 1.0f, 0, 0);
        int64_t t_down = (int64_t)llround(r.t * 1e6);
        hold(&r, 0.3f);
        assert_int_equal(r.n, k + 1);
        /* emitted within 0.2 s of the heel reaching the floor */
        assert_true(r.t_emit[k] <= t_down + 200000);
    }
    assert_true(fabsf(r.ex[5].up_s - 1.0f) < 0.25f);
    assert_true(fabsf(r.ex[5].down_s - 1.0f) < 0.25f);
}

/* still at the current level for dur_s (the pod at rest: `still` given) */
static void rest_still(rig *r, float dur_s)
{
    int n = (int)lroundf(dur_s * RATE);
    for (int i = 0; i < n; i++) {
        int64_t t_us = (int64_t)llround(r->t * 1e6);
        if (detect_update(&r->d, r->x, t_us, DT, true, true, true, &r->ex[r->n]) && r->n < 16) {
            r->t_emit[r->n++] = t_us;
            detect_told(&r->d);
        }
        r->t += DT;
    }
}

/* A step dips the measure well below the stance (walking back to the spot), then the
 * person stands still and begins: the reps rise from where the foot rests, not from the
 * step's dip (taken as their start, no rep ever came back near it and the first rep ran
 * on through the whole set). */
static void reps_after_a_step_and_a_rest_start_from_the_rest(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, 5.0f, 0.0f, 0.35f);
    hold(&r, 1.0f);
    go(&r, -15.0f, 0.4f, 0, 0);
    go(&r, 0.0f, 0.4f, 0, 0);
    rest_still(&r, 2.0f);
    for (int k = 0; k < 3; k++) {
        go(&r, 40.0f, 1.0f, 0, 0);
        hold(&r, 0.5f);
        go(&r, 0.0f, 1.0f, 0, 0);
        hold(&r, 0.3f);
    }
    assert_int_equal(r.n, 3);
    for (int k = 0; k < 3; k++) {
        assert_true(fabsf(r.ex[k].base) < 1.0f);
        assert_true(fabsf(r.ex[k].peak - 40.0f) < 0.5f);
    }
}

/* A rep still up when the set ends never came down: nothing (a foot lifted while
 * fidgeting as the recording stops). One back down by then is whole. */
static void flush_keeps_no_rep_still_up(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, 5.0f, 0.0f, 0.35f);
    hold(&r, 1.0f);
    go(&r, 12.0f, 1.0f, 0, 0);
    hold(&r, 2.0f);
    ct_excursion x;
    assert_false(detect_flush(&r.d, (int64_t)llround(r.t * 1e6), &x));
    assert_int_equal(r.n, 0);
    rig_init(&r, 5.0f, 0.0f, 0.35f);
    hold(&r, 1.0f);
    go(&r, 40.0f, 1.0f, 0, 0);
    hold(&r, 0.5f);
    go(&r, 0.0f, 1.0f, 0, 0);
    assert_true(r.n == 1 || detect_flush(&r.d, (int64_t)llround(r.t * 1e6), &x));
    if (r.n == 0)
        assert_true(fabsf(x.peak - 40.0f) < 0.5f);
}

/* A hold open when the set ends is told whole */
static void flush_closes_a_hold(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, 4.0f, 20.0f, 5.0f);
    r.d.cfg.hold_phases = true;
    hold(&r, 2.0f);
    go(&r, 25.0f, 2.0f, 0, 0);
    hold(&r, 10.0f);
    ct_excursion x;
    assert_true(detect_flush(&r.d, (int64_t)llround(r.t * 1e6), &x));
    assert_true(fabsf(x.peak - 25.0f) < 0.01f);
    assert_false(detect_flush(&r.d, (int64_t)llround(r.t * 1e6), &x));
}

/* A hold from a pose (the downward dog: the heels pressed from the pose lean the shank a
 * few degrees, and the person sways about as much): a moment still on the way in is no
 * new start, and a hold swaying by 1 deg is one hold, timed whole. */
static void shallow_hold_from_a_pose_is_not_restarted(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, 1.5f, 0.0f, 1.5f);
    r.d.cfg.quiet_rate = 1.0f;
    r.d.cfg.hold_phases = true;
    r.d.cfg.end_s = 1.0f;
    r.d.cfg.gap_s = 2.5f;
    r.d.cfg.rest_min = 10.0f;
    r.d.cfg.has_rest_min = true;
    hold(&r, 2.0f);            /* standing */
    go(&r, 21.0f, 3.0f, 0, 0); /* walking into the pose */
    hold(&r, 4.0f);
    go(&r, 23.5f, 0.6f, 0, 0); /* pressing the heels down, a pause on the way */
    hold(&r, 0.6f);
    /* held 25 s, swaying a degree either side of 24.5 deg, a swing a second */
    for (int k = 0; k < 25; k++)
        go(&r, k % 2 ? 23.4f + 0.05f * (float)(k % 5) : 25.6f - 0.05f * (float)(k % 3), 1.0f, 0, 0);
    go(&r, 21.0f, 1.5f, 0, 0);
    hold(&r, 5.0f);
    assert_int_equal(r.n, 1);
    assert_true(fabsf(r.ex[0].base - 21.0f) < 0.3f);
    assert_true(r.ex[0].top_s > 23.0f && r.ex[0].top_s < 27.0f);
}

/* A rep's tempo (calf raises on the foot, 2-1-2 and 2-0-2): the ways up and down are
 * timed to its peak, and a smooth (minimum-jerk) movement's ends are where they are. */
static void rep_tempo_to_the_peak(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, 5.0f, 0.0f, 0.35f);
    hold(&r, 2.0f);
    go_mj(&r, 30.0f, 2.0f, 0.0f);
    hold(&r, 1.0f);
    go_mj(&r, 0.0f, 2.0f, 0.0f);
    hold(&r, 2.0f);
    go_mj(&r, 25.0f, 1.5f, 0.0f);
    go_mj(&r, 0.0f, 2.5f, 0.0f);
    hold(&r, 2.0f);
    assert_int_equal(r.n, 2);
    assert_true(fabsf(r.ex[0].up_s - 2.0f) < 0.1f);
    assert_true(fabsf(r.ex[0].top_s - 1.0f) < 0.1f);
    assert_true(fabsf(r.ex[0].down_s - 2.0f) < 0.1f);
    assert_true(fabsf(r.ex[1].up_s - 1.5f) < 0.1f);
    assert_true(r.ex[1].top_s < 0.1f);
    assert_true(fabsf(r.ex[1].down_s - 2.5f) < 0.1f);
}

/* A rep's tempo when the movement is lopsided (peak speed early on the way up, late on
 * the way down), when the top sags (the way down starts 2 deg below the peak), and when
 * the rep is shallow (10 deg: its trace, begun `low` above the rest, holds no 10%
 * crossing): each phase within 0.1 s. */
static void rep_tempo_lopsided_sagging_shallow(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, 5.0f, 0.0f, 0.35f);
    hold(&r, 2.0f);
    go_mj(&r, 30.0f, 2.5f, 0.3f);
    hold(&r, 0.5f);
    go_mj(&r, 0.0f, 2.5f, -0.3f);
    hold(&r, 2.0f);
    go_mj(&r, 32.0f, 1.5f, 0.0f);
    go_mj(&r, 29.0f, 2.0f, 0.0f); /* held 2 s, sagging */
    go_mj(&r, 0.0f, 2.5f, 0.0f);
    hold(&r, 2.0f);
    go_mj(&r, 10.0f, 1.0f, 0.0f);
    go_mj(&r, 0.0f, 1.2f, 0.0f);
    hold(&r, 2.0f);
    assert_int_equal(r.n, 3);
    float want[3][3] = {{2.5f, 0.5f, 2.5f}, {1.5f, 2.0f, 2.5f}, {1.0f, 0.0f, 1.2f}};
    for (int k = 0; k < 3; k++) {
        assert_true(fabsf(r.ex[k].up_s - want[k][0]) < 0.1f);
        assert_true(fabsf(r.ex[k].top_s - want[k][1]) < 0.1f);
        assert_true(fabsf(r.ex[k].down_s - want[k][2]) < 0.1f);
    }
}

/* Walking into the pose and pressing the heels down at once: the rest level is first
 * learnt on the way into the hold and follows it (a slow press looks still), so the
 * hold never rises above it. Coming to rest a clear step below the level held is the
 * hold's end: it counts, timed from the press. */
static void hold_begun_with_the_pose_counts(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, 1.5f, 0.0f, 1.5f);
    r.d.cfg.quiet_rate = 1.0f;
    r.d.cfg.hold_phases = true;
    r.d.cfg.end_s = 1.0f;
    r.d.cfg.gap_s = 2.5f;
    r.d.cfg.rest_min = 10.0f;
    r.d.cfg.has_rest_min = true;
    hold(&r, 2.0f);             /* standing */
    go(&r, 20.0f, 2.0f, 0, 0);  /* walking into the pose */
    go(&r, 25.0f, 10.0f, 0, 0); /* pressing at once, slowly */
    /* held 20 s, swaying a degree either side */
    for (int k = 0; k < 20; k++)
        go(&r, k % 2 ? 24.0f : 26.0f, 1.0f, 0, 0);
    go(&r, 21.0f, 1.5f, 0, 0);  /* the heels back up: the pose */
    hold(&r, 6.0f);
    assert_int_equal(r.n, 1);
    assert_true(fabsf(r.ex[0].base - 21.0f) < 0.3f);
    assert_true(r.ex[0].peak > 25.5f);
    /* (the slow press's way up is timed as a movement of its own) */
    assert_true(r.ex[0].top_s > 15.0f && r.ex[0].top_s < 24.0f);
    /* from the press (4 s into the recording) to the way down (34 s) */
    assert_true(r.ex[0].t_start_us > 4000000 && r.ex[0].t_start_us < 9000000);
    assert_true(r.ex[0].t_end_us > 33000000 && r.ex[0].t_end_us < 36000000);
}

/* A hold begun as the pose was taken (walking into the dog and pressing the heels down
 * at once), a slow swing of the sway early in it bringing the shank back near the pose
 * for a moment: the press leans the shank 2-4 deg and the sway is about as large. The
 * heels never came up (the rest between holds is longer, `gap_s`): the hold ran from the
 * press, not from that dip (it was timed from the dip, 8 s short). */
static void sway_dip_early_in_a_hold_begun_with_the_pose(void **state)
{
    (void)state;
    rig r;
    rig_dog(&r, 1.5f);
    hold(&r, 2.0f);            /* standing */
    go(&r, 20.0f, 2.0f, 0, 0); /* walking into the pose */
    go(&r, 24.0f, 2.0f, 0, 0); /* pressing at once (4-6 s) */
    sway(&r, 24.0f, 1.0f, 3.0f, 2);
    go(&r, 20.5f, 1.0f, 0, 0); /* a slow swing back near the pose (12-14 s) */
    go(&r, 24.0f, 1.0f, 0, 0);
    sway(&r, 24.0f, 1.0f, 3.0f, 6); /* 18 s more held, swaying */
    go(&r, 20.0f, 1.5f, 0, 0); /* the heels back up: the pose (32-33.5 s) */
    hold(&r, 6.0f);
    assert_int_equal(r.n, 1);
    /* (held from 6 s to 32 s) */
    assert_true(r.ex[0].t_start_us > 3000000 && r.ex[0].t_start_us < 7000000);
    assert_true(r.ex[0].t_end_us > 31500000 && r.ex[0].t_end_us < 34000000);
    assert_true(r.ex[0].top_s > 22.0f && r.ex[0].top_s < 28.0f);
}

/* A hold begun as the pose was taken (walking into the dog and pressing the heels down
 * at once), held steady, so that the rest level learnt in it follows it; then a swing of
 * the sway 2 deg up in it (22-26.5 s), more than `engage` above that rest, after which the
 * level stays a little higher: taken for a hold of its own from the swing, which the
 * heels coming back up to the pose (36-37.5 s) ended. The rest after it a clear step
 * below the level held, the hold began with the pose: one hold, from the press (it was
 * timed from the swing, 27 s short). */
static void swing_in_a_hold_begun_with_the_pose_is_part_of_it(void **state)
{
    (void)state;
    rig r;
    rig_dog(&r, 1.5f);
    r.d.cfg.ease_at_base = true;
    hold(&r, 2.0f);            /* standing */
    go(&r, 20.0f, 2.0f, 0, 0); /* walking into the pose */
    go(&r, 24.5f, 2.0f, 0, 0); /* pressing at once (4-6 s) */
    hold(&r, 16.0f);
    go(&r, 26.5f, 1.5f, 0, 0); /* a swing of the sway up (22-23.5 s) */
    hold(&r, 3.0f);
    go(&r, 25.3f, 1.5f, 0, 0); /* back, not quite where it was (26.5-28 s) */
    hold(&r, 8.0f);
    go(&r, 20.5f, 1.5f, 0, 0); /* the heels back up: the pose (36-37.5 s) */
    hold(&r, 8.0f);
    assert_int_equal(r.n, 1);
    assert_true(r.ex[0].t_start_us > 3000000 && r.ex[0].t_start_us < 7000000);
    assert_true(r.ex[0].t_end_us > 35000000 && r.ex[0].t_end_us < 38000000);
    assert_true(r.ex[0].top_s > 27.0f && r.ex[0].top_s < 33.0f);
}

/* A hold begun as the pose was taken (walking into the dog and pressing the heels down
 * at once, 4-6 s), the heels back up to the pose at 30-31.5 s, at rest there 1.5 s, then
 * swaying (never still for a second at a time) and standing up out of the pose at
 * 34 s: the rest after the hold was as long as the rest between holds, if not still
 * all along. The hold counts (it was lost: the pose was left, and the measure had not
 * been still for a second at the moment the rest had lasted `gap_s`). */
static void hold_begun_with_the_pose_then_standing_up(void **state)
{
    (void)state;
    rig r;
    rig_dog(&r, 1.5f);
    hold(&r, 2.0f);            /* standing */
    go(&r, 20.0f, 2.0f, 0, 0); /* walking into the pose */
    go(&r, 24.0f, 2.0f, 0, 0); /* pressing at once (4-6 s) */
    sway(&r, 24.0f, 1.0f, 3.0f, 8);
    go(&r, 20.5f, 1.5f, 0, 0); /* the heels back up: the pose (30-31.5 s) */
    hold(&r, 1.5f);
    for (int k = 0; k < 4; k++)  /* swaying about it, 1 deg at 2 Hz (33-34 s) */
        go(&r, k % 2 ? 20.5f : 19.5f, 0.25f, 0, 0);
    go(&r, 0.0f, 1.5f, 0, 0);  /* standing up (34-35.5 s) */
    hold(&r, 5.0f);
    assert_int_equal(r.n, 1);
    assert_true(fabsf(r.ex[0].base - 20.3f) < 0.5f);
    assert_true(r.ex[0].peak > 24.5f);
    assert_true(r.ex[0].t_start_us > 3000000 && r.ex[0].t_start_us < 7000000);
    assert_true(r.ex[0].t_end_us > 29500000 && r.ex[0].t_end_us < 32000000);
    assert_true(r.ex[0].top_s > 21.0f && r.ex[0].top_s < 27.0f);
}

/* A hold in the dog pose (22 deg, pressed to 25 deg at 8-10 s, held 20 s, the heels
 * back up at 30-31.5 s, swaying at rest there), standing up out of the pose (36-38 s),
 * standing a while, then
 * into the pose again (50-52 s) and the next hold (pressed at 56-58 s, held 20 s, heels
 * back up at 78-79.5 s). The way out of the pose passes its last sample above 10 deg
 * (`rest_min`), no start position for anything after: the second hold rises from the
 * pose taken anew. (It rose from 10 deg: walking into the pose and the hold one
 * movement, which the heels coming back up to the pose, less than 30% of the way down
 * from its peak to 10 deg, never ended; standing up did, 5 s late.) */
static void hold_after_standing_up_rises_from_the_pose(void **state)
{
    (void)state;
    rig r;
    rig_dog(&r, 1.5f);
    for (int h = 0; h < 2; h++) {
        hold(&r, 2.0f);            /* standing */
        go(&r, 22.0f, 2.0f, 0, 0); /* walking into the pose */
        hold(&r, 4.0f);
        go(&r, 25.0f, 2.0f, 0, 0); /* pressing the heels down */
        sway(&r, 25.0f, 0.8f, 4.0f, 5);
        go(&r, 22.0f, 1.5f, 0, 0); /* the heels back up */
        hold(&r, 1.5f);
        for (int k = 0; k < 8; k++) /* swaying, never still for long (33-35 s) */
            go(&r, k % 2 ? 22.5f : 21.5f, 0.25f, 0, 0);
        hold(&r, 1.0f);
        go(&r, 0.0f, 2.0f, 0, 0);  /* standing up */
        hold(&r, 10.0f);
    }
    assert_int_equal(r.n, 2);
    for (int k = 0; k < 2; k++) {
        double t0 = 48.0 * k;
        assert_true(fabsf(r.ex[k].base - 22.0f) < 0.5f);
        assert_true(r.ex[k].t_start_us > (int64_t)((t0 + 7.0) * 1e6) &&
                    r.ex[k].t_start_us < (int64_t)((t0 + 9.5) * 1e6));
        assert_true(r.ex[k].t_end_us > (int64_t)((t0 + 29.5) * 1e6) &&
                    r.ex[k].t_end_us < (int64_t)((t0 + 31.5) * 1e6));
        assert_true(r.ex[k].top_s > 18.0f && r.ex[k].top_s < 22.0f);
    }
}

/* Standing, into the dog pose (20 deg), the heels pressed down 8 deg from it at 10.5 s and
 * held 10 s, then eased off to 24.5 deg, nearer the level held than the pose. */
static void deep_press_eased_off(rig *r)
{
    rig_dog(r, 1.5f);
    hold(r, 2.0f);            /* standing */
    go(r, 20.0f, 3.0f, 0, 0); /* into the pose */
    hold(r, 4.0f);
    go(r, 28.0f, 1.5f, 0, 0); /* the heels pressed down (10.5 s) */
    hold(r, 10.0f);
    go(r, 24.5f, 1.0f, 0, 0); /* eased off */
}

/* A deep press of the heels (8 deg from the pose) eased off for a few seconds, still
 * nearer the level held than the pose, then pressed again and held on: one hold, timed
 * whole, from the press to the way back to the pose (it was told at the dip, 21 s in and
 * held 10 s, and what followed the dip was dropped). */
static void pose_hold_eased_off_and_pressed_again_is_timed_whole(void **state)
{
    (void)state;
    rig r;
    deep_press_eased_off(&r);
    hold(&r, 2.0f);
    go(&r, 28.0f, 1.0f, 0, 0); /* pressed again */
    hold(&r, 10.0f);
    go(&r, 20.0f, 1.5f, 0, 0); /* back to the pose (34.5 s) */
    hold(&r, 6.0f);
    assert_int_equal(r.n, 1);
    assert_true(r.ex[0].t_start_us > 8500000 && r.ex[0].t_start_us < 10500000);
    assert_true(r.ex[0].t_end_us > 34000000 && r.ex[0].t_end_us < 36500000);
    /* (held from 10.5 s to 34.5 s) */
    assert_true(r.ex[0].top_s > 22.5f && r.ex[0].top_s < 25.0f);
}

/* The same press eased off a moment, then pressed again smoothly enough that the pod
 * reads still (the shank turning under the rate taken for still). The hold is told at
 * the dip as the measure is already on its way back up, and the rest level, taken
 * there, follows the measure up: the press never rises `engage` above it. Back at the
 * level held, the heels are pressed again: one hold, timed whole (it was told at the
 * dip, held 10 s, and what followed was dropped). */
static void pose_hold_eased_off_and_pressed_again_smoothly_is_timed_whole(void **state)
{
    (void)state;
    rig r;
    deep_press_eased_off(&r);
    hold(&r, 1.5f);
    float from = r.x;
    for (int i = 0; i < 150; i++) { /* pressed again, the pod still (23-24.5 s) */
        float u = (float)(i + 1) / 150.0f;
        r.x = from + (28.0f - from) * (0.5f - 0.5f * cosf(CT_PI_F * u));
        int64_t t_us = (int64_t)llround(r.t * 1e6);
        if (detect_update(&r.d, r.x, t_us, DT, true, true, true, &r.ex[r.n]) && r.n < 16) {
            r.t_emit[r.n++] = t_us;
            detect_told(&r.d);
        }
        r.t += DT;
    }
    hold(&r, 10.0f);
    go(&r, 20.0f, 1.5f, 0, 0); /* back to the pose (34.5-36 s) */
    hold(&r, 6.0f);
    assert_int_equal(r.n, 1);
    assert_true(r.ex[0].t_start_us > 8500000 && r.ex[0].t_start_us < 10500000);
    assert_true(r.ex[0].t_end_us > 34000000 && r.ex[0].t_end_us < 37000000);
    /* (held from 12 s to 34.5 s, the dip taken in) */
    assert_true(r.ex[0].top_s > 20.5f && r.ex[0].top_s < 24.5f);
}

/* The same press eased off, the reading then wandering about the dip's level (a noisy
 * sensor: never still, never back near the pose) for 15 s before the heels are pressed
 * down again: that is a second hold, not the first going on (both were told as one
 * hold of 40 s). */
static void pose_hold_pressed_again_much_later_is_a_new_hold(void **state)
{
    (void)state;
    rig r;
    deep_press_eased_off(&r);
    hold(&r, 1.5f);
    go(&r, 24.5f, 15.0f, 0.5f, 2.0f); /* wandering, never still */
    go(&r, 28.0f, 1.5f, 0, 0); /* pressed again (39.5 s) */
    hold(&r, 10.0f);
    go(&r, 20.0f, 1.5f, 0, 0); /* back to the pose (51 s) */
    hold(&r, 6.0f);
    assert_int_equal(r.n, 2);
    assert_true(r.ex[0].t_end_us < 23000000);
    assert_true(r.ex[1].t_start_us > 36000000 && r.ex[1].t_end_us > 49000000);
}

/* A hold from the pose whose sway dips and stays low a moment, still nearer the level
 * held than the pose: the heels are still pressed, and going back up from there is the
 * same hold, not a new one. */
static void sway_dip_in_a_pose_hold_is_no_new_hold(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, 1.5f, 0.0f, 1.5f);
    r.d.cfg.quiet_rate = 1.0f;
    r.d.cfg.hold_phases = true;
    r.d.cfg.end_s = 1.0f;
    r.d.cfg.gap_s = 2.5f;
    r.d.cfg.rest_min = 10.0f;
    r.d.cfg.has_rest_min = true;
    hold(&r, 2.0f);            /* standing */
    go(&r, 20.0f, 3.0f, 0, 0); /* walking into the pose */
    hold(&r, 4.0f);
    go(&r, 25.0f, 1.5f, 0, 0); /* the heels pressed down */
    for (int k = 0; k < 8; k++) /* swaying a degree either side */
        go(&r, k % 2 ? 24.0f : 26.0f, 1.0f, 0, 0);
    go(&r, 22.8f, 1.5f, 0, 0); /* a dip held a moment */
    hold(&r, 2.0f);
    for (int k = 0; k < 8; k++)
        go(&r, k % 2 ? 24.0f : 26.0f, 1.0f, 0, 0);
    go(&r, 20.0f, 1.5f, 0, 0); /* back to the pose */
    hold(&r, 6.0f);
    assert_int_equal(r.n, 1);
    assert_true(r.ex[0].peak > 25.5f);
    assert_true(r.ex[0].t_start_us > 9000000 && r.ex[0].t_start_us < 10000000);
}

/* Swaying in the pose between holds (a degree either side, slow enough to look still
 * at each end): the rest level is the pose's, followed over about a swing, not the
 * bottom of the last swing, so the swing up is no hold. A press of the heels is. */
static void sway_in_the_pose_is_no_hold(void **state)
{
    (void)state;
    rig r;
    rig_dog(&r, 1.5f);
    hold(&r, 2.0f);            /* standing */
    go(&r, 20.0f, 3.0f, 0, 0); /* walking into the pose */
    hold(&r, 4.0f);
    for (int k = 0; k < 10; k++) { /* swaying, 4.4 s a swing */
        go(&r, k % 2 ? 19.0f : 21.0f, 2.2f, 0, 0);
        hold(&r, 0.3f);
    }
    go(&r, 20.0f, 1.1f, 0, 0);
    hold(&r, 2.0f);
    go(&r, 25.0f, 1.5f, 0, 0); /* a press of the heels */
    hold(&r, 15.0f);
    go(&r, 20.0f, 1.5f, 0, 0);
    hold(&r, 6.0f);
    assert_int_equal(r.n, 1);
    assert_true(r.ex[0].peak > 24.5f);
}

/* After a hold from the pose, the way down ends at a low swing of the sway and the
 * person sways on about the pose, a degree either side: the rest is the pose's level
 * (where it rested before the hold), not the bottom of that swing, so the swing back
 * up is no new hold. */
static void sway_after_a_pose_hold_is_no_hold(void **state)
{
    (void)state;
    rig r;
    rig_dog(&r, 1.5f);
    hold(&r, 2.0f);            /* standing */
    go(&r, 20.0f, 3.0f, 0, 0); /* walking into the pose */
    hold(&r, 4.0f);
    go(&r, 25.0f, 1.5f, 0, 0); /* the heels pressed down */
    hold(&r, 15.0f);
    go(&r, 19.0f, 1.5f, 0, 0); /* back to the pose, at the bottom of a swing */
    hold(&r, 0.5f);
    go(&r, 21.2f, 1.5f, 0, 0); /* swaying on about the pose */
    hold(&r, 1.0f);
    go(&r, 19.2f, 1.5f, 0, 0);
    hold(&r, 3.0f);
    go(&r, 20.0f, 1.0f, 0, 0);
    hold(&r, 3.0f);
    assert_int_equal(r.n, 1);
    assert_true(r.ex[0].top_s > 14.0f && r.ex[0].top_s < 16.5f);
}

/* Easing off in a hold from the pose for a moment (most of the way back to the pose,
 * 1.5 s there) and pressing again is the same hold, timed whole; resting at the pose
 * 4 s between two presses is two holds. */
static void easing_off_in_a_pose_hold_is_one_hold(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, 1.5f, 0.0f, 1.5f);
    r.d.cfg.quiet_rate = 1.0f;
    r.d.cfg.hold_phases = true;
    r.d.cfg.end_s = 1.0f;
    r.d.cfg.gap_s = 2.5f;
    r.d.cfg.rest_min = 10.0f;
    r.d.cfg.has_rest_min = true;
    r.d.cfg.rest_tau_s = 2.0f;
    hold(&r, 2.0f);             /* standing */
    go(&r, 20.0f, 3.0f, 0, 0);  /* walking into the pose */
    hold(&r, 4.0f);
    go(&r, 27.0f, 2.0f, 0, 0);  /* the heels pressed down */
    hold(&r, 10.0f);
    go(&r, 22.5f, 0.8f, 0, 0);  /* easing off a moment */
    hold(&r, 1.5f);
    go(&r, 27.0f, 0.8f, 0, 0);  /* and back in */
    hold(&r, 10.0f);
    go(&r, 20.0f, 2.0f, 0, 0);  /* back to the pose */
    hold(&r, 4.0f);
    assert_int_equal(r.n, 1);
    /* 10 s, the moment eased off (3.1 s) and 10 s */
    assert_true(r.ex[0].top_s > 22.0f && r.ex[0].top_s < 24.5f);
    go(&r, 27.0f, 2.0f, 0, 0);  /* the next hold */
    hold(&r, 10.0f);
    go(&r, 20.0f, 2.0f, 0, 0);
    hold(&r, 5.0f);
    assert_int_equal(r.n, 2);
    assert_true(r.ex[1].top_s > 9.0f && r.ex[1].top_s < 11.0f);
}

/* A partial press of the heels, 1.8 deg, pressed over 2 s (slower than the rate taken
 * for still most of the way) and held 15 s with the sway in it: the rest level
 * following the pose must not climb with the press, or the press never rises `engage`
 * above it. */
static void slow_shallow_press_from_the_pose_counts(void **state)
{
    (void)state;
    rig r;
    rig_dog(&r, 1.0f);
    hold(&r, 2.0f);            /* standing */
    go(&r, 20.0f, 3.0f, 0, 0); /* walking into the pose */
    hold(&r, 8.0f);
    go(&r, 21.8f, 2.5f, 0, 0); /* a partial press */
    sway(&r, 21.8f, 0.4f, 3.0f, 5); /* 15 s held, swaying */
    go(&r, 20.0f, 2.0f, 0, 0); /* back to the pose */
    hold(&r, 8.0f);
    assert_int_equal(r.n, 1);
    assert_true(r.ex[0].top_s > 13.0f && r.ex[0].top_s < 17.0f);
}

/* A partial press of the heels kept 30 s at 1.1 deg, swaying 0.3 deg either side in
 * it: it never rises `engage` above the pose, sway peaks included, but its average over
 * the sway is kept well clear of the pose (which sways 0.2 deg), where the sway's
 * average is not: one hold of about 30 s, from the pose. */
static void press_kept_under_engage_is_a_hold(void **state)
{
    (void)state;
    rig r;
    rig_dog(&r, 1.5f);
    hold(&r, 2.0f);            /* standing */
    go(&r, 20.0f, 3.0f, 0, 0); /* walking into the pose */
    sway(&r, 20.0f, 0.2f, 4.0f, 3); /* 12 s in the pose, swaying */
    go(&r, 21.1f, 1.5f, 0, 0); /* a partial press (18.5 s) */
    sway(&r, 21.1f, 0.3f, 3.0f, 10); /* 30 s held, swaying */
    go(&r, 20.0f, 1.5f, 0, 0); /* back to the pose (50 s) */
    sway(&r, 20.0f, 0.2f, 4.0f, 3);
    assert_int_equal(r.n, 1);
    assert_true(r.ex[0].top_s > 28.0f && r.ex[0].top_s < 32.0f);
    assert_true(r.ex[0].t_start_us > 16500000 && r.ex[0].t_start_us < 19000000);
    assert_true(r.ex[0].t_end_us > 48500000 && r.ex[0].t_end_us < 51000000);
    assert_true(fabsf(r.ex[0].base - 20.0f) < 0.3f);
    assert_true(r.ex[0].peak < 20.0f + 1.5f);
}

/* The pose itself moving up 1.1 deg (the hands placed again) and staying there, swaying
 * as before: a level kept too, but one the measure never comes back down from: no hold. */
static void pose_moved_up_under_engage_is_no_hold(void **state)
{
    (void)state;
    rig r;
    rig_dog(&r, 1.5f);
    hold(&r, 2.0f);
    go(&r, 20.0f, 3.0f, 0, 0);
    sway(&r, 20.0f, 0.2f, 4.0f, 3);
    go(&r, 21.1f, 1.5f, 0, 0);
    sway(&r, 21.1f, 0.2f, 4.0f, 12); /* 48 s at the new pose */
    assert_int_equal(r.n, 0);
}

/* A press of the heels from the pose, slow (below the rate taken for still) and swaying
 * in it: a swing of the sway dips 2 deg below the press, rests there a second and goes
 * back up. The still step the press was measured from was inside the press itself; the
 * dip is no attempt turned back (that rests where it began for longer than easing off a
 * moment takes, `gap_s`): one hold of about 30 s. */
static void sway_dip_in_a_slow_pose_press_is_no_turn_back(void **state)
{
    (void)state;
    rig r;
    rig_dog(&r, 1.0f);
    hold(&r, 2.0f);            /* standing */
    go(&r, 19.0f, 3.0f, 0, 0); /* walking into the pose */
    hold(&r, 8.0f);
    go(&r, 21.0f, 3.0f, 0, 0); /* the heels pressed, slowly */
    hold(&r, 1.0f);
    go(&r, 22.8f, 0.5f, 0, 0); /* a swing of the sway, up */
    hold(&r, 0.6f);
    go(&r, 20.8f, 0.7f, 0, 0); /* and down, 2 deg */
    hold(&r, 1.2f);
    go(&r, 22.0f, 1.0f, 0, 0); /* back in the press */
    sway(&r, 22.0f, 0.4f, 4.0f, 6); /* 24 s held, swaying */
    go(&r, 19.0f, 2.0f, 0, 0); /* back to the pose */
    hold(&r, 8.0f);
    assert_int_equal(r.n, 1);
    assert_true(r.ex[0].top_s > 26.0f && r.ex[0].top_s < 32.0f);
}

/* As above, in the second hold (the pose's level known), the swing of the sway resting
 * 3 s at its bottom, still nearer the level held than the pose (the heels still
 * pressed): one hold. */
static void sway_rest_in_a_slow_pose_press_is_no_turn_back(void **state)
{
    (void)state;
    rig r;
    rig_dog(&r, 1.0f);
    hold(&r, 2.0f);            /* standing */
    go(&r, 19.0f, 3.0f, 0, 0); /* walking into the pose */
    hold(&r, 8.0f);
    go(&r, 22.5f, 2.0f, 0, 0); /* a first hold: the pose's level known after it */
    hold(&r, 10.0f);
    go(&r, 19.0f, 2.0f, 0, 0);
    hold(&r, 8.0f);
    assert_int_equal(r.n, 1);
    go(&r, 21.0f, 3.0f, 0, 0); /* the heels pressed, slowly */
    hold(&r, 1.0f);
    go(&r, 22.8f, 0.5f, 0, 0); /* a swing of the sway, up */
    hold(&r, 0.6f);
    go(&r, 21.4f, 0.7f, 0, 0); /* and down, resting there 3 s */
    hold(&r, 3.0f);
    go(&r, 22.0f, 1.0f, 0, 0); /* back in the press */
    sway(&r, 22.0f, 0.4f, 4.0f, 6); /* 24 s held, swaying */
    go(&r, 19.0f, 2.0f, 0, 0); /* back to the pose */
    hold(&r, 8.0f);
    assert_int_equal(r.n, 2);
    assert_true(r.ex[1].top_s > 27.0f && r.ex[1].top_s < 34.0f);
}

/* Walking the feet back into the pose in two stages, the rest level first learnt at the
 * pause on the way (12 deg) and the pose taken 8 deg further and held 20 s: two presses from the pose
 * with 15 s at rest in it between them are two holds, not one reaching from the pause
 * (the level held is read above the pose the measure rests at, not above the pause). */
static void presses_from_a_pose_taken_in_two_stages_are_two(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, 1.5f, 0.0f, 1.0f);
    r.d.cfg.quiet_rate = 1.0f;
    r.d.cfg.hold_phases = true;
    r.d.cfg.end_s = 1.0f;
    r.d.cfg.gap_s = 2.5f;
    r.d.cfg.rest_min = 10.0f;
    r.d.cfg.has_rest_min = true;
    r.d.cfg.rest_tau_s = 2.0f;
    hold(&r, 2.0f);            /* standing */
    go(&r, 12.0f, 2.0f, 0, 0); /* walking in, a pause */
    hold(&r, 0.8f);
    go(&r, 20.0f, 1.5f, 0, 0); /* the pose */
    hold(&r, 20.0f);
    for (int h = 0; h < 2; h++) {
        go(&r, 22.0f, 1.5f, 0, 0); /* the heels pressed down */
        for (int k = 0; k < 5; k++) {
            go(&r, 21.5f, 1.0f, 0, 0);
            go(&r, 22.5f, 1.0f, 0, 0);
            go(&r, 22.0f, 1.0f, 0, 0);
        }
        go(&r, 20.0f, 1.5f, 0, 0); /* back to the pose, resting, swaying a little */
        for (int k = 0; k < 4; k++) {
            go(&r, 20.2f, 1.0f, 0, 0);
            go(&r, 19.8f, 2.0f, 0, 0);
            go(&r, 20.0f, 1.0f, 0, 0);
        }
    }
    ct_excursion x;
    if (detect_flush(&r.d, (int64_t)llround(r.t * 1e6), &x) && r.n < 16)
        r.ex[r.n++] = x;
    assert_int_equal(r.n, 2);
    /* each 15 s, the first timed from the pose, not from the pause */
    assert_true(r.ex[0].from > 19.5f);
    assert_true(r.ex[0].top_s > 13.5f && r.ex[0].top_s < 16.5f);
    assert_true(r.ex[1].top_s > 13.5f && r.ex[1].top_s < 16.5f);
}

/* A hold detector as the band stretch uses it (seated, the leg straight, a band round
 * the forefoot): 2.5 s resting below the top ends a hold, slow pulls keep the level they
 * rose from, easing off may go back to the start, and a hold's level is read from the
 * rest the foot came back to. */
static void rig_band(rig *r)
{
    rig_holds(r, 6.5f);
    r->d.cfg.gap_s = 2.5f;
    r->d.cfg.no_ease = true;
    r->d.cfg.slow_rise = true;
    r->d.cfg.ease_at_base = true;
}

/* A person with little range pulls the band slowly: 5 deg in 2.5 s (a smooth movement,
 * its rate above the rate taken for still only for a moment in the middle). Each pull is
 * a hold, timed whole. */
static void slow_shallow_band_pulls_count(void **state)
{
    (void)state;
    rig r;
    rig_band(&r);
    r.x = -13.0f;
    hold(&r, 5.0f);
    for (int k = 0; k < 3; k++) {
        go_mj(&r, -8.0f, 2.5f, 0.0f);
        hold(&r, 25.0f);
        go_mj(&r, -13.0f, 1.5f, 0.0f);
        hold(&r, 8.0f);
    }
    assert_int_equal(r.n, 3);
    for (int k = 0; k < 3; k++)
        assert_true(fabsf(r.ex[k].top_s - 25.0f) < 1.5f);
}

/* Easing off the band for a moment lets the foot go most of the way back to rest: 4 of
 * the 5 deg down for 1.5 s, and back in. One hold, timed whole. */
static void easing_off_the_band_to_rest_is_one_hold(void **state)
{
    (void)state;
    rig r;
    rig_band(&r);
    r.x = -13.0f;
    hold(&r, 5.0f);
    go(&r, -8.0f, 1.5f, 0, 0);
    hold(&r, 10.0f);
    go(&r, -12.0f, 0.8f, 0, 0);
    hold(&r, 1.5f);
    go(&r, -8.0f, 0.8f, 0, 0);
    hold(&r, 10.0f);
    go(&r, -13.0f, 1.5f, 0, 0);
    hold(&r, 8.0f);
    assert_int_equal(r.n, 1);
    assert_true(fabsf(r.ex[0].top_s - 23.0f) < 1.5f);
}

/* The set's first pull flows on from looping the band: up from the foot pointed (-48),
 * a brief pull and straight back to rest at -14, resting there 12 s before the hold.
 * The rest ends the first excursion (too short to be a hold): the hold after it is one
 * of its own, timed from the rest. */
static void band_pull_from_the_pointed_foot_ends_at_rest(void **state)
{
    (void)state;
    rig r;
    rig_band(&r);
    r.x = -48.0f;
    hold(&r, 3.0f);
    go(&r, -8.0f, 2.0f, 0, 0);
    go(&r, -14.0f, 1.5f, 0, 0);
    hold(&r, 12.0f);
    go(&r, 0.0f, 2.0f, 0, 0);
    hold(&r, 15.0f);
    go(&r, -14.0f, 1.5f, 0, 0);
    hold(&r, 8.0f);
    assert_int_equal(r.n, 1);
    assert_true(r.ex[0].t_start_us > 18000000);
    assert_true(fabsf(r.ex[0].top_s - 15.0f) < 1.5f);
}

/* A person with little range: the foot pointed to loop the band (-48), back to where the
 * band leaves it (-11.8), then a hold 3.8 deg above that (a sway up to 4.5 deg), 12 s
 * of rest, and the next hold. The rest is less than `engage` below the level held, yet
 * half the hold's height for the rest between holds: two holds, each timed on its own
 * (they were one hold of 66 s). */
static void small_range_band_holds_split_at_the_rest(void **state)
{
    (void)state;
    rig r;
    rig_band(&r);
    r.x = -48.0f;
    hold(&r, 3.0f);
    go(&r, -11.8f, 2.0f, 0, 0);
    hold(&r, 0.5f);
    const float lvl[2] = {-8.0f, -7.0f}; /* (the second starts `engage` above the rest) */
    for (int k = 0; k < 2; k++) {
        go(&r, lvl[k], 1.5f, 0, 0);
        hold(&r, 10.0f);
        go(&r, lvl[k] + 0.7f, 0.5f, 0, 0);
        go(&r, lvl[k], 0.5f, 0, 0);
        hold(&r, 14.5f);
        go(&r, -11.8f, 1.0f, 0, 0);
        hold(&r, 12.0f);
    }
    assert_int_equal(r.n, 2);
    for (int k = 0; k < 2; k++)
        assert_true(fabsf(r.ex[k].top_s - 26.0f) < 1.5f);
}

/* A shallow lunge (6.5 deg past the stance, swaying by 1.5 deg either way) eased off for
 * a moment 15 s in: down to within a degree of the stance, still there for 0.7 s, and
 * back in. One hold, timed whole (it was two: the first ended where it came down, the
 * second began where it went back in, 15 s lost). */
static void shallow_lunge_eased_near_the_stance_is_one_hold(void **state)
{
    (void)state;
    rig r;
    rig_holds(&r, 1.5f);
    r.d.cfg.gap_s = 2.5f;
    r.x = 4.0f;
    hold(&r, 4.0f);               /* at the lunge stance */
    go_mj(&r, 10.5f, 2.0f, 0.0f); /* into the stretch */
    sway(&r, 10.5f, 1.5f, 1.25f, 12);
    go_mj(&r, 5.0f, 0.6f, 0.0f);  /* eased off */
    hold(&r, 0.7f);
    go_mj(&r, 10.5f, 0.6f, 0.0f); /* and back in */
    sway(&r, 10.5f, 1.5f, 1.25f, 8);
    go_mj(&r, 4.0f, 1.5f, 0.0f);  /* back to the stance */
    hold(&r, 6.0f);
    assert_int_equal(r.n, 1);
    assert_true(fabsf(r.ex[0].top_s - 27.0f) < 1.5f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stretch_holds_with_position_and_rest),
        cmocka_unit_test(reps_after_a_step_and_a_rest_start_from_the_rest),
        cmocka_unit_test(flush_keeps_no_rep_still_up),
        cmocka_unit_test(hold_phases_from_the_last_movement),
        cmocka_unit_test(hold_phases_slow_way_up_from_a_step),
        cmocka_unit_test(hold_phases_from_a_high_stance),
        cmocka_unit_test(hold_starts_with_its_way_up),
        cmocka_unit_test(shallow_hold_timed_clear_of_the_sway),
        cmocka_unit_test(shallow_hold_timed_inside_the_trace),
        cmocka_unit_test(attempt_pausing_where_it_turns),
        cmocka_unit_test(attempt_then_stepping_out),
        cmocka_unit_test(holds_with_a_still_rest_between_are_two),
        cmocka_unit_test(attempt_turned_back_is_its_own),
        cmocka_unit_test(bounces_and_quick_tilts_are_no_attempts),
        cmocka_unit_test(bouncing_is_one_hold),
        cmocka_unit_test(bouncing_from_a_quick_way_up_is_one_hold),
        cmocka_unit_test(fidgets_and_short_dips_are_nothing),
        cmocka_unit_test(reps_counted_without_lag),
        cmocka_unit_test(rep_tempo_to_the_peak),
        cmocka_unit_test(rep_tempo_lopsided_sagging_shallow),
        cmocka_unit_test(flush_closes_a_hold),
        cmocka_unit_test(shallow_hold_from_a_pose_is_not_restarted),
        cmocka_unit_test(hold_begun_with_the_pose_counts),
        cmocka_unit_test(sway_dip_in_a_pose_hold_is_no_new_hold),
        cmocka_unit_test(sway_dip_early_in_a_hold_begun_with_the_pose),
        cmocka_unit_test(swing_in_a_hold_begun_with_the_pose_is_part_of_it),
        cmocka_unit_test(pose_hold_eased_off_and_pressed_again_is_timed_whole),
        cmocka_unit_test(pose_hold_eased_off_and_pressed_again_smoothly_is_timed_whole),
        cmocka_unit_test(pose_hold_pressed_again_much_later_is_a_new_hold),
        cmocka_unit_test(sway_in_the_pose_is_no_hold),
        cmocka_unit_test(sway_after_a_pose_hold_is_no_hold),
        cmocka_unit_test(easing_off_in_a_pose_hold_is_one_hold),
        cmocka_unit_test(slow_shallow_press_from_the_pose_counts),
        cmocka_unit_test(press_kept_under_engage_is_a_hold),
        cmocka_unit_test(pose_moved_up_under_engage_is_no_hold),
        cmocka_unit_test(presses_from_a_pose_taken_in_two_stages_are_two),
        cmocka_unit_test(sway_dip_in_a_slow_pose_press_is_no_turn_back),
        cmocka_unit_test(sway_rest_in_a_slow_pose_press_is_no_turn_back),
        cmocka_unit_test(easing_off_for_a_moment_is_one_hold),
        cmocka_unit_test(attempt_into_the_stance_then_the_hold_are_two),
        cmocka_unit_test(easing_off_a_shallow_hold_is_one_hold),
        cmocka_unit_test(slow_shallow_band_pulls_count),
        cmocka_unit_test(easing_off_the_band_to_rest_is_one_hold),
        cmocka_unit_test(band_pull_from_the_pointed_foot_ends_at_rest),
        cmocka_unit_test(small_range_band_holds_split_at_the_rest),
        cmocka_unit_test(shallow_lunge_eased_near_the_stance_is_one_hold),
        cmocka_unit_test(hold_begun_with_the_pose_then_standing_up),
        cmocka_unit_test(hold_after_standing_up_rises_from_the_pose),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
