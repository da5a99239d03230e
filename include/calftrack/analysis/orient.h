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

#endif
