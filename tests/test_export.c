/* test_export.c - the four exports of a known store against golden files, the round
 * trip through libcsv's parser, filters by date, side and session, hostile stores.
 * CALFTRACK_UPDATE_GOLDEN=1 rewrites tests/data/session_*.csv (then read them!). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <csv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calftrack/csvio.h"
#include "calftrack/err.h"
#include "calftrack/export.h"
#include "calftrack/journal.h"
#include "support/tmpdir.h"

#define DAY_US INT64_C(86400000000)
#define T_20261120_0800 INT64_C(1795161600000000) /* 2026-11-20T08:00:00Z */

static const char RX[] =
    "exercise,side,sets,reps,hold_s,target,target_unit,rest_s,tempo,notes\n"
    "calf_raise,both,2,3,1,,,60,2-1-2,\"Slowly, with a hold\"\n"
    "lunge_stretch,both,1,2,30,35,deg,30,,Heel down\n";

static store_event rep(ct_side side, int set, int n, float h, float up, int64_t t)
{
    store_event e;
    memset(&e, 0, sizeof e);
    e.item = 0;
    e.site_mm = 150;
    e.ev.kind = EV_REP;
    e.ev.exercise = EX_CALF_RAISE;
    e.ev.side = side;
    e.ev.placement = PLACE_SHIN;
    e.ev.grade = up < 1.5f ? GRADE_TOO_FAST : GRADE_FULL;
    e.ev.set = set;
    e.ev.number = n;
    e.ev.t_start_us = t;
    e.ev.t_peak_us = t + (int64_t)(up * 1e6f);
    e.ev.t_end_us = t + (int64_t)((up + 3.0f) * 1e6f);
    e.ev.peak_deg = h * 2.5f;
    e.ev.height_cm = h;
    e.ev.hold_s = 1.0f;
    e.ev.up_s = up;
    e.ev.top_s = 1.0f;
    e.ev.down_s = 2.0f;
    return e;
}

static store_event hold(ct_side side, int n, float deg, float s, int64_t t)
{
    store_event e;
    memset(&e, 0, sizeof e);
    e.item = 1;
    e.site_mm = 150;
    e.ev.kind = EV_HOLD;
    e.ev.exercise = EX_LUNGE_STRETCH;
    e.ev.side = side;
    e.ev.placement = PLACE_SHIN;
    e.ev.grade = s < 30 ? GRADE_SHORT_HOLD : GRADE_FULL;
    e.ev.set = 1;
    e.ev.number = n;
    e.ev.t_start_us = t;
    e.ev.t_peak_us = t + 10000000;
    e.ev.t_end_us = t + (int64_t)((s + 4) * 1e6f);
    e.ev.peak_deg = deg;
    /* as the analysis gives them: the time in the hold, and of it the time at or above
     * the prescribed 35 deg (a hold that peaks under it has none) */
    e.ev.top_s = s;
    e.ev.hold_s = deg >= 35 ? s - 2 : 0;
    e.ev.target = 35;
    return e;
}

/* Day 0: the right (injured) side lags; day 2: better, different shin site. */
static void make_store(store *st, const char *name)
{
    char root[512];
    test_path(root, sizeof root, name);
    assert_int_equal(store_open(st, root), 0);
    presc rx;
    presc_error perr;
    assert_int_equal(presc_parse("rx", RX, strlen(RX), &rx, &perr), 0);
    for (int day = 0; day < 2; day++) {
        store_meta m;
        memset(&m, 0, sizeof m);
        m.start_unix_us = T_20261120_0800 + day * 2 * DAY_US;
        m.t0_device_us = 5000000;
        snprintf(m.prescription, sizeof m.prescription, "calf-programme.csv");
        snprintf(m.source, sizeof m.source, "replay");
        m.pain_before = 5 - day;
        m.pain_after = 3 - day;
        m.settings.body_mass_kg = 70;
        m.settings.injured_side = SIDE_RIGHT;
        m.settings.shin_site_mm = day ? 100 : 150;
        journal j;
        assert_int_equal(journal_begin(&j, st, &rx, &m), 0);
        int64_t t = 6000000;
        for (int side = SIDE_LEFT; side <= SIDE_RIGHT; side++) {
            int reps = side == SIDE_LEFT ? 6 : 5;
            for (int r = 0; r < reps; r++) {
                float h = side == SIDE_LEFT ? 9.0f + 0.1f * (float)r : 7.2f + 0.5f * (float)day;
                store_event e = rep((ct_side)side, 1 + r / 3, 1 + r % 3, h, r == 4 ? 1.0f : 2.0f, t);
                e.site_mm = m.settings.shin_site_mm;
                assert_int_equal(journal_event(&j, &e), 0);
                t += 6000000;
            }
            assert_int_equal(journal_checkpoint(&j), 0);
        }
        for (int side = SIDE_LEFT; side <= SIDE_RIGHT; side++)
            for (int n = 1; n <= 2; n++) {
                float deg = side == SIDE_LEFT ? 38.0f + (float)n : 31.0f + (float)n + 2.0f * (float)day;
                store_event e = hold((ct_side)side, n, deg, n == 2 && side ? 25.5f : 30.0f, t);
                e.site_mm = m.settings.shin_site_mm;
                assert_int_equal(journal_event(&j, &e), 0);
                t += 40000000;
            }
        assert_int_equal(journal_end(&j, day ? STATUS_COMPLETE : STATUS_STOPPED), 0);
    }
}

static char *export_to_mem(const store *st, export_kind k, const export_filter *flt, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    assert_non_null(f);
    assert_int_equal(export_write(f, st, k, flt), 0);
    fclose(f);
    return buf;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 20);
    *len = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

static void check_golden(const char *got, size_t len, const char *golden)
{
    if (getenv("CALFTRACK_UPDATE_GOLDEN")) {
        FILE *f = fopen(golden, "wb");
        assert_non_null(f);
        fwrite(got, 1, len, f);
        fclose(f);
    }
    size_t glen = 0;
    char *want = read_all(golden, &glen);
    if (!want)
        fail_msg("missing golden file %s", golden);
    if (glen != len || memcmp(want, got, len) != 0) {
        fprintf(stderr, "---- got:\n%.*s---- want (%s):\n%.*s", (int)len, got, golden, (int)glen, want);
        free(want);
        fail_msg("export differs from %s", golden);
    }
    free(want);
}

/* Parses with libcsv directly and writes the fields back: byte-identical. */
typedef struct {
    FILE *out;
    int col;
    int rows;
} rt_state;

static void rt_field(void *s, size_t len, void *data)
{
    rt_state *rt = data;
    char buf[CSVIO_MAX_FIELD + 1];
    assert_true(len <= CSVIO_MAX_FIELD);
    memcpy(buf, s, len);
    buf[len] = '\0';
    assert_int_equal(csvio_field(rt->out, buf, rt->col == 0), 0);
    rt->col++;
}

static void rt_row(int c, void *data)
{
    rt_state *rt = data;
    (void)c;
    csvio_end_row(rt->out);
    rt->col = 0;
    rt->rows++;
}

static int round_trip_rows(const char *buf, size_t len)
{
    struct csv_parser p;
    char *back = NULL;
    size_t blen = 0;
    rt_state rt = {0};
    assert_int_equal(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI), 0);
    rt.out = open_memstream(&back, &blen);
    assert_int_equal(csv_parse(&p, buf, len, rt_field, rt_row, &rt), len);
    assert_int_equal(csv_fini(&p, rt_field, rt_row, &rt), 0);
    csv_free(&p);
    fclose(rt.out);
    assert_int_equal(blen, len);
    assert_memory_equal(back, buf, len);
    free(back);
    return rt.rows;
}

static void test_golden_and_round_trip(void **state)
{
    (void)state;
    store st;
    make_store(&st, "golden");
    export_filter all = {.side = SIDE_BOTH};
    static const struct {
        export_kind k;
        const char *golden;
        int rows;
    } cases[] = {
        {EXPORT_DETAIL, "tests/data/session_detail.csv", 1 + 2 * (11 + 4)},
        {EXPORT_SUMMARY, "tests/data/session_summary.csv", 1 + 2 * 4},
        {EXPORT_PROGRESS, "tests/data/session_progress.csv", 1 + 2 * 2},
        {EXPORT_SYMMETRY, "tests/data/session_symmetry.csv", 1 + 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len;
        char *got = export_to_mem(&st, cases[i].k, &all, &len);
        check_golden(got, len, cases[i].golden);
        assert_int_equal(round_trip_rows(got, len), cases[i].rows);
        free(got);
    }
}

/* Reads one column of a CSV held in memory. */
typedef struct {
    const char *col;
    int idx, row;
    char values[32][64];
    int n;
} col_state;

static int on_col_row(const csvio_row *row, void *user)
{
    col_state *c = user;
    if (c->row++ == 0) {
        c->idx = -1;
        for (int i = 0; i < row->n; i++)
            if (!strcmp(row->field[i], c->col))
                c->idx = i;
        assert_true(c->idx >= 0);
        return 0;
    }
    if (c->n < 32)
        snprintf(c->values[c->n++], 64, "%s", row->field[c->idx]);
    return 0;
}

static col_state column(const char *buf, size_t len, const char *name)
{
    col_state c;
    memset(&c, 0, sizeof c);
    c.col = name;
    assert_int_equal(csvio_read_mem(buf, len, on_col_row, &c, NULL), 0);
    return c;
}

static void test_numbers(void **state)
{
    (void)state;
    store st;
    make_store(&st, "numbers");
    export_filter all = {.side = SIDE_BOTH};
    size_t len;
    char *sym = export_to_mem(&st, EXPORT_SYMMETRY, &all, &len);
    /* Day 0: right 5 reps of 7.2 cm, left 6 reps of 9.0..9.5 cm; mass 70 kg. */
    col_state c = column(sym, len, "lsi_heel_rise_reps_pct");
    assert_string_equal(c.values[0], "83.3");
    c = column(sym, len, "left_heel_rise_work_j");
    /* 70 * 9.81 * (9.0+9.1+...+9.5)/100 = 70 * 9.81 * 0.555 */
    assert_float_equal(strtod(c.values[0], NULL), 70 * 9.81 * 0.555, 0.06);
    c = column(sym, len, "lsi_heel_rise_height_pct");
    /* the best rise is the height three reps reached: 9.3 of 9.0..9.5 on the left */
    assert_float_equal(strtod(c.values[0], NULL), 100.0 * 7.2 / 9.3, 0.06);
    c = column(sym, len, "lsi_ankle_dorsiflexion_pct");
    assert_float_equal(strtod(c.values[0], NULL), 100.0 * 33 / 40, 0.06);
    assert_float_equal(strtod(c.values[1], NULL), 100.0 * 35 / 40, 0.06);
    free(sym);

    char *prog = export_to_mem(&st, EXPORT_PROGRESS, &all, &len);
    c = column(prog, len, "shin_sensor_site_mm_below_knee");
    assert_string_equal(c.values[0], "150");
    assert_string_equal(c.values[2], "100");
    c = column(prog, len, "best_weight_bearing_dorsiflexion_deg");
    assert_string_equal(c.values[0], "40.00");
    assert_string_equal(c.values[1], "33.00");
    c = column(prog, len, "adherence_pct");
    assert_string_equal(c.values[0], "100.0"); /* 6 reps + 2 holds of 6 + 2 */
    assert_string_equal(c.values[1], "87.5");  /* 5 + 2 of 8 */
    free(prog);

    /* Side and date filters. */
    export_filter right = {.side = SIDE_RIGHT};
    char *det = export_to_mem(&st, EXPORT_DETAIL, &right, &len);
    c = column(det, len, "side");
    assert_int_equal(c.n, 2 * (5 + 2));
    for (int i = 0; i < c.n; i++)
        assert_string_equal(c.values[i], "right");
    c = column(det, len, "tempo_feedback");
    assert_string_equal(c.values[0], "good");
    assert_string_equal(c.values[4], "slower"); /* the 1 s rise */
    free(det);
    export_filter late = {.side = SIDE_BOTH, .from_unix_us = T_20261120_0800 + DAY_US};
    det = export_to_mem(&st, EXPORT_SUMMARY, &late, &len);
    c = column(det, len, "session_id");
    assert_int_equal(c.n, 4);
    assert_string_equal(c.values[0], "20261122-080000");
    free(det);
    export_filter early = {.side = SIDE_BOTH, .to_unix_us = T_20261120_0800 + DAY_US};
    det = export_to_mem(&st, EXPORT_SUMMARY, &early, &len);
    c = column(det, len, "session_id");
    assert_int_equal(c.n, 4);
    assert_string_equal(c.values[0], "20261120-080000");
    free(det);
    export_filter none = {.side = SIDE_BOTH, .session = "20991231-000000"};
    FILE *f = fopen("/dev/null", "w");
    assert_int_equal(export_write(f, &st, EXPORT_DETAIL, &none), CT_ENOENT);
    fclose(f);
}

static void test_damaged_session_is_left_out(void **state)
{
    (void)state;
    store st;
    make_store(&st, "damaged");
    char path[1200];
    assert_int_equal(store_path(&st, "20261120-080000", "prescription.csv", path, sizeof path), 0);
    FILE *f = fopen(path, "w");
    fputs("exercise\nbogus\n", f);
    fclose(f);
    export_filter all = {.side = SIDE_BOTH};
    size_t len;
    char *sum = export_to_mem(&st, EXPORT_SUMMARY, &all, &len);
    col_state c = column(sum, len, "session_id");
    assert_int_equal(c.n, 4);
    assert_string_equal(c.values[0], "20261122-080000");
    free(sum);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_and_round_trip),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_damaged_session_is_left_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
