/* still.c - still-pod detector from running means and deviations. */
#include "calftrack/analysis/still.h"

const ct_still_settings ct_still_defaults = {
    .tau_s = 0.15f,
    .gyr_dev_dps = 2.5f,
    .acc_dev_g = 0.012f,
    .acc_norm_tol_g = 0.15f,
    .gyr_rate_dps = 4.0f,
};

#define NOISE_FIRST_S 1.0f
#define NOISE_KNOWN_S 0.5f /* (a mean over 50 samples or more: within ~20 %) */
#define NOISE_TAU_S 5.0f
/* the noise at all times: the bend's mean over 0.5 s, and the lowest that has been,
 * let up by at most a factor e every 20 s */
#define FLOOR_MEAN_S 0.5f
#define FLOOR_RISE_S 20.0f

void still_init(ct_still *s, const ct_still_settings *cfg)
{
    *s = (ct_still){0};
    s->cfg = cfg ? *cfg : ct_still_defaults;
    s->per_dt = -1.0f;
}

bool still_update(ct_still *s, const ct_vec3 *acc_p, const ct_vec3 *gyr_p,
                  const ct_vec3 *corr_p, bool bias_known, float dt_s)
{
    ct_vec3 acc_g = *acc_p, gyr_dps = *gyr_p, gyr_corr_dps = *corr_p;
    if (dt_s != s->per_dt || s->cfg.tau_s != s->per_tau) {
        s->per_dt = dt_s;
        s->per_tau = s->cfg.tau_s;
        s->k = dt_s / (s->cfg.tau_s + dt_s);
        s->k_bend = dt_s / (FLOOR_MEAN_S + dt_s);
        s->floor_rise = 1.0f + dt_s / FLOOR_RISE_S;
        s->psd_nmax = NOISE_TAU_S / dt_s;
    }
    float k = s->k;
    if (s->warm_s == 0.0f) {
        s->acc_mean_g = acc_g;
        s->gyr_mean_dps = gyr_dps;
    }
    ct_vec3 da = v3_sub(acc_g, s->acc_mean_g);
    ct_vec3 dg = v3_sub(gyr_dps, s->gyr_mean_dps);
    s->acc_mean_g = v3_add(s->acc_mean_g, v3_scale(da, k));
    s->gyr_mean_dps = v3_add(s->gyr_mean_dps, v3_scale(dg, k));
    s->acc_var_g2 += k * (v3_norm2(da) - s->acc_var_g2);
    s->gyr_var_dps2 += k * (v3_norm2(dg) - s->gyr_var_dps2);

    /* the running means need a couple of time constants before they mean anything */
    float warm_s = s->warm_s;
    if (warm_s < s->cfg.tau_s * 2.0f)
        s->warm_s += dt_s;

    /* The accelerometer's noise in one sample, known at all times: a pod that is never
     * still cannot wait for a still spell to learn it (below). Its bend (a[n] - 2 a[n-1]
     * + a[n-2]) has a mean square of 6 times the noise's variance; a movement adds to
     * it (little: a body's movements bend by (2 pi f dt)^2 of their swing), so the
     * lowest its running mean has been lately is the noise. A deviation from the
     * running mean under twice that (STILL_NOISE_VAR_K) is the sensor's noise: a sensor
     * whose noise alone deviates by more than acc_dev_g in one sample (400 ug/rtHz read
     * at 833 Hz: 8 mg an axis, 14 mg in all) was never still, and nothing was measured
     * (its place, no rep). Our pod's (90 ug/rtHz: 1.8 mg at 833 Hz) is far under. */
    if (s->bend_n >= 2) {
        ct_vec3 b = v3_add(v3_sub(acc_g, v3_scale(s->acc_prev, 2.0f)), s->acc_prev2);
        float kb = s->k_bend;
        s->bend_g2 += kb * (v3_norm2(b) * (1.0f / 6.0f) - s->bend_g2);
        if ((float)s->bend_n * dt_s >= FLOOR_MEAN_S) {
            float up = s->acc_floor_g2 * s->floor_rise;
            s->acc_floor_g2 = s->acc_floor_g2 > 0.0f && up < s->bend_g2 ? up : s->bend_g2;
        }
    }
    if ((float)s->bend_n * dt_s < FLOOR_MEAN_S)
        s->bend_n++;

    /* | |mean| - 1 | < tol, compared squared (no square root per sample) */
    float n2 = v3_norm2(s->acc_mean_g), tol = s->cfg.acc_norm_tol_g;
    float gd = s->cfg.gyr_dev_dps, gr = s->cfg.gyr_rate_dps;
    bool still = warm_s >= s->cfg.tau_s * 2.0f && still_acc_var_below(s, s->cfg.acc_dev_g * s->cfg.acc_dev_g) &&
                 s->gyr_var_dps2 < gd * gd && n2 < (1.0f + tol) * (1.0f + tol) &&
                 n2 > (1.0f - tol) * (1.0f - tol) &&
                 (!bias_known || v3_norm2(gyr_corr_dps) < gr * gr);
    if (still) {
        s->still_s += dt_s;
        s->moving_s = 0.0f;
    } else {
        s->moving_s += dt_s;
        s->still_s = 0.0f;
    }
    /* The accelerometer's noise: at rest, well into a still spell, from how the samples
     * bend from one to the next, a[n] - 2 a[n-1] + a[n-2]. Of a white noise of sd sigma
     * that has a mean square of 6 sigma^2, while a body at rest (sway of a few mg at
     * 0.2-2 Hz) bends by (2 pi f dt)^2 of its swing, under a tenth of the noise's even
     * at 50 Hz (the change from one sample to the next, its first power, read sway as
     * noise there: 90-150 ug/rtHz for 90). The noise's one-sided density squared is
     * sigma^2 / (rate / 2): the mean square bend times the sample period over 3. A plain
     * mean over the first NOISE_TAU_S of still time, a running one over as long after
     * (the noise is the sensor's own, it changes slowly if at all); once NOISE_FIRST_S
     * has been seen, a bend beyond 4 times its rms (a tap, a knock) counts as 4 times. */
    if (still && s->still_s >= s->cfg.tau_s && s->warm_s > 0.0f) {
        ct_vec3 b = v3_add(v3_sub(acc_g, v3_scale(s->acc_prev, 2.0f)), s->acc_prev2);
        float d2 = v3_norm2(b) * (1.0f / 9.0f) * dt_s;
        float n = s->psd_n + 1.0f, nmax = s->psd_nmax;
        if (s->psd_s >= NOISE_FIRST_S && d2 > 16.0f * s->acc_psd_g2hz)
            d2 = 16.0f * s->acc_psd_g2hz;
        s->acc_psd_g2hz += (d2 - s->acc_psd_g2hz) / (n < nmax ? n : nmax);
        s->psd_n = n < nmax ? n : nmax;
        s->psd_s += dt_s;
    }
    s->acc_prev2 = s->acc_prev;
    s->acc_prev = acc_g;
    s->still = still;
    return still;
}

float still_acc_psd(const ct_still *s)
{
    return s->psd_s >= NOISE_KNOWN_S ? s->acc_psd_g2hz : 0.0f;
}
