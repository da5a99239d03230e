/*
 * detect.h - excursion detector on one scalar measure (angle in deg or height in cm),
 * shared by the rep and hold detectors. The measure rests at a level (learnt while the
 * pod is still); an excursion starts when it rises `engage` above that level and ends
 * when it is back near its base, or still again well below its top (a new base: the
 * lunge stance, the downward-dog position). A short plateau followed by a further rise
 * that comes to rest above it (not a bounce straight back) is getting into position,
 * not a hold: the excursion restarts from it. Timing is on
 * device time and the excursion is reported on the sample it ends (no counter lag).
 * A fixed, decimated trace of the excursion gives its phase times.
 */
#ifndef CALFTRACK_ANALYSIS_DETECT_H
#define CALFTRACK_ANALYSIS_DETECT_H

#include <stdbool.h>
#include <stdint.h>

#define DETECT_BUF 512
#define DETECT_POSE_BUF 256

typedef struct {
    float engage;     /* rise above the rest level that starts an excursion */
    float low;        /* within this of the base the excursion has ended (< engage) */
    float target;     /* absolute level for the time at or above it */
    bool has_target;
    float min_s;      /* shorter excursions are ignored (steps, fidgets, settling), s */
    float max_s;      /* longer excursions are ignored (0: no limit), s */
    float min_turn_s; /* hold_phases: an attempt turned back (`turned`) counts from this
                         long (0: min_s), s */
    float quiet_rate; /* the measure changing slower than this is at rest, unit/s */
    float rest_min;   /* a rest level below this is no start position (the exercise's pose
                         is not taken yet), when has_rest_min */
    bool has_rest_min;
    float rest_tau_s; /* the rest level follows the measure at rest with this time constant
                         (0: 0.3 s), s */
    float end_s;      /* back near the base this long ends the excursion (0: at once); a
                         bounce or a brief easing off in a hold is not its end, s */
    float gap_s;      /* holds: still this long `engage` below the top ends the hold even
                         short of its base (the rest between holds; 0: never), s */
    float split_frac; /* reps done without a pause: coming down by this fraction of the
                         rise (at least `engage`, at most twice it) and turning up again
                         by `engage` ends the rep
                         at the turn-around and starts the next from there; no absolute
                         level needed (0: off) */
    bool slow_rise;   /* the level a slow rise began from is kept as for a pose's press
                         (see RISE_S in detect.c), without a pose gating the start */
    bool ease_at_base; /* holds: back near the base ends the hold only after `gap_s` there
                          (easing off may go all the way back to it) */
    bool no_ease;     /* holds: still again nearer the top than the start is not told
                         from coming back to rest (see eased_off in detect.c) */
    bool hold_phases; /* holds: the way up is timed from the last still step below half
                         way (stepping into the lunge is no part of it), the way down to the
                         first one, and the crossings are interpolated between trace points;
                         and an attempt turned back (risen `engage` from a still step, back
                         down by most of that rise without a still moment at its top, then
                         resting) ends there, wherever the excursion began */
} ct_detect_settings;

/* One finished excursion. */
typedef struct {
    int64_t t_start_us, t_peak_us, t_end_us;
    float base;       /* level it started from */
    float top;        /* typical level at the top (median of the upper half) */
    float peak;       /* highest value */
    float from;       /* level the last movement into it began at: the still step below
                         half way before it (hold_phases), else the level it started from */
    float above_s;    /* time at or above the target, s (0 without a target) */
    float up_s, top_s, down_s; /* phase durations, s */
    bool turned;      /* (hold_phases) ended as an attempt turned back: up from a still step
                         by `engage` at least and straight back down most of the way to it */
} ct_excursion;

typedef struct {
    ct_detect_settings cfg;
    bool rest_valid;
    float rest;            /* level at rest (still, not in an excursion) */
    float low_min;         /* lowest level since the last excursion ended (of the last
                              LOW_KEEP_S: see detect.c) */
    int64_t t_low_min_us;  /* when it was taken */
    int64_t t_low_us;      /* last time within `low` of the rest level */
    float rise_from;       /* (has_rest_min) the rest level when the measure last rose
                              `low` above it, and when (INT64_MIN: not risen) */
    int64_t t_rise_us;
    /* (has_rest_min) a press kept at a level under `engage` (see LEVEL_S in detect.c) */
    float lv_mean;         /* the measure averaged over the sway */
    float lv_pose;         /* the pose's level: the same over a couple of swings, at rest */
    float lv_spread;       /* the sway's spread about the pose: mean distance from the rest
                              level while resting in it */
    bool lv_risen;         /* risen from the pose, at lv_base, then (its trace: pose_x,
                              which follows the pose itself while pose_open) */
    bool lv_in_pose;       /* risen while pose_open */
    bool lv_held;          /* kept up LEVEL_S: a hold, told once its average is back down */
    int64_t t_lv_up_us;    /* the measure last `low` above lv_base then */
    float lv_base;
    int64_t t_lv_us;
    float lv_px;           /* the measure's last value and time */
    int64_t lv_pt;
    int64_t t_rest_from_us; /* the rest level was learnt or set anew (a hold ended) then */
    bool active;
    int64_t t_start_us, t_peak_us, t_cross_us, t_drop_us, t_ease_us;
    float base, peak, above_s;
    float valley;          /* lowest level since the peak (turn-around split) */
    int64_t t_valley_us;
    bool plateau_valid;    /* a still plateau was seen in this excursion */
    float plateau;         /* its level */
    float plateau_peak;    /* the excursion's top when it was seen */
    int64_t t_plateau_us;  /* its last still sample */
    bool plateau_rose;     /* risen past it since, not yet still again */
    int64_t t_rose_us;     /* when */
    int64_t t_rose_back_us; /* back near it since (INT64_MIN: not) */
    bool step_valid;       /* a still step was seen in this excursion (or its start) */
    float step_lvl;        /* the latest still step's level (mean over it) */
    int step_m;            /* samples in it */
    int64_t t_step_us;     /* its last still sample */
    float step_max;        /* the highest level since that step */
    bool turned;           /* the still step now began after a turn-back from step_lvl */
    int64_t t_turn_us;     /* when it began */
    float prev_step_lvl;   /* the still step before the latest one, the highest */
    float prev_step_max;   /* level after it and its end */
    int64_t prev_t_step_us;
    float turn_foot;       /* the still step the attempt rose from, and its end */
    int64_t t_turn_foot_us;
    bool gave_up;          /* (hold_phases) resting below the top for `gap_s`: an attempt
                              given up, if a movement past it follows */
    float gave_up_lvl, gave_up_peak; /* the rest's level (mean over it) and the top before */
    int64_t t_gave_up_peak_us;
    int gave_up_m;         /* samples in the rest */
    int64_t t_gave_up_us, t_gave_up_end_us; /* where the rest began and its last still sample */
    bool drop_rested;      /* at rest since t_drop_us (still again well below the top) */
    int64_t t_wait_us;     /* back near the base then, waiting to see it rest (an attempt) */
    bool wait_end;         /* it would have ended there without the wait */
    float trace[DETECT_BUF]; /* x every `stride` samples since t_start */
    int64_t trace_t[DETECT_BUF]; /* their device times */
    uint8_t trace_q[DETECT_BUF]; /* the measure was quiet there (a still step) */
    int n, stride, skip;
    /* (has_rest_min, hold_phases) since the pose was taken, until a hold is told in it
     * (pose_open): the measure, for a hold begun with the pose */
    bool pose_open;
    float pose_held;       /* the rest level before the measure last left it going down */
    int64_t t_pose_drop_us; /* since then `engage` below it (INT64_MIN: not) */
    int64_t t_pose_rest_us; /* (t_pose_drop_us set) where the measure last came to rest
                               since then (INT64_MIN: not yet) */
    float pose_x[DETECT_POSE_BUF];
    int64_t pose_t[DETECT_POSE_BUF];
    uint8_t pose_q[DETECT_POSE_BUF];
    int pose_n, pose_stride, pose_skip;
    bool pressed;          /* (has_rest_min) the last hold ended still pressed: well above
                              pressed_base, where it began */
    float pressed_base;
    bool cont;             /* this excursion began while pressed: the same hold going on */
    bool held_valid;       /* (has_rest_min) a hold ended by a dip still pressed, held back:
                              told once the heels are back up, with the same hold going on
                              after the dip (cont) joined to it */
    ct_excursion held;
    bool pose_pend_valid;  /* (pose_open) a hold that ended with the measure come down
                              `engage` below the rest level learnt in the pose: held back
                              for pose_update, which may find the hold begun with the pose
                              that it was a swing of */
    ct_excursion pose_pend;
    float dt_s;
    float x_prev, rate;    /* smoothed rate of change of the measure, unit/s */
    float quiet_s;         /* time still or quiet so far, s */
    bool x_valid;
    /* the running means' weights for a new sample, dt / (tau + dt), kept from the sample
     * before: a steady clock gives every sample the same period, and the divisions were
     * a good part of the update's time. Worked out again whenever the period or the rest
     * level's time constant moves, so the numbers are the same either way. */
    float per_dt, per_rest_tau, k_quiet, k_level, k_rest, k_pose, k_spread;
} ct_detect;

void detect_init(ct_detect *d, const ct_detect_settings *cfg);

/* Replaces the settings (between sets); an excursion in progress is dropped. */
void detect_configure(ct_detect *d, const ct_detect_settings *cfg);

/* One value of the measure at device time t_us (period dt_s). `still`: the pod is
 * still; `settled`: the measure may end an excursion now (false while a height
 * integration is open); `counting`: inside a set (outside, only the rest level is
 * followed). Returns true when an excursion of plausible duration ended (written to
 * out). */
bool detect_update(ct_detect *d, float x, int64_t t_us, float dt_s, bool still, bool settled,
                   bool counting, ct_excursion *out);

/* The excursion last returned was told as a hold or rep: a pose's rest is known since
 * (has_rest_min: no hold begun with the pose is looked for any more). */
void detect_told(ct_detect *d);
/* Ends an excursion in progress (end of a set) as if the measure dropped now.
 * Returns true when it was long enough to count. */
bool detect_flush(ct_detect *d, int64_t t_us, ct_excursion *out);
/* Cut short by a step: an excursion already back down where it began, waiting to be
 * seen resting there, was over where it came back (as it would have been once rested: an
 * attempt turned back is timed as one), true with *out filled when it was one; false for
 * anything else, and where a pose gates the holds (getting out of the pose moves the
 * measure before the first step). The caller resets the detector after the step. */
bool detect_flush_back(ct_detect *d, ct_excursion *out);

/* One smooth movement's start before its 10 % crossing and end after its 90 % crossing
 * (lead_s, tail_s), from its 10 %, 50 % and 90 % crossings t[3] (in order of progress,
 * device time): the 50 % crossing's place between the others tells how lopsided it is. */
void detect_movement_ends(const int64_t t[3], float *lead_s, float *tail_s);
/* The same, the asymmetry trusted up to s_max (time warped by u + s u (1 - u); |s| 0.5:
 * peak speed a third or two thirds of the way) where the half-way crossing is not moved
 * by postural sway; *skew: the asymmetry taken, s. */
void detect_movement_ends_max(const int64_t t[3], float s_max, float *lead_s, float *tail_s,
                              float *skew);

/* Drops an excursion in progress (new set); the rest level is kept. */
void detect_reset(ct_detect *d);
/* Drops an excursion in progress and takes x, where the measure keeps still now, as the
 * rest level, as if first learnt there at t_us. */
void detect_rest_at(ct_detect *d, float x, int64_t t_us);

#endif
