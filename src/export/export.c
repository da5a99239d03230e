/* export.c - the detail, summary and symmetry exports. Progress is in progress.c. */
#include "calftrack/export.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calftrack/csvio.h"
#include "calftrack/err.h"
#include "each.h"

static const char *const kind_names[EXPORT_KIND_COUNT] = {"detail", "summary", "progress",
                                                          "symmetry"};

const char *export_kind_name(export_kind k)
{
    return (int)k >= 0 && k < EXPORT_KIND_COUNT ? kind_names[k] : NULL;
}

int export_kind_parse(const char *s)
{
    for (int i = 0; i < EXPORT_KIND_COUNT; i++)
        if (!strcmp(s, kind_names[i]))
            return i;
    return -1;
}

/* A number, or an empty field when it was not measured. */
static int num(FILE *f, float v, int decimals)
{
    if (isnan(v))
        return csvio_field(f, "", 0);
    return csvio_fieldf(f, 0, "%.*f", decimals, (double)v);
}

static int pain(FILE *f, int p)
{
    return p < 0 ? csvio_field(f, "", 0) : csvio_fieldf(f, 0, "%d", p);
}

static int header(FILE *f, const char *const *cols, int n)
{
    return csvio_row_write(f, cols, n);
}

static bool is_dorsiflexion(ct_exercise ex)
{
    return ex == EX_LUNGE_STRETCH || ex == EX_BAND_STRETCH || ex == EX_DOWNWARD_DOG;
}

static bool is_raise(ct_exercise ex) { return ex == EX_CALF_RAISE || ex == EX_ISOMETRIC_RAISE; }

/* ---- detail ------------------------------------------------------------- */

static const char *const detail_cols[] = {
    "session_id", "start_time", "end_time", "exercise", "side", "kind", "set", "number",
    "grade", "sensor_placement", "sensor_site_mm_below_knee", "ankle_dorsiflexion_deg",
    "plantarflexion_deg", "heel_rise_cm", "heel_rise_work_j", "hold_s", "prescribed_hold_s",
    "time_at_target_s",
    "target", "target_unit", "tempo_up_s", "tempo_top_s", "tempo_down_s",
    "prescribed_tempo_up_top_down_s", "tempo_feedback", "duration_s",
};

static int detail_rows(FILE *f, const export_session *s, ct_side side)
{
    const store_meta *m = &s->meta;
    for (int i = 0; i < s->nev; i++) {
        const store_event *e = &s->ev[i];
        const ct_event *v = &e->ev;
        if ((v->kind != EV_REP && v->kind != EV_HOLD) || e->item >= s->rx.n)
            continue;
        if (side != SIDE_BOTH && v->side != side)
            continue;
        const presc_item *it = &s->rx.item[e->item];
        char t0[40], t1[40], tempo[48] = "";
        store_iso8601(m->start_unix_us + (v->t_start_us - m->t0_device_us), t0, sizeof t0);
        store_iso8601(m->start_unix_us + (v->t_end_us - m->t0_device_us), t1, sizeof t1);
        if (it->has_tempo)
            snprintf(tempo, sizeof tempo, "%g-%g-%g", (double)it->tempo_up_s,
                     (double)it->tempo_top_s, (double)it->tempo_down_s);
        bool raise = is_raise(v->exercise), df = is_dorsiflexion(v->exercise);
        bool rep = v->kind == EV_REP;
        int rc = csvio_field(f, m->id, 1) | csvio_field(f, t0, 0) | csvio_field(f, t1, 0) |
                 csvio_field(f, ct_exercise_name(v->exercise), 0) |
                 csvio_field(f, ct_side_name(v->side), 0) |
                 csvio_field(f, ct_event_kind_name(v->kind), 0) |
                 csvio_fieldf(f, 0, "%d", v->set) | csvio_fieldf(f, 0, "%d", v->number) |
                 csvio_field(f, ct_grade_name(v->grade), 0) |
                 csvio_field(f, ct_placement_name(v->placement), 0);
        rc |= e->site_mm > 0 ? csvio_fieldf(f, 0, "%d", e->site_mm) : csvio_field(f, "", 0);
        rc |= num(f, df ? v->peak_deg : NAN, 2);
        rc |= num(f, raise && v->placement == PLACE_FOOT ? v->peak_deg : NAN, 2);
        rc |= num(f, raise && v->height_cm > 0 ? v->height_cm : NAN, 2);
        rc |= num(f, raise && v->height_cm > 0 && m->settings.body_mass_kg > 0
                         ? clin_work_j(m->settings.body_mass_kg, v->height_cm) : NAN, 2);
        rc |= num(f, clin_held_s(v), 2);
        rc |= num(f, it->hold_s, 1);
        rc |= num(f, clin_at_target_s(it, v), 2);
        rc |= it->unit != PRESC_UNIT_NONE ? num(f, it->target, 1) : csvio_field(f, "", 0);
        rc |= csvio_field(f, presc_unit_name(it->unit), 0);
        rc |= num(f, rep ? v->up_s : NAN, 2) | num(f, rep ? v->top_s : NAN, 2) |
              num(f, rep ? v->down_s : NAN, 2);
        rc |= csvio_field(f, tempo, 0);
        rc |= csvio_field(f, rep ? clin_tempo_word(clin_tempo_check(it, v->up_s, v->top_s,
                                                                    v->down_s)) : "", 0);
        rc |= num(f, (float)(v->t_end_us - v->t_start_us) / 1e6f, 2);
        rc |= csvio_end_row(f);
        if (rc)
            return CT_EIO;
    }
    return 0;
}

/* ---- summary ------------------------------------------------------------- */

static const char *const summary_cols[] = {
    "session_id", "start_time", "status", "exercise", "side", "sensor_placement",
    "sensor_site_mm_below_knee", "sets_prescribed", "sets_done", "prescribed", "done",
    "full", "too_fast", "best_ankle_dorsiflexion_deg", "best_plantarflexion_deg",
    "best_heel_rise_cm", "mean_heel_rise_cm", "heel_rise_work_j", "hold_total_s",
    "mean_tempo_up_s", "mean_tempo_top_s", "mean_tempo_down_s", "reps_tempo_good",
    "body_mass_kg", "pain_before_0_10", "pain_after_0_10",
};

int export_summary_header(FILE *f)
{
    return header(f, summary_cols, (int)(sizeof summary_cols / sizeof *summary_cols));
}

int export_summary_rows(FILE *f, const export_session *s, ct_side side)
{
    const store_meta *m = &s->meta;
    char t0[40];
    store_iso8601(m->start_unix_us, t0, sizeof t0);
    for (int i = 0; i < s->sum.n; i++) {
        const clin_row *r = &s->sum.row[i];
        if (side != SIDE_BOTH && r->side != side)
            continue;
        bool raise = is_raise(r->exercise), df = is_dorsiflexion(r->exercise);
        bool reps = r->exercise == EX_CALF_RAISE && r->done;
        int rc = csvio_field(f, m->id, 1) | csvio_field(f, t0, 0) |
                 csvio_field(f, store_status_name(m->status), 0) |
                 csvio_field(f, ct_exercise_name(r->exercise), 0) |
                 csvio_field(f, ct_side_name(r->side), 0) |
                 csvio_field(f, r->done ? ct_placement_name(r->placement) : "", 0);
        rc |= r->site_mm > 0 ? csvio_fieldf(f, 0, "%d", r->site_mm) : csvio_field(f, "", 0);
        rc |= csvio_fieldf(f, 0, "%d", r->sets_prescribed) | csvio_fieldf(f, 0, "%d", r->sets_done) |
              csvio_fieldf(f, 0, "%d", r->prescribed) | csvio_fieldf(f, 0, "%d", r->done) |
              csvio_fieldf(f, 0, "%d", r->full) | csvio_fieldf(f, 0, "%d", r->too_fast);
        rc |= num(f, df && r->done ? r->best_deg : NAN, 2);
        rc |= num(f, raise && r->done && r->placement == PLACE_FOOT ? r->best_deg : NAN, 2);
        rc |= num(f, raise && r->done ? r->best_height_cm : NAN, 2);
        rc |= num(f, raise && r->done ? r->mean_height_cm : NAN, 2);
        rc |= num(f, raise && r->work_j > 0 ? r->work_j : NAN, 1);
        rc |= num(f, r->hold_total_s, 1);
        rc |= num(f, reps ? r->mean_up_s : NAN, 2) | num(f, reps ? r->mean_top_s : NAN, 2) |
              num(f, reps ? r->mean_down_s : NAN, 2);
        rc |= reps ? csvio_fieldf(f, 0, "%d", r->tempo_good) : csvio_field(f, "", 0);
        rc |= num(f, m->settings.body_mass_kg > 0 ? m->settings.body_mass_kg : NAN, 1);
        rc |= pain(f, m->pain_before) | pain(f, m->pain_after) | csvio_end_row(f);
        if (rc)
            return CT_EIO;
    }
    return 0;
}

/* ---- symmetry ------------------------------------------------------------ */

static const char *const sym_cols[] = {
    "session_id", "start_time", "injured_side", "shin_sensor_site_mm_below_knee",
    "left_heel_rise_reps", "right_heel_rise_reps", "lsi_heel_rise_reps_pct",
    "left_heel_rise_best_cm", "right_heel_rise_best_cm", "lsi_heel_rise_height_pct",
    "left_heel_rise_work_j", "right_heel_rise_work_j", "lsi_heel_rise_work_pct",
    "left_ankle_dorsiflexion_deg", "right_ankle_dorsiflexion_deg",
    "lsi_ankle_dorsiflexion_pct",
};

static int sym_row(FILE *f, const export_sym *y)
{
    char t0[40];
    const clin_symmetry *s = &y->sym;
    store_iso8601(y->start_unix_us, t0, sizeof t0);
    int rc = csvio_field(f, y->id, 1) | csvio_field(f, t0, 0) |
             csvio_field(f, s->injured == SIDE_BOTH ? "" : ct_side_name(s->injured), 0);
    rc |= y->site_mm > 0 ? csvio_fieldf(f, 0, "%d", y->site_mm) : csvio_field(f, "", 0);
    rc |= num(f, s->reps[0], 0) | num(f, s->reps[1], 0) | num(f, s->lsi_reps_pct, 1);
    rc |= num(f, s->height_cm[0], 2) | num(f, s->height_cm[1], 2) | num(f, s->lsi_height_pct, 1);
    rc |= num(f, s->work_j[0], 1) | num(f, s->work_j[1], 1) | num(f, s->lsi_work_pct, 1);
    rc |= num(f, s->lunge_deg[0], 2) | num(f, s->lunge_deg[1], 2) | num(f, s->lsi_lunge_pct, 1);
    return rc | csvio_end_row(f) ? CT_EIO : 0;
}

/* ---- driver -------------------------------------------------------------- */

typedef struct {
    FILE *f;
    const export_filter *flt;
} write_ctx;

static int on_detail(const export_session *s, void *user)
{
    const write_ctx *w = user;
    return detail_rows(w->f, s, w->flt->side);
}

static int on_summary(const export_session *s, void *user)
{
    const write_ctx *w = user;
    return export_summary_rows(w->f, s, w->flt->side);
}

typedef struct {
    export_sym *v;
    int n, cap, err;
} sym_list;

static int on_sym(const export_session *s, void *user)
{
    sym_list *l = user;
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 32;
        export_sym *nv = realloc(l->v, (size_t)cap * sizeof *nv);
        if (!nv)
            return CT_ENOMEM;
        l->v = nv;
        l->cap = cap;
    }
    export_sym *y = &l->v[l->n++];
    memset(y, 0, sizeof *y);
    snprintf(y->id, sizeof y->id, "%s", s->meta.id);
    y->start_unix_us = s->meta.start_unix_us;
    y->site_mm = s->meta.settings.shin_site_mm;
    clin_symmetry_of(&s->sum, s->meta.settings.injured_side, &y->sym);
    return 0;
}

int export_symmetry_collect(const store *st, const export_filter *flt, export_sym **out)
{
    sym_list l = {0};
    int rc = export_each_session(st, flt, on_sym, &l);
    if (rc) {
        free(l.v);
        return rc;
    }
    *out = l.v;
    return l.n;
}

int export_write(FILE *f, const store *st, export_kind kind, const export_filter *flt)
{
    write_ctx w = {f, flt};
    int rc;
    switch (kind) {
    case EXPORT_DETAIL:
        if (header(f, detail_cols, (int)(sizeof detail_cols / sizeof *detail_cols)))
            return CT_EIO;
        return export_each_session(st, flt, on_detail, &w);
    case EXPORT_SUMMARY:
        if (export_summary_header(f))
            return CT_EIO;
        return export_each_session(st, flt, on_summary, &w);
    case EXPORT_SYMMETRY: {
        if (header(f, sym_cols, (int)(sizeof sym_cols / sizeof *sym_cols)))
            return CT_EIO;
        export_sym *v = NULL;
        int n = export_symmetry_collect(st, flt, &v);
        if (n < 0)
            return n;
        rc = 0;
        for (int i = 0; i < n && !rc; i++)
            rc = sym_row(f, &v[i]);
        free(v);
        return rc;
    }
    case EXPORT_PROGRESS:
        return export_progress_write(f, st, flt);
    default:
        return CT_EARG;
    }
}
