/*
 * planted.h - where the leg ended up after a movement: the pod's net horizontal shift
 * and its net turn about the vertical between two instants of the last ~20 s, from a
 * short history of the earth-frame acceleration and of the rate of turn about up. A
 * heel raise keeps the forefoot planted, so the foot lands where it took off, facing
 * the same way; a foot lifted and put down elsewhere (shuffling, fidgeting) does not.
 */
#ifndef CALFTRACK_ANALYSIS_PLANTED_H
#define CALFTRACK_ANALYSIS_PLANTED_H

#include <stdbool.h>
#include <stdint.h>

#include "calftrack/vec.h"

#define PLANTED_SLOTS 1024 /* ~20 s of history */
#define PLANTED_SLOT_S 0.02f /* one slot averages this long, s */

typedef struct {
    int64_t t_us[PLANTED_SLOTS];   /* end of the slot, device time */
    float dt_s[PLANTED_SLOTS];     /* time the slot covers, s */
    float ax[PLANTED_SLOTS], ay[PLANTED_SLOTS]; /* mean horizontal acceleration, m/s^2 */
    float yaw[PLANTED_SLOTS];      /* turn about up over the slot, deg */
    int head, n;                   /* next slot to write, slots filled */
    float sx, sy, syaw, st;        /* the slot being summed (sums, s) */
} ct_planted;

/* The movement between two instants. */
typedef struct {
    float x_m, y_m; /* that displacement, earth frame (x, y horizontal), m */
    float via_x_m, via_y_m; /* where the pod was at the instant between
                               (planted_move_via; the same correction), m */
    float shift_m;  /* net horizontal displacement, the velocity taken as zero at both
                       ends (a constant acceleration error taken out), m */
    float yaw_deg;  /* net turn about the vertical, deg */
    float span_s;   /* time covered, s */
} ct_planted_move;

void planted_init(ct_planted *p);

/* One sample: the accelerometer (g) rotated to the earth frame (z up), the rate of
 * turn about the vertical (deg/s), device time, period (s). */
void planted_update(ct_planted *p, const ct_vec3 *acc_earth_g, float yaw_rate_dps, int64_t t_us,
                    float dt_s);

/* The movement from t0_us to t1_us (to slot resolution). False when the history no
 * longer reaches back to t0_us or the span is empty. */
bool planted_move(const ct_planted *p, int64_t t0_us, int64_t t1_us, ct_planted_move *m);

/* planted_move, also telling where the pod was at t_via_us (t0 <= t_via <= t1),
 * relative to t0, with the same constant error taken out. */
bool planted_move_via(const ct_planted *p, int64_t t0_us, int64_t t_via_us, int64_t t1_us,
                      ct_planted_move *m);

#endif
