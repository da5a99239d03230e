/* still.c - still-pod detector from running means and deviations. */
#include "calftrack/analysis/still.h"

const ct_still_settings ct_still_defaults = {
    .tau_s = 0.15f,
    .gyr_dev_dps = 2.5f,
    .acc_dev_g = 0.012f,
    .acc_norm_tol_g = 0.15f,
    .gyr_rate_dps = 4.0f,
};

void still_init(ct_still *s, const ct_still_settings *cfg)
{
    *s = (ct_still){0};
    s->cfg = cfg ? *cfg : ct_still_defaults;
}

bool still_update(ct_still *s, const ct_vec3 *acc_p, const ct_vec3 *gyr_p,
                  const ct_vec3 *corr_p, bool bias_known, float dt_s)
{
    ct_vec3 acc_g = *acc_p, gyr_dps = *gyr_p, gyr_corr_dps = *corr_p;
    float k = dt_s / (s->cfg.tau_s + dt_s);
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

    /* | |mean| - 1 | < tol, compared squared (no square root per sample) */
    float n2 = v3_norm2(s->acc_mean_g), tol = s->cfg.acc_norm_tol_g;
    float ad = s->cfg.acc_dev_g, gd = s->cfg.gyr_dev_dps, gr = s->cfg.gyr_rate_dps;
    bool still = warm_s >= s->cfg.tau_s * 2.0f && s->acc_var_g2 < ad * ad &&
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
    s->still = still;
    return still;
}
