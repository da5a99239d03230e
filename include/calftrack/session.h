/*
 * session.h - the guided session: walks a prescription (each exercise, each side, each
 * set), prompts placement and a still reference, feeds samples to the analysis, counts
 * reps and holds against the prescription, runs get-ready countdowns and rest timers on
 * device time, keeps every event in the journal, and tells a display what happens.
 *
 * The runner is wired to its surroundings through three small interfaces, so that tests
 * drive it with synthetic or simulated samples and a fake analysis:
 *   session_source    where samples come from (the pod, a replay, a test)
 *   session_analyzer  samples in, events and a live view out (analysis.h in the program)
 *   session_ui        what the person sees and the keys they press
 */
#ifndef CALFTRACK_SESSION_H
#define CALFTRACK_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "calftrack/clinical.h"
#include "calftrack/journal.h"
#include "calftrack/presc.h"
#include "calftrack/types.h"

/* ---- sample source ------------------------------------------------------ */

typedef enum { SESSION_SRC_STREAMING = 0, SESSION_SRC_WAITING, SESSION_SRC_ENDED } session_src_state;

typedef struct {
    void *ctx;
    /* Up to max samples, waiting at most timeout_ms: count (0: none yet) or ct_err. */
    int (*read)(void *ctx, ct_sample *out, int max, int timeout_ms);
    session_src_state (*state)(void *ctx);
    /* A note into the raw recording ("set 2 start"); may be NULL. */
    int (*note)(void *ctx, const char *text);
} session_source;

/* ---- analysis ----------------------------------------------------------- */

typedef enum {
    SLIVE_WAITING_STILL = 0, /* stand (or sit) still for the reference */
    SLIVE_CALIBRATING,       /* reference taken, waiting for the calibration sway */
    SLIVE_READY,             /* in the start position */
    SLIVE_MOVING,            /* in a rep, or moving into a stretch */
    SLIVE_HOLDING,           /* holding: hold_elapsed_s runs */
    SLIVE_RESTING,           /* calibrated, outside a set */
} session_live_state;

typedef struct {
    session_live_state state;
    ct_placement placement;
    float value;          /* the exercise's measure now: deg or cm */
    float target;         /* in the same unit, 0 none */
    bool value_cm;        /* value is a height in cm (else deg) */
    float hold_elapsed_s;
    int64_t t_us;
} session_live;

typedef struct {
    void *ctx;
    /* A new exercise on one side: everything learnt before is dropped. 0 or ct_err. */
    int (*begin_item)(void *ctx, const presc_item *it, ct_side side);
    void (*begin_set)(void *ctx, int set);
    /* One sample in; events it completes out (at most max). */
    int (*update)(void *ctx, const ct_sample *s, ct_event *out, int max);
    /* Closes the set (a hold in progress is graded). */
    int (*end_set)(void *ctx, ct_event *out, int max);
    void (*live)(void *ctx, session_live *out);
} session_analyzer;

/* ---- what the person sees ----------------------------------------------- */

typedef enum {
    SMSG_PROMPT = 0,   /* text: an instruction (placement, stand still, sway) */
    SMSG_EXERCISE,     /* a new exercise on a side begins */
    SMSG_SET_START,
    SMSG_COUNTDOWN,    /* get ready: seconds left */
    SMSG_LIVE,         /* the live line (rate-limited by the runner) */
    SMSG_EVENT,        /* a rep or hold counted (event, tempo) */
    SMSG_BELL,         /* a hold or set is done */
    SMSG_SET_DONE,     /* per-set summary (row) */
    SMSG_REST,         /* rest: seconds left */
    SMSG_PAUSED,
    SMSG_RESUMED,
    SMSG_SKIPPED,
    SMSG_WARNING,      /* text: wrong placement, gap, timeout */
    SMSG_END,          /* the session is over (status) */
} session_msg_kind;

typedef struct {
    session_msg_kind kind;
    const char *text;             /* PROMPT, WARNING */
    const presc_item *item;
    int item_index;
    ct_side side;
    int set, sets;
    int count, reps;              /* counted and prescribed in the set */
    float seconds;                /* COUNTDOWN, REST: left; hold: time to go */
    const ct_event *event;        /* EVENT */
    clin_tempo tempo;             /* EVENT: reps with a prescribed tempo */
    float work_j;                 /* EVENT: heel-rise work */
    const session_live *live;     /* LIVE */
    const clin_row *row;          /* SET_DONE: this side of the exercise so far */
    store_status status;          /* END */
    int64_t now_us;               /* device time of the latest sample analysed */
} session_msg;

typedef enum { SKEY_NONE = 0, SKEY_PAUSE, SKEY_SKIP, SKEY_QUIT, SKEY_CONTINUE } session_key;

typedef struct {
    void *ctx;
    void (*show)(void *ctx, const session_msg *m);
    /* A key pressed since the last call, SKEY_NONE when none (never blocks). May be NULL. */
    session_key (*key)(void *ctx);
    /* Wait for the person to say they are ready (placement); NULL or false: don't wait. */
    bool wait_for_ready;
} session_ui;

/* ---- the runner ---------------------------------------------------------- */

typedef struct {
    bool skip_waits;       /* no get-ready countdowns or rest timers (demos) */
    float countdown_s;     /* get-ready before a hold set, s (default 3) */
    float reference_max_s; /* give up waiting for the still reference after, s (default 30) */
    float start_timeout_s; /* a set nobody starts ends after this long, s (default 120) */
    float set_timeout_s;   /* a started set ends after this long without a rep, a hold or
                              any movement toward one, s (default 30) */
    float live_every_s;    /* live line period, s (default 0.1) */
    int site_mm;           /* shin site stored with every shin reading */
} session_options;

void session_options_default(session_options *o);

/* Runs the prescription of j->rx through src and an analyzer, writing into j.
 * Returns the status the session ended with (COMPLETE, STOPPED) or a ct_err (the
 * journal holds everything counted until then). journal_end() is the caller's. */
int session_run(journal *j, const session_source *src, const session_analyzer *an,
                const session_ui *ui, const session_options *opt);

#endif
