/*
 * analysis.h - the motion-analysis pipeline: one streaming stage from calibrated IMU
 * samples (ct_sample, device time) to graded rep and hold events, the same for live and
 * replayed data. Caller-owned state, O(1) memory, no allocation:
 *
 *     ct_analysis a;
 *     analysis_init(&a, &item, 104.0f);
 *     analysis_begin_set(&a, 1);
 *     for each sample: n = analysis_update(&a, &s, ev, 8); ... use ev[0..n)
 *     analysis_end_set(&a, ev, 8);
 *     analysis_live(&a) for the UI line
 *
 * Inside: still detection -> gyro offset -> orientation filter -> alignment (standing
 * reference + medio-lateral axis) -> placement -> angle/height -> per-exercise detector.
 *
 * Calibration the user does at the start of each exercise (analysis_init): stand still
 * ~1 s (standing reference, placement), then one slow knee-forward sway (shin) or
 * toes-up ankle pump (foot). Without the gesture the exercise's own motion is used.
 * The pod may sit at any rotation about the leg, and may be turned on the leg later
 * (strap adjusted): a turn about the pod's strap axis (x along the shank on the shin,
 * the normal z on the foot) while the body is quiet is carried into the references.
 *
 * Measures (0 = neutral standing):
 *   shin, lunge_stretch / downward_dog: shank inclination from the standing reference,
 *         deg (= ankle dorsiflexion with the foot flat; the whole tilt, so a lateral
 *         lean of 3 deg adds ~0.1 deg and the strap's position does not matter; the
 *         accelerometer's offset read standing is taken back);
 *   shin, calf_raise / isometric_raise: heel rise of the pod, cm, by integration between
 *         zero-velocity periods; each movement is corrected when it ends and the
 *         detector is fed its corrected trajectory (a rep is told at the next pause);
 *   foot, calf_raise / isometric_raise: plantarflexion, deg (heel up +), from the flat
 *         foot before the rep; a rep is told 0.4 s after the heel is down, unless the
 *         toes come up (a walking step);
 *   foot, band_stretch: dorsiflexion past neutral, deg: foot pitch toward the shin
 *         relative to a horizontal shank, minus the neutral 90 deg.
 *
 * Reps and holds: an excursion of the measure from its rest level (a rest that lasts
 * ~1 s at a level measure; the lunge stance or the dog position become the new rest;
 * downward-dog holds start only from the dog pose, the shank leaning 10 deg or more), of
 * plausible size and duration for the exercise; a short plateau then a further rise is
 * getting into position. A hold ends back near its start once quiet there or after 1 s
 * (bouncing passes through it), or after 2.5 s still a step below the level held (the
 * rest between holds; easing off and going back in is shorter). A step (an impact over
 * 0.5 g, or for holds a turn over 150 deg/s) is no rep or hold. ct_event: peak_deg / height_cm = the highest value; top_s = time in the
 * hold (top phase); hold_s = time at or above the target when one is prescribed in the
 * measure's unit, else top_s; up_s / down_s from the 10-90% crossing times of a smooth
 * movement.
 *
 * Grades, first failing rule wins:
 *   PARTIAL     rise from its start level below partial_frac (default 0.8) of the range
 *               to the reference: the patient's full reps in this set (earlier sets
 *               before the first; a first rep short of them is the set's reference until
 *               a better one), or the target when lower (reachable); band stretch:
 *               short both of the full holds' range and of the level they reached
 *               (the resting foot and the seated shank's incline, hidden from the foot,
 *               both move between sittings); no target, but a target lowered since the
 *               earlier sets lowers both by as much;
 *   SHORT_HOLD  holds: top_s under 90% of hold_s; raises: under half a prescribed top
 *               pause of 1 s or more;
 *   TOO_FAST    way up or down in under CT_TOO_FAST_FRAC of the prescribed time;
 *   FULL        otherwise.
 */
#ifndef CALFTRACK_ANALYSIS_H
#define CALFTRACK_ANALYSIS_H

#include <stdbool.h>
#include <stdint.h>

#include "calftrack/analysis/align.h"
#include "calftrack/analysis/detect.h"
#include "calftrack/analysis/acc_offset.h"
#include "calftrack/analysis/gyro_offset.h"
#include "calftrack/analysis/height.h"
#include "calftrack/analysis/held.h"
#include "calftrack/analysis/orient.h"
#include "calftrack/analysis/planted.h"
#include "calftrack/analysis/still.h"
#include "calftrack/err.h"
#include "calftrack/types.h"

typedef enum { RX_UNIT_DEG = 0, RX_UNIT_CM = 1 } ct_rx_unit;

/* One prescribed exercise, as the session layer hands it to analysis. */
typedef struct {
    ct_exercise exercise;
    ct_side side;
    int reps;            /* reps (calf_raise) or holds per set; 0: open-ended */
    float hold_s;        /* hold per rep (stretches, isometric) or top hold (raises), s; 0: none */
    float target;        /* target in `unit`: dorsiflexion / plantarflexion deg or heel rise cm;
                            0: none (graded against the person's own best) */
    ct_rx_unit unit;     /* unit of target */
    float up_s;          /* prescribed time of the way up / into the stretch, s; 0: free */
    float top_s;         /* prescribed time at the top, s (informative; holds use hold_s) */
    float down_s;        /* prescribed time of the way down / out, s; 0: free */
    float partial_frac;  /* partial below this fraction of the target; 0: default 0.8 */
} ct_rx_item;

/* Grading constants (documented above). */
#define CT_PARTIAL_FRAC_DEFAULT 0.8f
#define CT_TOO_FAST_FRAC 0.5f

typedef enum {
    LIVE_WAITING_STILL = 0, /* waiting for the person to stand (or sit) still */
    LIVE_CALIBRATING,       /* reference taken; waiting for the calibration gesture */
    LIVE_READY,             /* calibrated, in a set, at rest in the start position */
    LIVE_IN_REP,            /* moving through a rep or into a stretch */
    LIVE_HOLDING,           /* in a hold (hold_elapsed_s runs) */
    LIVE_RESTING,           /* calibrated, outside a set */
} ct_live_state;

/* What the UI shows now. */
typedef struct {
    ct_live_state state;
    ct_placement placement;
    float value;          /* current angle (deg) or height (cm), the exercise's measure */
    float target;         /* prescribed target in the same unit, 0 when none */
    ct_rx_unit unit;      /* unit of value and target */
    float angle_deg;      /* current sagittal angle of the segment from standing, deg */
    float height_cm;      /* current heel-rise estimate (shin), cm */
    float hold_elapsed_s; /* time in the current hold, s */
    int set;              /* current set, 0 outside */
    int count;            /* reps or holds counted in the set */
    int64_t t_us;         /* device time of the last sample */
} ct_live;

#define CT_ATTEMPTS_MAX 4

/* The pipeline state: caller-owned, one per pod. Reach inside only for diagnostics. */
typedef struct {
    ct_rx_item rx;
    float period_s;        /* nominal sample period, s */
    float partial_frac;
    ct_still still;
    ct_gyro_offset gofs;
    ct_acc_offset aofs;    /* the accelerometer's offset, from pairs of still poses */
    ct_vec3 acc_bias_g;    /* the offset in use: aofs's, taken up between holds */
    bool acc_bias_known;
    ct_orient orient;
    ct_align align;
    ct_height height;
    ct_held held;          /* isometric raises on the shin: the hold, floor to floor */
    ct_planted planted;    /* where the leg went over the last seconds (shin raises) */
    ct_detect det;
    ct_placement placement;
    bool placement_told;
    bool wrong_told;       /* shin exercise: a still pose far from standing was told wrong */
    bool have_prev;
    int64_t prev_t_us;
    uint64_t prev_index;
    int64_t t_us;
    int set;
    float angle_deg;       /* sagittal angle, deg */
    float value;           /* the exercise's measure now */
    float ref_peak;        /* the patient's current full-rep peak (partial grading) */
    bool ref_peak_valid;
    float best_peak;       /* the same carried over from earlier sets */
    bool best_peak_valid;
    float ref_top;         /* band stretch: the level the reference's full holds reached */
    float best_top;        /* the same carried over from earlier sets */
    float best_target;     /* the target in force when best_top was reached (0: none) */
    float seated;          /* band stretch: the resting foot its holds were pulled from, deg */
    bool seated_valid;
    float seat_rest;       /* band stretch, before any hold: where the seated foot rested */
    bool seat_rest_valid;
    float g_norm_rest;     /* |a| at rest, g */
    float g_norm_rest_c;   /* |a| less the accelerometer's offset (acc_bias_g) at rest, g
                              (kept for the band stretch, where the offset is learnt) */
    ct_vec3 strap_axis;    /* the pod axis the strap turns it about (sensor frame) */
    bool strap_turning;    /* the pod is being turned on the leg */
    int64_t t_strap_us;    /* last time it was (valid when strap_seen) */
    bool strap_seen;
    ct_vec3 strap_ref_d;   /* standing reference minus gravity seen before the turn, carried */
    bool strap_d_valid;    /* the pod was at rest when the turn began */
    ct_vec3 strap_g0;      /* gravity in the pod when the adjust began */
    bool strap_settling;   /* a turn ended, the pod not yet at rest (STRAP_SETTLE_US) */
    float strap_settle_deg; /* rotation since, deg */
    bool rock_active;      /* shin: the pod turned about its axis but rocked more (a tug?) */
    int64_t t_rock_us;     /* last time it did so (valid when rock_active) */
    ct_vec3 rock_up, rock_fwd, rock_ml; /* the references carried as if it were a tug */
    float rock_along_deg, rock_across_deg; /* its rotation about the axis and across it */
    int64_t t_near_rest_us; /* last time the pod was nearly at rest (shin) */
    bool ref_seated;       /* band stretch: the reference was taken seated, leg straight */
    bool band_abs;         /* band stretch: measured from gravity alone (no standing reference) */
    float axis_s[6];       /* foot: sum of rate outer products over the reps (xx xy xz yy yz zz) */
    ct_excursion pend;     /* a raise on the foot waiting to be confirmed */
    bool pend_valid;
    int64_t pend_until_us;
    ct_excursion low_first; /* the set's first raise, lower than a bounce of the heels */
    bool low_first_valid;
    int count_in_set;      /* reps or holds emitted in the set */
    int64_t t_set_us;      /* device time the set was opened */
    int64_t t_step_us;     /* last heel strike or swing of the leg (no strap turn then) */
    int64_t t_fast_us;     /* last time the segment turned faster than any hold allows */
    ct_excursion attempt[CT_ATTEMPTS_MAX]; /* holds given up before the set's first one:
                              told when it comes (alone they are no set) */
    int n_attempts;
} ct_analysis;

/* Prepares a for one prescribed exercise at the nominal sample rate (Hz). Any state of
 * a previous exercise is dropped: counts restart, the alignment is redone.
 * Returns CT_OK or CT_EARG. */
int analysis_init(ct_analysis *a, const ct_rx_item *item, float rate_hz);

/* Replaces the prescription of the same exercise (a new set with other reps, hold or
 * target) keeping the calibration. Returns CT_EARG for another exercise: that needs
 * analysis_init(), which also restarts the counts. */
int analysis_set_rx(ct_analysis *a, const ct_rx_item *item);

/* Starts set number set_no (1-based): counting restarts and reps are taken only after
 * the start position is held still. */
void analysis_begin_set(ct_analysis *a, int set_no);

/* Ends the current set. A hold still in progress is closed and graded. Returns the
 * number of events written to out (at most max_out). */
int analysis_end_set(ct_analysis *a, ct_event *out, int max_out);

/* Feeds one sample. Writes the events it completes to out (at most max_out; a
 * sample completes at most 2) and returns how many. */
int analysis_update(ct_analysis *a, const ct_sample *s, ct_event *out, int max_out);

/* The live view for the UI. */
ct_live analysis_live(const ct_analysis *a);

#endif
