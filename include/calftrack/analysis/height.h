/*
 * height.h - vertical displacement of the pod by double integration of the vertical
 * specific force (heel rise with the pod on the shin). Two ways of cutting the motion
 * into segments:
 *  - held raises (isometric): between zero-velocity periods, each segment corrected
 *    when it ends: velocity zero there (a drifting bias, removed as a ramp) and, back
 *    at floor level, height zero too (bias and bias slope);
 *  - raises done back to back (settings.back_to_back): rep by rep, from the lobes of
 *    the vertical acceleration (launch, top, landing), each rep integrated from the
 *    floor back to the floor with the accelerometer's tilt-dependent error taken out
 *    (see height.c).
 * The segment's trajectory is kept decimated in a fixed buffer to find its corrected
 * peak and phases.
 */
#ifndef CALFTRACK_ANALYSIS_HEIGHT_H
#define CALFTRACK_ANALYSIS_HEIGHT_H

#include <stdbool.h>
#include <stdint.h>

#include "calftrack/vec.h"

#define HEIGHT_BUF 256
#define RP_RING 320        /* ~3 s of the way down at 10 ms a slot */
#define RP_RING_DT_S 0.0096f

typedef struct {
    float zv_rate_dps;  /* max bias-corrected rate of a zero-velocity sample, deg/s */
    float zv_acc_g;     /* max deviation of the vertical specific force from rest, g */
    float zv_min_s;     /* zero-velocity condition held this long at floor level, s */
    float floor_frac;   /* segment ends at floor level below this fraction of its peak */
    float floor_cm;     /* ... or below this height, cm */
    float max_seg_s;    /* longer segments are abandoned (walking), s */
    bool back_to_back;  /* raises done back to back: segments are reps, each from the
                           floor back to the floor (the zero-velocity settings above
                           then do not apply) */
} ct_height_settings;

extern const ct_height_settings ct_height_defaults;

/* One finished motion segment, corrected. */
typedef struct {
    int64_t t_start_us, t_peak_us, t_end_us;
    float start_cm, peak_cm, end_cm; /* heights above the standing floor level, cm */
    float top_s;      /* time within top_band_cm of the peak, s */
    bool on_floor;    /* ended back at floor level */
} ct_height_segment;

typedef struct {
    ct_height_settings cfg;
    float zv_s;          /* zero-velocity condition held so far, s */
    bool zv;             /* in a zero-velocity period */
    bool moving;         /* integrating a segment */
    float g_ref;         /* vertical specific force at rest (zero-velocity periods), g */
    float f_smooth;      /* vertical specific force, lightly smoothed, g */
    float f_slow;        /* the same over ~0.5 s (tremor averaged out), g */
    float f_slow2;       /* f_slow averaged again over ~0.5 s (balance wobble out), g */
    float zv_slow_s;     /* time the slow average has stayed at rest, s */
    float zv_slow2_s;    /* time f_slow2 has stayed at rest, s */
    float v_slow, v_slow2; /* v averaged over ~0.5 s, and again, m/s */
    float dv_cand;       /* velocity built up over the current candidate pause, m/s */
    bool g_ref_valid;
    float p_max;         /* highest raw height in the segment, m */
    bool force_floor;    /* the segment being finished is taken to end on the floor */
    float v, p, t;       /* raw vertical velocity m/s, height m, time s since segment start */
    float turn_deg;      /* rotation during the segment (back to back: how far the shank
                            tipped from where it began), deg */
    ct_vec3 up0;         /* up where the segment began (back to back) */
    float c_min;         /* lowest cosine of up with up0 so far */
    ct_vec3 w_lp;        /* rate of turn without the tremor, deg/s */
    float path_deg;      /* how far it turned, back and forth, without the tremor, deg */
    float v_peak;        /* fastest |v| during the segment, m/s */
    float v_rest, p_rest; /* velocity and height built up over the last ~0.5 s of a
                            zero-velocity period (a movement begins inside it), m/s, m */
    float base_m;        /* height at the segment start, m above floor */
    int64_t t0_us;
    float buf[HEIGHT_BUF]; /* raw p every `stride` samples */
    int n, stride, skip;
    float dt_s;
    float seg_b0, seg_b1, seg_base_m; /* correction of the last finished segment */
    float live_cm;       /* live estimate (uncorrected inside a segment), cm */
    /* raises done back to back (see height.c): the phase of the rep from the lobes of
     * the vertical acceleration (rest, way up, top, way down) */
    int rp;
    int rp_next;         /* phase a segment starts in on the next sample (-1: none) */
    float a1, a2;        /* vertical acceleration smoothed twice, g */
    float quiet_s, level_s;
    float a_mean, steady_s; /* steadiness of the acceleration */
    float no_ref_s;      /* time without a reference, s */
    bool down_first;     /* at the top, still in the pull that ended the rise */
    float down_dv, down_max; /* speed gained in the current pull down, the most since */
    float lobe_dv;       /* velocity gained in the current positive lobe, m/s */
    float v_min;         /* lowest velocity since the top began, m/s */
    float a_hold, hold_s; /* acceleration's mean over ~0.5 s at the top, time held, s */
    ct_vec3 w_hold;      /* rate of turn's mean over ~0.5 s at the top, deg/s */
    bool launched;       /* the segment began with a launch */
    ct_vec3 up_ref;      /* up (sensor frame) where g_ref was learnt, standing */
    ct_vec3 k, k_seg;    /* tilt gradient of the force error, g per unit change of up, now
                            and as taken out of the segment being integrated */
    ct_vec3 seg_dk;      /* k learnt by the end of the last segment less its k_seg */
    ct_vec3 j1, jt;      /* integrals over the segment of (up - up_ref) and t (up - up_ref) */
    ct_vec3 jbuf[HEIGHT_BUF]; /* t j1 - jt at every trace point, s^2 */
    float kn[6], kr[3];  /* its normal equations (upper triangle), right side */
    /* the way down, one slot per ~10 ms, to end a rep at its bottom after the fact */
    int64_t ring_t[RP_RING];
    float ring_a[RP_RING], ring_s[RP_RING];
    float ring_tt[RP_RING], ring_v[RP_RING], ring_p[RP_RING];
    int ring_n, ring_k, ring_stride, cand, replay_from;
    ct_vec3 ring_du[RP_RING], ring_j1[RP_RING], ring_jt[RP_RING], ring_du_acc;
    float ring_acc, cand_a;
} ct_height;

void height_init(ct_height *h, const ct_height_settings *cfg);

/* Declares the current level the floor (standing still on both heels). */
void height_set_floor(ct_height *h);

/* One sample: accel (g), earth up in the sensor frame (unit), bias-corrected gyro
 * (deg/s), whether the pod is still (used before the resting force is known), device
 * time, period. Returns true when a segment ended (written to seg). */
bool height_update(ct_height *h, ct_vec3 acc_g, ct_vec3 up_s, ct_vec3 gyr_dps, bool still,
                   int64_t t_us, float dt_s, ct_height_segment *seg);

/* The last finished segment taken as one heel raise (raises done back to back, each
 * segment one rep from the floor to the floor). */
typedef struct {
    int64_t t_start_us, t_peak_us, t_end_us;
    float peak_cm;    /* highest point above the floor */
    float above_s;    /* time at or above the target, s (0 without one) */
    float up_s, top_s, down_s; /* phases, from the 10 % and 90 % crossings, s */
    float turn_deg;   /* how far the shank tipped from where the rep began, deg */
    float path_deg;   /* how far it turned back and forth (tremor left out), deg */
} ct_height_rep;

/* Fills r from the last finished segment; target_cm <= 0: none. False when it has no
 * trace (a segment abandoned: walking, turning). */
bool height_segment_rep(const ct_height *h, float target_cm, ct_height_rep *r);

/* The last finished segment, corrected: height (m above the floor) of its i-th trace
 * point (0 <= i < h->n) and, when t_us is not NULL, its device time. */
float height_trace_m(const ct_height *h, int i, int64_t *t_us);

#endif
