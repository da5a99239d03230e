/* test_acc_offset.c - the accelerometer's offset from pairs of still poses: found across
 * the turns made, left near zero along an axis no turn has shown, and not fooled by
 * still poses that are not turned apart. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "calftrack/analysis/acc_offset.h"

#define RATE_HZ 104.0f

/* Holds each pose still for 1.5 s, then turns at a steady rate about axis (sensor
 * frame) to the next over 1 s; the accelerometer reads gravity seen from the sensor
 * plus the offset b. Returns the pairs used. */
static int run(ct_acc_offset *o, const float *turn_deg, int n, ct_vec3 axis, ct_vec3 b,
               float gyro_scale)
{
    float dt = 1.0f / RATE_HZ;
    ct_quat q = q_identity(); /* sensor to world */
    for (int k = 0; k < n; k++) {
        ct_vec3 up = q_rotate(q_conj(q), v3(0.0f, 0.0f, 1.0f));
        ct_vec3 m = v3_add(up, b), zero = v3(0.0f, 0.0f, 0.0f);
        for (float t = 0.0f, still = 0.0f; t < 1.5f; t += dt) {
            still += dt;
            acc_offset_update(o, &zero, &m, still, dt);
        }
        if (k == n - 1)
            break;
        float rate = turn_deg[k] / 1.0f;
        ct_vec3 w = v3_scale(axis, rate * gyro_scale);
        ct_quat step = q_axis_angle(axis, rate * CT_DEG2RAD_F * dt);
        for (float t = 0.0f; t < 1.0f - 0.5f * dt; t += dt) {
            q = q_mul(q, step);
            acc_offset_update(o, &w, &m, 0.0f, dt);
        }
    }
    return o->pairs;
}

static void found_across_the_turns(void **state)
{
    (void)state;
    ct_acc_offset o;
    acc_offset_init(&o, NULL);
    ct_vec3 b = v3(0.030f, -0.020f, 0.045f);
    static const float turns[6] = {30.0f, -45.0f, 25.0f, -20.0f, 40.0f, -30.0f};
    /* turned about x: y and z are seen, x is not */
    assert_int_equal(run(&o, turns, 7, v3(1.0f, 0.0f, 0.0f), b, 1.0f), 6);
    assert_true(fabsf(o.bias_g.y - b.y) < 0.004f);
    assert_true(fabsf(o.bias_g.z - b.z) < 0.004f);
    assert_true(fabsf(o.bias_g.x) < 0.004f);
    /* then about y as well: x is seen too */
    run(&o, turns, 7, v3(0.0f, 1.0f, 0.0f), b, 1.0f);
    assert_true(v3_norm(v3_sub(o.bias_g, b)) < 0.006f);
}

/* A gyro reading 3 % high: the offset comes out within about 3 % of gravity of the true
 * one (the limit of the method: every turn is read 3 % long), against the 78 mg left in
 * without it (here 30 mg, along gravity at the first pose) */
static void gyro_sensitivity_error(void **state)
{
    (void)state;
    ct_acc_offset o;
    acc_offset_init(&o, NULL);
    ct_vec3 b = v3(0.0f, 0.060f, -0.050f);
    static const float turns[6] = {30.0f, -45.0f, 25.0f, -20.0f, 40.0f, -30.0f};
    run(&o, turns, 7, v3(1.0f, 0.0f, 0.0f), b, 1.03f);
    ct_vec3 e = v3_sub(o.bias_g, b);
    assert_true(sqrtf(e.y * e.y + e.z * e.z) < 0.035f);
}

/* Still poses not turned apart (a small sway, or a long wait), or a pair too far apart in
 * time for the gyro: no pair, the offset stays zero */
static void no_pair_without_a_turn(void **state)
{
    (void)state;
    ct_acc_offset o;
    acc_offset_init(&o, NULL);
    ct_vec3 b = v3(0.030f, -0.020f, 0.045f);
    static const float small[4] = {5.0f, -5.0f, 4.0f, -4.0f};
    assert_int_equal(run(&o, small, 5, v3(1.0f, 0.0f, 0.0f), b, 1.0f), 0);
    assert_true(v3_norm(o.bias_g) == 0.0f);
    /* a turn of 30 deg made over 12 s (slow, or with a pause short of a still pose) */
    acc_offset_init(&o, NULL);
    ct_vec3 m = v3_add(v3(0.0f, 0.0f, 1.0f), b), w = v3(2.5f, 0.0f, 0.0f), zero = v3(0, 0, 0);
    float dt = 1.0f / RATE_HZ;
    for (float t = 0.0f, still = 0.0f; t < 1.5f; t += dt)
        acc_offset_update(&o, &zero, &m, still += dt, dt);
    for (float t = 0.0f; t < 12.0f; t += dt)
        acc_offset_update(&o, &w, &m, 0.0f, dt);
    for (float t = 0.0f, still = 0.0f; t < 1.5f; t += dt)
        acc_offset_update(&o, &zero, &m, still += dt, dt);
    assert_int_equal(o.pairs, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(found_across_the_turns),
        cmocka_unit_test(gyro_sensitivity_error),
        cmocka_unit_test(no_pair_without_a_turn),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
