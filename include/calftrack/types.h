/*
 * types.h - the vocabulary shared by every stage: exercises, sides, sensor placement,
 * samples on the continuous device clock, and the events analysis produces.
 * Units are in the names; device time is integer microseconds.
 */
#ifndef CALFTRACK_TYPES_H
#define CALFTRACK_TYPES_H

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    EX_CALF_RAISE = 0,
    EX_ISOMETRIC_RAISE,
    EX_LUNGE_STRETCH,
    EX_BAND_STRETCH,
    EX_DOWNWARD_DOG,
    EX_COUNT
} ct_exercise;

typedef enum { SIDE_LEFT = 0, SIDE_RIGHT = 1, SIDE_BOTH = 2 } ct_side;

typedef enum { PLACE_UNKNOWN = 0, PLACE_SHIN = 1, PLACE_FOOT = 2 } ct_placement;

/* Names as they appear in prescriptions, CSV and the command line
 * ("calf_raise", "left", "shin"). NULL for out-of-range values. */
const char *ct_exercise_name(ct_exercise e);
const char *ct_side_name(ct_side s);
const char *ct_placement_name(ct_placement p);
/* Parse the names above; -1 when unknown. */
int ct_exercise_parse(const char *s);
int ct_side_parse(const char *s);
int ct_placement_parse(const char *s);

/* Sample flags */
#define CT_SAMPLE_ACC_CLIP 0x01u  /* accelerometer at full scale */
#define CT_SAMPLE_GYR_CLIP 0x02u  /* gyroscope at full scale */
#define CT_SAMPLE_GAP 0x04u       /* samples were lost just before this one */

/* One IMU sample in physical units, sensor axes, on the continuous device clock. */
typedef struct {
    int64_t t_us;     /* device time, microseconds, continuous (wraps unwrapped) */
    uint64_t index;   /* continuous sample index */
    float acc_g[3];   /* specific force, g (gravity included: still = 1 g up) */
    float gyr_dps[3]; /* angular rate, degrees/s */
    uint8_t flags;    /* CT_SAMPLE_* */
} ct_sample;

typedef enum {
    GRADE_FULL = 0,    /* reached the target range (and hold) */
    GRADE_PARTIAL,     /* below the stated fraction of the target range */
    GRADE_SHORT_HOLD,  /* range reached but held shorter than prescribed */
    GRADE_TOO_FAST,    /* faster than the prescribed tempo allows */
} ct_grade;

const char *ct_grade_name(ct_grade g);

typedef enum {
    EV_REP = 0,        /* one repetition of a dynamic exercise, complete */
    EV_HOLD,           /* one static hold, complete */
    EV_PLACEMENT,      /* placement detected from a still pose (value in placement) */
    EV_WRONG_PLACEMENT,/* pod is not where the exercise needs it */
    EV_GAP,            /* samples lost (count in lost_samples) */
} ct_event_kind;

/* One analysed event. Fields that do not apply to the kind are zero. */
typedef struct {
    ct_event_kind kind;
    ct_exercise exercise;
    ct_side side;
    ct_placement placement;
    ct_grade grade;
    int set;                /* 1-based set number, 0 outside a set */
    int number;             /* 1-based rep or hold number within the set */
    int64_t t_start_us;     /* device time the movement or hold started */
    int64_t t_peak_us;      /* device time of the peak */
    int64_t t_end_us;       /* device time it ended */
    float peak_deg;         /* peak dorsiflexion (+) or plantarflexion (+ for raises), deg */
    float height_cm;        /* heel-rise height, cm (shin placement) */
    float hold_s;           /* time at or above the target (holds) or at the top (raises) */
    float up_s, top_s, down_s; /* tempo phases, s */
    float target;           /* prescribed target in its unit (deg or cm), 0 when none */
    uint64_t lost_samples;  /* EV_GAP */
} ct_event;

const char *ct_event_kind_name(ct_event_kind k);

#endif
