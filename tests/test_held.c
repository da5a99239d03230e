/* test_held.c - a heel raise held on the toes, floor to floor: the height held, the
 * time at the top and the phases, with an accelerometer bias, a trembling top and the
 * tilt error that comes with the shank's lean at the top; standing still and a step are
 * no hold. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "calftrack/analysis/held.h"
#include "support/minjerk.h"

#define RATE 104.0f
#define DT (1.0f / RATE)

typedef struct {
    ct_held h;
    double t;
    float z;          /* true height, m */
    float lean;       /* true lean of the shank from standing, rad (about the pod's y) */
    ct_vec3 bias;     /* accelerometer bias, g */
    float tilt_g;     /* extra error per radian of lean, g (a tilt-dependent error) */
    float tremor_g;   /* vertical tremor at the top, g (6 Hz) */
    float sway_rad;   /* sway of the shank's lean at the top, rad (0.5 Hz) */
    ct_held_hold hold[8];
    int n;
} rig;

static void rig_init(rig *r)
{
    memset(r, 0, sizeof *r);
    held_init(&r->h);
    r->bias = v3(0.004f, -0.006f, 0.005f);
}

static void sample(rig *r, float acc_mps2, float trem_g, bool still)
{
    /* the pod's x runs up the shank; leaning forward turns it about y */
    ct_vec3 up = v3(cosf(r->lean), 0.0f, sinf(r->lean));
    float f = 1.0f + acc_mps2 / 9.80665f + trem_g + r->tilt_g * r->lean;
    ct_vec3 a = v3_add(v3_scale(up, f), r->bias);
    if (held_update(&r->h, &a, &up, &(ct_vec3){0, 0, 0}, still, (int64_t)llround(r->t * 1e6), DT,
                    &r->hold[r->n]) && r->n < 7)
        r->n++;
    r->t += DT;
}

/* minimum-jerk move of the heel from the current height to `to` (leaning to `lean_to`,
 * rad) over dur_s */
static void go(rig *r, float to, float lean_to, float dur_s)
{
    float from = r->z, l0 = r->lean;
    int n = (int)lroundf(dur_s * RATE);
    for (int i = 0; i < n; i++) {
        float u = (float)(i + 1) / (float)n;
        float s = mj_frac(u);
        float acc = mj_acc(to - from, dur_s, u);
        r->z = from + (to - from) * s;
        r->lean = l0 + (lean_to - l0) * s;
        sample(r, acc, 0.0f, false);
    }
}

static void stay(rig *r, float dur_s, bool top)
{
    int n = (int)lroundf(dur_s * RATE);
    float lean = r->lean;
    for (int i = 0; i < n; i++) {
        float trem = top ? r->tremor_g * sinf(2.0f * 3.14159265f * 6.0f * (float)r->t) : 0.0f;
        if (top)
            r->lean = lean + r->sway_rad * sinf(2.0f * 3.14159265f * 0.5f * (float)i / RATE);
        sample(r, 0.0f, trem, !top);
    }
    r->lean = lean;
}

/* stand, rise 6 cm in up_s (leaning to `lean`), hold the top for top_s, lower in down_s,
 * stand */
static void raise_hold(rig *r, float lean, float up_s, float top_s, float down_s)
{
    stay(r, 3.0f, false);
    go(r, 0.06f, lean, up_s);
    stay(r, top_s, true);
    go(r, 0.0f, 0.0f, down_s);
    stay(r, 3.0f, false);
}

/* the same with a rise and a lowering of 1.5 s each */
static void one_hold(rig *r, float top_s, float lean)
{
    raise_hold(r, lean, 1.5f, top_s, 1.5f);
}

/* exactly one hold told, 6 cm high within peak_tol cm, its top top_s within top_tol s */
static void assert_one_hold(const rig *r, double peak_tol, double top_s, double top_tol)
{
    assert_int_equal(r->n, 1);
    assert_float_equal(r->hold[0].peak_cm, 6.0, peak_tol);
    assert_float_equal(r->hold[0].top_s, top_s, top_tol);
}

/* A hold with a light tremor at the top and the shank leaning 4 deg there. (A top held
 * perfectly steady with the shank upright is taken for standing after a second: held.c
 * tells the floor from the shank leaning back or from a lowering, and steadiness alone
 * from either end is ambiguous; people on their toes tremble.) */
static void test_hold(void **state)
{
    (void)state;
    static rig r;
    rig_init(&r);
    r.tremor_g = 0.01f;
    one_hold(&r, 10.0f, 4.0f * 3.14159265f / 180.0f);
    assert_int_equal(r.n, 1);
    assert_float_equal(r.hold[0].peak_cm, 6.0, 0.5);
    /* minimum-jerk phases: the 10-90 % crossings give the movement's own length */
    assert_float_equal(r.hold[0].top_s, 10.0, 0.3);
    assert_float_equal(r.hold[0].up_s, 1.5, 0.3);
    assert_float_equal(r.hold[0].down_s, 1.5, 0.3);
}

/* A trembling top and a shank leaning 7 deg there with 40 mg per radian of tilt error
 * (2.8 mg at the top: over 20 s, metres of integrated height if left in). */
static void test_trembling_leaning_hold(void **state)
{
    (void)state;
    static rig r;
    rig_init(&r);
    r.tremor_g = 0.02f;
    r.tilt_g = -0.04f;
    one_hold(&r, 20.0f, 7.0f * 3.14159265f / 180.0f);
    assert_one_hold(&r, 0.8, 20.0, 0.5);
}

/* A top held quietly (a tremor of 3 mg) with the shank leaning 1 deg, too little to tell
 * the floor by: the lowering is told by integration alone, with the error at the top
 * read from the top (read from the rise's own speed, it looked lowered 4 s into the
 * hold). */
static void test_quiet_upright_hold(void **state)
{
    (void)state;
    static rig r;
    rig_init(&r);
    r.tremor_g = 0.003f;
    raise_hold(&r, 1.0f * 3.14159265f / 180.0f, 1.0f, 15.0f, 1.0f);
    assert_one_hold(&r, 0.5, 15.0, 0.3);
}

/* A slow rise (2.5 s): its start creeps up steadily, short of 1.5 cm when the force
 * has been steady for half a second, but already rising at centimetres a second; no
 * shift of weight that went nowhere. */
static void test_slow_rise(void **state)
{
    (void)state;
    static rig r;
    rig_init(&r);
    r.tremor_g = 0.005f;
    raise_hold(&r, 1.0f * 3.14159265f / 180.0f, 2.5f, 15.0f, 2.5f);
    assert_one_hold(&r, 0.6, 15.0, 0.3);
}

/* The tremor dies down 1.2 s before a slow lowering (2.5 s): the top is as steady as the
 * floor, but no lowering has been seen: still on the toes, one hold timed whole (not a
 * hold with no top and a second one on the way down). */
static void test_quiet_end_of_top(void **state)
{
    (void)state;
    static rig r;
    rig_init(&r);
    r.tremor_g = 0.01f;
    float lean = 4.0f * 3.14159265f / 180.0f;
    stay(&r, 3.0f, false);
    go(&r, 0.06f, lean, 1.0f);
    stay(&r, 12.0f, true);
    r.tremor_g = 0.0f;
    stay(&r, 1.2f, true);
    go(&r, 0.0f, 0.0f, 2.5f);
    stay(&r, 3.0f, false);
    assert_one_hold(&r, 0.5, 13.2, 0.3);
}

/* The tremor dies down 4 s into a 16 s top (the shank leaning 4 deg, 40 mg per radian of
 * tilt error): steady from 6 s into the movement on, the fit reads the still top's drift
 * as a way down that ends within the steady spell, not before it. Still on the toes: one
 * hold timed whole (not a hold with a top of 4 s). */
static void test_still_top_drifting(void **state)
{
    (void)state;
    static rig r;
    rig_init(&r);
    r.tremor_g = 0.01f;
    r.tilt_g = 0.04f;
    float lean = 4.0f * 3.14159265f / 180.0f;
    stay(&r, 3.0f, false);
    go(&r, 0.06f, lean, 1.5f);
    stay(&r, 4.0f, true);
    r.tremor_g = 0.0f;
    stay(&r, 12.0f, true);
    go(&r, 0.0f, 0.0f, 1.5f);
    stay(&r, 3.0f, false);
    assert_one_hold(&r, 0.5, 16.0, 0.3);
}

/* A top as still as the floor from its first second (no tremor, no sway), the shank
 * leaning 7 deg there: steady for a second is not standing while the shank still leans
 * as at the top; one hold until the lean goes back (not a movement ended 2.5 s into it
 * and a top begun again on the toes, of a second or two). */
static void test_still_leaning_top(void **state)
{
    (void)state;
    static rig r;
    rig_init(&r);
    r.tilt_g = 0.01f;
    one_hold(&r, 15.0f, 7.0f * 3.14159265f / 180.0f);
    assert_one_hold(&r, 0.5, 15.0, 0.3);
}

/* A top as still as the floor (no tremor) with the shank leaning 1 deg, too little to
 * tell the floor by: a second of steadiness 2.5 s into the movement is still 6 cm up
 * once the accelerometer's error (one constant over these seconds) is taken out; one
 * hold timed whole (before: a movement of 3.6 cm with no top, and the hold lost). And a
 * heel raise given up, 3 cm up and straight back down, then still, is back down: told
 * as turned back. */
static void test_still_upright_top(void **state)
{
    (void)state;
    static rig r;
    rig_init(&r);
    float lean = 1.0f * 3.14159265f / 180.0f;
    one_hold(&r, 15.0f, lean);
    assert_one_hold(&r, 0.6, 15.0, 0.4);
    go(&r, 0.03f, lean, 0.6f);
    go(&r, 0.0f, 0.0f, 0.7f);
    stay(&r, 3.0f, false);
    assert_int_equal(r.n, 2);
    assert_float_equal(r.hold[1].peak_cm, 3.0, 0.5);
    assert_true(r.hold[1].top_s < 0.3f);
}

/* The shank leans 3.5 deg at the end of the rise and eases back to 2.5 deg over the next
 * second, the top as still as the floor after it: the lean tells no floor (it is not
 * back to 40 % of its most), the shank leans under 3 deg, and a second of steadiness a
 * few seconds in is still 6 cm up with the error taken out; kept open, the fit at 6 s
 * finds no way down of a heel rise's size (the top's drift): one hold timed whole
 * (before: a movement of 3.5 cm with no top, and the hold lost). */
static void test_still_top_lean_eased(void **state)
{
    (void)state;
    static rig r;
    rig_init(&r);
    r.tilt_g = 0.01f;
    float deg = 3.14159265f / 180.0f;
    stay(&r, 3.0f, false);
    go(&r, 0.06f, 3.5f * deg, 1.5f);
    go(&r, 0.06f, 2.5f * deg, 1.0f);
    stay(&r, 14.0f, true);
    go(&r, 0.0f, 0.0f, 1.5f);
    stay(&r, 3.0f, false);
    assert_one_hold(&r, 0.6, 15.0, 0.4);
}

/* Easing off for a moment on the toes (the heels sag by 2 cm for 1.5 s and go back up),
 * the shank upright: no lowering, one hold timed whole. */
static void test_dip_in_hold(void **state)
{
    (void)state;
    static rig r;
    rig_init(&r);
    r.tremor_g = 0.003f;
    float lean = 1.0f * 3.14159265f / 180.0f;
    stay(&r, 3.0f, false);
    go(&r, 0.06f, lean, 1.5f);
    stay(&r, 8.0f, true);
    go(&r, 0.04f, lean, 0.8f);
    stay(&r, 1.5f, true);
    go(&r, 0.06f, lean, 0.8f);
    stay(&r, 6.0f, true);
    go(&r, 0.0f, 0.0f, 1.5f);
    stay(&r, 3.0f, false);
    assert_one_hold(&r, 0.5, 17.1, 0.3);
}

/* The shank leans 1.6 deg at the top and sways by 1.2 deg either way: back to 40 % of its
 * most lean is sway, not the floor (the lean tells the floor from 3 deg on). */
static void test_swaying_shallow_lean(void **state)
{
    (void)state;
    static rig r;
    rig_init(&r);
    r.tremor_g = 0.005f;
    r.sway_rad = 1.2f * 3.14159265f / 180.0f;
    one_hold(&r, 15.0f, 1.6f * 3.14159265f / 180.0f);
    assert_one_hold(&r, 0.5, 15.0, 0.3);
}

/* The shank leans 1.6 deg after the rise and eases back to 0.2 deg over the hold (80 mg
 * per radian of tilt error): it leans more next to the rise than on average, and the
 * lean's shape cannot part the error into a tilt part and an offset there; the error is
 * then one constant over the rise (with the tilt part left in, the rise's trace climbed
 * on through the top: 9.3 cm held). */
static void test_lean_eases_off(void **state)
{
    (void)state;
    static rig r;
    rig_init(&r);
    r.tremor_g = 0.01f;
    r.tilt_g = 0.08f;
    float deg = 3.14159265f / 180.0f;
    stay(&r, 3.0f, false);
    go(&r, 0.06f, 1.6f * deg, 1.5f);
    stay(&r, 3.0f, true);
    for (int i = 0, n = (int)lroundf(2.0f * RATE); i < n; i++) {
        r.lean = (1.6f - 1.4f * (float)(i + 1) / (float)n) * deg;
        sample(&r, 0.0f, r.tremor_g * sinf(2.0f * 3.14159265f * 6.0f * (float)r.t), false);
    }
    stay(&r, 12.0f, true);
    go(&r, 0.0f, 0.0f, 1.5f);
    stay(&r, 3.0f, false);
    assert_one_hold(&r, 0.6, 17.0, 0.4);
}

/* On the toes and perfectly still for 1.5 s (the shank upright), then trembling: with the
 * accelerometer's error (one constant, the shank barely leaning) taken out, the height
 * is still the rise's when the force has been steady for a second: still on the toes,
 * one hold timed whole from the rise (19.5 s; before, taken for standing: the rise a
 * movement of its own and the hold timed from the next one's start, 18 s). */
static void test_hold_begun_on_toes(void **state)
{
    (void)state;
    static rig r;
    rig_init(&r);
    float lean = 1.0f * 3.14159265f / 180.0f;
    stay(&r, 3.0f, false);
    go(&r, 0.06f, lean, 1.5f);
    stay(&r, 1.5f, false);
    r.tremor_g = 0.01f;
    stay(&r, 18.0f, true);
    go(&r, 0.0f, 0.0f, 1.5f);
    r.tremor_g = 0.0f;
    stay(&r, 3.0f, false);
    assert_one_hold(&r, 0.6, 19.5, 0.3);
}

/* The shank leans 5.3 deg at the end of a quick rise and, 1.5 s later, settles back to
 * 3.6 deg over 2 s on the toes, the top as still as the floor: kept open while it leant
 * as at the top, the lean eased by 1.7 deg is no way down (back within 40 % of the lean,
 * 2.1 deg, would be); one hold timed whole (before: dropped 4 s in, on the toes, and
 * the hold lost). */
static void test_lean_settles_at_top(void **state)
{
    (void)state;
    static rig r;
    rig_init(&r);
    r.tilt_g = 0.01f;
    float deg = 3.14159265f / 180.0f;
    stay(&r, 3.0f, false);
    go(&r, 0.078f, 5.3f * deg, 1.3f);
    stay(&r, 1.5f, true);
    go(&r, 0.078f, 3.6f * deg, 2.0f);
    stay(&r, 18.0f, true);
    go(&r, 0.0f, 0.0f, 1.3f);
    stay(&r, 3.0f, false);
    assert_int_equal(r.n, 1);
    assert_float_equal(r.hold[0].peak_cm, 7.8, 0.8);
    assert_float_equal(r.hold[0].top_s, 21.5, 0.4);
}

/* Two holds with a rest between are two. */
static void test_two_holds(void **state)
{
    (void)state;
    static rig r;
    rig_init(&r);
    r.tremor_g = 0.01f;
    one_hold(&r, 8.0f, 0.05f);
    one_hold(&r, 5.0f, 0.05f);
    assert_int_equal(r.n, 2);
    assert_float_equal(r.hold[0].top_s, 8.0, 0.4);
    assert_float_equal(r.hold[1].top_s, 5.0, 0.4);
}

/* Standing still, and a step (the heel strikes: |a| 0.5 g off), are no hold. */
static void test_no_hold(void **state)
{
    (void)state;
    static rig r;
    rig_init(&r);
    stay(&r, 10.0f, false);
    assert_int_equal(r.n, 0);
    for (int i = 0; i < 10; i++)
        sample(&r, 6.0f, 0.0f, false);
    for (int i = 0; i < 10; i++)
        sample(&r, -6.0f, 0.0f, false);
    stay(&r, 5.0f, false);
    assert_int_equal(r.n, 0);
}

/* A heel raise given up (3 cm up in 0.6 s, straight back down in 0.7 s) is one movement
 * with no time at the top, told as turned back; a hold is not. */
static void test_attempt_turned_back(void **state)
{
    (void)state;
    static rig r;
    rig_init(&r);
    r.tremor_g = 0.01f;
    stay(&r, 3.0f, false);
    go(&r, 0.03f, 0.01f, 0.6f);
    go(&r, 0.0f, 0.0f, 0.7f);
    stay(&r, 3.0f, false);
    one_hold(&r, 8.0f, 0.05f);
    assert_int_equal(r.n, 2);
    assert_true(r.hold[0].turned);
    assert_float_equal(r.hold[0].peak_cm, 3.0, 0.4);
    assert_true(r.hold[0].top_s < 0.3f);
    assert_false(r.hold[1].turned);
    assert_float_equal(r.hold[1].top_s, 8.0, 0.4);
}

/* Walking up to the spot: each step swings the shank back by 20 deg and the heel strikes
 * (|a| 0.6 g off) with the shank still swung back; the person stands for 0.8 s and rises
 * (the shank leaning 8 deg at the top). Each strike ends what the movement was; the hold
 * starts from the floor found after the last one, not from the landing's swing (measured
 * from there the rise leans 33 deg, more than any raise: the movement was dropped on the
 * way up and the next one begun there, half way up, at rest). */
static void test_walk_then_hold(void **state)
{
    (void)state;
    static rig r;
    rig_init(&r);
    r.tremor_g = 0.01f;
    stay(&r, 3.0f, false);
    float back = -25.0f * 3.14159265f / 180.0f;
    for (int k = 0; k < 3; k++) {
        go(&r, 0.03f, back, 0.3f);
        go(&r, 0.0f, back, 0.2f);
        for (int i = 0; i < 3; i++)
            sample(&r, 6.0f, 0.0f, false); /* the heel strikes */
        go(&r, 0.0f, 0.0f, 0.4f);
    }
    stay(&r, 0.8f, false);
    go(&r, 0.06f, 8.0f * 3.14159265f / 180.0f, 1.5f);
    stay(&r, 10.0f, true);
    go(&r, 0.0f, 0.0f, 1.5f);
    stay(&r, 3.0f, false);
    assert_one_hold(&r, 0.5, 10.0, 0.3);
    assert_float_equal(r.hold[0].up_s, 1.5, 0.3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hold),
        cmocka_unit_test(test_trembling_leaning_hold),
        cmocka_unit_test(test_quiet_upright_hold),
        cmocka_unit_test(test_slow_rise),
        cmocka_unit_test(test_quiet_end_of_top),
        cmocka_unit_test(test_still_top_drifting),
        cmocka_unit_test(test_still_leaning_top),
        cmocka_unit_test(test_still_upright_top),
        cmocka_unit_test(test_still_top_lean_eased),
        cmocka_unit_test(test_dip_in_hold),
        cmocka_unit_test(test_swaying_shallow_lean),
        cmocka_unit_test(test_lean_eases_off),
        cmocka_unit_test(test_hold_begun_on_toes),
        cmocka_unit_test(test_lean_settles_at_top),
        cmocka_unit_test(test_two_holds),
        cmocka_unit_test(test_no_hold),
        cmocka_unit_test(test_attempt_turned_back),
        cmocka_unit_test(test_walk_then_hold),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
