/*
 * acc_offset.h - the accelerometer's offset from pairs of still poses. Between two
 * still poses the gyro measures the turn (a couple of seconds of integration, its bias
 * known); the accelerometer measures gravity in each pose plus the same offset b. With
 * C the turn (a world-fixed vector seen in the first pose maps to C times it in the
 * second), m2 - b = C (m1 - b), so (I - C) b = m2 - C m1: each pair pins the offset
 * across the turn's axis, the components that lean every tilt read from gravity. The
 * pairs are pooled in least squares, shrunk toward no offset along the axes no turn
 * has shown.
 */
#ifndef CALFTRACK_ANALYSIS_ACC_OFFSET_H
#define CALFTRACK_ANALYSIS_ACC_OFFSET_H

#include <stdbool.h>

#include "calftrack/vec.h"

typedef struct {
    float settle_s;   /* still time before a pose is read, s */
    float min_turn_deg; /* smallest turn between poses that is used, deg */
    float max_turn_deg; /* largest, deg */
    float max_gap_s;  /* longest time between poses (gyro drift), s */
    float prior;      /* ridge weight toward no offset (the units of sum |I - C|^2) */
} ct_acc_offset_settings;

extern const ct_acc_offset_settings ct_acc_offset_defaults;

typedef struct {
    ct_acc_offset_settings cfg;
    ct_vec3 m_anchor;  /* gravity + offset read at the last still pose, g */
    ct_quat turn;      /* the sensor's turn since then (sensor frame then -> now) */
    float since_s;
    bool anchored, in_pose;
    float n[6];        /* normal matrix, xx xy xz yy yz zz */
    ct_vec3 r;
    int pairs;
    ct_vec3 bias_g;    /* current estimate, g */
} ct_acc_offset;

void acc_offset_init(ct_acc_offset *o, const ct_acc_offset_settings *cfg);

/* One sample: the bias-corrected gyro (deg/s), the still detector's mean accelerometer
 * (g) and still time (s, 0 when moving), the period (s). Returns true when a new pair
 * of poses updated bias_g. */
bool acc_offset_update(ct_acc_offset *o, const ct_vec3 *gyr_dps, const ct_vec3 *acc_mean_g,
                       float still_s, float dt_s);

#endif
