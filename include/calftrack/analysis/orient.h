/*
 * orient.h - quaternion orientation filter at the sensor rate: integrates the
 * bias-corrected gyro and pulls the estimated up axis toward the accelerometer's
 * (complementary / Mahony class), only while |a| is near 1 g; stronger when still.
 * Only tilt matters downstream: heading is left free.
 */
#ifndef CALFTRACK_ANALYSIS_ORIENT_H
#define CALFTRACK_ANALYSIS_ORIENT_H

#include <stdbool.h>

#include "calftrack/vec.h"

typedef struct {
    float gain_still;   /* accel correction gain while still, 1/s */
    float gain_moving;  /* accel correction gain while moving and |a| ~ 1 g, 1/s */
    float acc_tol_g;    /* correction fades to zero at | |a| - 1 | = acc_tol_g, g */
} ct_orient_settings;

extern const ct_orient_settings ct_orient_defaults;

typedef struct {
    ct_orient_settings cfg;
    ct_quat q;     /* sensor to earth */
    ct_vec3 up;    /* earth up seen in the sensor frame (unit), from q */
    bool aligned;  /* q has been set from gravity */
} ct_orient;

void orient_init(ct_orient *o, const ct_orient_settings *cfg);

/* Sets the tilt straight from one (averaged) accelerometer reading, g. */
void orient_reset(ct_orient *o, ct_vec3 acc_g);

/* One sample: bias-corrected gyro (deg/s), accel (g), whether still, period (s). */
void orient_update(ct_orient *o, const ct_vec3 *gyr_dps, const ct_vec3 *acc_g, bool still,
                   float dt_s);

/* What one accelerometer sample gives the filter, from the sample alone: its direction
 * and the share of the gain it gets (1 at |a| = 1 g, fading to none at acc_tol_g).
 * Worked out apart from the filter's step so that a caller can do it first, while other
 * work goes on: its square root and two divisions are a long wait, and the step needs
 * the last sample's rotation besides (orient_update_acc). The same numbers either way. */
typedef struct {
    ct_vec3 dir;  /* the reading over its length */
    float share;  /* 1 - | |a| - 1 | / acc_tol_g */
    bool used;    /* |a| within acc_tol_g of 1 g: the reading corrects the tilt */
} ct_orient_acc;

static inline ct_orient_acc orient_acc(const ct_orient *o, const ct_vec3 *acc_p)
{
    ct_vec3 acc_g = *acc_p;
    ct_orient_acc g = {.used = false};
    float n2 = v3_norm2(acc_g);
    if (n2 > 0.0f) {
        float inv = 1.0f / sqrtf(n2);
        /* (fabsf, not a branch on the sign: |a| is about 1 g at rest and its sign
         * there is the noise's, which no branch predictor guesses) */
        float dev = fabsf(n2 * inv - 1.0f);
        if (dev < o->cfg.acc_tol_g) {
            g.used = true;
            g.share = 1.0f - dev / o->cfg.acc_tol_g;
            g.dir = v3_scale(acc_g, inv);
        }
    }
    return g;
}

/* orient_update with the accelerometer sample's part worked out before (orient_acc). */
void orient_update_acc(ct_orient *o, const ct_vec3 *gyr_dps, const ct_orient_acc *g, bool still,
                       float dt_s);

#endif
