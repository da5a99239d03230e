/*
 * sim.h - the simulated patient: a kinematic model of a person doing the calf exercises
 * (and walking, sitting, fidgeting in between) with an IMU pod on the shin or the foot,
 * turned into LSM6DSOX-like samples, with the ground truth beside every sample.
 *
 * Streaming and allocation-free: the caller owns a sim, calls sim_init() once and
 * sim_next() per sample, and drains the truth events with sim_event_pop() after each
 * call. Everything is deterministic from the seed.
 *
 * World frame: x forward (the person's initial heading), y left, z up, metres.
 * Sensor frame of the pod (before strap rotation and tilt):
 *   shin: x up the shank, z out of the skin, y = z cross x;
 *   foot: x toward the toes along the dorsum, z out of the skin, y to the left.
 * The accelerometer reads specific force (a still pod reads 1 g upward), the gyroscope
 * the angular rate of the pod, both in sensor axes.
 */
#ifndef CALFTRACK_SIM_H
#define CALFTRACK_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calftrack/err.h"
#include "calftrack/types.h"
#include "calftrack/wire.h"

/* ---- The person --------------------------------------------------------- */

/* Body, range of motion and habits. sim_person_random() draws a plausible adult. */
typedef struct {
    float height_m;            /* body height */
    float mass_kg;             /* body mass */
    float foot_lever_m;        /* ankle joint to metatarsal heads, horizontal (heel-rise lever) */
    float heel_lever_m;        /* heel to ankle joint, horizontal */
    float ankle_height_m;      /* ankle joint centre above the floor, standing */
    float shank_radius_m;      /* shank axis to the skin under the pod */
    float pod_height_m;        /* pod centre above the ankle joint (shin placement) */
    float stance_incl_deg;     /* shank inclination (knee forward +) standing relaxed */
    float max_plantarflex_deg; /* standing calf-raise foot pitch the person reaches, double leg */
    float max_dorsiflex_deg;   /* weight-bearing shank inclination limit (lunge) */
    float max_band_df_deg;     /* seated passive dorsiflexion past neutral with a band */
    float relaxed_pf_deg;      /* seated relaxed foot: plantarflexion past neutral */
    float tempo_scale;         /* actual / prescribed phase durations (< 1: hurried) */
    float tempo_jitter;        /* relative standard deviation of each phase duration */
    float hold_discipline;     /* 0..1: fraction of the prescribed hold actually held */
    float fatigue;             /* per-rep fractional loss of depth; durations lose half that */
    float tremor_deg;          /* tremor amplitude while holding */
    float sway_deg;            /* shank sway amplitude while standing */
    float knee_bend_deg;       /* shank inclination gained at the top of a raise */
    float bounce_deg;          /* bouncing amplitude during stretches (0: none) */
    float undershoot_deg;      /* typical hold below the prescribed target */
    float p_partial;           /* per-rep probability of a partial rep */
    float p_abandon;           /* per-rep probability of a rep abandoned half-way */
    float p_pause;             /* per-rep probability of an extra pause before it */
    float p_early_start;       /* per-set probability the first rep starts while settling */
    float dorsum_slope_deg;    /* slope of the foot's dorsum under the pod, down to the toes */
} sim_person;

/* A typical, well-behaved adult (fixed numbers, no randomness). */
void sim_person_default(sim_person *p);
/* A random adult: anthropometry, range of motion and habits drawn from the seed. */
void sim_person_random(sim_person *p, uint64_t seed);
/* The same person's injured side: severity 0 (healthy) to 1 (early after an Achilles
 * rupture): less range in every direction, lower and fewer-quality raises (more
 * partial reps, faster fatigue), more tremor, shorter holds. */
void sim_person_injured(sim_person *p, float severity);

/* ---- The sensor --------------------------------------------------------- */

/* LSM6DSOX-like sensor errors and configuration. Copy a const default and edit. */
typedef struct {
    uint16_t odr_hz;             /* the pod's rates 104, 208, 416 or 833; or, for another
                                    sensor's data (no wire form), any rate 20..1000 */
    uint16_t acc_range_g;        /* 2, 4, 8 or 16 */
    uint16_t gyr_range_dps;      /* 125, 250, 500, 1000 or 2000 */
    float acc_noise_ug_rthz;     /* accelerometer noise density, micro-g/sqrt(Hz) */
    float gyr_noise_mdps_rthz;   /* gyroscope noise density, milli-dps/sqrt(Hz) */
    float acc_bias_mg;           /* initial bias, each axis uniform in +-this, mg */
    float gyr_bias_dps;          /* initial bias, each axis uniform in +-this, dps */
    float acc_drift_mg_per_rtmin; /* bias random walk: rms change after one minute, mg */
    float gyr_drift_dps_per_rtmin;/* bias random walk: rms change after one minute, dps */
    float scale_err_pct;         /* per-axis sensitivity error, uniform in +-this, % */
    float cross_axis_pct;        /* cross-axis sensitivity, uniform in +-this, % */
    float strap_deg;             /* pod rotation about the leg's long axis (shin) or about
                                    the skin normal (foot) at the start, deg */
    bool strap_random;           /* draw strap_deg uniformly in 0..360 from the seed */
    float tilt_deg;              /* mounting tilt, each of two axes uniform in +-this, deg */
    bool quantise;               /* phys output derived from the int16 raw values; when false
                                    phys carries the exact (float) values */
    float gyr_warmup_dps;        /* warm-up: each axis's bias moves by up to +-this, settling
                                    exponentially over the first minutes after power-up */
    float odr_error_pct;         /* the IMU's own clock: true sample spacing is the nominal
                                    period times (1 + this/100), -20..20; sample times (t_us)
                                    are the true ones, on the device's accurate clock */
    uint64_t device_seed;        /* the pod's own errors (biases, scale, cross-axis, warm-up
                                    amplitudes) drawn from this, the same for every run
                                    given it, as one pod moved from leg to leg keeps them;
                                    0: drawn from the run's seed */
} sim_sensor;

/* Datasheet-like errors: 16 g, 2000 dps, 104 Hz, noise 90 ug/rtHz and 4 mdps/rtHz,
 * bias 20 mg and 1 dps, drift and warm-up, 1% scale and cross-axis errors, random
 * strap, 5 deg tilt. */
extern const sim_sensor sim_sensor_default;
/* No noise, bias, drift, scale or cross-axis error, no tilt, strap 0, no quantisation,
 * 833 Hz: the physics reference. */
extern const sim_sensor sim_sensor_ideal;
/* Another maker's consumer-grade IMU, as in a phone or a hobby board, at 50 Hz: noise
 * 400 ug/rtHz and 7 mdps/rtHz, bias 60 mg and 3 dps, faster drift and warm-up, 3%
 * scale and 2% cross-axis errors, 8 g and 1000 dps, random strap, 8 deg tilt. The
 * analysis must cope with data imported from such sensors. */
extern const sim_sensor sim_sensor_other;

/* ---- The plan ----------------------------------------------------------- */

typedef enum {
    SIM_STEP_STAND_STILL = 0, /* stand quietly for duration_s */
    SIM_STEP_CALIBRATE,       /* functional calibration: still, then knee sway or ankle pump */
    SIM_STEP_WALK,            /* walk distance_m, then turn by turn_deg */
    SIM_STEP_SIT_DOWN,        /* sit on a chair or on the floor, leg straight (posture) */
    SIM_STEP_STAND_UP,        /* stand up from whatever posture */
    SIM_STEP_FIDGET,          /* small random movements for duration_s in the current posture */
    SIM_STEP_STRAP_ADJUST,    /* turn the pod on the leg by strap_delta_deg */
    SIM_STEP_REST,            /* quiet rest in the current posture for duration_s */
    SIM_STEP_EXERCISE,        /* one set (gets into the needed posture by itself) */
    SIM_STEP_KIND_COUNT
} sim_step_kind;

typedef enum { SIM_CAL_KNEE_SWAY = 0, SIM_CAL_ANKLE_PUMP } sim_cal_kind;

typedef enum { SIM_POSTURE_STAND = 0, SIM_POSTURE_CHAIR, SIM_POSTURE_FLOOR } sim_posture;

/* One prescribed set. */
typedef struct {
    ct_exercise exercise;
    bool single_leg;      /* calf raises: on the pod leg only */
    int set;              /* 1-based set number reported in the truth */
    int count;            /* reps (calf_raise) or holds (the others) */
    float hold_s;         /* hold per rep (stretches, isometric raise) or top hold (raises) */
    float target;         /* deg (or cm when target_cm); 0: the person's own range */
    bool target_cm;       /* target is heel height in cm (raises) */
    float up_s, down_s;   /* prescribed tempo of the way in and out, s */
    float between_s;      /* pause between reps or holds, s */
    /* Overrides of the person's tendencies for this set; negative: the person's own. */
    float p_partial, p_abandon, p_pause, p_early_start;
} sim_set;

typedef struct {
    sim_step_kind kind;
    float duration_s;      /* STAND_STILL, CALIBRATE, FIDGET, REST */
    sim_posture posture;   /* SIT_DOWN: where to sit */
    sim_cal_kind cal;      /* CALIBRATE */
    float distance_m;      /* WALK */
    float turn_deg;        /* WALK: heading change at the end, + to the left */
    float strap_delta_deg; /* STRAP_ADJUST: pod rotation, deg; 0 draws one from the seed */
    sim_set set;           /* EXERCISE */
} sim_step;

/* A typical clinical prescription for one set of ex (3 x 15 raises, 30 s stretches...). */
void sim_set_default(sim_set *set, ct_exercise ex);

/* The placement the exercise is measured with (band_stretch: foot, others: shin). */
ct_placement sim_placement_for(ct_exercise ex);

/* Fills plan[0..cap) with a session of `sets` sets of ex, each with a random but
 * plausible prescription, a walk/sit/stand/fidget/strap-adjust distractor and a
 * functional calibration before the first set and distractors between sets.
 * Returns the number of steps written (at most cap). */
size_t sim_plan_random(sim_step *plan, size_t cap, ct_exercise ex, int sets, uint64_t seed);

/* Fills plan with roughly duration_s of distractors only (walking, sitting down,
 * standing up, fidgeting, strap adjusting, resting): no rep or hold may be counted.
 * Returns the number of steps written. */
size_t sim_plan_distractors(sim_step *plan, size_t cap, float duration_s, uint64_t seed);

/* ---- Ground truth --------------------------------------------------------- */

typedef enum {
    SIM_PHASE_NONE = 0, /* not in a set */
    SIM_PHASE_ENTRY,    /* getting into position for the set */
    SIM_PHASE_UP,       /* rising / moving into the stretch */
    SIM_PHASE_TOP,      /* at the top / holding */
    SIM_PHASE_DOWN,     /* lowering / releasing */
    SIM_PHASE_BETWEEN,  /* between reps or holds */
    SIM_PHASE_EXIT,     /* leaving the position after the set */
} sim_phase;

/* The truth of one sample. */
typedef struct {
    int64_t t_us;
    uint64_t index;
    int step;               /* plan step index (nsteps after the end) */
    sim_step_kind kind;     /* what the person is doing */
    sim_posture posture;    /* current (or last reached) posture */
    ct_exercise exercise;   /* of the current set (valid when kind == SIM_STEP_EXERCISE) */
    int set, number;        /* set and rep/hold number, 0 outside */
    sim_phase phase;
    float angle_deg;        /* the exercise's angle: raises: plantarflexion (foot pitch from
                               standing); lunge, dog: shank inclination; band: dorsiflexion
                               past neutral; 0 outside a set */
    float height_cm;        /* ankle rise above standing (raises), 0 otherwise */
    float shank_incl_deg;   /* sagittal shank inclination from vertical, knee forward + */
    float foot_pitch_deg;   /* foot pitch from horizontal, heel up + */
    float ankle_df_deg;     /* ankle dorsiflexion: shank_incl - foot_pitch */
    float strap_deg;        /* current pod rotation on the leg */
    double quat[4];         /* pod orientation, sensor to world, w x y z */
    double pos_m[3];        /* pod position, world */
    double vel_m_s[3];      /* pod velocity, world */
    double acc_g[3];        /* exact specific force, sensor axes, before sensor errors */
    double gyr_dps[3];      /* exact angular rate, sensor axes, before sensor errors */
} sim_truth_sample;

/* sim_event.flags */
#define SIM_EV_PARTIAL 0x01u      /* intended as a partial rep or a shallow hold */
#define SIM_EV_ABANDONED 0x02u    /* rep given up half-way (no top) */
#define SIM_EV_SHORT_HOLD 0x04u   /* held shorter than prescribed */
#define SIM_EV_BELOW_TARGET 0x08u /* held below the prescribed target */
#define SIM_EV_EARLY_START 0x10u  /* started while still getting into position */
#define SIM_EV_AFTER_PAUSE 0x20u  /* an unplanned pause came before it */
#define SIM_EV_DIPPED 0x40u       /* eased off and went back in once during the hold */

/* One true rep or hold. ev.kind is EV_REP (calf_raise) or EV_HOLD (the others);
 * ev.t_start_us/t_end_us bound the movement (start of the way up, end of the way down),
 * ev.t_peak_us is when angle_deg peaked, ev.peak_deg that peak, ev.height_cm the peak
 * ankle rise (raises); ev.hold_s is the time at the top for calf raises and, for holds,
 * the time at or above the target (the time in the hold when there is no target);
 * ev.up_s/top_s/down_s are the true tempo phases; ev.grade is FULL, PARTIAL (partial or
 * abandoned) or SHORT_HOLD, as intended by the simulated person. */
typedef struct {
    ct_event ev;
    unsigned flags;      /* SIM_EV_* */
    int step;            /* plan step index */
    float peak_pf_deg;   /* peak plantarflexion (raises) */
    float hold_total_s;  /* time in the top phase */
} sim_event;

/* ---- The simulation --------------------------------------------------------- */

typedef struct sim sim;

/* Prepares s to play plan[0..nsteps) (the caller keeps plan alive) for a person with the
 * pod at placement on side. Returns CT_OK or CT_EARG (bad sensor configuration, null
 * pointers, unknown placement or side, an empty plan). */
int sim_init(sim *s, const sim_person *person, const sim_sensor *sensor,
             const sim_step *plan, size_t nsteps, ct_placement placement, ct_side side,
             uint64_t seed);

/* Produces the next sample. raw, phys and truth may each be NULL. Returns false (and
 * writes nothing) once the plan is over. */
bool sim_next(sim *s, wire_sample *raw, ct_sample *phys, sim_truth_sample *truth);

/* Takes the oldest pending truth event; false when there is none. Drain after every
 * sim_next(): at most SIM_EVENT_QUEUE events are kept (older ones are dropped and
 * counted in sim_events_dropped()). */
bool sim_event_pop(sim *s, sim_event *ev);
uint64_t sim_events_dropped(const sim *s);

/* The GET_INFO reply a pod with this configuration gives (board WIRE_BOARD_VIRTUAL). */
void sim_wire_info(const sim *s, wire_info *info);

/* Time of the last sample produced, s. */
double sim_time_s(const sim *s);

/* ---- Private: the state, caller-owned; reach inside only through the functions. */

#define SIM_EVENT_QUEUE 16
#define SIM_NQ 11 /* generalised coordinates of the leg */

typedef struct {
    uint64_t s[4];
} sim_rng;

/* Smooth pseudo-random motion: a sum of three rotating phasors. */
typedef struct {
    double c[3], s[3], cr[3], sr[3], w[3], amp[3];
} sim_wobble;

/* One movement of the whole leg: minimum-jerk from one pose to another, or walking. */
typedef struct {
    double t0, dur, skew; /* s */
    double from[SIM_NQ], to[SIM_NQ];
    int gait;             /* 0: minimum-jerk; 1: walking (parameters below) */
    double stride_m, lift_m, cadence_hz, ramp_s, strides;
    double gait_deg[5];   /* shank A1, A2; foot at toe off, at heel strike; sway */
    double impact_m, impact_w; /* heel-strike ring: amplitude m, rad/s */
} sim_move;

struct sim {
    /* configuration */
    sim_person person;
    sim_sensor sensor;
    const sim_step *plan;
    size_t nsteps;
    ct_placement placement;
    ct_side side;
    int side_sign;
    double dt_s;
    uint32_t period_ns;
    double acc_lsb_g, gyr_lsb_dps;
    sim_rng rng_motion, rng_noise, rng_strap;
    /* clock */
    uint64_t index;
    double t_s;
    bool done;
    /* body layers */
    sim_posture posture;
    int pivot;
    sim_move mv;              /* posture, entry and exit movements (absolute pose) */
    sim_move rp;              /* rep movements (pose deltas) */
    sim_wobble sway[3];
    double sway_base, sway_d[3], sway_t[3]; /* sway amplitude, deg, as ramps */
    sim_wobble tremor, bounce;
    double strap_from[3], strap_to[3], strap_t0, strap_dur; /* strap, tilt a, tilt b, rad */
    /* the pod's fixed mounting while the strap is not being turned (body.c) */
    double tail_key[4], tail_R[9], tail_d[3];
    /* plan position */
    size_t step;
    bool step_started;
    int stage, sub, count, posture_k0;
    double until_s, scratch[6];
    double rest[SIM_NQ];      /* pose a fidget or calibration returns to */
    /* current set */
    sim_set set;
    double p_partial, p_abandon, p_pause;
    bool early;
    double ready[SIM_NQ];     /* pose the reps start from */
    double gain[6];           /* exercise-specific coupling of the rep level */
    double bounce_deg, tremor_deg;
    /* current rep */
    int number;
    sim_phase phase;
    bool rep_wait;
    double rep_start_s, rep_t0_s, level_deg, sag_deg, rep_frac;
    double up_s, top_s, down_s, top_t0_s;
    unsigned rep_flags;
    double pk_deg, pk_t_s, pk_h_cm, above_s, last_level_deg;
    double dip_deg, dip_t0_s, dip_hold_s; /* easing off once in a long hold */
    double osc_scale;         /* bouncing in this hold: share of the set's amplitude */
    /* sensor errors */
    double acc_m[9], gyr_m[9];
    double acc_bias[3], gyr_bias[3];
    double acc_rw_sd, gyr_rw_sd, acc_sd, gyr_sd;
    double gyr_warm[3], warm_k;   /* warm-up bias offsets, dps; per-sample decay factor */
    double warm_left;             /* remaining fraction of the warm-up drift */
    /* events */
    sim_event q[SIM_EVENT_QUEUE];
    unsigned q_head, q_len;
    uint64_t q_dropped;
};

#endif
