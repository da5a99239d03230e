/* test_session.c - the session runner against a scripted analysis and a synthetic
 * 100 Hz source: counting against the prescription, rest timers on device time, quitting
 * keeps what was done, pause, skip, an ended recording, a set that times out, events
 * outside a set not counted; everything stored as it happens. */
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
            out[n].gyr_dps[0] = 150;
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
    int64_t period = hold ? (int64_t)((a->it.hold_s + 5) * 1e6f) : 4000000;
    a->holding = hold && dt % period >= 2000000 && dt % period < 2000000 + (int64_t)(a->it.hold_s * 1e6f);
    a->hold_elapsed = a->holding ? (float)(dt % period - 2000000) / 1e6f : 0;
    if (dt > 0 && dt % period == 0 && max > 0) {
        memset(out, 0, sizeof *out);
        out->kind = hold ? EV_HOLD : EV_REP;
        out->placement = PLACE_SHIN;
        out->t_start_us = s->t_us - period + 1000000;
        out->t_end_us = s->t_us;
        out->height_cm = 8.0f + 0.1f * (float)a->emitted;
        out->peak_deg = hold ? 36 : 20;
        out->hold_s = hold ? a->it.hold_s : 1;
        out->up_s = a->emitted == 1 ? 0.8f : 2.0f;
        out->top_s = 1;
        out->down_s = 2;
        a->emitted++;
        return 1;
    }
    return 0;
}

static int an_end_set(void *ctx, ct_event *out, int max)
{
    fake_an *a = ctx;
    (void)out;
    (void)max;
    a->sets_ended++;
    a->set = 0;
    return 0;
}

static void an_live(void *ctx, session_live *lv)
{
    fake_an *a = ctx;
    memset(lv, 0, sizeof *lv);
    lv->t_us = a->last_t;
    if (a->t0 < 0 || a->last_t - a->t0 < 1000000)
        lv->state = SLIVE_WAITING_STILL;
    else if (a->holding)
        lv->state = SLIVE_HOLDING;
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
    /* 3 sets of 20 s, 3 references of 1 s, and 30 s waiting for the pod to be moved
       to the right leg (this pod never moves): well under 100 s of device time. */
    assert_true(h.src.t_us < 100000000);

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
        cmocka_unit_test(test_person_starts_early),
        cmocka_unit_test(test_pause_skip_and_timeout),
        cmocka_unit_test(test_reference_after_the_pod_moved),
        cmocka_unit_test(test_interrupted_session_is_recovered),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
