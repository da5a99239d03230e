/* import.c - CSV from other IMUs into our recording format (see import.h). The CSV is
 * parsed by libcsv, fed one physical line at a time so that every row knows its line. */
#include "calftrack/import.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calftrack/err.h"
#include "calftrack/types.h"

#define MAX_FIELDS 256
#define FIELD_MAX 64
#define RATE_PROBE 2000   /* intervals looked at to find the rate */
#define ACC_UG_PER_LSB 488u
#define GYR_UDPS_PER_LSB 70000u
#define REST_BINS 2000          /* |a| at rest in 0.01 g steps, 0..20 g */
#define REST_MAX_DPS 5.0        /* a row turning slower than this may be at rest */
#define G_MS2 9.80665
#define NCOLS 7           /* acc x y z, gyr x y z, time */
#define COL_TIME 6

typedef struct {
    const import_options *opt;
    import_report_fn report;
    void *user;
    import_result *res;
    int pass;                 /* 1: find the rate from the time column, 2: write,
                                 3: no rate found: report the bad rows, write nothing */
    int err;                  /* fatal */

    char field[MAX_FIELDS][FIELD_MAX];
    unsigned char too_long[MAX_FIELDS];
    int nf;
    uint64_t line, row_line;
    int header_seen;
    int idx[NCOLS];           /* 0-based field of each column; -1: none */
    int by_name[NCOLS];       /* the column was given by its header name */
    int negate[NCOLS];        /* its values are taken with the sign turned */
    int broken;               /* pass 1: a row was skipped since the last good time */
    const char *label[NCOLS];

    /* time */
    double t0, t_prev;
    int have_t;
    double *intervals;
    size_t nintervals;
    double period_s;
    int64_t last_t_us;
    uint64_t next_index;      /* rate mode: every row (good or bad) takes an index */
    uint64_t packets;

    rec_writer w;
    int writing;

    uint32_t rest_hist[REST_BINS]; /* |a| of the rows not turning, for acc_rest_g */
    double blk_a[3], blk_w[3];     /* sums over the block being gathered (g, rad/s) */
    int blk_n;
    double u_prev[3];              /* the accelerometer's direction, last block */
    int have_u;

    /* the sensor's mounting (pass 1): the accelerometer summed over the rows not turning,
     * and over all rows, g; then the axes written (see import_result.axis_from) */
    double rest_sum[3], all_sum[3];
    uint64_t rest_n, all_n;

    double acc_to_g, gyr_to_dps; /* the units given, to g and deg/s */
} importer;

static const char *axis_label[NCOLS] = {"ax", "ay", "az", "gx", "gy", "gz", "time"};

static void bad(importer *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bad(importer *im, const char *fmt, ...)
{
    if (im->pass == 1)
        return; /* pass 1 is silent: pass 2 or 3 reads the same rows again and reports */
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    im->res->bad_rows++;
    if (im->report)
        im->report(im->user, im->row_line, msg);
}

static void on_field(void *s, size_t len, void *data)
{
    importer *im = data;
    if (im->nf == 0)
        im->row_line = im->line;
    if (im->nf >= MAX_FIELDS) {
        im->nf++;
        return;
    }
    size_t n = len < FIELD_MAX - 1 ? len : FIELD_MAX - 1;
    memcpy(im->field[im->nf], s ? s : "", s ? n : 0);
    im->field[im->nf][s ? n : 0] = '\0';
    im->too_long[im->nf] = len >= FIELD_MAX;
    im->nf++;
}

/* A whole field as a finite number. */
static int number(const char *s, double *out)
{
    char *end;
    /* decimal only: strtod would also take hex floats, "inf" and "nan" */
    if (!*s || s[strspn(s, "0123456789+-.eE")] != '\0')
        return -1;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno == ERANGE || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

static int resolve_header(importer *im)
{
    const import_options *o = im->opt;
    const import_column *cols[NCOLS] = {&o->acc[0], &o->acc[1], &o->acc[2],
                                        &o->gyr[0], &o->gyr[1], &o->gyr[2], &o->time};
    for (int c = 0; c < NCOLS; c++) {
        if (cols[c]->name[0] == '\0')
            continue;
        im->idx[c] = -1;
        for (int f = 0; f < im->nf && f < MAX_FIELDS; f++)
            if (strcmp(im->field[f], cols[c]->name) == 0)
                im->idx[c] = f;
        if (im->idx[c] < 0) {
            char msg[256];
            snprintf(msg, sizeof msg, "the header has no column named '%s'", cols[c]->name);
            if (im->report)
                im->report(im->user, im->row_line, msg);
            return CT_EFORMAT;
        }
    }
    return CT_OK;
}

static int to_raw(double v, double per_lsb, int *clip)
{
    double r = nearbyint(v / per_lsb);
    if (r > INT16_MAX) {
        *clip = 1;
        return INT16_MAX;
    }
    if (r < INT16_MIN) {
        *clip = 1;
        return INT16_MIN;
    }
    return (int)r;
}

/* Do the gyroscope's turns match the accelerometer's tilts? Gravity seen from a turning
 * sensor moves as du/dt = u x w (u its direction, w the rate in rad/s). Over 0.1 s blocks
 * (means, so that the accelerometer's noise is small beside a slow tilt) turning faster
 * than REST_MAX_DPS by either sensor, tilting slower than 300 deg/s, and reading
 * 0.85-1.15 g (little acceleration besides gravity), the accelerometer's change of
 * direction is fitted to the gyro's prediction: the gain
 * is 1 when both are right, 57 or 1/57 with a rad/s-deg/s mix-up, -1 when one is
 * mirrored, and the fit is poor when the axes are listed in different orders. */
static void check_axes(importer *im, const double v[6], double ag, double gd)
{
    for (int k = 0; k < 3; k++) {
        im->blk_a[k] += v[k] * ag;
        im->blk_w[k] += v[3 + k] * gd * M_PI / 180.0;
    }
    double T = ++im->blk_n * im->period_s;
    if (T < 0.1)
        return;
    double a[3], w[3];
    for (int k = 0; k < 3; k++) {
        a[k] = im->blk_a[k] / im->blk_n;
        w[k] = im->blk_w[k] / im->blk_n;
        im->blk_a[k] = im->blk_w[k] = 0.0;
    }
    im->blk_n = 0;
    double an = sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
    if (!(an > 0.85 && an < 1.15)) {
        im->have_u = 0;
        return;
    }
    double u[3] = {a[0] / an, a[1] / an, a[2] / an};
    if (im->have_u) {
        const double *p = im->u_prev;
        double pred[3] = {(p[1] * w[2] - p[2] * w[1]) * T, (p[2] * w[0] - p[0] * w[2]) * T,
                          (p[0] * w[1] - p[1] * w[0]) * T};
        double du[3] = {u[0] - p[0], u[1] - p[1], u[2] - p[2]};
        double wr = sqrt(w[0] * w[0] + w[1] * w[1] + w[2] * w[2]) * 180.0 / M_PI;
        double ur = sqrt(du[0] * du[0] + du[1] * du[1] + du[2] * du[2]) / T * 180.0 / M_PI;
        double rate = wr > ur ? wr : ur;
        if (rate > REST_MAX_DPS && ur < 300.0) { /* a gyro in the wrong unit may read thousands */
            for (int k = 0; k < 3; k++) {
                im->res->axes_dp += du[k] * pred[k];
                im->res->axes_pp += pred[k] * pred[k];
                im->res->axes_aa += du[k] * du[k];
            }
            im->res->axes_turn_rad += rate * M_PI / 180.0 * T;
        }
    }
    memcpy(im->u_prev, u, sizeof u);
    im->have_u = 1;
}

static void write_sample(importer *im, const double v_in[6], int64_t t_us, uint64_t index)
{
    double v[6];
    for (int k = 0; k < 3; k++) { /* the axes as mounted (mount_axes) */
        v[k] = im->res->axis_sign[k] * v_in[im->res->axis_from[k]];
        v[3 + k] = im->res->axis_sign[k] * v_in[3 + im->res->axis_from[k]];
    }
    wire_packet p;
    memset(&p, 0, sizeof p);
    p.count = 1;
    p.seq = (uint16_t)im->packets;
    p.sample_index = (uint32_t)index;
    p.t_us = (uint32_t)(uint64_t)t_us;
    double qus = im->period_s * 4e6;
    p.period_qus = (uint16_t)(qus < 1 ? 1 : qus > 65535 ? 65535 : qus);
    p.flags = im->packets == 0 ? WIRE_FLAG_START : 0;
    int aclip = 0, gclip = 0;
    double ag = im->acc_to_g, gd = im->gyr_to_dps;
    double a2 = 0.0, g2 = 0.0;
    for (int a = 0; a < 3; a++) {
        p.s[0].acc[a] = (int16_t)to_raw(v[a] * ag, ACC_UG_PER_LSB * 1e-6, &aclip);
        p.s[0].gyr[a] = (int16_t)to_raw(v[3 + a] * gd, GYR_UDPS_PER_LSB * 1e-6, &gclip);
        a2 += v[a] * ag * v[a] * ag;
        g2 += v[3 + a] * gd * v[3 + a] * gd;
    }
    if (g2 < REST_MAX_DPS * REST_MAX_DPS) {
        double bin = sqrt(a2) * 100.0;
        im->rest_hist[bin < REST_BINS - 1 ? (size_t)bin : REST_BINS - 1]++;
    }
    check_axes(im, v, ag, gd);
    if (aclip)
        p.flags |= WIRE_FLAG_ACC_CLIP;
    if (gclip)
        p.flags |= WIRE_FLAG_GYR_CLIP;
    if (aclip || gclip)
        im->res->clipped++;
    uint8_t buf[WIRE_PKT_MAX];
    size_t n = wire_encode_packet(&p, buf);
    int r = rec_writer_packet(&im->w, buf, n, 0);
    if (r != CT_OK && !im->err)
        im->err = r;
    im->packets++;
    im->res->samples++;
}

/* Pass 1: gravity as the sensor sees it, over the rows not turning and over all rows. */
static void gather_mounting(importer *im, const double v[6])
{
    double ag = im->acc_to_g, gd = im->gyr_to_dps;
    double g2 = 0.0;
    for (int k = 0; k < 3; k++) {
        im->all_sum[k] += v[k] * ag;
        g2 += v[3 + k] * gd * v[3 + k] * gd;
    }
    im->all_n++;
    if (g2 < REST_MAX_DPS * REST_MAX_DPS) {
        for (int k = 0; k < 3; k++)
            im->rest_sum[k] += v[k] * ag;
        im->rest_n++;
    }
}

/* The axis gravity runs along at rest, and its sign (+1: the axis points up). The mean
 * over the rows not turning (over all rows when fewer than 100 were still: walking and
 * raises average out beside gravity). The shank is near upright standing and sitting on
 * a chair alike, so on the shin this is the axis along the shank. */
static void rest_axis(const importer *im, import_result *res)
{
    const double *m = im->rest_n >= 100 ? im->rest_sum : im->all_sum;
    double n = sqrt(m[0] * m[0] + m[1] * m[1] + m[2] * m[2]);
    res->rest_axis = -1;
    if (!(n > 0.0))
        return;
    int best = 0;
    for (int k = 1; k < 3; k++)
        if (fabs(m[k]) > fabs(m[best]))
            best = k;
    res->rest_axis = best;
    res->rest_sign = m[best] < 0.0 ? -1 : 1;
    double c = fabs(m[best]) / n;
    res->rest_tilt_deg = acos(c > 1.0 ? 1.0 : c) * 180.0 / M_PI;
}

/* On the shin the analysis takes the sensor's x as the axis up the shank (the pod's
 * build); another sensor may have any of its axes there (a phone upright: y). The axes
 * are relabelled, signs included, so that the one gravity runs along at rest becomes +x:
 * a turn of the sensor's frame (right-handed stays right-handed), nothing recomputed.
 * The other two follow in cyclic order (from y: x=y, y=z, z=x). */
static void mount_axes(import_result *res)
{
    for (int k = 0; k < 3; k++) {
        res->axis_from[k] = k;
        res->axis_sign[k] = 1;
    }
    int a = res->rest_axis, s = res->rest_sign;
    if (a < 0 || (a == 0 && s > 0))
        return;
    for (int k = 0; k < 3; k++)
        res->axis_from[k] = (a + k) % 3;
    /* x and z both take the sign: the frame stays right-handed */
    res->axis_sign[0] = s;
    res->axis_sign[2] = s;
}

static void on_row(int c, void *data)
{
    (void)c;
    importer *im = data;
    int nf = im->nf;
    im->nf = 0;
    if (im->err || nf == 0 || (nf == 1 && im->field[0][0] == '\0'))
        return; /* blank line */
    if (im->field[0][0] == '#')
        return; /* comment */
    if (!im->header_seen) {
        im->header_seen = 1;
        int named = 0;
        for (int k = 0; k < NCOLS; k++)
            named |= im->by_name[k];
        if (named) {
            im->nf = nf;
            im->err = resolve_header(im);
            im->nf = 0;
            return;
        }
        /* numbered columns: a first row with no number where numbers go is a header
         * (one with some numbers is a damaged data row, and is reported as such) */
        double v;
        int numbers = 0;
        for (int k = 0; k < NCOLS; k++)
            if (im->idx[k] >= 0 && im->idx[k] < nf && im->idx[k] < MAX_FIELDS &&
                number(im->field[im->idx[k]], &v) == 0)
                numbers++;
        if (numbers == 0)
            return;
    }
    if (im->pass != 1)
        im->res->rows++;

    double v[NCOLS];
    for (int k = 0; k < NCOLS; k++) {
        int f = im->idx[k];
        if (f < 0)
            continue;
        if (f >= nf) {
            bad(im, "%d fields, but column %d (%s) is needed", nf, f + 1, im->label[k]);
            goto skipped;
        }
        if (f >= MAX_FIELDS || im->too_long[f]) {
            bad(im, "field %d (%s) is too long to be a number", f + 1, im->label[k]);
            goto skipped;
        }
        if (im->field[f][0] == '\0') {
            bad(im, "field %d (%s) is empty", f + 1, im->label[k]);
            goto skipped;
        }
        if (number(im->field[f], &v[k]) != 0) {
            bad(im, "field %d (%s) is '%s', not a usable number", f + 1, im->label[k],
                im->field[f]);
            goto skipped;
        }
        if (im->negate[k])
            v[k] = -v[k];
    }
    if (im->pass == 1)
        gather_mounting(im, v);

    int64_t t_us;
    uint64_t index;
    if (im->idx[COL_TIME] >= 0) {
        double t = v[COL_TIME] * im->opt->time_unit_s;
        if (im->have_t && !(t > im->t_prev)) {
            bad(im, "time %.6g s is not after the previous row's %.6g s", t, im->t_prev);
            im->broken = 1;
            return;
        }
        if (im->have_t && t - im->t_prev > 1800.0) {
            bad(im, "time jumps by %.0f s (more than 30 minutes)", t - im->t_prev);
            im->broken = 1;
            return;
        }
        if (im->pass != 2) {
            /* the rate comes from neighbouring good rows only */
            if (im->pass == 1 && im->have_t && !im->broken && im->nintervals < RATE_PROBE)
                im->intervals[im->nintervals++] = t - im->t_prev;
            im->broken = 0;
            im->have_t = 1;
            im->t_prev = t;
            return;
        }
        if (!im->have_t)
            im->t0 = t;
        t_us = llround((t - im->t0) * 1e6);
        if (im->packets > 0 && t_us <= im->last_t_us) {
            bad(im, "time %.6g s is too close to the previous row's (under 1 us)", t);
            return;
        }
        index = im->next_index;
        if (im->packets > 0) {
            double periods = (double)(t_us - im->last_t_us) / (im->period_s * 1e6);
            if (periods > 1.5) {
                im->res->time_gaps++;
                index += (uint64_t)llround(periods) - 1u; /* samples the source lost */
            }
        }
        im->have_t = 1;
        im->t_prev = t;
    } else {
        if (im->pass != 2)
            return;
        index = im->next_index;
        t_us = llround((double)index * im->period_s * 1e6);
    }
    im->last_t_us = t_us;
    im->next_index = index + 1;
    im->res->duration_s = (double)t_us * 1e-6;
    write_sample(im, v, t_us, index);
    return;

skipped:
    im->broken = 1;
    if (im->idx[COL_TIME] < 0 && im->pass == 2)
        im->next_index++; /* the row had its place in time; it shows as a lost sample */
}

static int run_pass(importer *im, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return ct_from_errno(errno);
    struct csv_parser p;
    if (csv_init(&p, CSV_APPEND_NULL) != 0) {
        fclose(f);
        return CT_ENOMEM;
    }
    csv_set_delim(&p, (unsigned char)(im->opt->delimiter ? im->opt->delimiter : ','));
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    im->line = 0;
    im->nf = 0;
    im->header_seen = 0;
    im->have_t = 0;
    im->broken = 0;
    int rc = CT_OK;
    while (!im->err && (n = getline(&line, &cap, f)) > 0) {
        im->line++;
        if (csv_parse(&p, line, (size_t)n, on_field, on_row, im) != (size_t)n) {
            rc = csv_error(&p) == CSV_ENOMEM ? CT_ENOMEM : CT_EFORMAT;
            break;
        }
    }
    if (ferror(f) && rc == CT_OK)
        rc = CT_EIO;
    if (rc == CT_OK && !im->err)
        csv_fini(&p, on_field, on_row, im);
    csv_free(&p);
    free(line);
    fclose(f);
    im->res->lines = im->line; /* also when the first pass is the last */
    return rc != CT_OK ? rc : im->err;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

const char *import_gravity_hint(const import_result *res, const import_options *opt)
{
    /* a tenth of the rows, or 2 s at 50 Hz, is enough to say what rest reads */
    if (res->rest_rows < 100 || res->rest_rows * 10 < res->samples)
        return NULL;
    double g = res->acc_rest_g;
    if (g > 0.8 && g < 1.25)
        return NULL;
    if (opt->acc_unit == IMPORT_ACC_G && g > 0.8 * G_MS2 && g < 1.25 * G_MS2)
        return "the accelerometer reads about 9.8 g at rest: its unit is probably m/s2 "
               "(import again with --acc-unit m/s2)";
    if (opt->acc_unit == IMPORT_ACC_MS2 && g > 0.8 / G_MS2 && g < 1.25 / G_MS2)
        return "the accelerometer reads about 0.1 g at rest: its unit is probably g "
               "(import again with --acc-unit g)";
    if (g < 0.3)
        return "the accelerometer does not read gravity at rest: these look like linear "
               "acceleration columns with gravity taken out; the analysis needs the raw "
               "accelerometer, gravity included";
    return "the accelerometer does not read 1 g at rest: check its unit and that its "
           "columns are the raw accelerometer";
}

const char *import_gyro_hint(const import_result *res, const import_options *opt)
{
    (void)opt;
    /* a couple of full turns' worth of tilting is enough to tell */
    if (res->axes_turn_rad < 4.0 || !(res->axes_pp > 0.0) || !(res->axes_aa > 0.0))
        return NULL;
    double gain = res->axes_dp / res->axes_pp;
    double r = res->axes_dp / sqrt(res->axes_pp * res->axes_aa);
    if (gain > 0.6 && gain < 1.6 && r > 0.3)
        return NULL;
    if (gain > 30.0 && gain < 110.0)
        return "the gyroscope turns about 57 times less than the accelerometer tilts: its unit "
               "is probably rad/s (import again with --gyro-unit rad/s)";
    if (gain > 1.0 / 110.0 && gain < 1.0 / 30.0)
        return "the gyroscope turns about 57 times more than the accelerometer tilts: its unit "
               "is probably deg/s (import again with --gyro-unit dps)";
    if (gain < -0.6 && gain > -1.6 && r < -0.3)
        return "the gyroscope turns the opposite way to the accelerometer's tilts: one of the "
               "two is mirrored (a left-handed axis set, or an axis whose sign differs); turn "
               "one axis's sign with a '-' before its column (e.g. --gyro gx,gy,-gz)";
    return "the gyroscope's turns do not match the accelerometer's tilts: check that --gyro "
           "lists the same axes in the same order as --acc";
}

const char *import_axes_hint(const import_result *res, const import_options *opt)
{
    if (res->rest_axis < 0 || opt->meta.placement == PLACE_SHIN)
        return NULL;
    if (opt->meta.placement == PLACE_FOOT)
        return NULL; /* standing the dorsum's normal is up, seated the toes: either can be */
    if (res->rest_axis == 0)
        return NULL;
    return "at rest gravity runs along the sensor's y or z axis, not x. On the shin the "
           "analysis takes x as the axis up the shank: if the sensor was on the shin, "
           "import again with --placement shin (the axes are then turned to match); on the "
           "foot it takes z as the axis out of the skin";
}

int import_parse_columns(const char *spec, import_column *cols, int n)
{
    const char *s = spec;
    for (int i = 0; i < n; i++) {
        const char *end = strchr(s, ',');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        if ((i < n - 1) != (end != NULL) || len == 0 || len >= IMPORT_NAME_MAX)
            return CT_EARG;
        memset(&cols[i], 0, sizeof cols[i]);
        if (s[0] == '-' && len > 1) { /* the axis taken with its sign turned */
            cols[i].negate = true;
            s++;
            len--;
        }
        memcpy(cols[i].name, s, len);
        char *e;
        long v = strtol(cols[i].name, &e, 10);
        if (*e == '\0') {
            if (v < 1 || v > MAX_FIELDS)
                return CT_EARG;
            cols[i].number = (int)v;
            cols[i].name[0] = '\0';
        }
        s = end ? end + 1 : s + len;
    }
    return CT_OK;
}

int import_csv(const char *in_path, const char *out_path, const import_options *opt,
               import_report_fn report, void *user, import_result *res)
{
    importer *im = calloc(1, sizeof *im);
    if (!im)
        return CT_ENOMEM;
    memset(res, 0, sizeof *res);
    im->opt = opt;
    im->acc_to_g = opt->acc_unit == IMPORT_ACC_MS2 ? 1.0 / G_MS2 : 1.0;
    im->gyr_to_dps = opt->gyr_unit == IMPORT_GYR_RADS ? 180.0 / M_PI : 1.0;
    im->report = report;
    im->user = user;
    im->res = res;
    const import_column *cols[NCOLS] = {&opt->acc[0], &opt->acc[1], &opt->acc[2],
                                        &opt->gyr[0], &opt->gyr[1], &opt->gyr[2], &opt->time};
    int has_time = 0;
    for (int c = 0; c < NCOLS; c++) {
        im->idx[c] = cols[c]->number > 0 ? cols[c]->number - 1 : -1;
        im->by_name[c] = cols[c]->name[0] != '\0';
        im->negate[c] = cols[c]->negate;
        im->label[c] = cols[c]->name[0] ? cols[c]->name : axis_label[c];
        if (c == COL_TIME && cols[c]->negate) { /* time runs forward */
            free(im);
            return CT_EARG;
        }
        if (c == COL_TIME)
            has_time = cols[c]->number > 0 || cols[c]->name[0];
        else if (cols[c]->number <= 0 && !cols[c]->name[0]) {
            free(im);
            return CT_EARG;
        }
    }
    int rc = CT_OK;
    for (int k = 0; k < 3; k++) { /* the axes as given, until the mounting says otherwise */
        res->axis_from[k] = k;
        res->axis_sign[k] = 1;
    }
    res->rest_axis = -1;
    if (has_time) {
        im->intervals = malloc(RATE_PROBE * sizeof *im->intervals);
        if (!im->intervals) {
            free(im);
            return CT_ENOMEM;
        }
    }
    /* the rate from the time column, and the mounting, before anything is written */
    im->pass = 1;
    rc = run_pass(im, in_path);
    rest_axis(im, res);
    if (opt->meta.placement == PLACE_SHIN)
        mount_axes(res);
    if (has_time) {
        if (rc == CT_OK && im->nintervals == 0) {
            /* no two good rows in a row: no rate, nothing to import; read the rows once
             * more to say which were bad and why */
            im->pass = 3;
            rc = run_pass(im, in_path);
            if (rc == CT_OK)
                rc = CT_EFORMAT;
        }
        if (rc == CT_OK) {
            /* the mean of the intervals near the median: samples lost leave intervals
             * twice as long or more, and a logger's jitter skews the intervals (a phone
             * stamping 10.2, 10.2, 9.6 ms runs at 100 Hz, not the median's 98) */
            qsort(im->intervals, im->nintervals, sizeof *im->intervals, cmp_double);
            double med = im->intervals[im->nintervals / 2], sum = 0.0;
            size_t m = 0;
            for (size_t i = 0; i < im->nintervals; i++)
                if (im->intervals[i] > 0.5 * med && im->intervals[i] < 1.5 * med) {
                    sum += im->intervals[i];
                    m++;
                }
            im->period_s = m > 0 ? sum / (double)m : med;
        }
    } else if (opt->rate_hz > 0) {
        im->period_s = 1.0 / opt->rate_hz;
    } else {
        rc = CT_EARG;
    }
    if (rc == CT_OK && !(im->period_s > 1e-6 && im->period_s < 1.0)) /* 1 Hz .. 1 MHz */
        rc = CT_EFORMAT;
    if (rc != CT_OK) {
        free(im->intervals);
        free(im);
        return rc;
    }

    rec_header h = opt->meta;
    h.version = REC_FORMAT_VERSION;
    h.source = REC_SOURCE_IMPORT;
    memset(&h.info, 0, sizeof h.info);
    h.info.protocol = WIRE_PROTOCOL_VERSION;
    double rate = 1.0 / im->period_s;
    h.info.odr_hz = (uint16_t)(rate > 65535 ? 65535 : nearbyint(rate));
    h.info.acc_range_g = 16;
    h.info.gyr_range_dps = 2000;
    h.info.acc_ug_per_lsb = ACC_UG_PER_LSB;
    h.info.gyr_udps_per_lsb = GYR_UDPS_PER_LSB;
    h.info.period_ns = (uint32_t)nearbyint(im->period_s * 1e9);
    h.info.max_samples = 1;
    if (!h.serial[0])
        snprintf(h.serial, sizeof h.serial, "import");
    res->rate_hz = rate;
    rc = rec_writer_open(&im->w, out_path, &h);
    if (rc == CT_OK) {
        im->pass = 2;
        im->header_seen = 0;
        rc = run_pass(im, in_path);
        int rc2 = rec_writer_close(&im->w);
        if (rc == CT_OK)
            rc = rc2;
        if (rc == CT_OK && res->samples == 0)
            rc = CT_EFORMAT;
        /* the median |a| of the rows not turning */
        uint64_t quiet = 0, half = 0;
        for (size_t b = 0; b < REST_BINS; b++)
            quiet += im->rest_hist[b];
        res->rest_rows = quiet;
        for (size_t b = 0; quiet > 0 && b < REST_BINS; b++) {
            half += im->rest_hist[b];
            if (2 * half >= quiet) {
                res->acc_rest_g = ((double)b + 0.5) * 0.01;
                break;
            }
        }
        if (rc != CT_OK)
            unlink(out_path); /* no half-written or empty recording left behind */
    }
    free(im->intervals);
    free(im);
    return rc;
}
