/*
 * clinical_run.h - a simulated patient with a known deficit on one side plays a whole
 * both-sides programme, and the product measures it the way it measures a pod: the
 * simulator's stream is written as a recording (simrec), the recording is replayed
 * through the session runner with the motion analysis (what `calftrack session --replay`
 * does), the session is stored by the journal, and the limb symmetry index, heel-rise
 * work and tempo are read back through the export. Everything is then compared with the
 * simulator's truth of the same run. Shared by tests/test_clinical.c (a few fixed seeds,
 * asserted) and bench/clinical.c (many seeds, printed).
 *
 * Truth:
 *   reps        every true rep of the side (partial and abandoned ones included: the
 *               product counts them too)
 *   height      the highest true ankle rise of the side; mean: over all true reps
 *   work        body mass x g x the sum of the true rises of the side
 *   lunge       the quantity the analysis specifies (analysis.h): the highest shank
 *               inclination in a hold minus the person's relaxed standing inclination;
 *               beside it the absolute inclination (the simulator's peak_deg)
 *   tempo       each true rep's up/top/down against the rep the analysis found
 *               overlapping it most (one to one)
 */
#ifndef CLINICAL_RUN_H
#define CLINICAL_RUN_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calftrack/clinical.h"
#include "calftrack/err.h"
#include "calftrack/export.h"
#include "calftrack/journal.h"
#include "calftrack/presc.h"
#include "calftrack/session.h"
#include "calftrack/session_analysis.h"
#include "calftrack/session_display.h"
#include "calftrack/simprog.h"
#include "calftrack/simrec.h"
#include "calftrack/source.h"
#include "calftrack/store.h"

#define CR_MAX_REPS 256

/* Both sides, the shipped programme's calf raises and lunges (calf-programme.csv). */
static const char CR_RX[] =
    "exercise,side,sets,reps,hold_s,target,target_unit,rest_s,tempo\n"
    "calf_raise,both,3,15,1-2,,,60,2-1-2\n"
    "lunge_stretch,both,3,1,30,35,deg,30,\n";

typedef struct {
    uint64_t seed;       /* the person (sim_person_random) and everything random */
    ct_side injured;     /* SIDE_LEFT or SIDE_RIGHT */
    float deficit;       /* the injured side's range as a fraction of the other's */
    float body_mass_kg;
    int day;             /* sessions of one store: a day apart */
    bool strap_random;   /* the pod strapped on at a random rotation */
    bool press_enter;    /* as live: the person presses Enter once the pod is on the leg
                            the runner asks for (else as a replay: the runner goes on at
                            once, while the pod may still be on the other leg) */
} cr_config;

typedef struct {
    int status;                 /* session_run's */
    char id[STORE_ID_MAX];
    /* truth, per side (SIDE_LEFT, SIDE_RIGHT) */
    int t_reps[2];
    float t_best_h[2], t_sum_h[2], t_mean_h[2];
    float t_lunge[2], t_lunge_abs[2];
    /* the product: the symmetry export and the summary's means */
    clin_symmetry y;
    float mean_h[2];
    float mean_tempo[2][3];
    /* rep by rep, calf raises */
    int matched[2];
    float m_true_h[2], m_meas_h[2];     /* summed over the matched reps */
    double h_err_sum, h_err_sq;         /* measured - true, cm */
    double tempo_sum[3], tempo_abs[3], tempo_sq[3], tempo_worst[3];
    int tempo_in[3];                    /* matched reps within 0.2 s */
    int n_tempo;
    float t_tempo_sum[2][3], m_tempo_sum[2][3]; /* for the means over matched reps */
    /* heel rise over full reps: graded full by the analysis / intended full */
    float full_h[2], t_full_h[2];
} cr_result;

/* The truth-side LSIs and errors, points or percent. */
static inline float cr_lsi(const cr_result *r, const float *v)
{
    int a = (int)r->y.injured, b = 1 - a;
    return clin_lsi_pct(v[a], v[b]);
}

static inline float cr_lsi_reps_true(const cr_result *r)
{
    float v[2] = {(float)r->t_reps[0], (float)r->t_reps[1]};
    return cr_lsi(r, v);
}

/* A session_source over a ct_source, as `calftrack session` feeds the runner. */
typedef struct {
    ct_source *src;
    journal *j;
    bool started;
    int64_t last_t_us;   /* device time of the latest sample read */
} cr_feed;

static inline int cr_feed_read(void *ctx, ct_sample *out, int max, int timeout_ms)
{
    cr_feed *f = ctx;
    int n = ct_source_read(f->src, out, max, timeout_ms);
    if (n > 0 && !f->started) {
        f->started = true;
        f->j->meta.t0_device_us = out[0].t_us;
    }
    if (n > 0)
        f->last_t_us = out[n - 1].t_us;
    return n;
}

static inline session_src_state cr_feed_state(void *ctx)
{
    switch (ct_source_get_state(((cr_feed *)ctx)->src)) {
    case SRC_STREAMING: return SESSION_SRC_STREAMING;
    case SRC_WAITING: return SESSION_SRC_WAITING;
    default: return SESSION_SRC_ENDED;
    }
}

static inline int cr_feed_note(void *ctx, const char *text)
{
    return ct_source_note(((cr_feed *)ctx)->src, text);
}

#define CR_MAX_PASSES (PRESC_MAX_ITEMS * 2)

typedef struct {
    sim_event ev[CR_MAX_REPS];
    int n;
    float lunge_spec[2];
    int64_t pass_t0_us[CR_MAX_PASSES]; /* when the pod is on the leg of each pass */
    int npass;
} cr_truth;

/* The person at the screen: presses Enter when the runner asks for the pod on a leg
 * and the pod is there (the k-th exercise and side the runner starts is the k-th pass
 * the simulated person plays). */
typedef struct {
    const cr_truth *truth;
    const cr_feed *feed;
    int exercises;       /* SMSG_EXERCISE seen */
    bool pressed;        /* for the current one */
    const session_ui *show; /* also shown here (NULL: nowhere) */
} cr_person;

static inline void cr_person_show(void *ctx, const session_msg *m)
{
    cr_person *p = ctx;
    if (p->show && m->kind != SMSG_LIVE)
        p->show->show(p->show->ctx, m);
    if (m->kind == SMSG_EXERCISE) {
        p->exercises++;
        p->pressed = false;
    }
}

static inline session_key cr_person_key(void *ctx)
{
    cr_person *p = ctx;
    int k = p->exercises - 1;
    if (p->pressed || k < 0 || k >= p->truth->npass ||
        p->feed->last_t_us < p->truth->pass_t0_us[k])
        return SKEY_NONE;
    p->pressed = true;
    return SKEY_CONTINUE;
}

/* Plays the programme once more for its truth (the simulator is deterministic). */
static inline int cr_collect_truth(const presc *rx, const simprog_config *cfg, cr_truth *t)
{
    static simprog p;
    int rc = simprog_init(&p, rx, cfg);
    if (rc)
        return rc;
    t->n = 0;
    t->npass = 0;
    t->lunge_spec[0] = t->lunge_spec[1] = -1e9f;
    sim_truth_sample tr;
    sim_event e;
    int last_item = -1, last_pass = -1;
    for (;;) {
        bool more = simprog_next(&p, NULL, &tr);
        if (more && (p.item != last_item || p.pass != last_pass)) {
            last_item = p.item;
            last_pass = p.pass;
            if (t->npass < CR_MAX_PASSES)
                t->pass_t0_us[t->npass++] = tr.t_us;
        }
        if (more && tr.kind == SIM_STEP_EXERCISE && tr.exercise == EX_LUNGE_STRETCH &&
            tr.number > 0 && p.item < rx->n) {
            int k = (int)presc_item_side(&rx->item[p.item], p.pass);
            float v = tr.shank_incl_deg - p.person.stance_incl_deg;
            if (k >= 0 && k < 2 && v > t->lunge_spec[k])
                t->lunge_spec[k] = v;
        }
        while (simprog_event_pop(&p, &e))
            if (t->n < CR_MAX_REPS)
                t->ev[t->n++] = e;
        if (!more)
            break;
    }
    return CT_OK;
}

static inline int64_t cr_overlap(const ct_event *a, const ct_event *b)
{
    int64_t lo = a->t_start_us > b->t_start_us ? a->t_start_us : b->t_start_us;
    int64_t hi = a->t_end_us < b->t_end_us ? a->t_end_us : b->t_end_us;
    return hi - lo;
}

/* Plays cfg into the store st (recordings under dir). 0 or ct_err; the numbers in *r. */
static inline int cr_run(const store *st, const char *dir, const cr_config *cfg, cr_result *r)
{
    memset(r, 0, sizeof *r);
    static presc rx;
    presc_error perr;
    int rc = presc_parse("calf-programme.csv", CR_RX, strlen(CR_RX), &rx, &perr);
    if (rc)
        return rc;
    simprog_config sc = {.seed = cfg->seed, .sensor = sim_sensor_default,
                         .injured = cfg->injured, .deficit = cfg->deficit};
    sc.sensor.strap_random = cfg->strap_random;

    /* the recording, as `calftrack simulate --prescription` writes it */
    char path[1024];
    snprintf(path, sizeof path, "%s/seed%llu-%s-%02d.ctrec", dir, (unsigned long long)cfg->seed,
             ct_side_name(cfg->injured), (int)lroundf(cfg->deficit * 100));
    remove(path);
    static simprog prog;
    if ((rc = simprog_init(&prog, &rx, &sc)) != 0)
        return rc;
    rec_header h;
    memset(&h, 0, sizeof h);
    h.side = SIDE_BOTH;
    h.site_mm = 150;
    h.start_unix_us = INT64_C(1795161600000000) + (int64_t)cfg->day * INT64_C(86400000000);
    simrec_stats stats;
    if ((rc = simrec_write_prog(&prog, path, &h, NULL, &stats)) != 0)
        return rc;
    static cr_truth truth;
    if ((rc = cr_collect_truth(&rx, &sc, &truth)) != 0)
        return rc;
    if ((uint64_t)truth.n != stats.events)
        return CT_EIO; /* the second play differs from the first */

    /* the session, as `calftrack session --replay FILE` runs it */
    ct_source *src = NULL;
    if ((rc = ct_source_open_recording(&src, path)) != 0)
        return rc;
    store_meta m;
    memset(&m, 0, sizeof m);
    m.start_unix_us = ct_source_header(src)->start_unix_us;
    m.pain_before = m.pain_after = -1;
    snprintf(m.source, sizeof m.source, "replay");
    m.settings.body_mass_kg = cfg->body_mass_kg;
    m.settings.injured_side = cfg->injured;
    m.settings.shin_site_mm = 150;
    static journal j;
    if ((rc = journal_begin(&j, st, &rx, &m)) != 0) {
        ct_source_close(src);
        return rc;
    }
    cr_feed feed = {src, &j, false, 0};
    session_source ss = {&feed, cr_feed_read, cr_feed_state, cr_feed_note};
    cr_person person = {&truth, &feed, 0, false, NULL};
    session_display disp;
    session_ui shown;
    if (getenv("CLIN_SHOW")) {
        session_display_init(&disp, stdout, DISPLAY_LINES, -1);
        session_display_ui(&disp, &shown);
        person.show = &shown;
    }
    session_ui ui = {&person, cr_person_show, cr_person_key, true};
    static session_analysis sa;
    session_analyzer an;
    const wire_info *info = ct_source_info(src);
    float rate = info->odr_hz ? (float)info->odr_hz
                 : info->period_ns ? 1e9f / (float)info->period_ns : 104.0f;
    session_analysis_bind(&sa, rate, &an);
    session_options opt;
    session_options_default(&opt);
    opt.site_mm = m.settings.shin_site_mm;
    r->status = session_run(&j, &ss, &an, cfg->press_enter ? &ui : NULL, &opt);
    ct_source_close(src);
    rc = journal_end(&j, r->status < 0 ? STATUS_STOPPED : (store_status)r->status);
    if (r->status < 0)
        return r->status;
    if (rc)
        return rc;
    snprintf(r->id, sizeof r->id, "%s", j.meta.id);

    /* the export */
    export_filter flt = {.side = SIDE_BOTH, .session = r->id};
    export_sym *sym = NULL;
    int n = export_symmetry_collect(st, &flt, &sym);
    if (n != 1) {
        free(sym);
        return n < 0 ? n : CT_EIO;
    }
    r->y = sym[0].sym;
    free(sym);
    export_session *es = malloc(sizeof *es);
    if (!es)
        return CT_ENOMEM;
    if ((rc = export_load_session(st, r->id, es)) != 0) {
        free(es);
        return rc;
    }
    for (int i = 0; i < es->sum.n; i++) {
        const clin_row *row = &es->sum.row[i];
        if (row->exercise == EX_CALF_RAISE && (row->side == SIDE_LEFT || row->side == SIDE_RIGHT)) {
            r->mean_h[row->side] = row->mean_height_cm;
            r->mean_tempo[row->side][0] = row->mean_up_s;
            r->mean_tempo[row->side][1] = row->mean_top_s;
            r->mean_tempo[row->side][2] = row->mean_down_s;
        }
    }

    /* the truth of the same run */
    for (int k = 0; k < 2; k++) {
        r->t_lunge[k] = truth.lunge_spec[k] > -1e8f ? truth.lunge_spec[k] : NAN;
        r->t_lunge_abs[k] = NAN;
    }
    bool used[CR_MAX_REPS] = {false};
    for (int i = 0; i < truth.n; i++) {
        const ct_event *t = &truth.ev[i].ev;
        int k = (int)t->side;
        if (k < 0 || k > 1)
            continue;
        if (t->kind == EV_HOLD && t->exercise == EX_LUNGE_STRETCH) {
            if (isnan(r->t_lunge_abs[k]) || t->peak_deg > r->t_lunge_abs[k])
                r->t_lunge_abs[k] = t->peak_deg;
            continue;
        }
        if (t->kind != EV_REP || t->exercise != EX_CALF_RAISE)
            continue;
        r->t_reps[k]++;
        r->t_sum_h[k] += t->height_cm;
        if (t->height_cm > r->t_best_h[k])
            r->t_best_h[k] = t->height_cm;
        /* the stored rep overlapping it most, each stored rep used once */
        int best = -1;
        int64_t best_ov = 0;
        for (int e = 0; e < es->nev && e < CR_MAX_REPS; e++) {
            const ct_event *g = &es->ev[e].ev;
            if (used[e] || g->kind != EV_REP || g->exercise != EX_CALF_RAISE || g->side != t->side)
                continue;
            int64_t ov = cr_overlap(g, t);
            if (ov > best_ov) {
                best_ov = ov;
                best = e;
            }
        }
        if (best < 0) {
            if (getenv("CLIN_REPS"))
                printf("  %s set %d #%d true h %5.2f [%7.2f %7.2f] | missed\n",
                       ct_side_name(t->side), t->set, t->number, (double)t->height_cm,
                       (double)t->t_start_us / 1e6, (double)t->t_end_us / 1e6);
            continue;
        }
        used[best] = true;
        const ct_event *g = &es->ev[best].ev;
        if (getenv("CLIN_REPS"))
            printf("  %s set %d #%d true h %5.2f up %.2f top %.2f down %.2f [%7.2f %7.2f] | "
                   "set %d #%d h %5.2f up %.2f top %.2f down %.2f [%7.2f %7.2f] %s\n",
                   ct_side_name(t->side), t->set, t->number, (double)t->height_cm,
                   (double)t->up_s, (double)t->top_s, (double)t->down_s,
                   (double)t->t_start_us / 1e6, (double)t->t_end_us / 1e6, g->set, g->number,
                   (double)g->height_cm, (double)g->up_s, (double)g->top_s, (double)g->down_s,
                   (double)g->t_start_us / 1e6, (double)g->t_end_us / 1e6, ct_grade_name(g->grade));
        r->matched[k]++;
        r->m_true_h[k] += t->height_cm;
        r->m_meas_h[k] += g->height_cm;
        double dh = (double)g->height_cm - (double)t->height_cm;
        r->h_err_sum += dh;
        r->h_err_sq += dh * dh;
        const float got[3] = {g->up_s, g->top_s, g->down_s};
        const float want[3] = {t->up_s, t->top_s, t->down_s};
        for (int p = 0; p < 3; p++) {
            double d = (double)got[p] - (double)want[p];
            r->tempo_sum[p] += d;
            r->tempo_abs[p] += fabs(d);
            r->tempo_sq[p] += d * d;
            if (fabs(d) > r->tempo_worst[p])
                r->tempo_worst[p] = fabs(d);
            r->tempo_in[p] += fabs(d) <= 0.2;
            r->t_tempo_sum[k][p] += want[p];
            r->m_tempo_sum[k][p] += got[p];
        }
        r->n_tempo++;
    }
    if (getenv("CLIN_REPS"))
        for (int e = 0; e < es->nev && e < CR_MAX_REPS; e++) {
            const ct_event *g = &es->ev[e].ev;
            if (!used[e] && (g->kind == EV_REP || g->kind == EV_HOLD))
                printf("  stored, no true rep: %s %s set %d #%d h %.2f deg %.1f [%7.2f %7.2f]\n",
                       ct_exercise_name(g->exercise), ct_side_name(g->side), g->set, g->number,
                       (double)g->height_cm, (double)g->peak_deg, (double)g->t_start_us / 1e6,
                       (double)g->t_end_us / 1e6);
        }
    int nf[2] = {0, 0}, ntf[2] = {0, 0};
    for (int e = 0; e < es->nev; e++) {
        const ct_event *g = &es->ev[e].ev;
        if (g->kind == EV_REP && g->exercise == EX_CALF_RAISE && g->grade != GRADE_PARTIAL &&
            (g->side == SIDE_LEFT || g->side == SIDE_RIGHT)) {
            r->full_h[g->side] += g->height_cm;
            nf[g->side]++;
        }
    }
    for (int i = 0; i < truth.n; i++) {
        const ct_event *t = &truth.ev[i].ev;
        if (t->kind == EV_REP && t->exercise == EX_CALF_RAISE && t->grade != GRADE_PARTIAL &&
            (t->side == SIDE_LEFT || t->side == SIDE_RIGHT)) {
            r->t_full_h[t->side] += t->height_cm;
            ntf[t->side]++;
        }
    }
    for (int k = 0; k < 2; k++) {
        r->full_h[k] = nf[k] ? r->full_h[k] / (float)nf[k] : NAN;
        r->t_full_h[k] = ntf[k] ? r->t_full_h[k] / (float)ntf[k] : NAN;
    }
    for (int k = 0; k < 2; k++)
        r->t_mean_h[k] = r->t_reps[k] ? r->t_sum_h[k] / (float)r->t_reps[k] : NAN;
    export_session_free(es);
    free(es);
    return CT_OK;
}

#endif
