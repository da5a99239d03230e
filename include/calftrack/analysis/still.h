/*
 * still.h - is the pod still? Exponential running means and deviations of the
 * accelerometer and gyroscope vectors (time constant tau_s), thresholds in g and
 * deg/s, and how long the pod has been still. Works before the gyro bias is known
 * (deviation-based); once it is known the bias-corrected rate must also be small.
 */
#ifndef CALFTRACK_ANALYSIS_STILL_H
#define CALFTRACK_ANALYSIS_STILL_H

#include <math.h>
#include <stdbool.h>

#include "calftrack/vec.h"

typedef struct {
    float tau_s;          /* time constant of the running means, s */
    float gyr_dev_dps;    /* max RMS deviation of the gyro vector from its mean, deg/s */
    float acc_dev_g;      /* max RMS deviation of the accel vector from its mean, g */
    float acc_norm_tol_g; /* max | |a| - 1 g | of the mean, g */
    float gyr_rate_dps;   /* max bias-corrected rate once the bias is known, deg/s */
} ct_still_settings;

/* Quiet standing on a shank: sway < ~1 deg/s, < ~5 mg; sensor noise is well below. */
extern const ct_still_settings ct_still_defaults;

typedef struct {
    ct_still_settings cfg;
    ct_vec3 acc_mean_g, gyr_mean_dps;
    float acc_var_g2, gyr_var_dps2; /* running mean squared deviation (vector) */
    float still_s;                  /* time still so far, s (0 when moving) */
    float moving_s;                 /* time moving so far, s (0 when still) */
    float warm_s;                   /* time seen, saturating, s */
    bool still;
    /* the accelerometer's white noise, learnt while still (see still.c): its density
     * squared, per axis, g^2/Hz, and how many samples and seconds it has seen */
    ct_vec3 acc_prev, acc_prev2;
    float acc_psd_g2hz;
    float psd_n, psd_s;
    /* the same noise as one sample's variance (all three axes), g^2, learnt at all
     * times, still or not (see still.c): a running mean of the bend and the lowest it
     * has been lately; 0 until known */
    float bend_g2, acc_floor_g2;
    int bend_n;
    /* what depends on the period (and tau_s) alone, kept from the sample before: a
     * steady clock gives every sample the same period, and the four divisions these
     * take were a good part of the update's time. Worked out again whenever the
     * period or tau_s moves, so the numbers are the same either way (per_dt < 0: not
     * yet worked out). */
    float per_dt, per_tau, k, k_bend, floor_rise, psd_nmax;
} ct_still;

void still_init(ct_still *s, const ct_still_settings *cfg);

/* One sample: raw accel (g), raw gyro (deg/s), bias-corrected gyro (deg/s) and
 * whether that correction is trustworthy yet; dt_s is the sample period.
 * Returns whether the pod is still now. (The per-sample updates of the analysis take
 * their vectors by address: three floats passed by value are packed into a register
 * pair through the stack, and the load reading the pair back stalls on every call.) */
bool still_update(ct_still *s, const ct_vec3 *acc_g, const ct_vec3 *gyr_dps,
                  const ct_vec3 *gyr_corr_dps, bool bias_known, float dt_s);

/* Whether the accelerometer's deviation from its running mean is under level_g2 (g^2,
 * all three axes): under level_g2 or, on a sensor whose noise alone deviates by more in
 * one sample, under STILL_NOISE_VAR_K times that noise. */
#define STILL_NOISE_VAR_K 2.0f
static inline bool still_acc_var_below(const ct_still *s, float level_g2)
{
    float nz = STILL_NOISE_VAR_K * s->acc_floor_g2;
    return s->acc_var_g2 < (level_g2 > nz ? level_g2 : nz);
}

/* The accelerometer's noise density measured at rest so far, g^2/Hz per axis (one-sided
 * power spectral density of its white noise; 0 until enough still time was seen). */
float still_acc_psd(const ct_still *s);

/* The level noise at rest crosses about once a minute, for a detector to keep its own
 * levels clear of: STILL_NOISE_K sd of the accelerometer's noise in one sample (its
 * density psd, one-sided, over the band up to half the rate; 0 when not known yet), g.
 * Each detector scales it by its filters' response to one sample (height.c, held.c). */
#define STILL_NOISE_K 3.5f
static inline float still_noise_level(float psd, float dt_s)
{
    return psd > 0.0f ? STILL_NOISE_K * sqrtf(psd / (2.0f * dt_s)) : 0.0f;
}

/* Whether levels worked out for period nz_dt and noise density nz_psd are due to be
 * worked out again for dt_s and psd: once either has moved by 2 % (the levels then move
 * by 1 % at most; a logger's jittered sample times and the noise's running estimate
 * move a little every sample). nz_dt 0: never worked out. */
static inline bool still_noise_moved(float dt_s, float nz_dt, float psd, float nz_psd)
{
    return !(nz_dt > 0.0f && fabsf(dt_s - nz_dt) <= 0.02f * nz_dt &&
             fabsf(psd - nz_psd) <= 0.02f * nz_psd);
}

#endif
