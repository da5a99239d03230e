/* test_vec.c - vector/quaternion value ops and the fast atan2 of the per-sample path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "calftrack/vec.h"

static void atan2_matches_libm_everywhere(void **state)
{
    (void)state;
    float worst = 0.0f;
    for (int i = 0; i < 3600; i++) {
        float a = (float)i * 0.1f * CT_DEG2RAD_F - CT_PI_F;
        for (int r = 1; r <= 3; r++) {
            float y = sinf(a) * (float)r, x = cosf(a) * (float)r;
            float d = fabsf(ct_atan2f(y, x) - atan2f(y, x));
            if (d > CT_PI_F)
                d = 2.0f * CT_PI_F - d; /* +-180 deg are the same angle */
            if (d > worst)
                worst = d;
        }
    }
    assert_true(worst * CT_RAD2DEG_F < 0.002f); /* 0.002 deg */
    assert_true(ct_atan2f(0.0f, 0.0f) == 0.0f);
}

static void rotate_and_between(void **state)
{
    (void)state;
    /* 90 deg about z takes x to y */
    ct_quat q = q_axis_angle(v3(0, 0, 1), CT_PI_F / 2);
    ct_vec3 r = q_rotate(q, v3(1, 0, 0));
    assert_true(fabsf(r.x) < 1e-6f && fabsf(r.y - 1.0f) < 1e-6f && fabsf(r.z) < 1e-6f);
    /* q_between(a, b) rotates a onto b, also for opposite vectors */
    ct_vec3 a = v3_unit(v3(0.3f, -0.5f, 0.8f)), b = v3_unit(v3(-0.9f, 0.1f, 0.2f));
    ct_vec3 ab = q_rotate(q_between(a, b), a);
    assert_true(v3_norm(v3_sub(ab, b)) < 1e-5f);
    ct_vec3 na = v3_scale(a, -1.0f);
    assert_true(v3_norm(v3_sub(q_rotate(q_between(a, na), a), na)) < 1e-5f);
    /* up-in-sensor is the inverse rotation of earth z */
    ct_quat t = q_unit(q_mul(q_axis_angle(v3(1, 0, 0), 0.7f), q_axis_angle(v3(0, 1, 0), -0.4f)));
    ct_vec3 u1 = q_up_in_sensor(t), u2 = q_rotate(q_conj(t), v3(0, 0, 1));
    assert_true(v3_norm(v3_sub(u1, u2)) < 1e-6f);
}

/* The symmetric solver of least-squares normal equations with a ridge: a known x comes
 * back from N x + ridge x; a singular N (one direction only, no ridge) is refused. */
static void sym3_solve_normal_equations(void **state)
{
    (void)state;
    const float n[6] = {2.0f, 0.3f, -0.1f, 1.5f, 0.2f, 1.0f}; /* xx xy xz yy yz zz */
    const float ridge = 0.1f;
    ct_vec3 want = v3(0.5f, -1.0f, 2.0f);
    ct_vec3 r = v3((n[0] + ridge) * want.x + n[1] * want.y + n[2] * want.z,
                   n[1] * want.x + (n[3] + ridge) * want.y + n[4] * want.z,
                   n[2] * want.x + n[4] * want.y + (n[5] + ridge) * want.z);
    ct_vec3 x;
    assert_true(sym3_solve(n, ridge, r, 0.0f, &x));
    assert_true(v3_norm(v3_sub(x, want)) < 1e-5f);
    const float one[6] = {1.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};
    x = v3(7.0f, 7.0f, 7.0f);
    assert_false(sym3_solve(one, 0.0f, v3(1.0f, 0.0f, 0.0f), 0.0f, &x));
    assert_true(x.x == 7.0f && x.y == 7.0f && x.z == 7.0f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(atan2_matches_libm_everywhere),
        cmocka_unit_test(rotate_and_between),
        cmocka_unit_test(sym3_solve_normal_equations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
