/*
 * gyro_offset.h - run-time gyroscope bias from still periods. The first still period
 * of settle_s + acquire_s gives the bias outright (an average); every later still
 * period refines it with time constant tau_s, which follows temperature drift.
 */
#ifndef CALFTRACK_ANALYSIS_GYRO_OFFSET_H
#define CALFTRACK_ANALYSIS_GYRO_OFFSET_H

#include <stdbool.h>

#include "calftrack/vec.h"

typedef struct {
    float settle_s;  /* still time ignored at the start of each still period, s */
    float acquire_s; /* averaging time of the first estimate, s */
    float tau_s;     /* refinement time constant afterwards, s */
} ct_gyro_offset_settings;

extern const ct_gyro_offset_settings ct_gyro_offset_defaults;

typedef struct {
    ct_gyro_offset_settings cfg;
    ct_vec3 bias_dps; /* current estimate, deg/s */
    ct_vec3 sum_dps;  /* accumulator of the first estimate */
    float sum_s;
    bool known;       /* bias_dps is an estimate, not the initial zero */
} ct_gyro_offset;

void gyro_offset_init(ct_gyro_offset *o, const ct_gyro_offset_settings *cfg);

/* One sample: raw gyro (deg/s) and how long the pod has been still (s, 0 when
 * moving). Returns the bias-corrected rate, deg/s. */
ct_vec3 gyro_offset_update(ct_gyro_offset *o, const ct_vec3 *gyr_dps, float still_s, float dt_s);

#endif
