/* align.c - standing reference, medio-lateral axis from the principal rotation axis. */
#include "calftrack/analysis/align.h"

const ct_align_settings ct_align_defaults = {
    .ref_s = 0.8f,
    /* A person told by someone else's app (or no app) to stand still may do so for a
     * second only before starting: the still detector's warm-up and the settling time
     * leave under half a second of it. The accelerometer averaged over 0.4 s is within
     * 0.05 deg of its mean even for a consumer-grade sensor's noise (400 ug/rtHz: 0.5 mg),
     * and a quiet stance's sway (a few mg, 0.2-2 Hz) is half averaged out as over 0.8 s:
     * a few tenths of a degree, under the pod's own mounting errors. Without it the whole
     * first set goes unmeasured. */
    .first_ref_s = 0.4f,
    .settle_s = 0.2f,
    .min_energy = 0.015f,     /* a +-5 deg sway over 2 s gives ~0.02 */
    .max_planarity = 0.25f,
    .gesture_max_deg = 30.0f,
    .excursion_deg = 3.0f,
};

void align_init(ct_align *a, const ct_align_settings *cfg, int expect_sign)
{
    *a = (ct_align){0};
    a->cfg = cfg ? *cfg : ct_align_defaults;
    a->expect_sign = expect_sign < 0 ? -1 : 1;
    a->up_ref = v3(0.0f, 0.0f, 1.0f);
}

static void start_axis(ct_align *a)
{
    ct_vec3 u = a->up_ref;
    ct_vec3 p = fabsf(u.x) < 0.8f ? v3(1.0f, 0.0f, 0.0f) : v3(0.0f, 1.0f, 0.0f);
    a->e1 = v3_unit(v3_reject(p, u));
    a->e2 = v3_cross(u, a->e1);
    a->c11 = a->c12 = a->c22 = 0.0f;
    a->first_dev = 0.0f;
    a->first_far = u;
    a->first_done = a->gesture = false;
    a->stage = ALIGN_AXIS;
}

/* Principal axis of the 2x2 covariance (setup path, libm allowed). */
static void lock_axis(ct_align *a)
{
    float th = 0.5f * atan2f(2.0f * a->c12, a->c11 - a->c22);
    ct_vec3 m = v3_add(v3_scale(a->e1, cosf(th)), v3_scale(a->e2, sinf(th)));
    ct_vec3 f = v3_unit(v3_cross(m, a->up_ref));
    int want = a->gesture ? 1 : a->expect_sign;
    if (-v3_dot(a->first_far, f) * (float)want < 0.0f)
        f = v3_scale(f, -1.0f);
    a->fwd = f;
    a->ml = v3_cross(a->up_ref, f);
    a->stage = ALIGN_DONE;
}

static bool planar_enough(const ct_align *a)
{
    float tr = a->c11 + a->c22, df = a->c11 - a->c22;
    float r = sqrtf(df * df + 4.0f * a->c12 * a->c12);
    float lmax = 0.5f * (tr + r), lmin = 0.5f * (tr - r);
    return lmax > 0.0f && lmin <= a->cfg.max_planarity * lmax;
}

bool align_update(ct_align *a, ct_vec3 up_s, ct_vec3 acc_g, ct_vec3 gyr_dps, float still_s,
                  float dt_s)
{
    if (a->stage == ALIGN_DONE)
        return false;
    bool in_ref = still_s > a->cfg.settle_s;

    if (a->stage == ALIGN_AXIS) {
        ct_vec3 w = v3_scale(gyr_dps, CT_DEG2RAD_F);
        float w1 = v3_dot(w, a->e1), w2 = v3_dot(w, a->e2);
        a->c11 += w1 * w1 * dt_s;
        a->c12 += w1 * w2 * dt_s;
        a->c22 += w2 * w2 * dt_s;

        float dev = 1.0f - v3_dot(up_s, a->up_ref);
        float start = a->cfg.excursion_deg * CT_DEG2RAD_F;
        start = 0.5f * start * start; /* 1 - cos(x) ~ x^2 / 2 */
        if (!a->first_done) {
            if (dev > a->first_dev) {
                a->first_dev = dev;
                a->first_far = up_s;
            }
            if (a->first_dev > start && dev < 0.25f * a->first_dev) {
                a->first_done = true; /* came back over half of the angle */
                float gmax = a->cfg.gesture_max_deg * CT_DEG2RAD_F;
                a->gesture = a->first_dev < 0.5f * gmax * gmax;
            }
        }
        float e = a->c11 + a->c22;
        if (e >= a->cfg.min_energy && a->first_dev > start && planar_enough(a) &&
            ((in_ref && a->first_done) || e >= 10.0f * a->cfg.min_energy)) {
            lock_axis(a);
            return true;
        }
    }

    /* a pause inside the gesture (at the top of a sway or pump) is no new reference */
    bool gesturing = a->stage == ALIGN_AXIS &&
                     (a->c11 + a->c22 > 0.25f * a->cfg.min_energy || a->first_dev > 0.0015f);
    if (in_ref && !gesturing) {
        /* every still period long enough before the axis is locked is the newest
         * standing reference: the gesture is whatever motion follows it */
        if (!a->in_ref_prev) {
            a->ref_sum = v3(0.0f, 0.0f, 0.0f);
            a->ref_time_s = 0.0f;
        }
        /* the accelerometer itself: the filter may still be settling on the gyro bias */
        a->ref_sum = v3_add(a->ref_sum, v3_scale(acc_g, dt_s));
        a->ref_time_s += dt_s;
        if (a->ref_time_s >= a->cfg.ref_s) {
            a->up_ref = v3_unit(a->ref_sum);
            a->ref_norm = v3_norm(a->ref_sum) / a->ref_time_s;
            a->ref_valid = true;
            a->stage = ALIGN_WAIT_REF;
        }
    } else if (a->stage == ALIGN_WAIT_REF && !a->ref_valid && a->in_ref_prev &&
               a->ref_time_s >= a->cfg.first_ref_s) {
        /* none known yet and the still spell ended short of ref_s: it is the reference
         * all the same (first_ref_s), and what follows is the gesture or the exercise */
        a->up_ref = v3_unit(a->ref_sum);
        a->ref_norm = v3_norm(a->ref_sum) / a->ref_time_s;
        a->ref_valid = true;
        start_axis(a);
    } else if (a->stage == ALIGN_WAIT_REF && a->ref_valid) {
        start_axis(a);
    }
    a->in_ref_prev = in_ref;
    return false;
}

void align_restart(ct_align *a, float keep_deg)
{
    (void)keep_deg; /* the axis check happens when the new reference is complete */
    a->ref_sum = v3(0.0f, 0.0f, 0.0f);
    a->ref_time_s = 0.0f;
    a->ref_valid = false;
    a->stage = ALIGN_WAIT_REF;
}
