/*
 * sensor.c - LSM6DSOX-like measurement errors: per-axis sensitivity and cross-axis
 * error, initial bias and its slow random walk, white noise from the noise density at
 * the output bandwidth (ODR/2), quantisation to int16 at the configured full scale and
 * clipping at its ends.
 */
#include "simint.h"

#include <math.h>
#include <string.h>

#define DRIFT_EVERY 16u /* bias random-walk update period, samples */
#define WARMUP_S 180.0  /* time constant of the warm-up drift, s */

static void error_matrix(sim_rng *r, double scale_pct, double cross_pct, double m[9])
{
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            m[3 * i + j] = i == j ? 1.0 + 0.01 * rng_range(r, -scale_pct, scale_pct)
                                  : 0.01 * rng_range(r, -cross_pct, cross_pct);
}

int sensor_init(sim *s)
{
    const sim_sensor *c = &s->sensor;
    uint32_t acc_ug = wire_acc_ug_per_lsb(c->acc_range_g);
    uint32_t gyr_udps = wire_gyr_udps_per_lsb(c->gyr_range_dps);
    uint32_t period = wire_period_ns(c->odr_hz);
    if (period == 0 && c->odr_hz >= 20 && c->odr_hz <= 1000) /* another sensor's rate */
        period = (uint32_t)((1000000000u + c->odr_hz / 2u) / c->odr_hz);
    if (acc_ug == 0 || gyr_udps == 0 || period == 0)
        return CT_EARG;
    if (!(c->acc_noise_ug_rthz >= 0.0f) || !(c->gyr_noise_mdps_rthz >= 0.0f) ||
        !(c->acc_bias_mg >= 0.0f) || !(c->gyr_bias_dps >= 0.0f) ||
        !(c->acc_drift_mg_per_rtmin >= 0.0f) || !(c->gyr_drift_dps_per_rtmin >= 0.0f) ||
        !(c->scale_err_pct >= 0.0f) || !(c->cross_axis_pct >= 0.0f) || !(c->tilt_deg >= 0.0f) ||
        !(c->gyr_warmup_dps >= 0.0f) || !(fabsf(c->odr_error_pct) <= 20.0f) ||
        !isfinite(c->strap_deg))
        return CT_EARG;
    s->period_ns = period;
    s->dt_s = period * 1e-9 * (1.0 + 0.01 * c->odr_error_pct);
    s->acc_lsb_g = acc_ug * 1e-6;
    s->gyr_lsb_dps = gyr_udps * 1e-6;

    sim_rng dev, *r = &s->rng_noise;
    if (c->device_seed != 0) {
        rng_seed(&dev, c->device_seed, 0x4445u);
        r = &dev;
    }
    error_matrix(r, c->scale_err_pct, c->cross_axis_pct, s->acc_m);
    error_matrix(r, c->scale_err_pct, c->cross_axis_pct, s->gyr_m);
    for (int i = 0; i < 3; i++) {
        s->acc_bias[i] = 1e-3 * rng_range(r, -c->acc_bias_mg, c->acc_bias_mg);
        s->gyr_bias[i] = rng_range(r, -c->gyr_bias_dps, c->gyr_bias_dps);
    }
    for (int i = 0; i < 3; i++)
        s->gyr_warm[i] = rng_range(r, -c->gyr_warmup_dps, c->gyr_warmup_dps);
    s->warm_left = 1.0;
    s->warm_k = exp(-(double)DRIFT_EVERY * s->dt_s / WARMUP_S);
    double bw = 1.0 / (2.0 * s->dt_s);
    s->acc_sd = c->acc_noise_ug_rthz * 1e-6 * sqrt(bw);
    s->gyr_sd = c->gyr_noise_mdps_rthz * 1e-3 * sqrt(bw);
    double step = sqrt(DRIFT_EVERY * s->dt_s / 60.0);
    s->acc_rw_sd = c->acc_drift_mg_per_rtmin * 1e-3 * step;
    s->gyr_rw_sd = c->gyr_drift_dps_per_rtmin * step;
    return CT_OK;
}

static inline int16_t quantise(double v, double lsb, bool *clip)
{
    double x = v / lsb;
    if (x >= 32767.0) {
        *clip = true;
        return 32767;
    }
    if (x <= -32768.0) {
        *clip = true;
        return -32768;
    }
    return (int16_t)lrint(x);
}

void sensor_apply(sim *s, const double acc_g[3], const double gyr_dps[3], wire_sample *raw,
                  ct_sample *phys)
{
    double a[3], g[3];
    sim_rng *r = &s->rng_noise;
    if (s->index % DRIFT_EVERY == 0) {
        if (s->acc_rw_sd > 0.0 || s->gyr_rw_sd > 0.0)
            for (int i = 0; i < 3; i++) {
                s->acc_bias[i] += s->acc_rw_sd * rng_gauss_fast(r);
                s->gyr_bias[i] += s->gyr_rw_sd * rng_gauss_fast(r);
            }
        /* the die warms up: the bias settles exponentially by gyr_warm */
        double left = s->warm_left * s->warm_k;
        for (int i = 0; i < 3; i++)
            s->gyr_bias[i] += s->gyr_warm[i] * (s->warm_left - left);
        s->warm_left = left;
    }
    for (int i = 0; i < 3; i++) {
        const double *ma = s->acc_m + 3 * i, *mg = s->gyr_m + 3 * i;
        a[i] = ma[0] * acc_g[0] + ma[1] * acc_g[1] + ma[2] * acc_g[2] + s->acc_bias[i];
        g[i] = mg[0] * gyr_dps[0] + mg[1] * gyr_dps[1] + mg[2] * gyr_dps[2] + s->gyr_bias[i];
    }
    if (s->acc_sd > 0.0)
        for (int i = 0; i < 3; i++)
            a[i] += s->acc_sd * rng_gauss_fast(r);
    if (s->gyr_sd > 0.0)
        for (int i = 0; i < 3; i++)
            g[i] += s->gyr_sd * rng_gauss_fast(r);

    bool aclip = false, gclip = false;
    wire_sample w;
    for (int i = 0; i < 3; i++) {
        w.acc[i] = quantise(a[i], s->acc_lsb_g, &aclip);
        w.gyr[i] = quantise(g[i], s->gyr_lsb_dps, &gclip);
    }
    if (raw)
        *raw = w;
    if (phys) {
        phys->t_us = sample_t_us(s);
        phys->index = s->index;
        phys->flags =
            (uint8_t)((aclip ? CT_SAMPLE_ACC_CLIP : 0u) | (gclip ? CT_SAMPLE_GYR_CLIP : 0u));
        for (int i = 0; i < 3; i++) {
            if (s->sensor.quantise) {
                phys->acc_g[i] = (float)(w.acc[i] * s->acc_lsb_g);
                phys->gyr_dps[i] = (float)(w.gyr[i] * s->gyr_lsb_dps);
            } else {
                phys->acc_g[i] = (float)a[i];
                phys->gyr_dps[i] = (float)g[i];
            }
        }
    }
}
