/*
 * clinical.h - the measures a physiotherapist reads: per exercise and side what was
 * prescribed and done, heel-rise height and work (J = body mass x g x rise height),
 * the limb symmetry index (injured / uninjured, %), and tempo against the prescription.
 * Pure functions over stored events; nothing here does I/O.
 */
#ifndef CALFTRACK_CLINICAL_H
#define CALFTRACK_CLINICAL_H

#include <stdbool.h>

#include "calftrack/presc.h"
#include "calftrack/store.h"
#include "calftrack/types.h"

#define CLIN_G 9.81f                 /* m/s^2 */
#define CLIN_MDC_LUNGE_DEG 4.6f      /* minimal detectable change, weight-bearing lunge */
#define CLIN_TEMPO_FAST 0.75f        /* a phase under 75% of the prescribed is too fast */
#define CLIN_TEMPO_SLOW 2.0f         /* a phase over 200% of the prescribed is too slow */

/* Work of one heel rise, J. */
float clin_work_j(float body_mass_kg, float height_cm);

/* Injured / uninjured x 100, or NAN when either is missing (<= 0). */
float clin_lsi_pct(float injured, float uninjured);

/* How long a hold was held (its time in the hold, whatever the target), or a raise
 * stayed at the top, s. */
float clin_held_s(const ct_event *e);
/* Of that, the time at or above the prescribed target, s; NAN when the prescription sets
 * no target in the unit the exercise is measured in (deg, or cm for heel raises on the
 * shin). */
float clin_at_target_s(const presc_item *it, const ct_event *e);

typedef enum {
    TEMPO_NONE = 0,  /* nothing prescribed, or not a calf raise */
    TEMPO_GOOD,
    TEMPO_TOO_FAST,  /* say "slower" */
    TEMPO_TOO_SLOW,  /* say "a little quicker" */
} clin_tempo;

/* Compares measured phases with the prescribed tempo. A top phase is only judged when
 * the prescription holds at the top. */
clin_tempo clin_tempo_check(const presc_item *it, float up_s, float top_s, float down_s);
/* "good", "slower", "quicker" or "". */
const char *clin_tempo_word(clin_tempo t);

/* What one exercise on one side came to in a session. */
typedef struct {
    int item;              /* prescription row */
    ct_exercise exercise;
    ct_side side;
    ct_placement placement;
    int site_mm;           /* shin: mm below the knee (last seen), 0 foot/unknown */
    int prescribed;        /* sets x reps (or holds) for this side */
    int sets_prescribed;
    int sets_done;         /* sets with at least one counted rep or hold */
    int done;              /* reps or holds counted */
    int full;              /* of which graded full */
    int too_fast;          /* of which too fast */
    float best_deg;        /* highest peak angle, deg */
    float best_height_cm;  /* best heel rise, cm: the height three reps reached (the third
                              highest; of fewer reps, the lowest), not one rep's: one rep
                              can be over-read (two run together, a wobble at the top) */
    float top_height_cm[3]; /* the three highest heel rises, highest first, 0 if none */
    float mean_height_cm;
    float work_j;          /* summed heel-rise work, J (0 without a body mass) */
    float hold_total_s;    /* time held, summed (clin_held_s) */
    float mean_up_s, mean_top_s, mean_down_s; /* reps only */
    int tempo_good;        /* reps whose tempo was judged good */
} clin_row;

typedef struct {
    int n;
    clin_row row[PRESC_MAX_ITEMS * 2];
} clin_summary;

/* Aggregates a session's events per prescription item and side. Events of other kinds
 * (placement, gaps) and of unknown items are ignored. */
void clin_summarize(const presc *p, const store_event *ev, int nev, float body_mass_kg,
                    clin_summary *out);

/* Limb symmetry of one session, from its summary. Values are NAN when not measured. */
typedef struct {
    ct_side injured;       /* SIDE_BOTH: not set, indexes are NAN */
    float reps[2];         /* calf-raise reps, per side (SIDE_LEFT, SIDE_RIGHT) */
    float height_cm[2];    /* best heel rise (clin_row.best_height_cm) */
    float work_j[2];       /* summed work */
    float lunge_deg[2];    /* best lunge dorsiflexion */
    float lsi_reps_pct, lsi_height_pct, lsi_work_pct, lsi_lunge_pct;
} clin_symmetry;

void clin_symmetry_of(const clin_summary *s, ct_side injured, clin_symmetry *out);

#endif
