/*
 * analysis_synth.h - a tiny synthetic pod for the analysis unit tests: a segment that
 * tilts in the sagittal plane by theta(t) and rises by z(t), seen by a pod strapped at
 * any rotation, with gyro bias and noise. World: x forward, y left, z up.
 */
#ifndef ANALYSIS_SYNTH_H
#define ANALYSIS_SYNTH_H

#include <math.h>
#include <stdint.h>

#include "calftrack/types.h"
#include "calftrack/vec.h"

typedef struct {
    ct_quat mount;      /* sensor to world with the segment at theta = 0 */
    ct_vec3 gyr_bias_dps;
    ct_vec3 acc_bias_g;
    float acc_noise_g, gyr_noise_dps;
    uint32_t rng;
    float rate_hz;
    uint64_t index;
} synth_pod;

static inline float synth_noise(synth_pod *p, float sd)
{
    float s = 0.0f;
    for (int i = 0; i < 4; i++) {
        p->rng = p->rng * 1664525u + 1013904223u;
        s += (float)(p->rng >> 8) / 16777216.0f - 0.5f;
    }
    return s * sd * 1.732f;
}

/* Shin: sensor x up the shank, z out of the skin; the pod sits strap_deg around the
 * leg from the front. Foot: sensor z along the dorsum normal (slope_deg forward of
 * vertical), x toward the toes, rotated strap_deg about the normal. */
static inline void synth_init(synth_pod *p, ct_placement place, float strap_deg, float rate_hz)
{
    *p = (synth_pod){0};
    p->rate_hz = rate_hz;
    p->rng = 987654321u;
    float s = strap_deg * CT_DEG2RAD_F;
    if (place == PLACE_SHIN) {
        /* sensor x -> world z, sensor z -> (cos s, sin s, 0) */
        ct_quat a = q_between(v3(1, 0, 0), v3(0, 0, 1)); /* x to up */
        ct_vec3 zw = q_rotate(a, v3(0, 0, 1));            /* where z went */
        ct_vec3 want = v3(cosf(s), sinf(s), 0.0f);
        float ang = atan2f(v3_dot(v3_cross(zw, want), v3(0, 0, 1)), v3_dot(zw, want));
        p->mount = q_mul(q_axis_angle(v3(0, 0, 1), ang), a);
    } else {
        /* normal tilted 20 deg toward the toes, pod spun about its normal */
        ct_quat spin = q_axis_angle(v3(0, 0, 1), s);
        ct_quat slope = q_axis_angle(v3(0, 1, 0), 20.0f * CT_DEG2RAD_F);
        p->mount = q_mul(slope, spin);
    }
}

/* One sample at time t_s of the specific force f (g) and the rate w (deg/s), both in the
 * sensor's frame, with the pod's biases and noise. */
static inline ct_sample synth_sample_sensor(synth_pod *p, double t_s, ct_vec3 f, ct_vec3 w)
{
    ct_sample s = {0};
    s.t_us = (int64_t)llround(t_s * 1e6);
    s.index = p->index++;
    s.acc_g[0] = f.x + p->acc_bias_g.x + synth_noise(p, p->acc_noise_g);
    s.acc_g[1] = f.y + p->acc_bias_g.y + synth_noise(p, p->acc_noise_g);
    s.acc_g[2] = f.z + p->acc_bias_g.z + synth_noise(p, p->acc_noise_g);
    s.gyr_dps[0] = w.x + p->gyr_bias_dps.x + synth_noise(p, p->gyr_noise_dps);
    s.gyr_dps[1] = w.y + p->gyr_bias_dps.y + synth_noise(p, p->gyr_noise_dps);
    s.gyr_dps[2] = w.z + p->gyr_bias_dps.z + synth_noise(p, p->gyr_noise_dps);
    return s;
}

/* One sample at time t_s with segment pitch theta (deg, + = top forward for the shank,
 * + = toes down for the foot), its rate (deg/s) and the vertical acceleration (m/s^2). */
static inline ct_sample synth_sample(synth_pod *p, double t_s, float theta_deg, float rate_dps,
                                     float zacc_mps2)
{
    ct_quat seg = q_axis_angle(v3(0, 1, 0), theta_deg * CT_DEG2RAD_F);
    ct_quat r = q_mul(seg, p->mount); /* sensor to world */
    ct_quat ri = q_conj(r);
    ct_vec3 f = q_rotate(ri, v3(0, 0, 1.0f + zacc_mps2 / 9.80665f));
    ct_vec3 w = q_rotate(ri, v3(0, rate_dps, 0));
    return synth_sample_sensor(p, t_s, f, w);
}

/* Smooth 0 -> 1 over [0, 1] (cosine) and its derivative. */
static inline float synth_ramp(float u) { return u <= 0 ? 0 : u >= 1 ? 1 : 0.5f - 0.5f * cosf(CT_PI_F * u); }
static inline float synth_dramp(float u) { return u <= 0 || u >= 1 ? 0 : 0.5f * CT_PI_F * sinf(CT_PI_F * u); }

#endif
