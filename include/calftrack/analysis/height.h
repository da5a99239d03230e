/*
 * height.h - vertical displacement of the pod by double integration of the vertical
 * specific force: the heel rise of raises done back to back with the pod on the shin.
 * Rep by rep, from the lobes of the vertical acceleration (launch, top, landing), each
 * rep integrated from the floor back to the floor with the accelerometer's
 * tilt-dependent error taken out (see height.c). (A raise held on the toes is held.h's.)
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
    float floor_frac;   /* segment ends at floor level below this fraction of its peak */
    float floor_cm;     /* ... or below this height, cm */
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
    bool moving;         /* integrating a segment */
    float g_ref;         /* vertical specific force standing on the floor, g */
    bool g_ref_valid;
    /* the standing reference read elsewhere (height_stand_ref), taken if the stand ends
     * before a steady spell of the height's own gives one */
    bool stand_known;
    float stand_g;
    ct_vec3 stand_up;
    float p_max;         /* highest raw height in the segment, m */
    bool force_floor;    /* the segment being finished is taken to end on the floor */
    float v, p, t;       /* raw vertical velocity m/s, height m, time s since segment start */
    float turn_deg;      /* how far the shank tipped from where the rep began, deg */
    ct_vec3 up_turn;     /* up where it was tipped furthest */
    ct_vec3 up_last;     /* up on the last sample of the rep */
    ct_vec3 up0;         /* up where the rep began */
    float c_min;         /* lowest cosine of up with up0 so far */
    ct_vec3 w_lp;        /* rate of turn without the tremor, deg/s */
    float path_deg;      /* how far it turned, back and forth, without the tremor, deg */
    float v_peak;        /* fastest |v| during the segment, m/s */
    float v_rest, p_rest; /* velocity and height built up at rest before a rep was told
                            (it begins before its lobe shows; leaks away), m/s, m */
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
    /* where the pull down under way began (v, p, t of the segment), where the next
     * one would (the acceleration last not negative, or the top of an easing off);
     * armed: not pulling since; the pull's deepest, the easing's top and the deepest
     * since (g) */
    float pull_v, pull_p, pull_t, pcand_v, pcand_p, pcand_t;
    float pull_a1, pull_ag, pull_a2;
    bool pull_armed;
    float a_hold, hold_s; /* acceleration's mean over ~0.5 s at the top, time held, s */
    /* held at the top: the velocity and height the hold took out since the acceleration
     * last stood at the hold's level (m/s, m), from when (t of the segment), that level
     * (g) */
    float hz_v, hz_p, hz_t, hz_a;
    ct_vec3 w_hold;      /* rate of turn's mean over ~0.5 s at the top, deg/s */
    bool launched;       /* the segment began with a launch */
    bool rest_leaned;    /* held leaned far from the stance, not yet steady back near it */
    ct_vec3 up_stance;   /* up where the pod last stood steady at rest near the stance */
    ct_vec3 up_ref;      /* up (sensor frame) where g_ref was learnt, standing */
    ct_vec3 k, k_seg;    /* tilt gradient of the force error, g per unit change of up, now
                            and as taken out of the segment being integrated */
    ct_vec3 seg_dk;      /* k learnt by the end of the last segment less its k_seg */
    ct_vec3 j1, jt;      /* integrals over the segment of (up - up_ref) and t (up - up_ref) */
    ct_vec3 jbuf[HEIGHT_BUF]; /* t j1 - jt at every trace point, s^2 */
    ct_vec3 du_now;      /* up - up_ref on the last step integrated */
    ct_vec3 ubuf[HEIGHT_BUF]; /* up - up_ref at every trace point */
    float kn[6], kr[3];  /* its normal equations (upper triangle), right side */
    /* the calibration sway, still to still (height_sway_update) */
    bool sw_have;        /* a still pose to start from */
    bool sw_learnt;      /* its equation is in (once per exercise) */
    bool sw_from;        /* the window began before the gesture was seen, from a still pose */
    float sw_still_s;    /* time still in that pose, s */
    float sw_lean2;      /* furthest |up - sw_up0|^2 since */
    float sw_g, sw_v, sw_t; /* force read still there (g), integral of f - sw_g (g s), s */
    ct_vec3 sw_up0, sw_j1; /* up there; integral of up - sw_up0 (s) */
    ct_vec3 sw_s, sw_k;  /* the direction the sway saw k along (unit), and k along it */
    float sw_w;          /* the weight of its reading */
    /* the way down, one slot per ~10 ms, to end a rep at its bottom after the fact */
    int64_t ring_t[RP_RING];
    float ring_a[RP_RING], ring_s[RP_RING];
    float ring_tt[RP_RING], ring_v[RP_RING], ring_p[RP_RING];
    int ring_n, ring_k, ring_stride, cand, replay_from;
    ct_vec3 ring_du[RP_RING], ring_j1[RP_RING], ring_jt[RP_RING], ring_du_acc;
    float ring_acc, cand_a;
    bool ring_vup;        /* the velocity turned up within the slot being filled */
    /* The accelerometer's noise density squared (g^2/Hz, per axis) as measured at rest
     * by the caller (0: not known yet), and the levels that depend on it (see height.c):
     * each at least its value for the pod's own sensor */
    float acc_psd;
    float nz_dt, nz_psd;  /* what the levels were worked out for */
    float nz_a, nz_a1, nz_dm, nz_dm1, nz_hold; /* each smoothed signal's sd per sample sd */
    float lobe_g, quiet_g, steady_g, ref_band_g, hold_g, rest_max_g, valley_g;
    float steady_c;       /* steadiness's times stretched by this for the noise */
    float steady_min_s, up_steady_s;
    float s1, s2;         /* the acceleration smoothed twice over steadiness's time, g */
} ct_height;

void height_init(ct_height *h, const ct_height_settings *cfg);

/* One sample: accel (g), earth up in the sensor frame (unit), bias-corrected gyro
 * (deg/s), device time, period. Returns true when a rep ended (written to seg). */
bool height_update(ct_height *h, const ct_vec3 *acc_g, const ct_vec3 *up_s,
                   const ct_vec3 *gyr_dps, int64_t t_us, float dt_s, ct_height_segment *seg);

/* The standing reference read elsewhere (the still stand the alignment's first standing
 * reference was read in, acc_mean_g its mean accelerometer, up_s earth up now): when no
 * reference is known yet, the height's own is taken from it if the person moves before
 * the height has seen a steady spell of its own. */
void height_stand_ref(ct_height *h, const ct_vec3 *acc_mean_g, const ct_vec3 *up_s);

/* The calibration gesture on the shin (the knee swayed forward and back, the foot flat):
 * from a still pose to the next, f the vertical force (acc . up), still as the still
 * detector says, swayed once the alignment has seen the gesture. Its tilt error is taken
 * into k (see height.c). */
void height_sway_update(ct_height *h, float f, const ct_vec3 *up_s, bool still, bool swayed,
                        bool gyro_known, float dt_s);

/* Ends now a rep whose landing has been seen, or one still at its top whose shank has
 * tipped back to the lean it rose from (the set ended before the heels came to rest).
 * True when one ended (written to seg). */
bool height_finish(ct_height *h, int64_t t_us, ct_height_segment *seg);

/* The last finished segment taken as one heel raise (raises done back to back, each
 * segment one rep from the floor to the floor). */
typedef struct {
    int64_t t_start_us, t_peak_us, t_end_us;
    float peak_cm;    /* highest point above the floor */
    float above_s;    /* time at or above the target, s (0 without one) */
    float up_s, top_s, down_s; /* phases, from the 10 % and 90 % crossings, s */
    float turn_deg;   /* how far the shank tipped from where the rep began, deg */
    float path_deg;   /* how far it turned back and forth (tremor left out), deg */
    float tip_deg;    /* how far the shank leaned, at most, from where the trace began, deg */
    float back_deg;   /* how far the shank at the peak was from where it leaned furthest, deg */
    float end_deg;    /* how far the shank's lean at the end was from where the trace began, deg */
    float land_mps;   /* mean speed down over the trace's last HEIGHT_LAND_S, m/s */
    float down_mps;   /* fastest mean speed down over HEIGHT_LAND_S after the peak, m/s */
} ct_height_rep;

/* the span over which the trace's arrival on the floor is timed (a landing slows over
 * the last tenth of a second of even a quick way down), s */
#define HEIGHT_LAND_S 0.1f

/* Fills r from the last finished segment; target_cm <= 0: none. False when it has no
 * trace (a segment abandoned: walking, turning). */
bool height_segment_rep(const ct_height *h, float target_cm, ct_height_rep *r);

/* The last finished segment, corrected: height (m above the floor) of its i-th trace
 * point (0 <= i < h->n) and, when t_us is not NULL, its device time. */
float height_trace_m(const ct_height *h, int i, int64_t *t_us);

#endif
