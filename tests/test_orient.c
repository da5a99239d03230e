/* test_orient.c - the quaternion filter: gyro integration, gravity correction only
 * near 1 g, convergence from a wrong start. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "calftrack/analysis/orient.h"

static float angle_deg(ct_vec3 a, ct_vec3 b)
{
    return acosf(fminf(1.0f, v3_dot(v3_unit(a), v3_unit(b)))) * CT_RAD2DEG_F;
}

static void integrates_a_turn_exactly(void **state)
{
    (void)state;
    ct_orient o;
    orient_init(&o, NULL);
    orient_reset(&o, v3(0, 0, 1));
    /* 90 deg about x in 1 s at 1 kHz; the accelerometer sees a big linear acceleration
     * (1.5 g) so no correction may happen */
    float dt = 0.001f;
    for (int i = 0; i < 1000; i++)
        orient_update(&o, &(ct_vec3){90.0f, 0, 0}, &(ct_vec3){0, 0, 1.5f}, false, dt);
    /* up in the sensor frame turned by -90 deg about x: (0, 1, 0)... sign per q* z q */
    ct_quat q = q_axis_angle(v3(1, 0, 0), CT_PI_F / 2);
    ct_vec3 want = q_up_in_sensor(q);
    assert_true(angle_deg(o.up, want) < 0.05f);
}

static void gravity_pulls_back_a_wrong_tilt(void **state)
{
    (void)state;
    ct_orient o;
    orient_init(&o, NULL);
    orient_reset(&o, v3(0.5f, 0, 0.866f)); /* 30 deg wrong */
    ct_vec3 g = v3(0, 0, 1);
    float dt = 0.01f;
    for (int i = 0; i < 200; i++) /* 2 s still */
        orient_update(&o, &(ct_vec3){0, 0, 0}, &g, true, dt);
    assert_true(angle_deg(o.up, g) < 0.1f);
    /* while moving the pull is gentler but still there */
    orient_reset(&o, v3(0.5f, 0, 0.866f));
    for (int i = 0; i < 200; i++)
        orient_update(&o, &(ct_vec3){0, 0, 0}, &g, false, dt);
    float e = angle_deg(o.up, g);
    assert_true(e > 1.0f && e < 6.0f); /* exp(-2 s * 1/s) of 30 deg */
}

static void gyro_bias_leaves_a_small_tilt_error(void **state)
{
    (void)state;
    ct_orient o;
    orient_init(&o, NULL);
    orient_reset(&o, v3(0, 0, 1));
    float dt = 0.01f;
    for (int i = 0; i < 3000; i++) /* 30 s with 0.3 deg/s of residual bias, moving */
        orient_update(&o, &(ct_vec3){0.3f, 0, 0}, &(ct_vec3){0, 0, 1}, false, dt);
    /* steady state: bias / gain = 0.3 deg/s / 1 s^-1 */
    assert_true(angle_deg(o.up, v3(0, 0, 1)) < 0.35f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(integrates_a_turn_exactly),
        cmocka_unit_test(gravity_pulls_back_a_wrong_tilt),
        cmocka_unit_test(gyro_bias_leaves_a_small_tilt_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
