/* presc.c - prescription CSV: parsing through libcsv, checking, writing back. */
#include "calftrack/presc.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "calftrack/csvio.h"
#include "calftrack/err.h"

enum { COL_EXERCISE, COL_SIDE, COL_SETS, COL_REPS, COL_HOLD, COL_TARGET, COL_UNIT, COL_REST,
       COL_TEMPO, COL_NOTES, NCOLS };

static const char *const col_names[NCOLS] = {
    "exercise", "side", "sets", "reps", "hold_s", "target", "target_unit", "rest_s", "tempo", "notes",
};

typedef struct {
    presc *out;
    presc_error *err;
    int have_header;
    int col_of[NCOLS];   /* column index in the file, -1 when absent */
    int ncols_file;
} parse_state;

static int fail(parse_state *st, long line, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(parse_state *st, long line, const char *field, const char *fmt, ...)
{
    va_list ap;
    st->err->line = line;
    snprintf(st->err->field, sizeof st->err->field, "%s", field ? field : "");
    va_start(ap, fmt);
    vsnprintf(st->err->msg, sizeof st->err->msg, fmt, ap);
    va_end(ap);
    return CT_EFORMAT;
}

static void trim(const char *s, char *out, size_t cap)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    if (n >= cap)
        n = cap - 1;
    memcpy(out, s, n);
    out[n] = '\0';
}

static void lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

/* A finite number in [lo, hi]; the whole string must be the number. */
static int num(const char *s, double lo, double hi, double *v)
{
    char *end;
    if (!*s)
        return -1;
    errno = 0;
    double d = strtod(s, &end);
    if (errno || *end || !isfinite(d) || d < lo || d > hi)
        return -1;
    *v = d;
    return 0;
}

static int whole(const char *s, long lo, long hi, int *v)
{
    char *end;
    if (!*s || !isdigit((unsigned char)*s))
        return -1;
    errno = 0;
    long d = strtol(s, &end, 10);
    if (errno || *end || d < lo || d > hi)
        return -1;
    *v = (int)d;
    return 0;
}

/* "a-b-c" or "a/b/c" into up to n numbers in [0, hi]; returns how many, -1 on error. */
static int split_nums(const char *s, double hi, double *v, int n)
{
    char buf[64];
    if (strlen(s) >= sizeof buf)
        return -1;
    strcpy(buf, s);
    int k = 0;
    char *p = buf;
    for (;;) {
        char *sep = strpbrk(p, "-/:");
        if (sep)
            *sep = '\0';
        char t[64];
        trim(p, t, sizeof t);
        if (k >= n || num(t, 0, hi, &v[k]))
            return -1;
        k++;
        if (!sep)
            return k;
        p = sep + 1;
    }
}

static int header_row(parse_state *st, const csvio_row *row)
{
    for (int c = 0; c < NCOLS; c++)
        st->col_of[c] = -1;
    for (int i = 0; i < row->n; i++) {
        char name[64];
        trim(row->field[i], name, sizeof name);
        lower(name);
        int found = -1;
        for (int c = 0; c < NCOLS; c++)
            if (!strcmp(name, col_names[c]))
                found = c;
        if (found < 0)
            return fail(st, row->line, name, "unknown column; the columns are exercise, side, "
                        "sets, reps, hold_s, target, target_unit, rest_s, tempo, notes");
        if (st->col_of[found] >= 0)
            return fail(st, row->line, name, "column appears twice");
        st->col_of[found] = i;
    }
    if (st->col_of[COL_EXERCISE] < 0)
        return fail(st, row->line, "exercise", "the header must name an 'exercise' column");
    st->ncols_file = row->n;
    st->have_header = 1;
    return 0;
}

static void get(const parse_state *st, const csvio_row *row, int col, char *out, size_t cap)
{
    int i = st->col_of[col];
    trim(i >= 0 && i < row->n ? row->field[i] : "", out, cap);
}

static int item_row(parse_state *st, const csvio_row *row)
{
    presc *p = st->out;
    char v[CSVIO_MAX_FIELD + 1];
    double d;
    long ln = row->line;
    if (row->n > st->ncols_file)
        return fail(st, ln, "", "%d fields but the header names %d columns", row->n,
                    st->ncols_file);
    if (p->n >= PRESC_MAX_ITEMS)
        return fail(st, ln, "", "more than %d exercises", PRESC_MAX_ITEMS);
    presc_item it;
    memset(&it, 0, sizeof it);
    it.line = ln;

    get(st, row, COL_EXERCISE, v, sizeof v);
    lower(v);
    int ex = ct_exercise_parse(v);
    if (ex < 0)
        return fail(st, ln, "exercise", "'%.40s' is not an exercise; allowed: calf_raise, "
                    "isometric_raise, lunge_stretch, band_stretch, downward_dog", v);
    it.exercise = (ct_exercise)ex;
    bool hold = presc_is_hold(it.exercise);

    get(st, row, COL_SIDE, v, sizeof v);
    lower(v);
    int side = *v ? ct_side_parse(v) : SIDE_BOTH;
    if (side < 0)
        return fail(st, ln, "side", "'%.40s' is not a side; allowed: left, right, both", v);
    it.side = (ct_side)side;

    get(st, row, COL_SETS, v, sizeof v);
    it.sets = 1;
    if (*v && whole(v, 1, 20, &it.sets))
        return fail(st, ln, "sets", "'%.40s': a whole number from 1 to 20 is allowed", v);

    get(st, row, COL_REPS, v, sizeof v);
    it.reps = hold ? 1 : 0;
    if (*v && whole(v, 1, 100, &it.reps))
        return fail(st, ln, "reps", "'%.40s': a whole number from 1 to 100 is allowed", v);
    if (!it.reps)
        return fail(st, ln, "reps", "calf_raise needs reps (1 to 100)");

    get(st, row, COL_HOLD, v, sizeof v);
    if (*v) {
        double h[2];
        int k = split_nums(v, 600, h, 2);
        if (k < 1 || (k == 2 && h[1] < h[0]))
            return fail(st, ln, "hold_s", "'%.40s': seconds from 0 to 600, or a range like "
                        "1-2, is allowed", v);
        it.hold_s = (float)h[0];
        it.hold_max_s = (float)(k == 2 ? h[1] : h[0]);
    }
    if (hold && it.hold_s <= 0)
        return fail(st, ln, "hold_s", "%s is a hold: give the hold in seconds (1 to 600)",
                    ct_exercise_name(it.exercise));

    get(st, row, COL_UNIT, v, sizeof v);
    lower(v);
    if (!*v)
        it.unit = PRESC_UNIT_NONE;
    else if (!strcmp(v, "deg"))
        it.unit = PRESC_UNIT_DEG;
    else if (!strcmp(v, "cm"))
        it.unit = PRESC_UNIT_CM;
    else
        return fail(st, ln, "target_unit", "'%.40s': allowed: deg, cm (or empty)", v);
    get(st, row, COL_TARGET, v, sizeof v);
    if (*v) {
        if (it.unit == PRESC_UNIT_NONE)
            return fail(st, ln, "target_unit", "a target needs its unit: deg or cm");
        if (it.unit == PRESC_UNIT_CM && it.exercise != EX_CALF_RAISE &&
            it.exercise != EX_ISOMETRIC_RAISE)
            return fail(st, ln, "target_unit", "cm (heel height) is for calf_raise and "
                        "isometric_raise; %s takes deg", ct_exercise_name(it.exercise));
        double hi = it.unit == PRESC_UNIT_CM ? 20 : 90;
        if (num(v, 0, hi, &d))
            return fail(st, ln, "target", "'%.40s': a number from 0 to %.0f %s is allowed", v,
                        hi, presc_unit_name(it.unit));
        it.target = (float)d;
    } else if (it.unit != PRESC_UNIT_NONE) {
        return fail(st, ln, "target", "a unit is given but no target number");
    }

    get(st, row, COL_REST, v, sizeof v);
    if (*v) {
        if (num(v, 0, 900, &d))
            return fail(st, ln, "rest_s", "'%.40s': seconds from 0 to 900 are allowed", v);
        it.rest_s = (float)d;
    }

    get(st, row, COL_TEMPO, v, sizeof v);
    if (*v) {
        double t[3];
        if (split_nums(v, 20, t, 3) != 3 || t[0] <= 0 || t[2] <= 0)
            return fail(st, ln, "tempo", "'%.40s': up-hold-down seconds like 2-1-2 are allowed "
                        "(up and down above 0, each at most 20)", v);
        it.has_tempo = true;
        it.tempo_up_s = (float)t[0];
        it.tempo_top_s = (float)t[1];
        it.tempo_down_s = (float)t[2];
    }

    get(st, row, COL_NOTES, v, sizeof v);
    if (strlen(v) > PRESC_NOTES_MAX)
        return fail(st, ln, "notes", "longer than %d characters", PRESC_NOTES_MAX);
    for (const char *c = v; *c; c++)
        if ((unsigned char)*c < 0x20 && *c != '\t')
            return fail(st, ln, "notes", "control characters are not allowed");
    strcpy(it.notes, v);

    p->item[p->n++] = it;
    return 0;
}

static int on_row(const csvio_row *row, void *user)
{
    parse_state *st = user;
    char first[8];
    trim(row->field[0], first, sizeof first);
    if (first[0] == '#')
        return 0;
    return st->have_header ? item_row(st, row) : header_row(st, row);
}

int presc_parse(const char *name, const char *buf, size_t len, presc *out, presc_error *err)
{
    parse_state st = {.out = out, .err = err};
    memset(out, 0, sizeof *out);
    memset(err, 0, sizeof *err);
    snprintf(err->file, sizeof err->file, "%s", name ? name : "-");
    long bad = 0;
    int rc = csvio_read_mem(buf, len, on_row, &st, &bad);
    if (rc == CT_EFORMAT && !err->msg[0]) {
        err->line = bad;
        snprintf(err->msg, sizeof err->msg, "not valid CSV (an unclosed quote, more than %d "
                 "columns or a field over %d characters)", CSVIO_MAX_FIELDS, CSVIO_MAX_FIELD);
    }
    if (rc)
        return rc;
    if (!st.have_header || out->n == 0) {
        fail(&st, 0, "", "no exercises: a header row and at least one exercise row are needed");
        return CT_EFORMAT;
    }
    return 0;
}

int presc_load(const char *path, presc *out, presc_error *err)
{
    FILE *f = fopen(path, "rb");
    memset(err, 0, sizeof *err);
    snprintf(err->file, sizeof err->file, "%s", path);
    if (!f) {
        int rc = ct_from_errno(errno);
        snprintf(err->msg, sizeof err->msg, "cannot open: %s", strerror(errno));
        return rc;
    }
    char *buf = malloc(1 << 20);
    if (!buf) {
        fclose(f);
        return CT_ENOMEM;
    }
    size_t n = fread(buf, 1, 1 << 20, f);
    int big = n == (1 << 20), bad = ferror(f);
    fclose(f);
    int rc;
    if (big || bad) {
        snprintf(err->msg, sizeof err->msg, bad ? "read error" : "larger than 1 MiB");
        rc = bad ? CT_EIO : CT_EFORMAT;
    } else {
        rc = presc_parse(path, buf, n, out, err);
    }
    free(buf);
    return rc;
}

void presc_error_format(const presc_error *err, char *out, size_t cap)
{
    if (err->line && err->field[0])
        snprintf(out, cap, "%s:%ld: field '%s': %s", err->file, err->line, err->field, err->msg);
    else if (err->line)
        snprintf(out, cap, "%s:%ld: %s", err->file, err->line, err->msg);
    else
        snprintf(out, cap, "%s: %s", err->file, err->msg);
}

static void fmt_num(char *out, size_t cap, float v)
{
    snprintf(out, cap, "%g", (double)v);
}

int presc_write(FILE *f, const presc *p)
{
    if (csvio_row_write(f, col_names, NCOLS))
        return CT_EIO;
    for (int i = 0; i < p->n; i++) {
        const presc_item *it = &p->item[i];
        char sets[16], reps[16], hold[40] = "", target[32] = "", rest[32], tempo[64] = "";
        snprintf(sets, sizeof sets, "%d", it->sets);
        snprintf(reps, sizeof reps, "%d", it->reps);
        if (it->hold_max_s > it->hold_s)
            snprintf(hold, sizeof hold, "%g-%g", (double)it->hold_s, (double)it->hold_max_s);
        else if (it->hold_s > 0)
            fmt_num(hold, sizeof hold, it->hold_s);
        if (it->unit != PRESC_UNIT_NONE)
            fmt_num(target, sizeof target, it->target);
        fmt_num(rest, sizeof rest, it->rest_s);
        if (it->has_tempo)
            snprintf(tempo, sizeof tempo, "%g-%g-%g", (double)it->tempo_up_s,
                     (double)it->tempo_top_s, (double)it->tempo_down_s);
        const char *row[NCOLS] = {ct_exercise_name(it->exercise), ct_side_name(it->side), sets,
                                  reps, hold, target, presc_unit_name(it->unit), rest, tempo,
                                  it->notes};
        if (csvio_row_write(f, row, NCOLS))
            return CT_EIO;
    }
    return ferror(f) ? CT_EIO : 0;
}

int presc_item_sides(const presc_item *it) { return it->side == SIDE_BOTH ? 2 : 1; }

ct_side presc_item_side(const presc_item *it, int k)
{
    if (it->side != SIDE_BOTH)
        return it->side;
    return k == 0 ? SIDE_LEFT : SIDE_RIGHT;
}

int presc_item_total(const presc_item *it)
{
    return presc_item_sides(it) * it->sets * it->reps;
}

bool presc_is_hold(ct_exercise ex) { return ex != EX_CALF_RAISE; }

const char *presc_unit_name(presc_unit u)
{
    return u == PRESC_UNIT_DEG ? "deg" : u == PRESC_UNIT_CM ? "cm" : "";
}
