/* plotdata.c - the data files and variables each chart's script reads. Series are
 * gnuplot data blocks (separated by two blank lines) whose first line is the title. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calftrack/csvio.h"
#include "calftrack/err.h"
#include "calftrack/plot.h"

#define COLOR_LEFT "#1f60c4"  /* blue */
#define COLOR_RIGHT "#d62728" /* red */

static const char *side_color(ct_side s) { return s == SIDE_RIGHT ? COLOR_RIGHT : COLOR_LEFT; }

/* var = 'path' as a gnuplot single-quoted string (a quote is written twice). */
static FILE *open_data(const char *dir, const char *name, FILE *vars, const char *var)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (f) {
        fprintf(vars, "%s = '", var);
        for (const char *c = path; *c; c++)
            fputs(*c == '\'' ? "''" : (char[2]){*c, 0}, vars);
        fputs("'\n", vars);
    }
    return f;
}

static int close_data(FILE *f)
{
    int bad = ferror(f);
    return fclose(f) != 0 || bad ? CT_EIO : 0;
}

/* Words of a gnuplot word list (no spaces inside a word). */
typedef struct {
    char s[8192];
} words;

static void word(words *w, const char *v)
{
    size_t n = strlen(w->s);
    snprintf(w->s + n, sizeof w->s - n, "%s%s", n ? " " : "", v);
}

/* ---- progress ------------------------------------------------------------ */

static int progress(const store *st, const plot_request *req, const char *dir, FILE *vars)
{
    export_day *d = NULL;
    int n = export_progress_collect(st, &req->flt, &d);
    if (n < 0)
        return n;
    FILE *f = open_data(dir, "progress.dat", vars, "datafile");
    if (!f) {
        free(d);
        return CT_EIO;
    }
    words colors = {""}, dashes = {""}, bases = {""}, bandtitles = {""};
    int64_t first_day = n ? d[0].day_unix_us : 0, last_day = n ? d[n - 1].day_unix_us : 0;
    int nseries = 0;
    /* Weight-bearing lunge: one series per side and shin site; band: one per side. */
    for (int measure = 0; measure < 2; measure++)
        for (int side = SIDE_LEFT; side <= SIDE_RIGHT; side++) {
            int sites[64], nsites = 0;
            for (int i = 0; i < n; i++) {
                float v = measure ? d[i].best_band_deg : d[i].best_lunge_deg;
                if (d[i].side != (ct_side)side || isnan(v))
                    continue;
                int site = measure ? 0 : d[i].site_mm, k;
                for (k = 0; k < nsites && sites[k] != site; k++)
                    ;
                if (k == nsites && nsites < 64)
                    sites[nsites++] = site;
            }
            for (int k = 0; k < nsites; k++) {
                char site_txt[64] = "";
                if (!measure)
                    snprintf(site_txt, sizeof site_txt, sites[k] ? ", shin %d mm below knee" : ", shin site not set", sites[k]);
                fprintf(f, "%s\"%s, %s%s\"\n", nseries ? "\n\n" : "", ct_side_name((ct_side)side),
                        measure ? "seated band stretch" : "weight-bearing lunge", site_txt);
                float base = NAN;
                for (int i = 0; i < n; i++) {
                    float v = measure ? d[i].best_band_deg : d[i].best_lunge_deg;
                    if (d[i].side != (ct_side)side || isnan(v) || (!measure && d[i].site_mm != sites[k]))
                        continue;
                    char date[16];
                    store_iso_date(d[i].day_unix_us, date, sizeof date);
                    fprintf(f, "%s %.2f\n", date, (double)v);
                    if (isnan(base))
                        base = v;
                }
                char b[32], bt[160];
                snprintf(b, sizeof b, measure ? "NaN" : "%.2f", (double)base);
                if (measure)
                    snprintf(bt, sizeof bt, "\"none\"");
                else
                    snprintf(bt, sizeof bt, "\"%s%s: first value +-MDC %.1f deg\"",
                             ct_side_name((ct_side)side), site_txt, (double)CLIN_MDC_LUNGE_DEG);
                word(&bandtitles, bt);
                word(&colors, side_color((ct_side)side));
                word(&dashes, measure ? "2" : "1");
                word(&bases, b);
                nseries++;
            }
        }
    float target = req->target_deg;
    for (int i = 0; i < n && !(req->target_deg > 0); i++)
        if (d[i].lunge_target_deg > 0)
            target = d[i].lunge_target_deg; /* the latest prescribed */
    free(d);
    int rc = close_data(f);
    if (!rc && nseries == 0)
        rc = CT_ENOENT;
    fprintf(vars, "nseries = %d\ncolors = '%s'\ndashes = '%s'\nbases = '%s'\nbandtitles = '%s'\n",
            nseries, colors.s, dashes.s, bases.s, bandtitles.s);
    int64_t span_days = (last_day - first_day) / INT64_C(86400000000);
    fprintf(vars, "xtic_days = %d\n", (int)(span_days / 8 + 1));
    fprintf(vars, "target = %.2f\nmdc = %.2f\n", (double)(target > 0 ? target : 35.0f),
            (double)CLIN_MDC_LUNGE_DEG);
    return rc;
}

/* ---- adherence ------------------------------------------------------------ */

static int adherence(const store *st, const plot_request *req, const char *dir, FILE *vars)
{
    export_day *d = NULL;
    int n = export_progress_collect(st, &req->flt, &d);
    if (n < 0)
        return n;
    FILE *f = open_data(dir, "adherence.dat", vars, "datafile");
    if (!f) {
        free(d);
        return CT_EIO;
    }
    int days = 0;
    for (int i = 0; i < n;) {
        int p = 0, dn = 0, j = i;
        for (; j < n && d[j].day_unix_us == d[i].day_unix_us; j++) {
            p += d[j].prescribed;
            dn += d[j].done;
        }
        char date[16];
        store_iso_date(d[i].day_unix_us, date, sizeof date);
        fprintf(f, "%s %d %d\n", date, p, dn);
        days++;
        i = j;
    }
    free(d);
    int rc = close_data(f);
    fprintf(vars, "ndays = %d\n", days);
    return rc ? rc : days ? 0 : CT_ENOENT;
}

/* ---- symmetry ------------------------------------------------------------- */

static void num(FILE *f, float v)
{
    if (isnan(v))
        fputs(" ?", f);
    else
        fprintf(f, " %.2f", (double)v);
}

static int symmetry(const store *st, const plot_request *req, const char *dir, FILE *vars)
{
    export_sym *v = NULL;
    int n = export_symmetry_collect(st, &req->flt, &v);
    if (n < 0)
        return n;
    FILE *f = open_data(dir, "symmetry.dat", vars, "datafile");
    if (!f) {
        free(v);
        return CT_EIO;
    }
    fprintf(f, "# time lsi_reps lsi_height lsi_work lsi_lunge left_work right_work\n");
    int rows = 0, nsites = 0, sites[64];
    ct_side injured = SIDE_BOTH;
    int64_t span = n ? v[n - 1].start_unix_us - v[0].start_unix_us : 0;
    fprintf(vars, "xtic_days = %d\n", (int)(span / INT64_C(86400000000) / 8 + 1));
    /* One data block per sensor site: a trend never joins readings from two sites. */
    for (int i = 0; i < n; i++) {
        int k;
        for (k = 0; k < nsites && sites[k] != v[i].site_mm; k++)
            ;
        if (k == nsites && nsites < 64)
            sites[nsites++] = v[i].site_mm;
    }
    words titles = {""};
    int blocks = 0;
    for (int k = 0; k < nsites; k++) {
        int in_block = 0;
        for (int i = 0; i < n; i++) {
            const clin_symmetry *s = &v[i].sym;
            if (s->injured == SIDE_BOTH || v[i].site_mm != sites[k])
                continue;
            if (!in_block++) {
                char t[80];
                if (blocks++)
                    fputs("\n\n", f);
                snprintf(t, sizeof t, sites[k] ? "\"shin %d mm below knee\"" : "\"site not set\"",
                         sites[k]);
                word(&titles, t);
            }
            injured = s->injured;
            char t[40];
            store_iso8601(v[i].start_unix_us, t, sizeof t);
            t[19] = '\0';
            fputs(t, f);
            num(f, s->lsi_reps_pct);
            num(f, s->lsi_height_pct);
            num(f, s->lsi_work_pct);
            num(f, s->lsi_lunge_pct);
            num(f, s->work_j[0]);
            num(f, s->work_j[1]);
            fputc('\n', f);
            rows++;
        }
    }
    fprintf(vars, "nsites = %d\nsitetitles = '%s'\n", blocks, titles.s);
    free(v);
    int rc = close_data(f);
    fprintf(vars, "nrows = %d\ninjured = '%s'\ncolor_left = '%s'\ncolor_right = '%s'\n", rows,
            injured == SIDE_BOTH ? "" : ct_side_name(injured), COLOR_LEFT, COLOR_RIGHT);
    return rc ? rc : rows ? 0 : CT_ENOENT;
}

/* ---- one session ----------------------------------------------------------- */

static int latest_session(const store *st, char *id, size_t cap)
{
    store_meta *list = calloc(10000, sizeof *list);
    if (!list)
        return CT_ENOMEM;
    int n = store_list(st, list, 10000);
    if (n > 0)
        snprintf(id, cap, "%s", list[n < 10000 ? n - 1 : 9999].id);
    free(list);
    return n < 0 ? n : n == 0 ? CT_ENOENT : 0;
}

/* The live trace of a session (trace.csv), one file per measure and side: raises in cm
 * (or deg on the foot), holds in deg; a blank line where one exercise or side ends. */
typedef struct {
    FILE *f[2][2];          /* [hold][side] */
    int last_item[2][2];
    double t0_s;
    int points;
} trace_files;

static int on_trace_row(const csvio_row *row, void *user)
{
    trace_files *tf = user;
    if (row->n != 7 || !strcmp(row->field[0], "t_us"))
        return 0;
    char *end;
    double t = strtod(row->field[0], &end) / 1e6;
    if (*end || !isfinite(t))
        return 0;
    int ex = ct_exercise_parse(row->field[2]), side = ct_side_parse(row->field[3]);
    double v = strtod(row->field[5], &end);
    if (ex < 0 || (side != SIDE_LEFT && side != SIDE_RIGHT) || *end || !isfinite(v))
        return 0;
    int hold = presc_is_hold((ct_exercise)ex) && ex != EX_ISOMETRIC_RAISE;
    int item = atoi(row->field[1]);
    FILE *f = tf->f[hold][side];
    if (tf->last_item[hold][side] != item && tf->last_item[hold][side] >= 0)
        fputc('\n', f);
    tf->last_item[hold][side] = item;
    fprintf(f, "%.2f %.2f\n", t - tf->t0_s, v);
    tf->points++;
    return 0;
}

static int write_trace(const store *st, const export_session *s, const char *dir, FILE *vars)
{
    static const char *const names[2][2] = {{"trace_raise_left.dat", "trace_raise_right.dat"},
                                            {"trace_hold_left.dat", "trace_hold_right.dat"}};
    static const char *const var[2][2] = {{"trace_raise_left", "trace_raise_right"},
                                          {"trace_hold_left", "trace_hold_right"}};
    trace_files tf;
    memset(&tf, 0, sizeof tf);
    tf.t0_s = (double)s->meta.t0_device_us / 1e6;
    int rc = 0;
    for (int h = 0; h < 2; h++)
        for (int k = 0; k < 2; k++) {
            tf.last_item[h][k] = -1;
            tf.f[h][k] = open_data(dir, names[h][k], vars, var[h][k]);
            if (!tf.f[h][k])
                rc = CT_EIO;
            else
                fputs("nan nan\n", tf.f[h][k]);
        }
    char path[STORE_PATH_MAX];
    if (!rc && store_path(st, s->meta.id, "trace.csv", path, sizeof path) == 0)
        csvio_read_file(path, on_trace_row, &tf, NULL); /* no trace: events only */
    for (int h = 0; h < 2; h++)
        for (int k = 0; k < 2; k++)
            if (tf.f[h][k] && close_data(tf.f[h][k]))
                rc = CT_EIO;
    fprintf(vars, "trace_points = %d\n", tf.points);
    return rc;
}

static int session(const store *st, const plot_request *req, const char *dir, FILE *vars)
{
    char id[STORE_ID_MAX];
    int rc = 0;
    if (req->flt.session)
        snprintf(id, sizeof id, "%s", req->flt.session);
    else if ((rc = latest_session(st, id, sizeof id)) != 0)
        return rc;
    export_session *s = malloc(sizeof *s);
    if (!s)
        return CT_ENOMEM;
    if ((rc = export_load_session(st, id, s)) != 0) {
        free(s);
        return rc;
    }
    FILE *fr = open_data(dir, "reps.dat", vars, "repsfile");
    FILE *fh = open_data(dir, "holds.dat", vars, "holdsfile");
    int nreps = 0, nholds = 0;
    bool heights = false;
    float target = 0;
    for (int i = 0; i < s->nev; i++)
        if (s->ev[i].ev.kind == EV_REP && s->ev[i].ev.height_cm > 0)
            heights = true;
    for (int side = SIDE_LEFT; fr && fh && side <= SIDE_RIGHT; side++) {
        fprintf(fr, "%s\"%s\"\n", side ? "\n\n" : "", ct_side_name((ct_side)side));
        fprintf(fh, "%s\"%s\"\n", side ? "\n\n" : "", ct_side_name((ct_side)side));
        fputs("nan nan\n", fr);
        fputs("nan nan nan\n", fh);
        for (int i = 0; i < s->nev; i++) {
            const ct_event *e = &s->ev[i].ev;
            if (e->side != (ct_side)side || (req->flt.side != SIDE_BOTH && e->side != req->flt.side))
                continue;
            double t0 = (double)(e->t_start_us - s->meta.t0_device_us) / 1e6;
            double t1 = (double)(e->t_end_us - s->meta.t0_device_us) / 1e6;
            if (e->kind == EV_REP) {
                fprintf(fr, "%.2f %.2f\n", (t0 + t1) / 2, (double)(heights ? e->height_cm : e->peak_deg));
                nreps++;
            } else if (e->kind == EV_HOLD) {
                fprintf(fh, "%.2f %.2f %.2f\n", t0, t1, (double)e->peak_deg);
                nholds++;
                if (e->target > target)
                    target = e->target;
            }
        }
    }
    int trc = write_trace(st, s, dir, vars);
    char title[128];
    store_iso8601(s->meta.start_unix_us, title, sizeof title);
    fprintf(vars, "nreps = %d\nnholds = %d\nrep_ylabel = '%s'\nhold_target = %.2f\n"
            "session_title = 'Session %s (%.16s)'\ncolor_left = '%s'\ncolor_right = '%s'\n",
            nreps, nholds, heights ? "Heel rise (cm)" : "Plantarflexion (deg)", (double)target,
            s->meta.id, title, COLOR_LEFT, COLOR_RIGHT);
    export_session_free(s);
    free(s);
    if (!fr || !fh) {
        if (fr)
            fclose(fr);
        if (fh)
            fclose(fh);
        return CT_EIO;
    }
    rc = close_data(fr);
    int rc2 = close_data(fh);
    rc = rc ? rc : rc2 ? rc2 : trc;
    return rc ? rc : nreps + nholds ? 0 : CT_ENOENT;
}

int plot_write_data(const store *st, const plot_request *req, const char *dir, FILE *vars)
{
    switch (req->kind) {
    case PLOT_PROGRESS: return progress(st, req, dir, vars);
    case PLOT_SESSION: return session(st, req, dir, vars);
    case PLOT_ADHERENCE: return adherence(st, req, dir, vars);
    case PLOT_SYMMETRY: return symmetry(st, req, dir, vars);
    default: return CT_EARG;
    }
}
