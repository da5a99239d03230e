/* test_sim_sensor.c - the LSM6DSOX-like error model: quantisation and clipping at the
 * configured full scale, noise from the noise density, bias and its drift, scale and
 * cross-axis error, the sample clock and the GET_INFO reply. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calftrack/sim.h"

static sim g_sim;

static void still_person(sim_person *p)
{
    sim_person_default(p);
    p->sway_deg = 0.0f;
    p->tremor_deg = 0.0f;
}

static sim_sensor clean(void)
{
    sim_sensor c = sim_sensor_default;
    c.acc_noise_ug_rthz = c.gyr_noise_mdps_rthz = 0.0f;
    c.acc_bias_mg = c.gyr_bias_dps = 0.0f;
    c.acc_drift_mg_per_rtmin = c.gyr_drift_dps_per_rtmin = 0.0f;
    c.scale_err_pct = c.cross_axis_pct = 0.0f;
    c.gyr_warmup_dps = 0.0f;
    return c;
}

/* Every raw value is the exact reading rounded to the nearest LSB, and phys is raw
 * times the sensitivity. */
static void quantised_to_the_lsb(void **state)
{
    (void)state;
    sim_person p;
    sim_person_random(&p, 3);
    sim_step plan[64];
    size_t n = sim_plan_random(plan, 64, EX_CALF_RAISE, 1, 3);
    sim_sensor c = clean();
    c.acc_range_g = 4;
    c.gyr_range_dps = 500;
    assert_int_equal(sim_init(&g_sim, &p, &c, plan, n, PLACE_SHIN, SIDE_RIGHT, 3), CT_OK);
    double alsb = 122e-6, glsb = 17500e-6;
    wire_sample w;
    ct_sample s;
    sim_truth_sample t;
    uint64_t k = 0;
    while (sim_next(&g_sim, &w, &s, &t)) {
        for (int i = 0; i < 3; i++) {
            if (fabs(t.acc_g[i]) < 3.9)
                assert_int_equal(w.acc[i], (int16_t)lrint(t.acc_g[i] / alsb));
            if (fabs(t.gyr_dps[i]) < 490.0)
                assert_int_equal(w.gyr[i], (int16_t)lrint(t.gyr_dps[i] / glsb));
            assert_true(fabsf(s.acc_g[i] - (float)(w.acc[i] * alsb)) < 1e-6f);
            assert_true(fabsf(s.gyr_dps[i] - (float)(w.gyr[i] * glsb)) < 1e-4f);
        }
        k++;
    }
    assert_true(k > 3000);
}

/* A small full scale clips: raw values stop at the int16 ends, never wrap, and the
 * sample says so. */
static void clipping_at_full_scale(void **state)
{
    (void)state;
    sim_person p;
    sim_person_random(&p, 4);
    sim_step plan[3] = {
        {.kind = SIM_STEP_WALK, .distance_m = 8.0f, .turn_deg = 180.0f},
        {.kind = SIM_STEP_WALK, .distance_m = 8.0f},
    };
    sim_sensor c = clean();
    c.acc_range_g = 2;
    c.gyr_range_dps = 125;
    assert_int_equal(sim_init(&g_sim, &p, &c, plan, 2, PLACE_SHIN, SIDE_LEFT, 4), CT_OK);
    wire_sample w;
    ct_sample s;
    sim_truth_sample t;
    int gclip = 0, aclip = 0;
    while (sim_next(&g_sim, &w, &s, &t)) {
        bool ga = false, gg = false;
        for (int i = 0; i < 3; i++) {
            double a = t.acc_g[i] / 61e-6, g = t.gyr_dps[i] / 4375e-6;
            if (a >= 32767.0 || a <= -32768.0) {
                ga = true;
                assert_int_equal(w.acc[i], a > 0 ? 32767 : -32768);
            }
            if (g >= 32767.0 || g <= -32768.0) {
                gg = true;
                assert_int_equal(w.gyr[i], g > 0 ? 32767 : -32768);
            }
        }
        assert_int_equal((s.flags & CT_SAMPLE_ACC_CLIP) != 0, ga);
        assert_int_equal((s.flags & CT_SAMPLE_GYR_CLIP) != 0, gg);
        aclip += ga;
        gclip += gg;
    }
    printf("walking at +-2 g / +-125 dps: %d accelerometer and %d gyroscope samples clipped\n",
           aclip, gclip);
    assert_true(gclip > 30);
    assert_true(aclip > 0);
}

static void stats(sim_sensor *c, double seconds, double mean_a[3], double sd_a[3],
                  double mean_g[3], double sd_g[3])
{
    sim_person p;
    still_person(&p);
    sim_step plan[1] = {{.kind = SIM_STEP_STAND_STILL, .duration_s = (float)seconds}};
    assert_int_equal(sim_init(&g_sim, &p, c, plan, 1, PLACE_SHIN, SIDE_LEFT, 8), CT_OK);
    double sa[3] = {0}, sa2[3] = {0}, sg[3] = {0}, sg2[3] = {0};
    ct_sample s;
    sim_truth_sample t;
    uint64_t n = 0;
    while (sim_next(&g_sim, NULL, &s, &t)) {
        for (int i = 0; i < 3; i++) {
            double a = s.acc_g[i] - t.acc_g[i], g = s.gyr_dps[i] - t.gyr_dps[i];
            sa[i] += a;
            sa2[i] += a * a;
            sg[i] += g;
            sg2[i] += g * g;
        }
        n++;
    }
    for (int i = 0; i < 3; i++) {
        mean_a[i] = sa[i] / n;
        mean_g[i] = sg[i] / n;
        sd_a[i] = sqrt(sa2[i] / n - mean_a[i] * mean_a[i]);
        sd_g[i] = sqrt(sg2[i] / n - mean_g[i] * mean_g[i]);
    }
}

/* White noise at the datasheet density over the ODR/2 bandwidth. */
static void noise_follows_density(void **state)
{
    (void)state;
    sim_sensor c = clean();
    c.acc_range_g = 2;    /* fine LSB: quantisation adds little */
    c.gyr_range_dps = 125;
    c.acc_noise_ug_rthz = 90.0f;
    c.gyr_noise_mdps_rthz = 4.0f;
    for (int odr = 0; odr < 2; odr++) {
        c.odr_hz = odr ? 833 : 104;
        double bw = odr ? 416.667 : 52.083;
        double ma[3], sa[3], mg[3], sg[3];
        stats(&c, 60.0, ma, sa, mg, sg);
        double want_a = 90e-6 * sqrt(bw), want_g = 4e-3 * sqrt(bw);
        for (int i = 0; i < 3; i++) {
            assert_true(fabs(sa[i] / want_a - 1.0) < 0.1);
            assert_true(fabs(sg[i] / want_g - 1.0) < 0.1);
            assert_true(fabs(ma[i]) < 0.1 * want_a);
        }
        printf("%u Hz: accelerometer noise %.3f mg rms (want %.3f), "
               "gyroscope %.4f dps (want %.4f)\n",
               c.odr_hz, sa[2] * 1e3, want_a * 1e3, sg[2], want_g);
    }
}

/* A gyroscope bias up to the configured bound, different per axis, and a slow drift. */
static void bias_and_drift(void **state)
{
    (void)state;
    sim_sensor c = clean();
    c.gyr_range_dps = 125;
    c.gyr_bias_dps = 5.0f;
    c.acc_bias_mg = 30.0f;
    double ma[3], sa[3], mg[3], sg[3];
    stats(&c, 20.0, ma, sa, mg, sg);
    double biggest = 0.0;
    for (int i = 0; i < 3; i++) {
        assert_true(fabs(mg[i]) <= 5.0 + 0.01);
        assert_true(fabs(ma[i]) <= 0.030 + 0.001);
        if (fabs(mg[i]) > biggest)
            biggest = fabs(mg[i]);
    }
    assert_true(biggest > 0.5);
    assert_true(mg[0] != mg[1] && mg[1] != mg[2]);

    /* drift only: 1 dps per sqrt(minute) moves the bias by about 2 dps in 4 minutes */
    c = clean();
    c.gyr_range_dps = 125;
    c.gyr_drift_dps_per_rtmin = 1.0f;
    sim_person p;
    still_person(&p);
    sim_step plan[1] = {{.kind = SIM_STEP_STAND_STILL, .duration_s = 240.0f}};
    assert_int_equal(sim_init(&g_sim, &p, &c, plan, 1, PLACE_SHIN, SIDE_LEFT, 8), CT_OK);
    ct_sample s;
    double first[3] = {0}, last[3] = {0};
    uint64_t k = 0, per = 104 * 10;
    while (sim_next(&g_sim, NULL, &s, NULL)) {
        for (int i = 0; i < 3; i++) {
            if (k < per)
                first[i] += s.gyr_dps[i] / per;
            else if (k >= 104 * 230)
                last[i] += s.gyr_dps[i] / per;
        }
        k++;
    }
    double moved = 0.0;
    for (int i = 0; i < 3; i++)
        moved += (last[i] - first[i]) * (last[i] - first[i]);
    moved = sqrt(moved / 3.0);
    printf("gyroscope bias drift over 4 min at 1 dps/rt(min): %.2f dps rms\n", moved);
    assert_true(moved > 0.3 && moved < 8.0);

    /* warm-up only: settles by up to 2 dps per axis, most of it in the first minutes */
    c = clean();
    c.gyr_range_dps = 125;
    c.gyr_warmup_dps = 2.0f;
    plan[0].duration_s = 600.0f;
    assert_int_equal(sim_init(&g_sim, &p, &c, plan, 1, PLACE_SHIN, SIDE_LEFT, 8), CT_OK);
    memset(first, 0, sizeof first);
    memset(last, 0, sizeof last);
    k = 0;
    while (sim_next(&g_sim, NULL, &s, NULL)) {
        for (int i = 0; i < 3; i++) {
            if (k < per)
                first[i] += s.gyr_dps[i] / per;
            else if (k >= 104 * 590)
                last[i] += s.gyr_dps[i] / per;
        }
        k++;
    }
    double most = 0.0;
    for (int i = 0; i < 3; i++) {
        double d = fabs(last[i] - first[i]);
        assert_true(d <= 2.0 + 0.02);
        if (d > most)
            most = d;
    }
    printf("gyroscope warm-up over 10 min (up to 2 dps): largest axis moved %.2f dps\n", most);
    assert_true(most > 0.2);
}

/* Scale and cross-axis errors bend a still 1 g by at most their sum. */
static void scale_and_cross_axis(void **state)
{
    (void)state;
    sim_sensor c = clean();
    c.acc_range_g = 2;
    c.scale_err_pct = 1.0f;
    c.cross_axis_pct = 1.0f;
    double worst = 0.0, mean_dev = 0.0;
    for (int strap = 0; strap < 360; strap += 45) {
        c.strap_deg = (float)strap;
        c.strap_random = false;
        double ma[3], sa[3], mg[3], sg[3];
        stats(&c, 1.0, ma, sa, mg, sg);
        double d = sqrt(ma[0] * ma[0] + ma[1] * ma[1] + ma[2] * ma[2]);
        if (d > worst)
            worst = d;
        mean_dev += d / 8;
    }
    assert_true(worst < 0.02 * sqrt(3.0) + 1e-3);
    assert_true(mean_dev > 1e-4);
}

static void clock_and_info(void **state)
{
    (void)state;
    static const uint16_t odrs[4] = {104, 208, 416, 833};
    static const int64_t period_us[4] = {9600, 4800, 2400, 1200};
    sim_person p;
    sim_person_default(&p);
    sim_step plan[1] = {{.kind = SIM_STEP_STAND_STILL, .duration_s = 2.0f}};
    for (int i = 0; i < 4; i++) {
        sim_sensor c = sim_sensor_default;
        c.odr_hz = odrs[i];
        assert_int_equal(sim_init(&g_sim, &p, &c, plan, 1, PLACE_FOOT, SIDE_RIGHT, 1), CT_OK);
        ct_sample s;
        sim_truth_sample t;
        uint64_t k = 0;
        while (sim_next(&g_sim, NULL, &s, &t)) {
            assert_int_equal(s.index, k);
            assert_int_equal(s.t_us, (int64_t)k * period_us[i]);
            assert_int_equal(t.t_us, s.t_us);
            k++;
        }
        assert_true(llabs((int64_t)k * period_us[i] - 2000000) <= period_us[i]);
        wire_info info;
        sim_wire_info(&g_sim, &info);
        assert_int_equal(info.odr_hz, odrs[i]);
        assert_int_equal(info.period_ns, (uint32_t)period_us[i] * 1000u);
        assert_int_equal(info.acc_ug_per_lsb, 488);
        assert_int_equal(info.gyr_udps_per_lsb, 70000);
        assert_int_equal(info.imu_id, 0x6C);
        assert_int_equal(info.board, WIRE_BOARD_VIRTUAL);
    }
    /* an IMU clock 3 % slow: samples 3 % further apart on the device clock, same motion */
    sim_sensor c = sim_sensor_default;
    c.odr_error_pct = 3.0f;
    plan[0].duration_s = 10.0f;
    assert_int_equal(sim_init(&g_sim, &p, &c, plan, 1, PLACE_FOOT, SIDE_RIGHT, 1), CT_OK);
    ct_sample s;
    uint64_t k = 0;
    int64_t last = 0;
    while (sim_next(&g_sim, NULL, &s, NULL)) {
        assert_true(llabs(s.t_us - llround(k * 9600.0 * 1.03)) <= 1);
        last = s.t_us;
        k++;
    }
    assert_true(llabs(last - 10000000) <= 9888);
    assert_true(llabs((int64_t)k - 1011) <= 1);
    c.odr_error_pct = 25.0f;
    assert_int_equal(sim_init(&g_sim, &p, &c, plan, 1, PLACE_FOOT, SIDE_RIGHT, 1), CT_EARG);

    /* another sensor's rate (data imported from it): 50 Hz is 20 ms a sample; 60 Hz's
     * 16.667 ms is kept to the nanosecond, so its sample times stay within 1 us */
    c = sim_sensor_other;
    plan[0].duration_s = 2.0f;
    static const uint16_t other_hz[2] = {50, 60};
    for (int i = 0; i < 2; i++) {
        c.odr_hz = other_hz[i];
        assert_int_equal(sim_init(&g_sim, &p, &c, plan, 1, PLACE_FOOT, SIDE_RIGHT, 1), CT_OK);
        k = 0;
        while (sim_next(&g_sim, NULL, &s, NULL)) {
            assert_true(llabs(s.t_us - llround(k * 1e6 / other_hz[i])) <= 1);
            k++;
        }
        assert_true(llabs((int64_t)k - 2 * other_hz[i]) <= 1);
    }
    /* and nothing outside 20..1000 Hz */
    c.odr_hz = 19;
    assert_int_equal(sim_init(&g_sim, &p, &c, plan, 1, PLACE_FOOT, SIDE_RIGHT, 1), CT_EARG);
    c.odr_hz = 1001;
    assert_int_equal(sim_init(&g_sim, &p, &c, plan, 1, PLACE_FOOT, SIDE_RIGHT, 1), CT_EARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quantised_to_the_lsb),
        cmocka_unit_test(clipping_at_full_scale),
        cmocka_unit_test(noise_follows_density),
        cmocka_unit_test(bias_and_drift),
        cmocka_unit_test(scale_and_cross_axis),
        cmocka_unit_test(clock_and_info),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
