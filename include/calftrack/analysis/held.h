/*
 * held.h - a heel raise held on the toes (isometric raise, pod on the shin): the rise,
 * the time at the top and the height held, from the vertical specific force.
 *
 * A hold is one movement from the floor back to the floor: a rise (1-3 s), a long top
 * where the heels stay up, trembling but going nowhere, and a lowering. Only the floor is
 * quiet enough to be told from the pod alone (a quiet top can be as steady: after a
 * rise, steadiness ends a hold only once its lowering is found); the top is found from
 * the rise and the lowering. The accelerometer's error at the top (the shank leans
 * forward there, and its tilt-dependent error comes with the lean) is read from the hold
 * itself: over it the velocity is zero on average. The rise is then integrated forward
 * from the floor and the lowering backward from the floor, each short, with that error
 * taken out.
 */
#ifndef CALFTRACK_ANALYSIS_HELD_H
#define CALFTRACK_ANALYSIS_HELD_H

#include <stdbool.h>
#include <stdint.h>

#include "calftrack/vec.h"

#define HELD_SLOTS 800     /* 8 s at 10 ms a slot */
#define HELD_SLOT_S 0.01f

/* The pod's motion over 10 ms, integrated from the start of the movement. */
typedef struct {
    float t_s;   /* middle of the slot, s from the start of the movement */
    float v, p;  /* raw vertical velocity m/s and height m (no error taken out) */
    ct_vec3 du;  /* up (sensor frame) less up where the movement began */
} ct_held_slot;

/* One hold, floor to floor. */
typedef struct {
    int64_t t_start_us, t_peak_us, t_end_us;
    float peak_cm;             /* height held (the higher of where the rise ended and
                                  where the lowering began), cm above the floor */
    float up_s, top_s, down_s; /* rise, time at the top, lowering, s */
    bool turned;               /* no hold at the top: up from the floor and straight back
                                  down to it (an attempt given up) */
} ct_held_hold;

typedef struct {
    bool g_ref_valid;
    float g_ref;          /* vertical specific force standing on the floor, g */
    float f_smooth;       /* vertical specific force over ~20 ms, g */
    float f_mean, steady_s; /* f_smooth's mean over ~0.3 s, g; time within 2 mg of it, s */
    float zv_s;           /* time the floor's quiet has held, s */
    float dv_cand;        /* velocity built up over that quiet, m/s */
    float v_rest, p_rest; /* what a movement built up before it was told, m/s, m */
    bool moving;
    bool kept;            /* steady on the toes once, kept open for its lowering */
    bool wait_quiet;      /* after a step: no movement starts before the floor is quiet */
    int64_t t0_us;
    float t, v, p;        /* since the movement began: s, raw m/s, raw m */
    float p_rise;         /* highest raw height in the first seconds, m (live view) */
    float v_top;          /* highest raw velocity in the first seconds, m/s */
    bool stopped;         /* slowed after it to a fifth of it: a rise come to a stop */
    float p_rest_start;   /* the raw height the movement started from, m */
    ct_vec3 up0;
    float lean, lean_max; /* the shank's lean from where it began (tremor out), rad */
    float t_lean_max;     /* when it leaned most, s */
    float live_cm;
    /* the current slot being summed */
    float s_t, s_v, s_p;
    ct_vec3 s_du;
    int s_k;
    float s_dt;
    ct_held_slot rise[HELD_SLOTS]; /* the first 8 s of the movement */
    int n_rise;
    ct_held_slot ring[HELD_SLOTS]; /* the last 8 s */
    int ring_head, ring_n;
    /* The accelerometer's noise density squared (g^2/Hz, per axis) as measured at rest
     * by the caller (0: not known yet), and the levels that depend on it (see held.c) */
    float acc_psd;
    float nz_dt, nz_psd, nz_f, nz_dm; /* worked out for; sd of f_smooth, of its steadiness
                                          per sample sd */
    float floor_g, steady_g;
} ct_held;

void held_init(ct_held *h);

/* One sample: accel (g), earth up in the sensor frame (unit), bias-corrected gyro
 * (deg/s), whether the pod is still (used before the floor's force is known), device
 * time, period. True when a hold ended back on the floor (written to out). */
bool held_update(ct_held *h, const ct_vec3 *acc_g, const ct_vec3 *up_s, const ct_vec3 *gyr_dps,
                 bool still, int64_t t_us, float dt_s, ct_held_hold *out);

#endif
