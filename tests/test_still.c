/* test_still.c - still detection and gyro bias from still periods. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>

#include "calftrack/analysis/gyro_offset.h"
#include "calftrack/analysis/still.h"

#define RATE_HZ 416.0f

static uint32_t rng = 12345u;
static float noise(float sd) /* roughly gaussian: sum of 4 uniforms */
{
    float s = 0.0f;
    for (int i = 0; i < 4; i++) {
        rng = rng * 1664525u + 1013904223u;
        s += (float)(rng >> 8) / 16777216.0f - 0.5f;
    }
    return s * sd * 1.732f;
}

static void still_when_still_not_when_moving(void **state)
{
    (void)state;
    ct_still st;
    still_init(&st, NULL);
    float dt = 1.0f / RATE_HZ;
    ct_vec3 bias = v3(4.0f, -3.0f, 2.0f); /* 5.4 deg/s: unknown bias must not matter */
    int still_n = 0;
    for (int i = 0; i < (int)RATE_HZ * 2; i++) {
        ct_vec3 a = v3(noise(0.002f), 0.0f + noise(0.002f), 1.0f + noise(0.002f));
        ct_vec3 g = v3(bias.x + noise(0.15f), bias.y + noise(0.15f), bias.z + noise(0.15f));
        still_n += still_update(&st, &a, &g, &g, false, dt);
    }
    assert_true(st.still && st.still_s > 1.5f);
    assert_true(still_n > (int)(RATE_HZ * 1.6f));
    /* a slow 1 Hz sway of +-5 deg about x is motion */
    int moving_n = 0;
    for (int i = 0; i < (int)RATE_HZ * 2; i++) {
        float t = (float)i * dt, ang = 5.0f * CT_DEG2RAD_F * sinf(2.0f * CT_PI_F * t);
        float rate = 5.0f * 2.0f * CT_PI_F * cosf(2.0f * CT_PI_F * t);
        ct_vec3 a = v3(0.0f, sinf(ang), cosf(ang));
        ct_vec3 g = v3(bias.x + rate, bias.y, bias.z);
        moving_n += !still_update(&st, &a, &g, &g, false, dt);
    }
    assert_true(moving_n > (int)(RATE_HZ * 1.9f));
    /* once the bias is known, a steady slow turn (low deviation) is still rejected */
    still_init(&st, NULL);
    int s2 = 0;
    ct_vec3 up = v3(0, 0, 1), turn = v3(8, 0, 0);
    for (int i = 0; i < (int)RATE_HZ; i++)
        s2 += still_update(&st, &up, &turn, &turn, true, dt);
    assert_int_equal(s2, 0);
}

/* A consumer accelerometer's offsets and sensitivity error put its reading of gravity at
 * rest anywhere from about 0.88 to 1.12 g: at rest is at rest. A steady reading far from
 * 1 g (the pod on something accelerating) is not. */
static void still_with_an_uncalibrated_accelerometer(void **state)
{
    (void)state;
    float dt = 1.0f / RATE_HZ;
    static const float read_g[3] = {1.09f, 0.90f, 1.30f};
    for (int k = 0; k < 3; k++) {
        ct_still st;
        still_init(&st, NULL);
        int still_n = 0;
        for (int i = 0; i < (int)RATE_HZ * 2; i++) {
            ct_vec3 a = v3(0.5f * read_g[k] + noise(0.003f), noise(0.003f),
                           0.866f * read_g[k] + noise(0.003f));
            ct_vec3 g = v3(noise(0.15f), noise(0.15f), noise(0.15f));
            still_n += still_update(&st, &a, &g, &g, false, dt);
        }
        if (k < 2) {
            assert_true(st.still && st.still_s > 1.5f);
            assert_true(still_n > (int)(RATE_HZ * 1.6f));
        } else {
            assert_int_equal(still_n, 0);
        }
    }
}

static void bias_acquired_then_tracks_drift(void **state)
{
    (void)state;
    ct_still st;
    ct_gyro_offset go;
    still_init(&st, NULL);
    gyro_offset_init(&go, NULL);
    float dt = 1.0f / RATE_HZ;
    ct_vec3 bias = v3(3.0f, -4.0f, 1.0f);
    ct_vec3 corr = v3(0, 0, 0);
    for (int i = 0; i < (int)(RATE_HZ * 1.5f); i++) {
        ct_vec3 g = v3(bias.x + noise(0.2f), bias.y + noise(0.2f), bias.z + noise(0.2f));
        ct_vec3 a = v3(noise(0.002f), noise(0.002f), 1.0f + noise(0.002f));
        still_update(&st, &a, &g, &corr, go.known, dt);
        corr = gyro_offset_update(&go, &g, st.still_s, dt);
    }
    assert_true(go.known);
    assert_true(v3_norm(v3_sub(go.bias_dps, bias)) < 0.05f);
    /* temperature drift: 1 deg/s over 60 s, still throughout */
    for (int i = 0; i < (int)(RATE_HZ * 60.0f); i++) {
        float d = (float)i * dt / 60.0f;
        ct_vec3 b = v3(bias.x + d, bias.y, bias.z);
        ct_vec3 g = v3(b.x + noise(0.2f), b.y + noise(0.2f), b.z + noise(0.2f));
        ct_vec3 a = v3(noise(0.002f), noise(0.002f), 1.0f + noise(0.002f));
        still_update(&st, &a, &g, &corr, go.known, dt);
        corr = gyro_offset_update(&go, &g, st.still_s, dt);
    }
    /* a ramp of 1/60 deg/s^2 behind a 10 s time constant lags 0.17 deg/s */
    assert_true(fabsf(go.bias_dps.x - (bias.x + 1.0f)) < 0.22f);
    assert_true(fabsf(go.bias_dps.y - bias.y) < 0.05f);
}

/* The accelerometer's noise density, learnt at rest: white noise of 400 ug/rtHz (a
 * consumer IMU) at 50 Hz and of 90 ug/rtHz (the pod's) at 104 Hz, each with a body's
 * sway at rest (+-4 mg at 0.7 Hz on two axes), which must not pass for noise; a knock
 * in the middle barely moves it. */
static void noise_density_learnt_at_rest(void **state)
{
    (void)state;
    static const float nd_ug[2] = {400.0f, 90.0f}, rate[2] = {50.0f, 104.0f};
    for (int c = 0; c < 2; c++) {
        ct_still st;
        still_init(&st, NULL);
        float dt = 1.0f / rate[c], sd = nd_ug[c] * 1e-6f * sqrtf(rate[c] / 2.0f);
        ct_vec3 g = v3(0.0f, 0.0f, 0.0f);
        assert_true(still_acc_psd(&st) == 0.0f); /* not known yet */
        for (int i = 0; i < (int)(rate[c] * 20.0f); i++) {
            float t = (float)i * dt, sw = 0.004f * sinf(2.0f * CT_PI_F * 0.7f * t);
            ct_vec3 a = v3(sw + noise(sd), 0.5f * sw + noise(sd), 1.0f + noise(sd));
            if (i == (int)(rate[c] * 6.0f))
                a.x += 0.03f;
            still_update(&st, &a, &g, &g, true, dt);
        }
        float nd = sqrtf(still_acc_psd(&st)) * 1e6f;
        printf("%.0f ug/rtHz at %.0f Hz: read %.1f\n", nd_ug[c], rate[c], nd);
        assert_true(nd > 0.9f * nd_ug[c] && nd < 1.1f * nd_ug[c]);
    }
}

/* A noisy sensor read fast (400 ug/rtHz at 833 Hz: 8 mg an axis in one sample, more than
 * the 12 mg deviation allowed at rest over three axes) at rest is still within a second,
 * and its noise density is then learnt; a movement of 30 mg (a heel raise's push, 2 Hz)
 * is no rest but for the running deviation's lag as it begins (was: never still, so
 * nothing was measured, no placement, no rep). */
static void still_with_a_noisy_fast_sensor(void **state)
{
    (void)state;
    ct_still st;
    still_init(&st, NULL);
    float rate = 833.0f, dt = 1.0f / rate, sd = 400e-6f * sqrtf(rate / 2.0f);
    ct_vec3 g = v3(0.0f, 0.0f, 0.0f);
    float first = -1.0f, moving_still = 0.0f;
    for (int i = 0; i < (int)(rate * 10.0f); i++) {
        float t = (float)i * dt;
        float push = t >= 6.0f && t < 8.0f ? 0.03f * sinf(2.0f * CT_PI_F * 2.0f * t) : 0.0f;
        ct_vec3 a = v3(noise(sd), push + noise(sd), 1.0f + push + noise(sd));
        bool still = still_update(&st, &a, &g, &g, true, dt);
        if (still && first < 0.0f)
            first = t;
        if (still && push != 0.0f)
            moving_still += dt;
    }
    float nd = sqrtf(still_acc_psd(&st)) * 1e6f;
    printf("400 ug/rtHz at 833 Hz: still after %.2f s, still %.2f s of 2 s moving, read %.0f\n",
           (double)first, (double)moving_still, (double)nd);
    assert_true(first >= 0.0f && first < 1.0f);
    assert_true(moving_still < 0.25f);
    assert_true(nd > 360.0f && nd < 440.0f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(still_when_still_not_when_moving),
        cmocka_unit_test(still_with_an_uncalibrated_accelerometer),
        cmocka_unit_test(bias_acquired_then_tracks_drift),
        cmocka_unit_test(noise_density_learnt_at_rest),
        cmocka_unit_test(still_with_a_noisy_fast_sensor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
