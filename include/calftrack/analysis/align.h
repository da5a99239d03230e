/*
 * align.h - sensor-to-segment alignment from a short functional calibration and the
 * sagittal angle it makes possible. Standing still gives the segment's reference up
 * axis; the motion after it (one slow knee sway, ankle pump, or the exercise itself)
 * gives the medio-lateral axis as the gyro's principal rotation axis across the
 * reference up axis. The angle is the rotation about that axis from the standing
 * reference, so strapping the pod at any rotation about the leg changes nothing.
 * Sign: the first excursion of the calibration gesture (knee forward, toes up) is
 * positive; without a gesture, the first excursion has the sign the caller expects.
 */
#ifndef CALFTRACK_ANALYSIS_ALIGN_H
#define CALFTRACK_ANALYSIS_ALIGN_H

#include <stdbool.h>

#include "calftrack/vec.h"

typedef struct {
    float ref_s;          /* still time that makes a standing reference, s */
    float first_ref_s;    /* a still spell cut short this long makes one while none is known, s */
    float settle_s;       /* still time ignored before averaging the reference, s */
    float min_energy;     /* rotation energy (integral of rate^2) to lock the axis, rad^2/s */
    float max_planarity;  /* max ratio of the minor to the major principal energy */
    float gesture_max_deg;/* a first excursion up to this size that comes back is the gesture */
    float excursion_deg;  /* a tilt this far from the reference starts an excursion */
} ct_align_settings;

extern const ct_align_settings ct_align_defaults;

typedef enum {
    ALIGN_WAIT_REF = 0, /* waiting for a still standing reference */
    ALIGN_AXIS,         /* reference known; learning the medio-lateral axis */
    ALIGN_DONE,         /* both known */
} ct_align_stage;

typedef struct {
    ct_align_settings cfg;
    ct_align_stage stage;
    ct_vec3 up_ref;     /* segment up at the standing reference, sensor frame, unit */
    ct_vec3 fwd;        /* sagittal unit vector across up_ref: + tilt direction */
    ct_vec3 ml;         /* medio-lateral axis, sensor frame, unit (ml = up_ref x fwd) */
    ct_vec3 e1, e2;     /* basis across up_ref for the covariance */
    ct_vec3 ref_sum;
    float ref_time_s;
    float ref_norm;     /* |accelerometer| at the standing reference, g */
    bool ref_valid;
    float c11, c12, c22;       /* rate covariance in (e1, e2), rad^2/s */
    ct_vec3 first_far;         /* up (sensor) at the farthest point of the first excursion */
    float first_dev;           /* 1 - cos of that excursion */
    bool first_done, gesture, in_ref_prev;
    int expect_sign;           /* sign of the first excursion when it is no gesture */
} ct_align;

void align_init(ct_align *a, const ct_align_settings *cfg, int expect_sign);

/* One sample: earth up seen in the sensor frame (from the orientation filter), the
 * accelerometer (g; its still average is the reference), the bias-corrected gyro
 * (deg/s), time still so far (s), period (s). Returns true on the sample the
 * alignment completes. */
bool align_update(ct_align *a, ct_vec3 up_s, ct_vec3 acc_g, ct_vec3 gyr_dps, float still_s,
                  float dt_s);

/* Start over from a new standing reference (strap moved, new exercise). The axis is
 * kept when the new reference agrees with the old one within keep_deg. */
void align_restart(ct_align *a, float keep_deg);

/* Sagittal angle of the segment from the standing reference, deg, signed (+ = the
 * gesture's direction). Before the axis is known: the whole tilt from the reference
 * with the expected sign. */
static inline float align_angle_deg(const ct_align *a, ct_vec3 up_s)
{
    float c = v3_dot(up_s, a->up_ref);
    if (a->stage == ALIGN_DONE)
        return ct_atan2f(-v3_dot(up_s, a->fwd), c) * CT_RAD2DEG_F;
    float s = v3_norm(v3_cross(up_s, a->up_ref));
    return (float)a->expect_sign * ct_atan2f(s, c) * CT_RAD2DEG_F;
}

#endif
