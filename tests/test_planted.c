/* test_planted.c - net horizontal shift and turn of the pod between two instants. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "calftrack/analysis/planted.h"
#include "support/minjerk.h"

#define RATE_HZ 104.0f
#define G 9.80665f

/* Acceleration (m/s^2) of a minimum-jerk move of d metres over T seconds, at t. */
static float mj_acc_at(float d, float T, float t)
{
    return t < 0.0f || t > T ? 0.0f : mj_acc(d, T, t / T);
}

/* Rate (deg/s) of a minimum-jerk turn of a degrees over T seconds, at t. */
static float mj_rate(float a, float T, float t)
{
    if (t < 0.0f || t > T)
        return 0.0f;
    float u = t / T;
    return a / T * (30.0f * u * u - 60.0f * u * u * u + 30.0f * u * u * u * u);
}

typedef struct {
    float fwd_m, side_m, back_frac; /* moved out, then back by back_frac of it */
    float turn_deg, turn_back_frac;
    float out_s, back_s, rest_s;
    ct_vec3 bias_g; /* a constant accelerometer error, earth frame, g */
} motion;

/* Plays rest, the move out, the move back, rest; returns the device times where the
 * movement began and ended. */
static void play(ct_planted *p, const motion *m, int64_t *t0_us, int64_t *t1_us)
{
    float dt = 1.0f / RATE_HZ;
    float T = m->rest_s + m->out_s + m->back_s + m->rest_s;
    int n = (int)(T * RATE_HZ);
    for (int i = 0; i < n; i++) {
        float t = (float)i * dt;
        float t1 = t - m->rest_s, t2 = t1 - m->out_s;
        float ax = mj_acc_at(m->fwd_m, m->out_s, t1) - mj_acc_at(m->back_frac * m->fwd_m, m->back_s, t2);
        float ay = mj_acc_at(m->side_m, m->out_s, t1) - mj_acc_at(m->back_frac * m->side_m, m->back_s, t2);
        float w = mj_rate(m->turn_deg, m->out_s, t1) -
                  mj_rate(m->turn_back_frac * m->turn_deg, m->back_s, t2);
        ct_vec3 a = v3(ax / G + m->bias_g.x, ay / G + m->bias_g.y, 1.0f + m->bias_g.z);
        planted_update(p, &a, w, (int64_t)i * 9615, dt);
    }
    *t0_us = (int64_t)(m->rest_s * 1e6f);
    *t1_us = (int64_t)((m->rest_s + m->out_s + m->back_s) * 1e6f);
}

/* A heel raise: the pod goes forward and comes back (the forefoot stays planted), the
 * tibia turns out and back; a constant accelerometer error of 20 mg is no shift. */
static void heel_raise_comes_back(void **state)
{
    (void)state;
    static ct_planted p;
    planted_init(&p);
    motion m = {.fwd_m = 0.05f, .side_m = 0.01f, .back_frac = 1.0f, .turn_deg = 6.0f,
                .turn_back_frac = 1.0f, .out_s = 1.2f, .back_s = 1.8f, .rest_s = 2.0f,
                .bias_g = v3(0.02f, -0.015f, 0.0f)};
    int64_t t0, t1;
    play(&p, &m, &t0, &t1);
    ct_planted_move mv;
    assert_true(planted_move(&p, t0, t1, &mv));
    assert_true(mv.shift_m < 0.005f);
    assert_true(fabsf(mv.yaw_deg) < 0.3f);
    assert_true(fabsf(mv.span_s - 3.0f) < 0.05f);
}

/* A foot lifted and put down 8 cm ahead and 4 cm aside, turned by 10 deg. */
static void shuffle_moves_and_turns(void **state)
{
    (void)state;
    static ct_planted p;
    planted_init(&p);
    motion m = {.fwd_m = 0.08f, .side_m = 0.04f, .back_frac = 0.0f, .turn_deg = 10.0f,
                .turn_back_frac = 0.0f, .out_s = 0.7f, .back_s = 0.2f, .rest_s = 1.0f,
                .bias_g = v3(0.01f, 0.01f, 0.0f)};
    int64_t t0, t1;
    play(&p, &m, &t0, &t1);
    ct_planted_move mv;
    assert_true(planted_move(&p, t0, t1, &mv));
    assert_true(fabsf(mv.shift_m - 0.0894f) < 0.005f);
    assert_true(fabsf(mv.yaw_deg - 10.0f) < 0.5f);
}

/* Where the pod was at the top, with the same constant error taken out: a heel raise
 * swings the pod out and back (at the top it is out, at the end back home); a foot
 * lifted and carried on is at the top half way to where it is put down. */
static void where_it_was_between(void **state)
{
    (void)state;
    static ct_planted p;
    planted_init(&p);
    motion m = {.fwd_m = 0.05f, .side_m = 0.01f, .back_frac = 1.0f, .out_s = 0.5f,
                .back_s = 0.6f, .rest_s = 2.0f, .bias_g = v3(0.02f, -0.015f, 0.0f)};
    int64_t t0, t1;
    play(&p, &m, &t0, &t1);
    ct_planted_move mv;
    assert_true(planted_move_via(&p, t0, t0 + 500000, t1, &mv));
    assert_true(fabsf(mv.via_x_m - 0.05f) < 0.003f);
    assert_true(fabsf(mv.via_y_m - 0.01f) < 0.003f);
    assert_true(mv.shift_m < 0.003f);

    planted_init(&p);
    motion c = {.fwd_m = 0.03f, .side_m = -0.02f, .back_frac = -1.0f, .out_s = 0.35f,
                .back_s = 0.35f, .rest_s = 2.0f, .bias_g = v3(-0.01f, 0.02f, 0.0f)};
    play(&p, &c, &t0, &t1);
    assert_true(planted_move_via(&p, t0, t0 + 350000, t1, &mv));
    assert_true(fabsf(mv.via_x_m - 0.03f) < 0.003f);
    assert_true(fabsf(mv.via_y_m + 0.02f) < 0.003f);
    assert_true(fabsf(mv.x_m - 0.06f) < 0.005f);
    assert_true(fabsf(mv.y_m + 0.04f) < 0.005f);
    /* the whole span, via its end: the net shift */
    assert_true(planted_move_via(&p, t0, t1, t1, &mv));
    assert_true(fabsf(mv.via_x_m - mv.x_m) < 1e-4f && fabsf(mv.via_y_m - mv.y_m) < 1e-4f);
}

/* Only what the history still holds is judged. */
static void history_limits(void **state)
{
    (void)state;
    static ct_planted p;
    planted_init(&p);
    ct_planted_move mv;
    assert_false(planted_move(&p, 0, 1000000, &mv)); /* nothing yet */
    float dt = 1.0f / RATE_HZ;
    int n = (int)(40.0f * RATE_HZ); /* twice the history */
    for (int i = 0; i < n; i++)
        planted_update(&p, &(ct_vec3){0.0f, 0.0f, 1.0f}, 0.0f, (int64_t)i * 9615, dt);
    int64_t now = (int64_t)(n - 1) * 9615;
    assert_false(planted_move(&p, now - 30000000, now, &mv)); /* 30 s back: gone */
    assert_false(planted_move(&p, now, now - 1000000, &mv));   /* empty span */
    assert_true(planted_move(&p, now - 5000000, now, &mv));
    assert_true(mv.shift_m < 1e-4f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(heel_raise_comes_back),
        cmocka_unit_test(shuffle_moves_and_turns),
        cmocka_unit_test(where_it_was_between),
        cmocka_unit_test(history_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
