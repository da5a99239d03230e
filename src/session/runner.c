/* runner.c - the guided session: exercise by exercise, side by side, set by set, on
 * device time. Everything counted goes to the journal the moment it is counted. */
#include "calftrack/session.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "calftrack/err.h"

#define BUF 64
#define MAX_EV 8

typedef struct {
    journal *j;
    const session_source *src;
    const session_analyzer *an;
    const session_ui *ui;
    const session_options *opt;
    ct_sample buf[BUF];
    int nbuf, pos;
    int err;
    bool ended, quit, paused, skip, ready_key, warned_waiting;
    int64_t now_us;
    int64_t last_live_us;
    /* where we are */
    int item;
    ct_side side;
    int set, count;
    bool in_set;
    bool set_open;         /* the analysis is already counting for r->set (rest, get-ready) */
    bool hold_bell;        /* the bell for the current hold has rung */
    int64_t last_progress_us;
    /* what the person is doing, whatever the count says (follow()) */
    int64_t busy_us;       /* time the analysis saw a rep or a hold under way in this set */
    int64_t idle_since_us; /* when the person last stopped being busy (-1: busy now) */
    int64_t follow_t_us;   /* the sample follow() saw last */
    bool pod_handled;      /* a set ended because the pod was being handled */
    bool blind;            /* the analysis waits for a still reference: it sees nothing */
    bool awaiting_move;    /* the pod has to go elsewhere and has not been handled yet */
    /* where the pod was for the pass before (the pod is moved when these change) */
    bool have_prev;
    ct_side prev_side;
    ct_placement prev_placement;
} runner;

/* Handling the pod (taking it off, turning it, strapping it on) turns it fast; a knee
 * sway, a heel raise or standing does not. Turning faster than HANDLE_DPS for
 * HANDLE_DEG in all is handling; it is over once the pod has turned slower than that
 * for HANDLE_CALM_S. */
#define HANDLE_DPS 30.0f
#define HANDLE_DEG 90.0f
#define HANDLE_CALM_S 1.0f

void session_options_default(session_options *o)
{
    memset(o, 0, sizeof *o);
    o->countdown_s = 3;
    o->reference_max_s = 30;
    o->start_timeout_s = 120;
    o->set_timeout_s = 30;
    o->live_every_s = 0.1f;
}

static const presc_item *cur(const runner *r) { return &r->j->rx.item[r->item]; }

static void show(runner *r, session_msg m)
{
    m.item = cur(r);
    m.item_index = r->item;
    m.side = r->side;
    m.set = r->set;
    m.sets = cur(r)->sets;
    m.count = r->count;
    m.reps = cur(r)->reps;
    m.now_us = r->now_us;
    if (r->ui && r->ui->show)
        r->ui->show(r->ui->ctx, &m);
}

static void text(runner *r, session_msg_kind k, const char *t)
{
    show(r, (session_msg){.kind = k, .text = t});
}

static void poll_keys(runner *r)
{
    if (!r->ui || !r->ui->key)
        return;
    for (int i = 0; i < 8; i++) {
        session_key k = r->ui->key(r->ui->ctx);
        if (k == SKEY_NONE)
            return;
        if (k == SKEY_QUIT)
            r->quit = true;
        else if (k == SKEY_SKIP)
            r->skip = true;
        else if (k == SKEY_CONTINUE)
            r->ready_key = true;
        else if (k == SKEY_PAUSE) {
            r->paused = !r->paused;
            show(r, (session_msg){.kind = r->paused ? SMSG_PAUSED : SMSG_RESUMED});
        }
    }
}

/* The next sample, or false when the source ended, the person quit or it failed. */
static bool next_sample(runner *r, ct_sample *s)
{
    while (r->pos >= r->nbuf) {
        poll_keys(r);
        if (r->quit || r->ended || r->err)
            return false;
        int n = r->src->read(r->src->ctx, r->buf, BUF, 100);
        if (n < 0) {
            r->err = n;
            return false;
        }
        r->nbuf = n;
        r->pos = 0;
        if (n > 0) {
            r->warned_waiting = false;
            continue;
        }
        session_src_state st = r->src->state(r->src->ctx);
        if (st == SESSION_SRC_ENDED)
            r->ended = true;
        else if (st == SESSION_SRC_WAITING && !r->warned_waiting) {
            r->warned_waiting = true;
            text(r, SMSG_WARNING, "The pod is not sending: plug it back in, the session "
                                  "goes on where it stopped.");
        }
    }
    *s = r->buf[r->pos++];
    r->now_us = s->t_us;
    return true;
}

static int record(runner *r, const ct_event *in)
{
    const presc_item *it = cur(r);
    store_event e;
    memset(&e, 0, sizeof e);
    e.ev = *in;
    e.item = r->item;
    e.ev.exercise = it->exercise;
    e.ev.side = r->side;
    e.ev.set = r->set;
    if (in->kind == EV_REP || in->kind == EV_HOLD)
        e.ev.number = ++r->count;
    e.site_mm = in->placement == PLACE_SHIN ? r->opt->site_mm : 0;
    int rc = journal_event(r->j, &e);
    if (rc)
        return rc;
    r->last_progress_us = r->now_us;
    session_msg m = {.kind = SMSG_EVENT, .event = &e.ev};
    if (in->kind == EV_REP)
        m.tempo = clin_tempo_check(it, in->up_s, in->top_s, in->down_s);
    m.work_j = clin_work_j(r->j->meta.settings.body_mass_kg, in->height_cm);
    show(r, m);
    if (in->kind == EV_HOLD) {
        /* its bell, unless it rang when the hold reached its time */
        if (!r->hold_bell)
            show(r, (session_msg){.kind = SMSG_BELL, .text = "hold done"});
        r->hold_bell = false;
    }
    return 0;
}

/* Hands analysed events on: counted ones only inside a set and not paused. */
static int handle(runner *r, const ct_event *ev, int n)
{
    for (int i = 0; i < n; i++) {
        const ct_event *e = &ev[i];
        if (e->kind == EV_WRONG_PLACEMENT && !r->awaiting_move) {
            /* (while the pod waits to be moved it is where the last exercise had it) */
            char t[160];
            snprintf(t, sizeof t, "The pod seems to be on your %s, not where %s needs it: "
                     "check the strap.", ct_placement_name(e->placement) ? ct_placement_name(e->placement) : "leg",
                     ct_exercise_name(cur(r)->exercise));
            text(r, SMSG_WARNING, t);
        } else if (e->kind == EV_GAP) {
            text(r, SMSG_WARNING, "Some samples were lost.");
        } else if ((e->kind == EV_REP || e->kind == EV_HOLD) && r->in_set && !r->paused &&
                   r->count < cur(r)->reps) {
            int rc = record(r, e);
            if (rc)
                return rc;
        }
    }
    return 0;
}

static void live(runner *r, bool force)
{
    session_live lv;
    memset(&lv, 0, sizeof lv);
    r->an->live(r->an->ctx, &lv);
    const presc_item *it = cur(r);
    /* One bell a hold: when it reaches its time, or when it is told if it never showed
     * that (record). Held on past its time, a hold sways from holding to moving and
     * back; only a hold timed from the start again (a new one) rings again. */
    if (lv.state == SLIVE_HOLDING && lv.hold_elapsed_s < it->hold_s)
        r->hold_bell = false;
    else if (lv.state == SLIVE_HOLDING && !r->hold_bell && it->hold_s > 0 && r->in_set) {
        r->hold_bell = true;
        show(r, (session_msg){.kind = SMSG_BELL, .text = "hold done"});
    }
    if (!force && r->now_us - r->last_live_us < (int64_t)(r->opt->live_every_s * 1e6f))
        return;
    r->last_live_us = r->now_us;
    journal_trace(r->j, r->now_us, r->item, r->side, r->in_set ? r->set : 0, lv.value, lv.value_cm);
    float left = it->hold_s - lv.hold_elapsed_s;
    show(r, (session_msg){.kind = SMSG_LIVE, .live = &lv,
                          .seconds = lv.state == SLIVE_HOLDING && left > 0 ? left : 0});
}

/* Feeds one sample through the analysis. */
static int step(runner *r, const ct_sample *s)
{
    ct_event ev[MAX_EV];
    int n = r->an->update(r->an->ctx, s, ev, MAX_EV);
    int rc = handle(r, ev, n < 0 ? 0 : n);
    live(r, false);
    return rc;
}

/* A stretch of device time without samples (the pod unplugged, packets lost) says
 * nothing of what the person did: it is neither rest nor a stop. */
#define NO_DATA_US 1000000

/* Follows the person rather than the count: busy while the analysis sees a rep or a hold
 * under way (even one it will not count), idle otherwise. Busy time adds up in the open
 * set; idle_since_us tells how long the person has been resting. */
static bool follow(runner *r, const ct_sample *s)
{
    session_live lv;
    r->an->live(r->an->ctx, &lv);
    bool busy = lv.state == SLIVE_MOVING || lv.state == SLIVE_HOLDING;
    r->blind = lv.state == SLIVE_WAITING_STILL;
    int64_t dt = s->t_us - r->follow_t_us;
    r->follow_t_us = s->t_us;
    if (dt > NO_DATA_US && r->idle_since_us >= 0)
        r->idle_since_us += dt; /* samples lost (pod unplugged): not a rest */
    if (busy) {
        if (r->in_set && dt > 0 && dt < 100000)
            r->busy_us += dt;
        r->idle_since_us = -1;
    } else if (r->idle_since_us < 0) {
        r->idle_since_us = s->t_us;
    }
    return busy;
}

/* Has the person rested since they were last busy? Between reps people pause for a
 * second or two (now and then up to 8 s); between sets they rest for about the
 * prescribed rest. Idle for half the rest (10 s at most) is a rest, not a pause. */
static bool rested(const runner *r, int64_t now_us)
{
    float need_s = fminf(10.0f, 0.5f * cur(r)->rest_s);
    return r->idle_since_us >= 0 && now_us - r->idle_since_us >= (int64_t)(need_s * 1e6f);
}

/* Opens set r->set in the analysis: from here on reps and holds count in it. */
static void open_set(runner *r)
{
    const presc_item *it = cur(r);
    char note[64];
    r->count = 0;
    snprintf(note, sizeof note, "%s %s set %d start", ct_exercise_name(it->exercise),
             ct_side_name(r->side), r->set);
    if (r->src->note)
        r->src->note(r->src->ctx, note);
    r->an->begin_set(r->an->ctx, r->set);
    r->in_set = true;
    r->set_open = true;
    r->busy_us = 0;
}

/* Consumes seconds of device time, telling the person the seconds left. With open_next,
 * the next set is already counting: a person who starts before the time is up (a rep
 * counted, or a second of movement or holding) ends the wait - rests are advice, and
 * the count follows the person rather than the clock. Only once they have rested,
 * though: reps and movement straight after a set ended (its last rep, when the analysis
 * counted one too many, or the set ended on a timeout while the person was still at it)
 * are the end of that set, not the start of the next one; they still count in the next
 * set, which is open, but the rest goes on. */
static int wait_s(runner *r, float seconds, session_msg_kind kind, bool open_next)
{
    if (r->opt->skip_waits || seconds <= 0)
        return 0;
    if (open_next)
        open_set(r);
    ct_sample s;
    int64_t end = -1, moving_since = -1;
    int last_shown = -1, before_rest = -1;
    r->skip = false;
    while (!r->skip && next_sample(r, &s)) {
        if (end < 0)
            end = s.t_us + (int64_t)(seconds * 1e6f);
        int rc = step(r, &s);
        if (rc)
            return rc;
        bool busy = follow(r, &s);
        if (s.t_us >= end)
            break;
        if (open_next) {
            if (before_rest < 0 && rested(r, s.t_us))
                before_rest = r->count; /* counted before the person rested */
            if (!busy)
                moving_since = -1;
            else if (moving_since < 0)
                moving_since = s.t_us;
            if (before_rest >= 0 && (r->count > before_rest ||
                                     (moving_since >= 0 && s.t_us - moving_since >= 1000000))) {
                text(r, SMSG_PROMPT, "You have started: the set is on.");
                break;
            }
        }
        int left = (int)ceilf((float)(end - s.t_us) / 1e6f);
        if (left != last_shown) {
            last_shown = left;
            show(r, (session_msg){.kind = kind, .seconds = (float)left});
        }
    }
    r->skip = false;
    return r->err;
}

static const char *placement_text(ct_placement p)
{
    return p == PLACE_FOOT ? "on top of your %s foot, over the laces"
                           : "on your %s shin, just above the ankle";
}

static ct_placement placement_for(ct_exercise ex)
{
    return ex == EX_BAND_STRETCH ? PLACE_FOOT : PLACE_SHIN;
}

/* Follows the pod being handled: true once a burst of handling (HANDLE_DEG of fast
 * turning) has calmed down for HANDLE_CALM_S.
 * In a set (about_vertical) only turning about the vertical counts, and it must add up
 * within one burst (calm for HANDLE_CALM_S starts the sum over): no exercise turns the
 * leg about the vertical, while a lunge or a step swings the shin forward fast (bursts
 * of up to 240 deg on the clinical bench's programmes, against at most 11 deg about the
 * vertical); the pod turned on its strap, taken off or put on turns about the leg, 80
 * to 200 deg a burst. The vertical is where the acceleration points, low-passed. */
#define HANDLE_TWIST_DEG 45.0f
#define HANDLE_DOWN_TAU_S 0.5f

typedef struct {
    float fast_deg;
    int64_t last_us, calm_since_us;
    bool about_vertical;
    float down[3]; /* low-passed acceleration, g (about_vertical) */
} handling;

static bool handling_over(handling *h, const ct_sample *s)
{
    bool first = h->last_us <= 0;
    float dt = first ? 0.0f : (float)(s->t_us - h->last_us) * 1e-6f;
    h->last_us = s->t_us;
    if (dt < 0.0f || dt > 0.1f)
        dt = 0.0f;
    float w;
    if (h->about_vertical) {
        float a = first ? 1.0f : dt / (HANDLE_DOWN_TAU_S + dt);
        for (int i = 0; i < 3; i++)
            h->down[i] += a * (s->acc_g[i] - h->down[i]);
        float n = sqrtf(h->down[0] * h->down[0] + h->down[1] * h->down[1] + h->down[2] * h->down[2]);
        w = n > 0.1f ? fabsf(s->gyr_dps[0] * h->down[0] + s->gyr_dps[1] * h->down[1] +
                             s->gyr_dps[2] * h->down[2]) / n
                     : 0.0f;
    } else {
        w = sqrtf(s->gyr_dps[0] * s->gyr_dps[0] + s->gyr_dps[1] * s->gyr_dps[1] +
                  s->gyr_dps[2] * s->gyr_dps[2]);
    }
    if (w > HANDLE_DPS) {
        h->fast_deg += w * dt;
        h->calm_since_us = -1;
        return false;
    }
    if (h->calm_since_us < 0)
        h->calm_since_us = s->t_us;
    if (s->t_us - h->calm_since_us >= (int64_t)(HANDLE_CALM_S * 1e6f)) {
        bool handled = h->fast_deg >= (h->about_vertical ? HANDLE_TWIST_DEG : HANDLE_DEG);
        if (handled || h->about_vertical)
            h->fast_deg = 0.0f;
        return handled;
    }
    return false;
}

/* While the analysis waits for a still reference, the person is asked again this often,
 * s. Standing up from a chair (after the seated band stretch) and keeping still for the
 * ~1 s reference takes a few seconds, and strapping the pod on takes 5-10 s: asking
 * sooner would talk over both. Later would leave a person still sitting without a word
 * for most of reference_max_s (30 s: asked again at 10 and 20 s, then the warning). The
 * analysis does not say whether it waits for standing or only for stillness (a seated
 * pose is refused inside it), so the prompt asks for both. */
#define STAND_AGAIN_S 10.0f

/* Placement prompt, then the still reference (and the calibration sway).
 * When the pod has to go somewhere else than for the pass before (the other leg, or
 * from the shin to the foot) and nobody pressed Enter to say it is on, the reference
 * must not be taken where the pod still is: a person who has just finished a set
 * stands still for a moment before reaching for the strap, and a reference taken then
 * belongs to the other leg (the calibration then measures the new leg against it).
 * So the analysis starts afresh once the pod has been handled, and again after any
 * further handling until the person is in the start position; if the pod does not
 * seem to move within reference_max_s, the session goes on with what it has. */
static int reference(runner *r)
{
    const presc_item *it = cur(r);
    ct_placement pl = placement_for(it->exercise);
    char t[200], where[96];
    snprintf(where, sizeof where, placement_text(pl), ct_side_name(r->side));
    snprintf(t, sizeof t, "Strap the pod %s.", where);
    text(r, SMSG_PROMPT, t);
    bool move = r->have_prev && (r->prev_side != r->side || r->prev_placement != pl);
    r->have_prev = true;
    r->prev_side = r->side;
    r->prev_placement = pl;
    ct_sample s;
    if (r->ui && r->ui->wait_for_ready) {
        text(r, SMSG_PROMPT, "Press Enter when it is on.");
        r->ready_key = false;
        while (!r->ready_key && next_sample(r, &s))
            ;
        if (r->quit || r->ended || r->err)
            return r->err;
        move = false; /* the person says it is on */
    }
    /* every reference is read standing, the band stretch's too: standing, the foot
     * lies flat, and its seated angle is measured from there (analysis.h) */
    const char *still = "Stand still on both feet.";
    /* a set that ended on the pod being handled: it is on its way already */
    bool moved = !move || r->pod_handled;
    r->pod_handled = false;
    r->awaiting_move = !moved;
    if (moved)
        text(r, SMSG_PROMPT, still);
    handling h = {0.0f, 0, -1, false, {0.0f, 0.0f, 0.0f}};
    int64_t start = -1;
    int64_t asked_us = -1; /* when the person was last asked to stand still */
    bool told_sway = false;
    while (next_sample(r, &s)) {
        if (start < 0)
            asked_us = start = s.t_us;
        int rc = step(r, &s);
        if (rc)
            return rc;
        if (move && handling_over(&h, &s)) {
            /* the pod has been handled: whatever was learnt before is not where it is */
            if ((rc = r->an->begin_item(r->an->ctx, it, r->side)) != 0)
                return rc;
            moved = true;
            r->awaiting_move = false;
            asked_us = start = s.t_us;
            told_sway = false;
            text(r, SMSG_PROMPT, still);
            continue;
        }
        bool late = s.t_us - start > (int64_t)(r->opt->reference_max_s * 1e6f);
        if (!moved) {
            if (late) {
                moved = true;
                r->awaiting_move = false;
                asked_us = start = s.t_us;
                text(r, SMSG_PROMPT, still);
            }
            continue;
        }
        session_live lv;
        r->an->live(r->an->ctx, &lv);
        if (lv.state == SLIVE_CALIBRATING && !told_sway) {
            told_sway = true;
            const char *g = "Now sway the knee forward once, slowly, and back.";
            if (it->exercise == EX_BAND_STRETCH)
                g = "Now sit with the leg straight and point and flex the foot once, slowly.";
            else if (pl == PLACE_FOOT)
                g = "Now point and flex the foot once, slowly.";
            text(r, SMSG_PROMPT, g);
        }
        if (lv.state >= SLIVE_READY)
            return 0;
        /* still sitting, or not still: ask again, now and then (STAND_AGAIN_S), but not
         * in the last half interval of the wait (asked then, the person is hardly up
         * before the runner goes on without them) */
        float left_s = r->opt->reference_max_s - (float)(s.t_us - start) / 1e6f;
        if (lv.state == SLIVE_WAITING_STILL && left_s > 0.5f * STAND_AGAIN_S &&
            s.t_us - asked_us >= (int64_t)(STAND_AGAIN_S * 1e6f)) {
            asked_us = s.t_us;
            text(r, SMSG_PROMPT, "Stand on both feet and keep still.");
        }
        if (late) {
            text(r, SMSG_WARNING, "No still reference yet: going on; keep still before "
                                  "each set.");
            return 0;
        }
    }
    return r->err;
}

/* How long a set keeps the analysis busy, in microseconds, at the least: a quarter of
 * the time its reps take at the prescribed tempo (3 s a rep without one) - the analysis
 * shows a raise under way for about half of it, and people rush - or half of its holds.
 * Measured on the clinical bench: 20 to 70 s for sets of 15 raises at 2-1-2, 30 to 40 s
 * for a 30 s lunge hold; the limit is 19 s and 15 s. */
static int64_t set_worth_us(const presc_item *it)
{
    if (presc_is_hold(it->exercise))
        return (int64_t)(0.5f * (float)it->reps * it->hold_s * 1e6f);
    float rep_s = it->has_tempo ? it->tempo_up_s + it->tempo_top_s + it->tempo_down_s : 3.0f;
    return (int64_t)(0.25f * (float)it->reps * rep_s * 1e6f);
}

/* Ends the open set in the analysis and keeps what it still held (a hold is told only
 * once it is over). Also when the recording (or the stream) ended with a set open:
 * during the rest before it, which opens it for a person who starts early, what was
 * begun is kept, not dropped with the set; nothing is shown for a set not started. */
static int close_open_set(runner *r)
{
    if (!r->set_open)
        return 0;
    ct_event ev[MAX_EV];
    int n = r->an->end_set(r->an->ctx, ev, MAX_EV);
    int rc = handle(r, ev, n < 0 ? 0 : n);
    r->in_set = false;
    r->set_open = false;
    if (!rc)
        rc = journal_checkpoint(r->j);
    return rc;
}

static int run_set(runner *r)
{
    const presc_item *it = cur(r);
    r->skip = false;
    if (presc_is_hold(it->exercise) && r->set > 0 && !r->set_open) {
        int rc = wait_s(r, r->opt->countdown_s, SMSG_COUNTDOWN, true);
        if (rc || r->quit || r->ended)
            return rc;
    }
    if (!r->set_open)
        open_set(r);
    show(r, (session_msg){.kind = SMSG_SET_START});
    ct_sample s;
    int64_t start = -1, prev_us = -1;
    handling h = {0.0f, 0, -1, true, {0.0f, 0.0f, 0.0f}};
    bool started_before_handling = false; /* the person started before the pod was turned */
    while (r->count < it->reps && !r->skip && next_sample(r, &s)) {
        if (start < 0)
            r->last_progress_us = start = s.t_us;
        else if (s.t_us - prev_us > NO_DATA_US)
            r->last_progress_us += s.t_us - prev_us; /* no data is not a stop */
        prev_us = s.t_us;
        int before = r->count;
        int rc = step(r, &s);
        if (rc)
            return rc;
        if (follow(r, &s) || r->count > before)
            r->last_progress_us = s.t_us; /* still working at it */
        /* started: a rep counted or a second of movement, as in wait_s (a fidget is not
         * a start: it must not cut the long wait for a person slow to begin) */
        bool started = r->count > 0 || r->busy_us >= 1000000;
        /* Getting started may take a while; a long stop once started ends the set. A
         * person who has done some of the set and then rests for half the prescribed
         * rest (10 s at least) has ended it: follow them rather than the clock. Some of
         * the set is a rep counted, or a set's worth of movement the analysis counted
         * nothing in: else, when it misses a whole set, the person's next set (after
         * the prescribed rest, shorter than set_timeout_s) runs on in this one and the
         * runner stays a set behind them to the end. */
        bool some = r->count > 0 || r->busy_us >= set_worth_us(it);
        float limit = started ? r->opt->set_timeout_s : r->opt->start_timeout_s;
        if (some && !r->blind) /* an analysis that lost its reference sees no rest */
            limit = fminf(limit, fmaxf(10.0f, 0.5f * it->rest_s));
        /* with the rests not waited for (a replay, the virtual pod) the set opens as the
         * last one ends: before the first rep the person takes the prescribed rest too
         * (resting a little longer than prescribed, they were timed out before it, and
         * the runner stayed a set behind them to the end) */
        if (r->opt->skip_waits && r->set > 1 && r->count == 0)
            limit += it->rest_s;
        if (s.t_us - r->last_progress_us > (int64_t)(limit * 1e6f)) {
            text(r, SMSG_WARNING, "Nothing counted for a while: this set ends here.");
            break;
        }
        /* The pod taken off (or turned on the strap) once the person has started the
         * set: they have finished with it, whatever the count says. Movement keeps a set
         * going, and putting the pod on the other leg and exercising there would
         * otherwise run on in this set (its reps counted for this side) until a rest
         * long enough. A person who gives a hold up after a few seconds (nothing
         * counted, far less than a set's worth of movement) and moves the pod to the
         * other leg has started too: their next hold, on the other leg, was counted for
         * this one, and the runner stayed a set behind them to the end. Started is told
         * from before the turning (handling the pod shakes the leg, and an analysis may
         * see that as movement): turned before anything was done, it is only the strap
         * being set right, and the set goes on. */
        if (h.fast_deg <= 0.0f)
            started_before_handling = started;
        if (handling_over(&h, &s) && started_before_handling) {
            r->pod_handled = true;
            text(r, SMSG_WARNING, "The pod was moved: this set ends here.");
            break;
        }
    }
    if (r->skip)
        show(r, (session_msg){.kind = SMSG_SKIPPED});
    int rc = close_open_set(r);
    if (rc)
        return rc;
    show(r, (session_msg){.kind = SMSG_BELL, .text = "set done"});
    for (int i = 0; i < r->j->sum.n; i++)
        if (r->j->sum.row[i].item == r->item && r->j->sum.row[i].side == r->side)
            show(r, (session_msg){.kind = SMSG_SET_DONE, .row = &r->j->sum.row[i]});
    r->skip = false;
    return 0;
}

int session_run(journal *j, const session_source *src, const session_analyzer *an,
                const session_ui *ui, const session_options *opt)
{
    runner r;
    memset(&r, 0, sizeof r);
    r.j = j;
    r.src = src;
    r.an = an;
    r.ui = ui;
    r.opt = opt;
    r.idle_since_us = 0; /* rested before the session */
    int rc = 0;
    for (r.item = 0; r.item < j->rx.n && !rc; r.item++) {
        const presc_item *it = cur(&r);
        for (int k = 0; k < presc_item_sides(it) && !rc; k++) {
            r.side = presc_item_side(it, k);
            r.set = 0;
            if ((rc = an->begin_item(an->ctx, it, r.side)) != 0)
                break;
            show(&r, (session_msg){.kind = SMSG_EXERCISE});
            if ((rc = reference(&r)) != 0 || r.quit || r.ended)
                break;
            for (r.set = 1; r.set <= it->sets && !rc; r.set++) {
                if (r.set > 1 && (rc = wait_s(&r, it->rest_s, SMSG_REST, true)) != 0)
                    break;
                if (r.quit || r.ended || (rc = run_set(&r)) != 0 || r.quit || r.ended)
                    break;
            }
            if (r.quit || r.ended)
                break;
        }
        if (r.quit || r.ended)
            break;
    }
    if (!rc && r.ended)
        rc = close_open_set(&r);
    if (!rc)
        rc = r.err;
    if (rc)
        return rc;
    rc = r.item >= j->rx.n && !r.quit ? STATUS_COMPLETE : STATUS_STOPPED;
    if (r.item >= j->rx.n)
        r.item = j->rx.n - 1;
    show(&r, (session_msg){.kind = SMSG_END, .status = (store_status)rc});
    return rc;
}
