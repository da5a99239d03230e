/*
 * body.h - the leg as two rigid chains hanging off the ankle joint centre: the shank
 * (heading, inclination, lateral tilt, axial rotation, then the pod around the shin)
 * and the foot (heading, pitch, inversion, then the pod on the dorsum). From the
 * generalised coordinates and their exact derivatives it gives the pod's pose, its
 * specific force and angular rate in sensor axes.
 */
#ifndef SIM_BODY_H
#define SIM_BODY_H

#include "calftrack/sim.h"
#include "jet.h"

#define SIM_PI 3.14159265358979323846
#define SIM_DEG (SIM_PI / 180.0)
#define SIM_G 9.80665 /* m/s^2 */

/* Generalised coordinates (side-normalised: lateral ones mean the same on both legs). */
enum {
    Q_AX = 0, /* ankle joint centre, world, m (foot-flat reference when the foot pivots) */
    Q_AY,
    Q_AZ,
    Q_YAW,    /* heading of the leg, rad, + to the left */
    Q_INCL,   /* shank sagittal inclination from vertical, rad, knee forward + */
    Q_ROLL,   /* shank lateral tilt, rad, knee outward + */
    Q_AXIAL,  /* shank axial rotation, rad, external + */
    Q_PITCH,  /* foot pitch from horizontal, rad, heel up + */
    Q_FROLL,  /* foot inversion, rad */
    Q_SYAW,   /* shank yaw relative to the heading, rad, knee outward + */
    Q_FAX,    /* foot turned with the leg about the shank's axis, rad, external +
                 (a foot off the floor follows the leg's rotation; a planted one does not) */
};
_Static_assert(Q_FAX + 1 == SIM_NQ, "coordinate count");

/* How the foot meets the floor: the ankle follows the pitch about this point. */
typedef enum { PIVOT_NONE = 0, PIVOT_MTP, PIVOT_HEEL } body_pivot;

typedef struct {
    jet q[SIM_NQ];
    jet strap, tilt_a, tilt_b; /* pod on the leg, rad */
} body_pose;

typedef struct {
    double acc_g[3];  /* specific force, sensor axes, g */
    double gyr_dps[3];/* angular rate, sensor axes, deg/s */
    double R[9];      /* sensor to world, row-major */
    double p[3], v[3];/* pod position and velocity, world */
    double ankle_z;   /* ankle joint centre height, m */
} body_out;

/* The pod's mounting (strap rotation, tilt, sensor axes) folded into one rigid
 * transform, recomputed only when the strap moves. */
typedef struct {
    double *key;  /* [4]: strap, tilt a, tilt b it was made for, placement */
    double *R;    /* [9] row-major */
    double *d;    /* [3] */
} body_tail;

/* side_sign: +1 right leg, -1 left leg. tail may be NULL (no caching). */
void body_eval(const sim_person *person, ct_placement placement, int side_sign,
               body_pivot pivot, const body_pose *in, body_tail *tail, body_out *out);

/* Unit quaternion (w, x, y, z) of a row-major rotation matrix. */
void body_quat(const double R[9], double q[4]);

#endif
