/* test_align.c - orientation + functional alignment: the sagittal angle does not
 * depend on how the pod is strapped, and its sign follows the calibration gesture. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "analysis_synth.h"
#include "calftrack/analysis/align.h"
#include "calftrack/analysis/gyro_offset.h"
#include "calftrack/analysis/orient.h"
#include "calftrack/analysis/still.h"

typedef struct {
    ct_still st;
    ct_gyro_offset go;
    ct_orient or;
    ct_align al;
} front;

static void front_init(front *f, int expect)
{
    still_init(&f->st, NULL);
    gyro_offset_init(&f->go, NULL);
    orient_init(&f->or, NULL);
    align_init(&f->al, NULL, expect);
}

static float front_step(front *f, const ct_sample *s, float dt)
{
    ct_vec3 a = v3_from(s->acc_g), g = v3_from(s->gyr_dps);
    ct_vec3 g0 = v3_sub(g, f->go.bias_dps);
    bool still = still_update(&f->st, &a, &g, &g0, f->go.known, dt);
    ct_vec3 gc = gyro_offset_update(&f->go, &g, f->st.still_s, dt);
    if (!f->or.aligned) {
        if (f->st.still_s > 0.2f)
            orient_reset(&f->or, f->st.acc_mean_g);
        return 0.0f;
    }
    orient_update(&f->or, &gc, &a, still, dt);
    align_update(&f->al, f->or.up, a, gc, f->st.still_s, dt);
    return f->al.ref_valid ? align_angle_deg(&f->al, f->or.up) : 0.0f;
}

/* stand 2 s, sway the knee forward by sway_deg and back over 2 s, stand 1.5 s,
 * tilt to hold_deg over 2 s, hold 4 s. Returns the mean angle over the hold. */
static float run(front *f, synth_pod *p, float sway_deg, float hold_deg, float want_deg,
                 float *worst)
{
    float rate = p->rate_hz, dt = 1.0f / rate;
    double t = 0.0;
    float sum = 0.0f;
    int n = 0;
    *worst = 0.0f;
    for (int i = 0; t < 11.5; i++, t = i / (double)rate) {
        float th = 0.0f, w = 0.0f;
        if (t >= 2.0 && t < 4.0) {
            float u = (float)(t - 2.0) / 2.0f; /* there and back: sin^2 */
            th = sway_deg * sinf(CT_PI_F * u) * sinf(CT_PI_F * u);
            w = sway_deg * CT_PI_F / 2.0f * sinf(2.0f * CT_PI_F * u) * CT_RAD2DEG_F * CT_DEG2RAD_F;
        } else if (t >= 5.5 && t < 7.5) {
            float u = (float)(t - 5.5) / 2.0f;
            th = hold_deg * synth_ramp(u);
            w = hold_deg * synth_dramp(u) / 2.0f;
        } else if (t >= 7.5) {
            th = hold_deg;
        }
        ct_sample s = synth_sample(p, t, th, w, 0.0f);
        float ang = front_step(f, &s, dt);
        if (t >= 8.0) {
            sum += ang;
            n++;
            float e = fabsf(ang - want_deg);
            if (e > *worst)
                *worst = e;
        }
    }
    return n ? sum / (float)n : 0.0f;
}

/* A stand of one second only, then straight into a 30 deg lunge (no gesture): the
 * stand, cut short, is the reference (first_ref_s), and the hold reads 30 deg. */
static void short_first_stand_is_the_reference(void **state)
{
    (void)state;
    for (int strap = 0; strap < 360; strap += 45) {
        synth_pod p;
        synth_init(&p, PLACE_SHIN, (float)strap, 104.0f);
        p.gyr_noise_dps = 0.05f;
        p.acc_noise_g = 0.001f;
        front f;
        front_init(&f, 1);
        float rate = p.rate_hz, dt = 1.0f / rate, sum = 0.0f;
        int n = 0;
        double t = 0.0;
        for (int i = 0; t < 10.0; i++, t = i / (double)rate) {
            float th = 0.0f, w = 0.0f;
            if (t >= 1.0 && t < 3.0) {
                float u = (float)(t - 1.0) / 2.0f;
                th = 30.0f * synth_ramp(u);
                w = 30.0f * synth_dramp(u) / 2.0f;
            } else if (t >= 3.0)
                th = 30.0f;
            ct_sample smp = synth_sample(&p, t, th, w, 0.0f);
            float ang = front_step(&f, &smp, dt);
            if (t < 1.0)
                assert_false(f.al.ref_valid);
            if (t >= 4.0) {
                sum += ang;
                n++;
            }
        }
        assert_true(f.al.ref_valid);
        assert_int_equal(f.al.stage, ALIGN_DONE);
        assert_true(fabsf(sum / (float)n - 30.0f) < 0.5f);
    }
}

static void shin_any_strap_rotation(void **state)
{
    (void)state;
    for (int strap = 0; strap < 360; strap += 15) {
        synth_pod p;
        synth_init(&p, PLACE_SHIN, (float)strap, 104.0f);
        p.gyr_bias_dps = v3(4.0f, -3.0f, 2.0f);
        p.gyr_noise_dps = 0.05f;
        p.acc_noise_g = 0.001f;
        front f;
        front_init(&f, 1);
        float worst;
        float mean = run(&f, &p, 10.0f, 35.0f, 35.0f, &worst);
        assert_int_equal(f.al.stage, ALIGN_DONE);
        assert_true(f.al.gesture);
        assert_true(fabsf(mean - 35.0f) < 0.3f);
        assert_true(worst < 1.0f);
        assert_true(fabsf(f.go.bias_dps.x - 4.0f) < 0.1f);
    }
}

static void foot_any_spin_and_sign(void **state)
{
    (void)state;
    for (int strap = 0; strap < 360; strap += 30) {
        synth_pod p;
        synth_init(&p, PLACE_FOOT, (float)strap, 208.0f);
        p.gyr_bias_dps = v3(-2.0f, 1.0f, 3.0f);
        front f;
        front_init(&f, -1);
        float worst;
        /* gesture: toes up (theta negative for the foot in this generator), then the
         * foot pitched toes-up by 100 deg (a band stretch seen from standing) */
        float mean = run(&f, &p, -12.0f, -100.0f, 100.0f, &worst);
        assert_int_equal(f.al.stage, ALIGN_DONE);
        assert_true(fabsf(mean - 100.0f) < 0.3f); /* + = the gesture's direction */
        assert_true(worst < 1.0f);
    }
}

static void no_gesture_uses_expected_sign(void **state)
{
    (void)state;
    synth_pod p;
    synth_init(&p, PLACE_FOOT, 77.0f, 104.0f);
    front f;
    front_init(&f, -1);
    float worst;
    /* no sway; the first excursion is a 30 deg plantarflexion the caller expects */
    float mean = run(&f, &p, 0.0f, 30.0f, -30.0f, &worst);
    assert_int_equal(f.al.stage, ALIGN_DONE);
    assert_false(f.al.gesture);
    assert_true(fabsf(mean + 30.0f) < 0.5f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shin_any_strap_rotation),
        cmocka_unit_test(short_first_stand_is_the_reference),
        cmocka_unit_test(foot_any_spin_and_sign),
        cmocka_unit_test(no_gesture_uses_expected_sign),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
