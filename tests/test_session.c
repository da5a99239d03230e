/* test_session.c - the session runner against a scripted analysis and a synthetic
 * 100 Hz source: counting against the prescription, rest timers on device time, quitting
 * keeps what was done, pause, skip, an ended recording, a set that times out, events
 * outside a set not counted; everything stored as it happens. A scripted person on their
 * own clock, with an analysis that misses a whole set, counts one rep too many or misses
 * the last reps before the pod goes to the other leg: the runner's sets stay those of
 * the person. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calftrack/err.h"
#include "calftrack/export.h"
#include "calftrack/journal.h"
#include "calftrack/rec.h"
#include "calftrack/recover.h"
#include "calftrack/session.h"
#include "calftrack/sim.h"
#include "calftrack/simrec.h"
#include "calftrack/source.h"
#include "calftrack/session_analysis.h"
#include <sys/stat.h>
#include <unistd.h>
#include "support/tmpdir.h"

#define RATE_US 10000 /* 100 Hz */

/* ---- synthetic source: still samples at 100 Hz, up to a limit ---------------- */
typedef struct {
    int64_t t_us;
    int64_t end_us;   /* ENDED after this */
    uint64_t index;
    int notes;
    int64_t turn_from_us, turn_to_us; /* the pod turns at 150 dps (handled) in between */
    int turn_axis;                    /* about x (0, default) or the vertical (2) */
} fake_src;

static int src_read(void *ctx, ct_sample *out, int max, int timeout_ms)
{
    fake_src *s = ctx;
    (void)timeout_ms;
    int n = 0;
    while (n < max && n < 16 && s->t_us < s->end_us) {
        memset(&out[n], 0, sizeof out[n]);
        out[n].t_us = s->t_us;
        out[n].index = s->index++;
        out[n].acc_g[2] = 1;
        if (s->t_us >= s->turn_from_us && s->t_us < s->turn_to_us)
            out[n].gyr_dps[s->turn_axis] = 150;
        s->t_us += RATE_US;
        n++;
    }
    return n;
}

static session_src_state src_state(void *ctx)
{
    fake_src *s = ctx;
    return s->t_us >= s->end_us ? SESSION_SRC_ENDED : SESSION_SRC_STREAMING;
}

static int src_note(void *ctx, const char *t)
{
    (void)t;
    ((fake_src *)ctx)->notes++;
    return 0;
}

/* ---- scripted analysis: ready after 1 s; in a set a rep every 4 s or a hold of
 * hold_s every hold_s + 5 s; also an event outside sets that must not count. ---- */
typedef struct {
    presc_item it;
    int64_t t0, set_t0, last_t;
    int set, emitted, items, sets_begun, sets_ended;
    int64_t item_start_us[8];
    int64_t set_start_us[16];
    float hold_elapsed;
    bool holding;
    int silent; /* emit nothing (timeouts) */
    int64_t delay_us; /* the scripted person rests this long before the set's first rep */
    float rest_taken_s; /* > 0: rests only this long between sets (default: as prescribed) */
    int64_t ready_after_us; /* > 0: waits this long for a still reference (default 1 s) */
    float overhold_s;   /* holds this much past the prescribed time, swaying: the live
                           state goes from holding to moving and back every half second */
    float tail_s;       /* moves this long after each rep (the landing, a step) */
    int64_t last_event_us;
    int flush_from_set; /* > 0: from this set on, a rep still traced is told at the set's end */
} fake_an;

static int an_begin_item(void *ctx, const presc_item *it, ct_side side)
{
    fake_an *a = ctx;
    (void)side;
    a->it = *it;
    a->t0 = -1;
    a->set = 0;
    if (a->items < 8)
        a->item_start_us[a->items] = a->last_t;
    a->items++;
    return 0;
}

static void an_begin_set(void *ctx, int set)
{
    fake_an *a = ctx;
    a->set = set;
    a->set_t0 = -1;
    a->emitted = 0;
    /* the runner opens a set at the start of the rest before it; this person rests */
    float rest = a->rest_taken_s > 0 ? a->rest_taken_s : a->it.rest_s;
    a->delay_us = set > 1 ? (int64_t)(rest * 1e6f) : 0;
    if (a->sets_begun < 16)
        a->set_start_us[a->sets_begun] = a->last_t;
    a->sets_begun++;
}

/* A rep (or hold) the fake analysis tells: on the shin, from t0 to t1, height_cm high,
 * 20 deg, held 1 s, 2 s up, 1 s at the top, 2 s down */
static void fake_event(ct_event *e, ct_event_kind kind, int64_t t0, int64_t t1, float height_cm)
{
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->placement = PLACE_SHIN;
    e->t_start_us = t0;
    e->t_end_us = t1;
    e->height_cm = height_cm;
    e->peak_deg = 20;
    e->hold_s = 1;
    e->up_s = 2.0f;
    e->top_s = 1;
    e->down_s = 2;
}

static int an_update(void *ctx, const ct_sample *s, ct_event *out, int max)
{
    fake_an *a = ctx;
    a->last_t = s->t_us;
    if (a->t0 < 0)
        a->t0 = s->t_us;
    if (a->set == 0) {
        /* A rep while getting into position, outside any set: never counted. */
        if (s->t_us - a->t0 == 500000) {
            memset(out, 0, sizeof *out);
            out->kind = EV_REP;
            return 1;
        }
        return 0;
    }
    if (a->set_t0 < 0)
        a->set_t0 = s->t_us + a->delay_us;
    if (a->silent || s->t_us < a->set_t0)
        return 0;
    int64_t dt = s->t_us - a->set_t0;
    bool hold = presc_is_hold(a->it.exercise);
    float held_s = a->it.hold_s + a->overhold_s;
    int64_t period = hold ? (int64_t)((held_s + 5) * 1e6f) : 4000000;
    a->holding = hold && dt % period >= 2000000 && dt % period < 2000000 + (int64_t)(held_s * 1e6f);
    a->hold_elapsed = a->holding ? (float)(dt % period - 2000000) / 1e6f : 0;
    if (dt > 0 && dt % period == 0 && max > 0) {
        fake_event(out, hold ? EV_HOLD : EV_REP, s->t_us - period + 1000000, s->t_us,
                   8.0f + 0.1f * (float)a->emitted);
        if (hold) {
            out->peak_deg = 36;
            out->hold_s = a->it.hold_s;
        }
        if (a->emitted == 1)
            out->up_s = 0.8f;
        a->emitted++;
        a->last_event_us = s->t_us;
        return 1;
    }
    return 0;
}

static int an_end_set(void *ctx, ct_event *out, int max)
{
    fake_an *a = ctx;
    int n = 0;
    if (a->flush_from_set > 0 && a->set >= a->flush_from_set && max > 0) {
        fake_event(out, EV_REP, a->last_t - 2000000, a->last_t, 7.0f);
        n = 1;
    }
    a->sets_ended++;
    a->set = 0;
    return n;
}

static void an_live(void *ctx, session_live *lv)
{
    fake_an *a = ctx;
    memset(lv, 0, sizeof *lv);
    lv->t_us = a->last_t;
    if (a->t0 < 0 || a->last_t - a->t0 < (a->ready_after_us > 0 ? a->ready_after_us : 1000000))
        lv->state = SLIVE_WAITING_STILL;
    else if (a->tail_s > 0 && a->last_event_us > 0 &&
             a->last_t - a->last_event_us < (int64_t)(a->tail_s * 1e6f))
        lv->state = SLIVE_MOVING;
    else if (a->holding)
        lv->state = a->overhold_s > 0 && a->hold_elapsed > a->it.hold_s &&
                            (int)(a->hold_elapsed * 2.0f) % 2
                        ? SLIVE_MOVING
                        : SLIVE_HOLDING;
    else
        lv->state = a->set ? SLIVE_READY : SLIVE_RESTING;
    lv->hold_elapsed_s = a->hold_elapsed;
}

/* ---- UI: counts messages, presses scripted keys ---------------------------- */
typedef struct {
    int n[SMSG_END + 1];
    int bells_hold, bells_set;
    int slower;
    int key_after_events;   /* press key once this many events were shown */
    session_key key;
    bool pressed;
    int events;
    int resume_after;       /* PAUSE again after this many more lives */
    int lives_paused;
    bool paused;
    store_status status;
    fake_src *src;          /* handle the pod there ... */
    int64_t handle_after_us; /* ... this long after the second pass is announced (0: never) */
    int64_t pass2_us;        /* when the second pass was announced */
    int64_t stand_us[16];    /* when the person was asked again to stand still */
    int nstand;
    int no_reference;        /* the runner went on without a reference */
} fake_ui;

static void ui_show(void *ctx, const session_msg *m)
{
    fake_ui *u = ctx;
    u->n[m->kind]++;
    if (m->kind == SMSG_EVENT) {
        u->events++;
        if (m->tempo == TEMPO_TOO_FAST)
            u->slower++;
    }
    if (m->kind == SMSG_BELL)
        *(!strcmp(m->text, "hold done") ? &u->bells_hold : &u->bells_set) += 1;
    if (m->kind == SMSG_PROMPT && !strcmp(m->text, "Stand on both feet and keep still.") &&
        u->nstand < 16)
        u->stand_us[u->nstand++] = m->now_us;
    if (m->kind == SMSG_WARNING && !strncmp(m->text, "No still reference yet", 22))
        u->no_reference++;
    if (m->kind == SMSG_LIVE && u->paused)
        u->lives_paused++;
    if (m->kind == SMSG_END)
        u->status = m->status;
    if (m->kind == SMSG_EXERCISE && m->item_index == 1) {
        u->pass2_us = m->now_us;
        if (u->src && u->handle_after_us > 0) {
            u->src->turn_from_us = m->now_us + u->handle_after_us;
            u->src->turn_to_us = u->src->turn_from_us + 2000000; /* 300 deg */
        }
    }
}

static session_key ui_key(void *ctx)
{
    fake_ui *u = ctx;
    if (!u->pressed && u->key && u->events >= u->key_after_events) {
        u->pressed = true;
        if (u->key == SKEY_PAUSE)
            u->paused = true;
        return u->key;
    }
    if (u->paused && u->lives_paused >= u->resume_after) {
        u->paused = false;
        return SKEY_PAUSE;
    }
    return SKEY_NONE;
}

static const char RX[] = "exercise,side,sets,reps,hold_s,target,target_unit,rest_s,tempo\n"
                         "calf_raise,left,2,3,1,,,10,2-1-2\n"
                         "lunge_stretch,right,1,2,30,35,deg,30,\n";

typedef struct {
    store st;
    journal j;
    fake_src src;
    fake_an an;
    fake_ui ui;
    session_source s;
    session_analyzer a;
    session_ui u;
    session_options opt;
} rig;

static void rig_init(rig *g, const char *name, int64_t end_us)
{
    memset(g, 0, sizeof *g);
    char root[512];
    test_path(root, sizeof root, name);
    assert_int_equal(store_open(&g->st, root), 0);
    presc rx;
    presc_error perr;
    assert_int_equal(presc_parse("rx", RX, strlen(RX), &rx, &perr), 0);
    store_meta m;
    memset(&m, 0, sizeof m);
    m.start_unix_us = INT64_C(1795161600000000);
    m.pain_before = m.pain_after = -1;
    m.settings.body_mass_kg = 60;
    m.settings.injured_side = SIDE_BOTH;
    assert_int_equal(journal_begin(&g->j, &g->st, &rx, &m), 0);
    g->src.end_us = end_us;
    g->s = (session_source){&g->src, src_read, src_state, src_note};
    g->a = (session_analyzer){&g->an, an_begin_item, an_begin_set, an_update, an_end_set, an_live};
    g->u = (session_ui){&g->ui, ui_show, ui_key, false};
    session_options_default(&g->opt);
    g->opt.site_mm = 140;
}

static int stored(rig *g, store_event *out, int cap)
{
    return store_events_read(&g->st, g->j.meta.id, out, cap, NULL);
}

static void test_whole_prescription(void **state)
{
    (void)state;
    rig g;
    rig_init(&g, "whole", INT64_C(3600000000));
    int st = session_run(&g.j, &g.s, &g.a, &g.u, &g.opt);
    assert_int_equal(st, STATUS_COMPLETE);
    assert_int_equal(journal_end(&g.j, (store_status)st), 0);
    store_event ev[32];
    assert_int_equal(stored(&g, ev, 32), 8);
    for (int i = 0; i < 6; i++) {
        assert_int_equal(ev[i].ev.kind, EV_REP);
        assert_int_equal(ev[i].ev.side, SIDE_LEFT);
        assert_int_equal(ev[i].ev.set, 1 + i / 3);
        assert_int_equal(ev[i].ev.number, 1 + i % 3);
        assert_int_equal(ev[i].site_mm, 140);
        assert_int_equal(ev[i].item, 0);
    }
    assert_int_equal(ev[6].ev.kind, EV_HOLD);
    assert_int_equal(ev[6].ev.exercise, EX_LUNGE_STRETCH);
    assert_int_equal(ev[6].ev.side, SIDE_RIGHT);
    assert_int_equal(ev[7].ev.number, 2);
    /* Set 2 counts from the start of the rest (a person who starts early is followed),
     * and the rest itself ran its 10 s on device time (10 countdown messages below). */
    int64_t opened = g.an.set_start_us[1] - ev[2].ev.t_end_us;
    assert_true(opened >= 0 && opened < 100000);
    /* Holds: a 3 s get-ready countdown (3, 2, 1) before the set. */
    assert_int_equal(g.ui.n[SMSG_COUNTDOWN], 3);
    assert_int_equal(g.ui.n[SMSG_REST], 10);
    assert_int_equal(g.ui.bells_set, 3);
    assert_int_equal(g.ui.bells_hold, 2);
    assert_int_equal(g.ui.slower, 2);   /* the second rep of each set rose in 0.8 s */
    assert_int_equal(g.ui.n[SMSG_SET_DONE], 3);
    assert_int_equal(g.an.items, 2);
    assert_int_equal(g.an.sets_ended, 3);
    assert_int_equal(g.src.notes, 3);
    assert_int_equal(g.ui.status, STATUS_COMPLETE);
    /* The summary was written and says what happened. */
    assert_int_equal(g.j.sum.row[0].done, 6);
    assert_int_equal(g.j.sum.row[0].sets_done, 2);
    assert_float_equal(g.j.sum.row[0].work_j, 60 * 9.81 * (8.0 + 8.1 + 8.2) * 2 / 100, 0.01);
    assert_int_equal(g.j.sum.row[1].done, 2);
    store_meta m;
    assert_int_equal(store_meta_read(&g.st, g.j.meta.id, &m), 0);
    assert_int_equal(m.status, STATUS_COMPLETE);
}

static void test_quit_keeps_what_was_done(void **state)
{
    (void)state;
    rig g;
    rig_init(&g, "quit", INT64_C(3600000000));
    g.ui.key = SKEY_QUIT;
    g.ui.key_after_events = 4;
    int st = session_run(&g.j, &g.s, &g.a, &g.u, &g.opt);
    assert_int_equal(st, STATUS_STOPPED);
    assert_int_equal(journal_end(&g.j, (store_status)st), 0);
    store_event ev[32];
    assert_int_equal(stored(&g, ev, 32), 4);
    assert_int_equal(ev[3].ev.set, 2);
    assert_int_equal(g.ui.status, STATUS_STOPPED);
    store_meta list[4];
    assert_int_equal(store_list(&g.st, list, 4), 1);
    assert_int_equal(list[0].status, STATUS_STOPPED);
    assert_int_equal(list[0].events, 4);
}

static void test_recording_ends_midway(void **state)
{
    (void)state;
    rig g;
    /* 1 s reference + 3 reps (12 s) + 10 s rest + one more rep: ends at 28 s. */
    rig_init(&g, "ended", INT64_C(28000000));
    int st = session_run(&g.j, &g.s, &g.a, &g.u, &g.opt);
    assert_int_equal(st, STATUS_STOPPED);
    journal_end(&g.j, (store_status)st);
    store_event ev[32];
    assert_int_equal(stored(&g, ev, 32), 4);
    assert_int_equal(ev[3].ev.set, 2);
}

/* The recording ends during the rest before set 2, which the runner has opened, with a
 * rep of it still being traced by the analysis (a person who started early; a hold is
 * told only once it is over): the set is ended and the rep kept, not dropped with the
 * open set. */
static void test_recording_ends_in_a_rest_keeps_what_was_begun(void **state)
{
    (void)state;
    rig g;
    /* 1 s reference + 3 reps (12 s), ended 5 s into the 10 s rest */
    rig_init(&g, "ended-rest", INT64_C(18000000));
    g.an.flush_from_set = 2;
    int st = session_run(&g.j, &g.s, &g.a, &g.u, &g.opt);
    assert_int_equal(st, STATUS_STOPPED);
    journal_end(&g.j, (store_status)st);
    assert_int_equal(g.an.sets_ended, 2);
    store_event ev[32];
    assert_int_equal(stored(&g, ev, 32), 4);
    assert_int_equal(ev[3].ev.set, 2);
}

/* A person who cuts the rest short is followed: the set starts when they do and no rep
 * is lost; one who stops early ends the set without waiting out the long timeout. */
static void test_person_starts_early(void **state)
{
    (void)state;
    rig g;
    rig_init(&g, "early", INT64_C(3600000000));
    g.an.rest_taken_s = 3; /* of the 10 s prescribed */
    int st = session_run(&g.j, &g.s, &g.a, &g.u, &g.opt);
    assert_int_equal(st, STATUS_COMPLETE);
    assert_int_equal(journal_end(&g.j, (store_status)st), 0);
    store_event ev[32];
    assert_int_equal(stored(&g, ev, 32), 8);
    assert_int_equal(ev[3].ev.set, 2);
    /* set 2's first rep ended 3 s of rest + 4 s of rep after set 1's last */
    int64_t gap = ev[3].ev.t_end_us - ev[2].ev.t_end_us;
    assert_true(gap >= 7000000 && gap < 7100000);
    /* the rest countdown stopped when the person started (3 s shown, then the rep) */
    assert_true(g.ui.n[SMSG_REST] < 10);
    assert_int_equal(g.ui.n[SMSG_PROMPT] > 0, 1);
}

/* A hold held past its time, swaying (the live state goes from holding to moving and
 * back): the bell rings once for it, not on every return to holding. */
static void test_one_bell_per_hold(void **state)
{
    (void)state;
    rig g;
    rig_init(&g, "bell", INT64_C(3600000000));
    g.an.overhold_s = 4;
    int st = session_run(&g.j, &g.s, &g.a, &g.u, &g.opt);
    assert_int_equal(st, STATUS_COMPLETE);
    assert_int_equal(journal_end(&g.j, (store_status)st), 0);
    store_event ev[32];
    assert_int_equal(stored(&g, ev, 32), 8);
    assert_int_equal(g.ui.bells_hold, 2);
}

/* Rests not waited for (a replay, the virtual pod): the next set opens as the last one
 * ends. The person moves on for a moment after the last rep (1.5 s: started, to the
 * runner) and then rests 24 s where 10 s were prescribed, 4 s longer than the set's
 * timeout: the set allows the prescribed rest before the first rep (it was timed out
 * before it, and the runner stayed a set behind). */
static void test_rest_longer_than_prescribed_unwaited(void **state)
{
    (void)state;
    rig g;
    rig_init(&g, "longrest", INT64_C(3600000000));
    g.opt.skip_waits = true;
    g.opt.set_timeout_s = 20;
    g.an.rest_taken_s = 24;
    g.an.tail_s = 1.5f;
    int st = session_run(&g.j, &g.s, &g.a, &g.u, &g.opt);
    assert_int_equal(st, STATUS_COMPLETE);
    assert_int_equal(journal_end(&g.j, (store_status)st), 0);
    store_event ev[32];
    assert_int_equal(stored(&g, ev, 32), 8);
    assert_int_equal(ev[3].ev.set, 2);
    assert_int_equal(ev[3].ev.number, 1);
    assert_int_equal(g.ui.n[SMSG_WARNING], 0);
}

static void test_pause_skip_and_timeout(void **state)
{
    (void)state;
    rig g;
    rig_init(&g, "pause", INT64_C(3600000000));
    g.ui.key = SKEY_PAUSE;
    g.ui.key_after_events = 1;
    g.ui.resume_after = 45; /* about 4.5 s paused: one rep happens and is not counted */
    int st = session_run(&g.j, &g.s, &g.a, &g.u, &g.opt);
    assert_int_equal(st, STATUS_COMPLETE);
    journal_end(&g.j, (store_status)st);
    assert_int_equal(g.ui.n[SMSG_PAUSED], 1);
    assert_int_equal(g.ui.n[SMSG_RESUMED], 1);
    store_event ev[32];
    assert_int_equal(stored(&g, ev, 32), 8);
    /* Rep 2 of set 1 was the analysis' third: one happened during the pause. */
    assert_true(ev[1].ev.t_end_us - ev[0].ev.t_end_us == 8000000);

    rig h;
    rig_init(&h, "timeout", INT64_C(3600000000));
    h.an.silent = 1;
    h.opt.set_timeout_s = 20;
    h.opt.start_timeout_s = 20;
    h.opt.skip_waits = true;
    st = session_run(&h.j, &h.s, &h.a, &h.u, &h.opt);
    assert_int_equal(st, STATUS_COMPLETE);
    journal_end(&h.j, (store_status)st);
    assert_int_equal(h.ui.n[SMSG_WARNING], 3); /* each set timed out */
    assert_int_equal(h.ui.n[SMSG_REST], 0);
    assert_int_equal(h.ui.n[SMSG_COUNTDOWN], 0);
    assert_int_equal(stored(&h, NULL, 0), 0);
    /* 3 sets of 20 s (the calf raise's second also its 10 s rest, not waited for), 3
       references of 1 s, and 30 s waiting for the pod to be moved to the right leg
       (this pod never moves): under 110 s of device time. */
    assert_true(h.src.t_us < 110000000);

    rig k;
    rig_init(&k, "skip", INT64_C(3600000000));
    k.ui.key = SKEY_SKIP;
    k.ui.key_after_events = 1;
    st = session_run(&k.j, &k.s, &k.a, &k.u, &k.opt);
    assert_int_equal(st, STATUS_COMPLETE);
    journal_end(&k.j, (store_status)st);
    assert_int_equal(k.ui.n[SMSG_SKIPPED], 1);
    assert_int_equal(stored(&k, NULL, 0), 1 + 3 + 2); /* set 1 skipped after its first rep */
}

/* The pod goes from the left shin to the right one between the two exercises. A person
 * who has just finished a set stands still for a moment before reaching for the strap:
 * the reference is taken once the pod has been handled, not on the leg it is leaving
 * (the e2e session lost 19 of 45 right-side raises to a left-leg reference). */
static void test_reference_after_the_pod_moved(void **state)
{
    (void)state;
    rig g;
    rig_init(&g, "moved", INT64_C(3600000000));
    g.ui.src = &g.src;
    g.ui.handle_after_us = 5000000; /* 5 s still (the fake analysis is ready after 1) */
    int st = session_run(&g.j, &g.s, &g.a, &g.u, &g.opt);
    assert_int_equal(st, STATUS_COMPLETE);
    journal_end(&g.j, (store_status)st);
    assert_true(g.ui.pass2_us > 0);
    /* calf raises, lunge, and the lunge again once the pod stopped turning (1 s calm) */
    assert_int_equal(g.an.items, 3);
    assert_true(g.an.item_start_us[1] - g.ui.pass2_us < 100000);
    int64_t restart = g.an.item_start_us[2];
    assert_true(restart >= g.src.turn_to_us + 1000000 && restart < g.src.turn_to_us + 1100000);
    /* the lunge set opened only after a reference on the right leg (ready 1 s later) */
    assert_int_equal(g.an.sets_begun, 3);
    assert_true(g.an.set_start_us[2] >= restart + 1000000);
    assert_int_equal(stored(&g, NULL, 0), 8);

    /* A pod that never moves: the session goes on after reference_max_s. */
    rig h;
    rig_init(&h, "unmoved", INT64_C(3600000000));
    h.ui.src = &h.src;
    st = session_run(&h.j, &h.s, &h.a, &h.u, &h.opt);
    assert_int_equal(st, STATUS_COMPLETE);
    journal_end(&h.j, (store_status)st);
    assert_int_equal(h.an.items, 2);
    assert_true(h.an.set_start_us[2] - h.ui.pass2_us >= 30000000);
    assert_int_equal(stored(&h, NULL, 0), 8);

    /* Same leg, same place: nothing to wait for. */
    rig k;
    rig_init(&k, "same-leg", INT64_C(3600000000));
    k.ui.src = &k.src;
    k.ui.handle_after_us = 0;
    presc_item *lunge = &k.j.rx.item[1];
    lunge->side = SIDE_LEFT;
    st = session_run(&k.j, &k.s, &k.a, &k.u, &k.opt);
    assert_int_equal(st, STATUS_COMPLETE);
    journal_end(&k.j, (store_status)st);
    assert_int_equal(k.an.items, 2);
    assert_true(k.an.set_start_us[2] - k.ui.pass2_us < 5000000);
}

/* A person still sitting (after the seated band stretch) when the analysis waits for a
 * standing reference: asked again every 10 s while it is blind, not once it is ready,
 * nor after the runner has gone on without it. */
static void test_asked_again_to_stand(void **state)
{
    (void)state;
    /* ready 25 s after each exercise begins: asked again at 10 and 20 s */
    rig g;
    rig_init(&g, "stand-again", INT64_C(3600000000));
    g.j.rx.item[1].side = SIDE_LEFT; /* same leg: no pod to move */
    g.an.ready_after_us = 25000000;
    int st = session_run(&g.j, &g.s, &g.a, &g.u, &g.opt);
    assert_int_equal(st, STATUS_COMPLETE);
    journal_end(&g.j, (store_status)st);
    assert_int_equal(g.an.items, 2);
    assert_int_equal(g.ui.nstand, 4);
    assert_int_equal(g.ui.no_reference, 0);
    for (int i = 0; i < 2; i++) {
        int64_t t0 = g.an.item_start_us[i];
        /* (t0 is the last sample before the exercise: the first of it is 10 ms on) */
        assert_true(g.ui.stand_us[2 * i] - t0 >= 10000000 && g.ui.stand_us[2 * i] - t0 <= 10020000);
        assert_true(g.ui.stand_us[2 * i + 1] - g.ui.stand_us[2 * i] == 10000000);
        assert_true(g.ui.stand_us[2 * i + 1] - t0 < 25000000);
    }
    assert_int_equal(stored(&g, NULL, 0), 8);

    /* never ready: asked again at 10 and 20 s (not at 30 s, as the runner goes on),
     * and no more once it has gone on */
    rig h;
    rig_init(&h, "stand-never", INT64_C(3600000000));
    h.j.rx.item[1].side = SIDE_LEFT;
    h.an.ready_after_us = INT64_C(3600000000);
    st = session_run(&h.j, &h.s, &h.a, &h.u, &h.opt);
    assert_int_equal(st, STATUS_COMPLETE);
    journal_end(&h.j, (store_status)st);
    assert_int_equal(h.ui.nstand, 4);
    assert_int_equal(h.ui.no_reference, 2);
    for (int i = 0; i < 2; i++)
        assert_true(h.ui.stand_us[2 * i + 1] - h.an.item_start_us[i] < 30000000);

    /* ready after 1 s: never asked again */
    rig k;
    rig_init(&k, "stand-ready", INT64_C(3600000000));
    k.j.rx.item[1].side = SIDE_LEFT;
    st = session_run(&k.j, &k.s, &k.a, &k.u, &k.opt);
    assert_int_equal(st, STATUS_COMPLETE);
    journal_end(&k.j, (store_status)st);
    assert_int_equal(k.ui.nstand, 0);
}

/* ---- a person on their own clock ------------------------------------------------
 * The scripted person does each set when they choose, whatever the runner does: a rep
 * every 4 s from the set's start, the analysis seeing each rep under way (SLIVE_MOVING)
 * for the 2 s before it ends. The analysis may miss reps (missed bits: nothing counted,
 * the movement still seen) or count one that was not there (phantom bits: 2 s before
 * that rep). Fidgets are half a second of movement. All times are device time, in
 * whole 10 ms samples. */
#define P_REP_US 4000000
#define P_MAX 8

typedef struct {
    int64_t start_us[P_MAX];
    int reps[P_MAX];
    unsigned missed[P_MAX], phantom[P_MAX];
    int nsets;
    int64_t fidget_us[P_MAX];
    int nfidget;
    int64_t now, item_t0;
    int set; /* the runner's set open in the analysis (0: none) */
} person_an;

static int pa_begin_item(void *ctx, const presc_item *it, ct_side side)
{
    person_an *a = ctx;
    (void)it;
    (void)side;
    a->item_t0 = -1;
    return 0;
}

static void pa_begin_set(void *ctx, int set) { ((person_an *)ctx)->set = set; }

static int pa_update(void *ctx, const ct_sample *s, ct_event *out, int max)
{
    person_an *a = ctx;
    a->now = s->t_us;
    if (a->item_t0 < 0)
        a->item_t0 = s->t_us;
    int n = 0;
    for (int k = 0; k < a->nsets; k++)
        for (int r = 0; r < a->reps[k] && n < max; r++) {
            int64_t end = a->start_us[k] + (int64_t)(r + 1) * P_REP_US;
            bool real = s->t_us == end && !(a->missed[k] >> r & 1u);
            bool phantom = s->t_us == end - P_REP_US / 2 && (a->phantom[k] >> r & 1u);
            if (real || phantom) {
                memset(&out[n], 0, sizeof out[n]);
                out[n].kind = EV_REP;
                out[n].placement = PLACE_SHIN;
                out[n].t_start_us = s->t_us - P_REP_US / 2;
                out[n].t_end_us = s->t_us;
                out[n].height_cm = 5;
                out[n].up_s = out[n].down_s = 2;
                out[n].top_s = 1;
                n++;
            }
        }
    return n;
}

static int pa_end_set(void *ctx, ct_event *out, int max)
{
    (void)out;
    (void)max;
    ((person_an *)ctx)->set = 0;
    return 0;
}

static void pa_live(void *ctx, session_live *lv)
{
    person_an *a = ctx;
    memset(lv, 0, sizeof *lv);
    lv->t_us = a->now;
    if (a->item_t0 < 0 || a->now - a->item_t0 < 1000000) {
        lv->state = SLIVE_WAITING_STILL;
        return;
    }
    lv->state = a->set ? SLIVE_READY : SLIVE_RESTING;
    for (int k = 0; k < a->nsets; k++)
        for (int r = 0; r < a->reps[k]; r++) {
            int64_t end = a->start_us[k] + (int64_t)(r + 1) * P_REP_US;
            if (a->now >= end - P_REP_US / 2 && a->now < end)
                lv->state = SLIVE_MOVING;
        }
    for (int f = 0; f < a->nfidget; f++)
        if (a->now >= a->fidget_us[f] && a->now < a->fidget_us[f] + 500000)
            lv->state = SLIVE_MOVING;
}

/* A rig whose analysis is the person on their own clock, for the prescription rx. */
static void person_rig(rig *g, const char *name, const char *rx_csv, person_an *pa)
{
    rig_init(g, name, INT64_C(600000000));
    presc rx;
    presc_error perr;
    assert_int_equal(presc_parse("rx", rx_csv, strlen(rx_csv), &rx, &perr), 0);
    g->j.rx = rx;
    g->a = (session_analyzer){pa, pa_begin_item, pa_begin_set, pa_update, pa_end_set, pa_live};
}

/* Reps stored per (item, set): counts[item][set - 1]. */
static void count_sets(rig *g, int counts[2][P_MAX])
{
    memset(counts, 0, sizeof(int[2][P_MAX]));
    store_event ev[64];
    int n = stored(g, ev, 64);
    assert_true(n >= 0);
    for (int i = 0; i < n; i++) {
        assert_true(ev[i].item >= 0 && ev[i].item < 2 && ev[i].ev.set >= 1 && ev[i].ev.set <= P_MAX);
        counts[ev[i].item][ev[i].ev.set - 1]++;
    }
}

static const char RX_RAISES3[] = "exercise,side,sets,reps,hold_s,target,target_unit,rest_s,tempo\n"
                                 "calf_raise,left,3,5,1,,,20,2-1-2\n";

/* The person's programme in the tests below: 3 sets of 5 reps starting at 5, 45, 85 s. */
static void three_sets_of_five(person_an *pa)
{
    memset(pa, 0, sizeof *pa);
    pa->nsets = 3;
    for (int k = 0; k < 3; k++) {
        pa->start_us[k] = INT64_C(5000000) + k * INT64_C(40000000);
        pa->reps[k] = 5;
    }
}

/* Runs the rig's session to its end, which must be complete, and counts each set. */
static void run_complete(rig *g, int c[2][P_MAX])
{
    int st = session_run(&g->j, &g->s, &g->a, &g->u, &g->opt);
    assert_int_equal(st, STATUS_COMPLETE);
    assert_int_equal(journal_end(&g->j, (store_status)st), 0);
    count_sets(g, c);
}

/* The analysis misses the whole of set 2 (nothing counted, the movement seen). The rest
 * (20 s) is shorter than set_timeout_s (30 s): the runner used to wait out the timeout,
 * the person's set 3 ran on in set 2 and set 3 timed out empty at the end. A set's worth
 * of movement followed by half the rest ends the set; the runner then waits for the
 * person's set 3 and counts it as set 3. Fidgets in the rests start nothing. */
static void test_missed_set_runner_keeps_up(void **state)
{
    (void)state;
    static person_an pa;
    three_sets_of_five(&pa);
    pa.missed[1] = 0x1f;
    pa.fidget_us[pa.nfidget++] = INT64_C(35000000);
    pa.fidget_us[pa.nfidget++] = INT64_C(78000000);
    rig g;
    person_rig(&g, "missed-set", RX_RAISES3, &pa);
    int c[2][P_MAX];
    run_complete(&g, c);
    assert_int_equal(c[0][0], 5);
    assert_int_equal(c[0][1], 0);
    assert_int_equal(c[0][2], 5);
    /* set 2 ended half the rest (10 s) after the person's last movement in it (65 s)
     * and set 3 began when the person did (85 s), not at a fidget (78 s) */
    store_event ev[16];
    assert_int_equal(stored(&g, ev, 16), 10);
    assert_int_equal(ev[5].ev.set, 3);
    assert_int_equal(ev[5].ev.t_end_us, INT64_C(89000000));
    assert_int_equal(ev[9].ev.t_end_us, INT64_C(105000000));
    assert_int_equal(g.ui.n[SMSG_WARNING], 1); /* set 2: nothing counted */
    /* the session ended with the person's last rep, not minutes later */
    assert_true(g.src.t_us < INT64_C(110000000));
}

/* The analysis counts a rep that was not there early in set 1: the count is full one
 * rep before the person is, and their last rep lands in the rest. That rep is the end of
 * the set before, not the start of the next one: the rest goes on (the rep counts in
 * the next set, which is open) and the next set follows the person's. It used to cut the
 * rest short; the set it started then ended on the half-rest limit while the person
 * rested, their set 2 was counted as set 3 and their set 3 was lost. */
static void test_rep_after_the_count_is_not_a_start(void **state)
{
    (void)state;
    static person_an pa;
    three_sets_of_five(&pa);
    pa.phantom[0] = 0x1; /* 2 s before the first rep */
    rig g;
    person_rig(&g, "tail-rep", RX_RAISES3, &pa);
    int c[2][P_MAX];
    run_complete(&g, c);
    assert_int_equal(c[0][0], 5);
    assert_int_equal(c[0][1], 5);
    assert_int_equal(c[0][2], 5);
    store_event ev[16];
    assert_int_equal(stored(&g, ev, 16), 15);
    /* set 2: the last rep of the person's set 1 (25 s), then their set 2 from 49 s; each
     * set after holds the last rep of the one before (the count is one ahead) */
    assert_int_equal(ev[5].ev.t_end_us, INT64_C(25000000));
    assert_int_equal(ev[6].ev.t_end_us, INT64_C(49000000));
    assert_int_equal(ev[9].ev.t_end_us, INT64_C(61000000));
    /* set 3 likewise: the person's set 3 is counted, not lost */
    assert_int_equal(ev[10].ev.set, 3);
    assert_int_equal(ev[10].ev.t_end_us, INT64_C(65000000));
    assert_int_equal(ev[11].ev.t_end_us, INT64_C(89000000));
    assert_int_equal(ev[14].ev.t_end_us, INT64_C(101000000));
    /* both rests ran their 20 s */
    assert_int_equal(g.ui.n[SMSG_REST], 40);
    assert_int_equal(g.ui.n[SMSG_WARNING], 0);
}

static const char RX_TWO_LEGS[] = "exercise,side,sets,reps,hold_s,target,target_unit,rest_s,tempo\n"
                                  "calf_raise,left,1,5,1,,,20,2-1-2\n"
                                  "calf_raise,right,1,5,1,,,20,2-1-2\n";

/* The analysis misses the last two reps of the left set; the person then turns the pod
 * off the strap onto the right leg and does the right set straight away. Movement kept
 * the left set going: the right leg's reps were counted for the left one, the right set
 * waited for reps that had been done. The pod turned about the vertical ends the set. */
static void test_pod_moved_ends_the_set(void **state)
{
    (void)state;
    static person_an pa;
    memset(&pa, 0, sizeof pa);
    pa.nsets = 2;
    pa.start_us[0] = INT64_C(5000000); /* reps end 9 ... 25 s */
    pa.reps[0] = 5;
    pa.missed[0] = 0x18;
    pa.start_us[1] = INT64_C(30000000); /* right: reps end 34 ... 50 s */
    pa.reps[1] = 5;
    rig g;
    person_rig(&g, "pod-moved", RX_TWO_LEGS, &pa);
    g.src.turn_axis = 2; /* about the vertical (the acceleration is along z) */
    g.src.turn_from_us = INT64_C(26500000);
    g.src.turn_to_us = INT64_C(28500000); /* 300 deg */
    int st = session_run(&g.j, &g.s, &g.a, &g.u, &g.opt);
    assert_int_equal(st, STATUS_COMPLETE);
    assert_int_equal(journal_end(&g.j, (store_status)st), 0);
    int c[2][P_MAX];
    count_sets(&g, c);
    assert_int_equal(c[0][0], 3);
    assert_int_equal(c[1][0], 5);
    store_event ev[16];
    assert_int_equal(stored(&g, ev, 16), 8);
    assert_int_equal(ev[3].ev.side, SIDE_RIGHT);
    assert_int_equal(ev[3].ev.t_end_us, INT64_C(34000000));

    /* Turning the pod before anything was done is setting the strap right: the set
     * goes on and counts the person's reps when they come. */
    static person_an pb;
    memset(&pb, 0, sizeof pb);
    pb.nsets = 1;
    pb.start_us[0] = INT64_C(20000000);
    pb.reps[0] = 5;
    /* the leg shaken by the hands on the strap, seen as 2 s of movement meanwhile */
    for (int f = 0; f < 4; f++)
        pb.fidget_us[pb.nfidget++] = INT64_C(5000000) + f * INT64_C(500000);
    rig h;
    person_rig(&h, "strap-set", RX_TWO_LEGS, &pb);
    h.j.rx.n = 1;
    h.src.turn_axis = 2;
    h.src.turn_from_us = INT64_C(5000000);
    h.src.turn_to_us = INT64_C(7000000);
    st = session_run(&h.j, &h.s, &h.a, &h.u, &h.opt);
    assert_int_equal(st, STATUS_COMPLETE);
    journal_end(&h.j, (store_status)st);
    count_sets(&h, c);
    assert_int_equal(c[0][0], 5);
    assert_int_equal(h.ui.n[SMSG_WARNING], 0);
}

/* The person gives the left set up after one attempt the analysis does not count (2 s of
 * movement, far less than the set's worth), moves the pod to the right leg and does the
 * right set there. Nothing counted and little done, the pod's handling was taken for the
 * strap being set right: the left set ran on, counted the right leg's reps, and the
 * right set waited for reps that had been done (in the demo a lunge hold given up after
 * 2 s put the runner a set behind the person for the rest of the session, which ended
 * stopped). Once the person has started, the pod turned off the strap ends the set. */
static void test_pod_moved_after_a_set_given_up(void **state)
{
    (void)state;
    static person_an pa;
    memset(&pa, 0, sizeof pa);
    pa.nsets = 2;
    pa.start_us[0] = INT64_C(5000000); /* one attempt, moving 7 to 9 s, not counted */
    pa.reps[0] = 1;
    pa.missed[0] = 0x1;
    pa.start_us[1] = INT64_C(20000000); /* right: reps end 24 ... 40 s */
    pa.reps[1] = 5;
    rig g;
    person_rig(&g, "given-up", RX_TWO_LEGS, &pa);
    g.src.turn_axis = 2;
    g.src.turn_from_us = INT64_C(12000000);
    g.src.turn_to_us = INT64_C(14000000); /* 300 deg about the vertical */
    int st = session_run(&g.j, &g.s, &g.a, &g.u, &g.opt);
    assert_int_equal(st, STATUS_COMPLETE);
    assert_int_equal(journal_end(&g.j, (store_status)st), 0);
    int c[2][P_MAX];
    count_sets(&g, c);
    assert_int_equal(c[0][0], 0);
    assert_int_equal(c[1][0], 5);
    store_event ev[16];
    assert_int_equal(stored(&g, ev, 16), 5);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(ev[i].ev.side, SIDE_RIGHT);
        assert_int_equal(ev[i].ev.t_end_us, INT64_C(24000000) + i * P_REP_US);
    }
    assert_int_equal(g.ui.n[SMSG_WARNING], 1); /* the pod was moved: the left set ends */
    /* the session ended with the person's last rep, not after a set timed out */
    assert_true(g.src.t_us < INT64_C(45000000));
}

/* A person slow to start, who fidgets now and then meanwhile, does not lose the set. */
static void test_slow_start_with_fidgets(void **state)
{
    (void)state;
    static person_an pa;
    memset(&pa, 0, sizeof pa);
    pa.nsets = 1;
    pa.start_us[0] = INT64_C(90000000);
    pa.reps[0] = 5;
    for (int f = 0; f < 4; f++)
        pa.fidget_us[pa.nfidget++] = INT64_C(10000000) + f * INT64_C(20000000);
    rig g;
    person_rig(&g, "slow-start", RX_TWO_LEGS, &pa);
    g.j.rx.n = 1;
    int st = session_run(&g.j, &g.s, &g.a, &g.u, &g.opt);
    assert_int_equal(st, STATUS_COMPLETE);
    journal_end(&g.j, (store_status)st);
    int c[2][P_MAX];
    count_sets(&g, c);
    assert_int_equal(c[0][0], 5);
    assert_int_equal(g.ui.n[SMSG_WARNING], 0);
}

/* ---- recovery ---------------------------------------------------------------- */

/* A recording of a simulated patient: still, calibration, 2 sets of 6 calf raises. */
static void write_sim_recording(const char *path)
{
    static sim sm;
    sim_step plan[8];
    size_t n = 0;
    plan[n++] = (sim_step){.kind = SIM_STEP_STAND_STILL, .duration_s = 4};
    plan[n++] = (sim_step){.kind = SIM_STEP_CALIBRATE, .duration_s = 6};
    for (int k = 1; k <= 2; k++) {
        plan[n++] = (sim_step){.kind = SIM_STEP_REST, .duration_s = k == 1 ? 4.0f : 20.0f};
        sim_step st = {.kind = SIM_STEP_EXERCISE};
        sim_set_default(&st.set, EX_CALF_RAISE);
        st.set.set = k;
        st.set.count = 6;
        plan[n++] = st;
    }
    plan[n++] = (sim_step){.kind = SIM_STEP_STAND_STILL, .duration_s = 4};
    sim_person person;
    sim_person_default(&person);
    assert_int_equal(sim_init(&sm, &person, &sim_sensor_default, plan, n, PLACE_SHIN, SIDE_LEFT, 3),
                     CT_OK);
    rec_header h;
    memset(&h, 0, sizeof h);
    h.placement = PLACE_SHIN;
    h.side = SIDE_LEFT;
    h.source = REC_SOURCE_SIMULATOR;
    h.start_unix_us = INT64_C(1795161600000000);
    assert_int_equal(simrec_write(&sm, path, &h, NULL, NULL), 0);
}

static const char RX_RAISES[] = "exercise,side,sets,reps,hold_s,target,target_unit,rest_s,tempo\n"
                                "calf_raise,left,2,6,1,,,5,1.5-1-2\n";

/* A session folder holding a copy of the recording and no events yet. */
static void new_session(store *st, journal *j, const char *rec)
{
    presc rx;
    presc_error perr;
    assert_int_equal(presc_parse("rx", RX_RAISES, strlen(RX_RAISES), &rx, &perr), 0);
    store_meta m;
    memset(&m, 0, sizeof m);
    m.start_unix_us = INT64_C(1795161600000000);
    m.pain_before = m.pain_after = -1;
    m.settings.body_mass_kg = 70;
    m.settings.injured_side = SIDE_BOTH;
    m.settings.shin_site_mm = 120;
    assert_int_equal(journal_begin(j, st, &rx, &m), 0);
    char dst[1200], cmd[2600];
    assert_int_equal(journal_path(j, "recording.ctrec", dst, sizeof dst), 0);
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", rec, dst);
    assert_int_equal(system(cmd), 0);
}

typedef struct {
    ct_source *src;
    journal *j;
    long left;       /* samples until the "crash" */
} cut_feed;

static int cut_read(void *ctx, ct_sample *out, int max, int timeout_ms)
{
    cut_feed *c = ctx;
    if (c->left <= 0)
        return 0;
    if (max > c->left)
        max = (int)c->left;
    int n = ct_source_read(c->src, out, max, timeout_ms);
    if (n > 0 && c->j->meta.t0_device_us == 0)
        c->j->meta.t0_device_us = out[0].t_us;
    if (n > 0)
        c->left -= n;
    return n;
}

static session_src_state cut_state(void *ctx)
{
    cut_feed *c = ctx;
    return c->left <= 0 || ct_source_get_state(c->src) == SRC_ENDED ? SESSION_SRC_ENDED
                                                                     : SESSION_SRC_STREAMING;
}

static void test_interrupted_session_is_recovered(void **state)
{
    (void)state;
    char root[512], rec[512];
    test_path(root, sizeof root, "recover");
    test_path(rec, sizeof rec, "patient.ctrec");
    write_sim_recording(rec);
    store st;
    assert_int_equal(store_open(&st, root), 0);

    /* Reference: the whole recording through the session. */
    static journal a, b;
    new_session(&st, &a, rec);
    journal_close(&a);
    int full = -1;
    assert_int_equal(session_recover(&st, a.meta.id, NULL, &full), 0);
    static store_event ea[64], eb[64], old[64];
    assert_int_equal(store_events_read(&st, a.meta.id, ea, 64, NULL), full);
    printf("the analysis found %d reps in the recording\n", full);

    /* The same session killed 70 s in: events so far stored, status still running. */
    new_session(&st, &b, rec);
    ct_source *src;
    char path[1200];
    journal_path(&b, "recording.ctrec", path, sizeof path);
    assert_int_equal(ct_source_open_recording(&src, path), 0);
    cut_feed cf = {src, &b, 70 * 104};
    session_source ss = {&cf, cut_read, cut_state, NULL};
    static session_analysis sa;
    session_analyzer an;
    session_analysis_bind(&sa, 104, &an);
    session_options opt;
    session_options_default(&opt);
    opt.site_mm = 120;
    int status = session_run(&b, &ss, &an, NULL, &opt);
    assert_int_equal(status, STATUS_STOPPED);
    ct_source_close(src);
    /* ...and no journal_end: the process died here. A live session refuses recovery. */
    assert_int_equal(session_recover(&st, b.meta.id, NULL, NULL), CT_EBUSY);
    journal_close(&b);
    int before = store_events_read(&st, b.meta.id, old, 64, NULL);
    assert_true(before >= 0 && before <= full);
    store_meta m;
    assert_int_equal(store_meta_read(&st, b.meta.id, &m), 0);
    assert_int_equal(m.status, STATUS_RUNNING);

    int got = -1;
    assert_int_equal(session_recover(&st, b.meta.id, NULL, &got), 0);
    assert_int_equal(got, full);
    assert_int_equal(store_events_read(&st, b.meta.id, eb, 64, NULL), full);
    for (int i = 0; i < full; i++)
        assert_memory_equal(&ea[i].ev, &eb[i].ev, sizeof ea[i].ev);
    /* What was stored before the crash is what the recovery finds again. */
    for (int i = 0; i < before; i++)
        assert_memory_equal(&old[i].ev, &eb[i].ev, sizeof old[i].ev);
    assert_int_equal(store_meta_read(&st, b.meta.id, &m), 0);
    assert_int_equal(m.status, STATUS_RECOVERED);
    char oldpath[1200];
    journal_path(&b, "events.csv.old", oldpath, sizeof oldpath);
    assert_int_equal(access(oldpath, R_OK), 0);
    /* The live trace was rebuilt too: ten points a second of the recording's ~100 s. */
    char trace[1200];
    journal_path(&b, "trace.csv", trace, sizeof trace);
    FILE *tf = fopen(trace, "r");
    assert_non_null(tf);
    int lines = 0;
    for (int c; (c = fgetc(tf)) != EOF;)
        lines += c == '\n';
    fclose(tf);
    printf("trace: %d points\n", lines - 1);
    assert_true(lines > 500);
    store_meta list[4];
    assert_int_equal(store_list(&st, list, 4), 2);
    assert_int_equal(list[1].status, STATUS_RECOVERED);
    assert_int_equal(list[1].events, full);
    /* The recording's tail lost (the disk filled up, or the process died with its last
     * block in memory): it ends at 60 % though every rep was stored. Recover keeps the
     * stored reps it cannot find again (or finds only cut short), exactly as stored.
     * Found by tests/it/faults_disk.sh (3 of 16 reps dropped) and faults_kill.sh (the
     * last rep regraded short_hold at the end of the data). */
    static journal c;
    static store_event ec[64];
    new_session(&st, &c, rec);
    journal_close(&c);
    assert_int_equal(session_recover(&st, c.meta.id, NULL, NULL), 0); /* all stored */
    char cpath[1200];
    journal_path(&c, "recording.ctrec", cpath, sizeof cpath);
    struct stat sb;
    assert_int_equal(stat(cpath, &sb), 0);
    assert_int_equal(truncate(cpath, sb.st_size * 6 / 10), 0);
    int kept = -1;
    assert_int_equal(session_recover(&st, c.meta.id, NULL, &kept), 0);
    assert_int_equal(kept, full);
    assert_int_equal(store_events_read(&st, c.meta.id, ec, 64, NULL), full);
    for (int i = 0; i < full; i++)
        assert_memory_equal(&ea[i].ev, &ec[i].ev, sizeof ea[i].ev);

    /* No recording, nothing to rebuild from. */
    assert_int_equal(unlink(path), 0);
    assert_int_equal(session_recover(&st, b.meta.id, NULL, NULL), CT_ENOENT);
    assert_int_equal(session_recover(&st, "20991231-000000", NULL, NULL), CT_ENOENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_prescription),
        cmocka_unit_test(test_quit_keeps_what_was_done),
        cmocka_unit_test(test_recording_ends_midway),
        cmocka_unit_test(test_recording_ends_in_a_rest_keeps_what_was_begun),
        cmocka_unit_test(test_person_starts_early),
        cmocka_unit_test(test_one_bell_per_hold),
        cmocka_unit_test(test_rest_longer_than_prescribed_unwaited),
        cmocka_unit_test(test_pause_skip_and_timeout),
        cmocka_unit_test(test_reference_after_the_pod_moved),
        cmocka_unit_test(test_asked_again_to_stand),
        cmocka_unit_test(test_missed_set_runner_keeps_up),
        cmocka_unit_test(test_rep_after_the_count_is_not_a_start),
        cmocka_unit_test(test_pod_moved_ends_the_set),
        cmocka_unit_test(test_pod_moved_after_a_set_given_up),
        cmocka_unit_test(test_slow_start_with_fidgets),
        cmocka_unit_test(test_interrupted_session_is_recovered),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
