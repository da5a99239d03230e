/* progress.c - per day, side and sensor site: the trend a physiotherapist follows.
 * Readings from different sensor sites are kept in separate rows, never mixed. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calftrack/csvio.h"
#include "calftrack/err.h"
#include "calftrack/export.h"
#include "each.h"

typedef struct {
    export_day *v;
    int n, cap;
    const export_filter *flt;
} day_list;

static export_day *day_for(day_list *l, int64_t day, ct_side side, int site)
{
    for (int i = 0; i < l->n; i++)
        if (l->v[i].day_unix_us == day && l->v[i].side == side && l->v[i].site_mm == site)
            return &l->v[i];
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 32;
        export_day *nv = realloc(l->v, (size_t)cap * sizeof *nv);
        if (!nv)
            return NULL;
        l->v = nv;
        l->cap = cap;
    }
    export_day *d = &l->v[l->n++];
    memset(d, 0, sizeof *d);
    d->day_unix_us = day;
    d->side = side;
    d->site_mm = site;
    d->best_lunge_deg = d->best_band_deg = d->best_height_cm = NAN;
    d->pain_before = d->pain_after = -1;
    return d;
}

static float fmaxn(float a, float b) { return isnan(a) || b > a ? b : a; }

static int on_session(const export_session *s, void *user)
{
    day_list *l = user;
    const int64_t day_us = INT64_C(86400000000);
    int64_t day = s->meta.start_unix_us / day_us * day_us;
    int site = s->meta.settings.shin_site_mm;
    for (int k = SIDE_LEFT; k <= SIDE_RIGHT; k++) {
        if (l->flt->side != SIDE_BOTH && l->flt->side != (ct_side)k)
            continue;
        export_day *d = NULL;
        for (int i = 0; i < s->sum.n; i++) {
            const clin_row *r = &s->sum.row[i];
            if (r->side != (ct_side)k)
                continue;
            if (!d && !(d = day_for(l, day, (ct_side)k, site)))
                return CT_ENOMEM;
            d->prescribed += r->prescribed;
            d->done += r->done;
            if (!r->done)
                continue;
            if (r->exercise == EX_LUNGE_STRETCH)
                d->best_lunge_deg = fmaxn(d->best_lunge_deg, r->best_deg);
            else if (r->exercise == EX_BAND_STRETCH)
                d->best_band_deg = fmaxn(d->best_band_deg, r->best_deg);
            else if (r->exercise == EX_CALF_RAISE) {
                if (r->best_height_cm > 0)
                    d->best_height_cm = fmaxn(d->best_height_cm, r->best_height_cm);
                d->raise_reps += r->done;
                d->work_j += r->work_j;
            }
        }
        if (!d)
            continue;
        d->sessions++;
        if (s->meta.pain_before > d->pain_before)
            d->pain_before = s->meta.pain_before;
        if (s->meta.pain_after > d->pain_after)
            d->pain_after = s->meta.pain_after;
    }
    return 0;
}

static int by_day(const void *a, const void *b)
{
    const export_day *x = a, *y = b;
    if (x->day_unix_us != y->day_unix_us)
        return x->day_unix_us < y->day_unix_us ? -1 : 1;
    if (x->side != y->side)
        return x->side < y->side ? -1 : 1;
    return x->site_mm - y->site_mm;
}

int export_progress_collect(const store *st, const export_filter *flt, export_day **out)
{
    day_list l = {.flt = flt};
    int rc = export_each_session(st, flt, on_session, &l);
    if (rc) {
        free(l.v);
        return rc;
    }
    if (l.n)
        qsort(l.v, (size_t)l.n, sizeof *l.v, by_day);
    *out = l.v;
    return l.n;
}

static const char *const cols[] = {
    "date", "side", "shin_sensor_site_mm_below_knee", "sessions",
    "best_weight_bearing_dorsiflexion_deg", "best_band_dorsiflexion_deg",
    "best_heel_rise_cm", "heel_rise_reps", "heel_rise_work_j", "prescribed", "done",
    "adherence_pct", "pain_before_0_10", "pain_after_0_10",
};

static int num(FILE *f, float v, int decimals)
{
    return isnan(v) ? csvio_field(f, "", 0) : csvio_fieldf(f, 0, "%.*f", decimals, (double)v);
}

int export_progress_write(FILE *f, const store *st, const export_filter *flt)
{
    if (csvio_row_write(f, cols, (int)(sizeof cols / sizeof *cols)))
        return CT_EIO;
    export_day *v = NULL;
    int n = export_progress_collect(st, flt, &v);
    if (n < 0)
        return n;
    int rc = 0;
    for (int i = 0; i < n && !rc; i++) {
        const export_day *d = &v[i];
        char date[16];
        store_iso_date(d->day_unix_us, date, sizeof date);
        rc = csvio_field(f, date, 1) | csvio_field(f, ct_side_name(d->side), 0);
        rc |= d->site_mm > 0 ? csvio_fieldf(f, 0, "%d", d->site_mm) : csvio_field(f, "", 0);
        rc |= csvio_fieldf(f, 0, "%d", d->sessions);
        rc |= num(f, d->best_lunge_deg, 2) | num(f, d->best_band_deg, 2) |
              num(f, d->best_height_cm, 2) | csvio_fieldf(f, 0, "%d", d->raise_reps) |
              num(f, d->work_j > 0 ? d->work_j : NAN, 1) |
              csvio_fieldf(f, 0, "%d", d->prescribed) | csvio_fieldf(f, 0, "%d", d->done) |
              num(f, d->prescribed ? 100.0f * (float)d->done / (float)d->prescribed : NAN, 1);
        rc |= d->pain_before >= 0 ? csvio_fieldf(f, 0, "%d", d->pain_before) : csvio_field(f, "", 0);
        rc |= d->pain_after >= 0 ? csvio_fieldf(f, 0, "%d", d->pain_after) : csvio_field(f, "", 0);
        rc |= csvio_end_row(f);
        rc = rc ? CT_EIO : 0;
    }
    free(v);
    return rc;
}
