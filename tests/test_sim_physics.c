/* test_sim_physics.c - the simulated pod obeys the physics: a still pod reads 1 g up
 * and no rotation in any orientation; integrating its gyroscope gives back the true
 * orientation; double-integrating its gravity-free acceleration gives back the true
 * displacement (noise-free sensor). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "calftrack/sim.h"

#define DEG (3.14159265358979323846 / 180.0)

static sim g_sim; /* large: keep it off the stack */

static void qmul(const double a[4], const double b[4], double o[4])
{
    o[0] = a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3];
    o[1] = a[0] * b[1] + a[1] * b[0] + a[2] * b[3] - a[3] * b[2];
    o[2] = a[0] * b[2] - a[1] * b[3] + a[2] * b[0] + a[3] * b[1];
    o[3] = a[0] * b[3] + a[1] * b[2] - a[2] * b[1] + a[3] * b[0];
}

/* v rotated by q (sensor to world). */
static void qrot(const double q[4], const double v[3], double o[3])
{
    double p[4] = {0, v[0], v[1], v[2]}, t[4], qc[4] = {q[0], -q[1], -q[2], -q[3]}, r[4];
    qmul(q, p, t);
    qmul(t, qc, r);
    o[0] = r[1];
    o[1] = r[2];
    o[2] = r[3];
}

/* Angle between two orientations, deg. */
static double qangle_deg(const double a[4], const double b[4])
{
    double d = fabs(a[0] * b[0] + a[1] * b[1] + a[2] * b[2] + a[3] * b[3]);
    if (d > 1.0)
        d = 1.0;
    return 2.0 * acos(d) / DEG;
}

static void still_person(sim_person *p)
{
    sim_person_default(p);
    p->sway_deg = 0.0f;
    p->tremor_deg = 0.0f;
}

/* Standing, on a chair and on the floor, strap at every 30 deg, tilted, both legs and
 * both placements: |a| = 1 g pointing up and zero rate while at rest. */
static void still_pod_reads_one_g_up(void **state)
{
    (void)state;
    sim_person p;
    still_person(&p);
    int checked = 0;
    for (int posture = 0; posture < 3; posture++) {
        sim_step plan[3] = {{.kind = SIM_STEP_STAND_STILL, .duration_s = 1.0f}};
        size_t n = 1;
        if (posture > 0) {
            plan[1] = (sim_step){.kind = SIM_STEP_SIT_DOWN, .posture = (sim_posture)posture};
            plan[2] = (sim_step){.kind = SIM_STEP_REST, .duration_s = 2.0f};
            n = 3;
        }
        for (int strap = 0; strap < 360; strap += 30) {
            for (int pl = PLACE_SHIN; pl <= PLACE_FOOT; pl++) {
                sim_sensor c = sim_sensor_ideal;
                c.odr_hz = 104;
                c.strap_deg = (float)strap;
                c.tilt_deg = 8.0f;
                ct_side side = strap % 60 ? SIDE_LEFT : SIDE_RIGHT;
                assert_int_equal(sim_init(&g_sim, &p, &c, plan, n, (ct_placement)pl, side,
                                          (uint64_t)strap + 1),
                                 CT_OK);
                sim_truth_sample t;
                ct_sample s;
                while (sim_next(&g_sim, NULL, &s, &t)) {
                    if (t.kind != SIM_STEP_STAND_STILL && t.kind != SIM_STEP_REST)
                        continue;
                    for (int i = 0; i < 3; i++)
                        assert_true(t.vel_m_s[i] == 0.0);
                    double a = sqrt(s.acc_g[0] * s.acc_g[0] + s.acc_g[1] * s.acc_g[1] +
                                    s.acc_g[2] * s.acc_g[2]);
                    assert_true(fabs(a - 1.0) < 1e-6);
                    for (int i = 0; i < 3; i++)
                        assert_true(fabs(s.gyr_dps[i]) < 1e-6);
                    double up[3];
                    double f[3] = {s.acc_g[0], s.acc_g[1], s.acc_g[2]};
                    qrot(t.quat, f, up);
                    assert_true(fabs(up[0]) < 1e-6 && fabs(up[1]) < 1e-6 &&
                                fabs(up[2] - 1.0) < 1e-6);
                    checked++;
                }
            }
        }
    }
    assert_true(checked > 3 * 12 * 2 * 100);
}

/* Plans with lots of rotation: calf raises, lunges, walking, fidgets, a strap turn. */
static size_t busy_plan(sim_step *plan)
{
    size_t n = 0;
    plan[n++] = (sim_step){.kind = SIM_STEP_CALIBRATE, .duration_s = 4.0f};
    plan[n++] = (sim_step){.kind = SIM_STEP_WALK, .distance_m = 4.0f, .turn_deg = 150.0f};
    sim_step e = {.kind = SIM_STEP_EXERCISE};
    sim_set_default(&e.set, EX_CALF_RAISE);
    e.set.count = 6;
    plan[n++] = e;
    plan[n++] = (sim_step){.kind = SIM_STEP_STRAP_ADJUST, .strap_delta_deg = 120.0f};
    plan[n++] = (sim_step){.kind = SIM_STEP_FIDGET, .duration_s = 8.0f};
    sim_set_default(&e.set, EX_LUNGE_STRETCH);
    e.set.count = 2;
    e.set.hold_s = 8.0f;
    plan[n++] = e;
    plan[n++] = (sim_step){.kind = SIM_STEP_SIT_DOWN, .posture = SIM_POSTURE_FLOOR};
    plan[n++] = (sim_step){.kind = SIM_STEP_FIDGET, .duration_s = 6.0f};
    plan[n++] = (sim_step){.kind = SIM_STEP_STAND_UP};
    return n;
}

/* Strapdown integration of the noise-free gyroscope (rate averaged over each sample
 * interval, exact exponential map) from the true initial orientation. */
static double gyro_orientation_error(ct_placement pl, uint16_t odr, double seconds)
{
    sim_person p;
    sim_person_random(&p, 11);
    sim_step plan[16];
    size_t n = busy_plan(plan);
    sim_sensor c = sim_sensor_ideal;
    c.odr_hz = odr;
    c.strap_deg = 37.0f;
    assert_int_equal(sim_init(&g_sim, &p, &c, plan, n, pl, SIDE_RIGHT, 5), CT_OK);
    sim_truth_sample t;
    ct_sample s, prev;
    double q[4], worst = 0.0, dt = 0.0;
    double rot_deg = 0.0;
    uint64_t k = 0;
    while (sim_next(&g_sim, NULL, &s, &t)) {
        if (k == 0) {
            memcpy(q, t.quat, sizeof q);
        } else {
            dt = (double)(s.t_us - prev.t_us) * 1e-6;
            double w[3], th2 = 0.0;
            for (int i = 0; i < 3; i++) {
                w[i] = 0.5 * (s.gyr_dps[i] + prev.gyr_dps[i]) * DEG;
                th2 += w[i] * w[i];
            }
            double wn = sqrt(th2), th = wn * dt;
            double dq[4] = {cos(0.5 * th), 0, 0, 0};
            if (wn > 0.0)
                for (int i = 0; i < 3; i++)
                    dq[i + 1] = sin(0.5 * th) * w[i] / wn;
            /* coning correction for the change of axis within the interval */
            double a[3] = {prev.gyr_dps[0] * DEG, prev.gyr_dps[1] * DEG, prev.gyr_dps[2] * DEG};
            double b[3] = {s.gyr_dps[0] * DEG, s.gyr_dps[1] * DEG, s.gyr_dps[2] * DEG};
            double cx[3] = {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2],
                            a[0] * b[1] - a[1] * b[0]};
            for (int i = 0; i < 3; i++)
                dq[i + 1] += cx[i] * dt * dt / 24.0;
            double o[4];
            qmul(q, dq, o);
            double nn = sqrt(o[0] * o[0] + o[1] * o[1] + o[2] * o[2] + o[3] * o[3]);
            for (int i = 0; i < 4; i++)
                q[i] = o[i] / nn;
            rot_deg += wn * dt / DEG;
            double e = qangle_deg(q, t.quat);
            if (e > worst)
                worst = e;
        }
        prev = s;
        k++;
        if (s.t_us > seconds * 1e6)
            break;
    }
    assert_true(k * (1.0 / odr) > 0.95 * seconds);
    printf("gyro integration, %s, %u Hz, %.0f s (%.0f deg turned): worst error %.5f deg\n",
           pl == PLACE_SHIN ? "shin" : "foot", odr, seconds, rot_deg, worst);
    return worst;
}

static void gyro_integrates_to_true_orientation(void **state)
{
    (void)state;
    assert_true(gyro_orientation_error(PLACE_SHIN, 833, 60.0) < 0.01);
    assert_true(gyro_orientation_error(PLACE_FOOT, 833, 60.0) < 0.01);
}

/* Gravity-free acceleration in world axes, integrated twice from the true initial
 * position and velocity, over windows of `window` seconds. */
static double displacement_error(ct_placement pl, double window, double *travel)
{
    sim_person p;
    sim_person_random(&p, 12);
    sim_step plan[16];
    size_t n = busy_plan(plan);
    sim_sensor c = sim_sensor_ideal;
    c.strap_deg = 200.0f;
    assert_int_equal(sim_init(&g_sim, &p, &c, plan, n, pl, SIDE_LEFT, 6), CT_OK);
    sim_truth_sample t;
    ct_sample s;
    double pos[3], vel[3], a_prev[3] = {0}, worst = 0.0, t0 = 0.0;
    const double dt = 1.2e-3; /* 833 Hz */
    *travel = 0.0;
    bool have = false;
    while (sim_next(&g_sim, NULL, &s, &t)) {
        double f[3] = {s.acc_g[0], s.acc_g[1], s.acc_g[2]}, a[3];
        qrot(t.quat, f, a);
        a[2] -= 1.0;
        for (int i = 0; i < 3; i++)
            a[i] *= 9.80665;
        double now = (double)t.t_us * 1e-6;
        if (have) {
            for (int i = 0; i < 3; i++) {
                double v1 = vel[i] + 0.5 * (a_prev[i] + a[i]) * dt;
                /* trapezoid of velocity, corrected for the change of acceleration */
                double step = 0.5 * (vel[i] + v1) * dt - (a[i] - a_prev[i]) * dt * dt / 12.0;
                pos[i] += step;
                *travel += fabs(step);
                vel[i] = v1;
            }
            if (now - t0 >= window - 1e-9) {
                double e = sqrt((pos[0] - t.pos_m[0]) * (pos[0] - t.pos_m[0]) +
                                (pos[1] - t.pos_m[1]) * (pos[1] - t.pos_m[1]) +
                                (pos[2] - t.pos_m[2]) * (pos[2] - t.pos_m[2]));
                if (e > worst)
                    worst = e;
                have = false;
            }
        }
        if (!have) {
            memcpy(pos, t.pos_m, sizeof pos);
            memcpy(vel, t.vel_m_s, sizeof vel);
            t0 = now;
            have = true;
        }
        memcpy(a_prev, a, sizeof a);
    }
    printf("double integration, %s, %.0f s windows (%.1f m travelled): worst error %.3f mm\n",
           pl == PLACE_SHIN ? "shin" : "foot", window, *travel, worst * 1e3);
    return worst;
}

static void accelerometer_integrates_to_true_displacement(void **state)
{
    (void)state;
    double travel;
    assert_true(displacement_error(PLACE_SHIN, 10.0, &travel) < 1e-3);
    assert_true(travel > 5.0);
    assert_true(displacement_error(PLACE_FOOT, 10.0, &travel) < 1e-3);
}

/* No jump anywhere: over whole random sessions of every exercise (entries, exits,
 * early starts, posture changes, walking, fidgets, strap turns), the position's second
 * difference matches the accelerometer and the orientation's step matches the gyro. */
static void no_jumps_in_any_session(void **state)
{
    (void)state;
    const double dt = 1.2e-3;
    for (int ex = 0; ex < EX_COUNT; ex++) {
        for (int pl = PLACE_SHIN; pl <= PLACE_FOOT; pl++) {
            sim_step plan[64];
            size_t n = sim_plan_random(plan, 64, (ct_exercise)ex, 2, 300 + (uint64_t)ex);
            sim_person p;
            sim_person_random(&p, 31 + (uint64_t)ex);
            p.p_early_start = 1.0f;
            sim_sensor c = sim_sensor_ideal;
            c.strap_random = true;
            c.tilt_deg = 6.0f;
            assert_int_equal(sim_init(&g_sim, &p, &c, plan, n, (ct_placement)pl,
                                      ex & 1 ? SIDE_LEFT : SIDE_RIGHT, 9),
                             CT_OK);
            sim_truth_sample t0, t1, t2;
            uint64_t k = 0;
            double worst_a = 0.0, worst_q = 0.0;
            while (sim_next(&g_sim, NULL, NULL, &t2)) {
                if (k >= 2) {
                    double f[3] = {t1.acc_g[0], t1.acc_g[1], t1.acc_g[2]}, a[3];
                    qrot(t1.quat, f, a);
                    a[2] -= 1.0;
                    for (int i = 0; i < 3; i++) {
                        double fd = (t2.pos_m[i] - 2.0 * t1.pos_m[i] + t0.pos_m[i]) / (dt * dt);
                        double e = fabs(fd - a[i] * 9.80665);
                        if (e > worst_a)
                            worst_a = e;
                    }
                    /* turn from t1 to t2 against the mean rate */
                    double w2 = 0.0;
                    for (int i = 0; i < 3; i++) {
                        double w = 0.5 * (t1.gyr_dps[i] + t2.gyr_dps[i]);
                        w2 += w * w;
                    }
                    double e = fabs(qangle_deg(t1.quat, t2.quat) - sqrt(w2) * dt);
                    if (e > worst_q)
                        worst_q = e;
                }
                t0 = t1;
                t1 = t2;
                k++;
            }
            /* a 1 mm jump would show as ~700 m/s^2; kinks in jerk leave < 1 m/s^2 */
            assert_true(worst_a < 2.0);
            assert_true(worst_q < 0.01);
            assert_true(k > 100000);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(still_pod_reads_one_g_up),
        cmocka_unit_test(gyro_integrates_to_true_orientation),
        cmocka_unit_test(accelerometer_integrates_to_true_displacement),
        cmocka_unit_test(no_jumps_in_any_session),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
