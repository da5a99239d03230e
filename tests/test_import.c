/* test_import.c - CSV from other IMUs: units and columns as declared, exact timestamps,
 * clipping flagged, every bad line reported with its number and skipped, nothing usable
 * refused with no file left behind, and the result read back through the same receive
 * path as the pod's data. Fixtures are in tests/data/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calftrack/err.h"
#include "calftrack/import.h"
#include "calftrack/source.h"
#include "support/tmpdir.h"

#define MAXS 1024

typedef struct {
    int n;
    uint64_t line[64];
    char what[64][160];
} reports;

static void on_report(void *user, uint64_t line, const char *what)
{
    reports *r = user;
    if (r->n < 64) {
        r->line[r->n] = line;
        snprintf(r->what[r->n], sizeof r->what[r->n], "%s", what);
    }
    r->n++;
}

static void named(import_options *o, const char *acc, const char *gyr, const char *time)
{
    memset(o, 0, sizeof *o);
    assert_int_equal(import_parse_columns(acc, o->acc, 3), CT_OK);
    assert_int_equal(import_parse_columns(gyr, o->gyr, 3), CT_OK);
    if (time)
        assert_int_equal(import_parse_columns(time, &o->time, 1), CT_OK);
    o->time_unit_s = 1;
}

static int read_back(const char *path, ct_sample *out, rx_stats *st)
{
    ct_source *s;
    assert_int_equal(ct_source_open_recording(&s, path), CT_OK);
    assert_int_equal(ct_source_header(s)->source, REC_SOURCE_IMPORT);
    int n = 0, k;
    while ((k = ct_source_read(s, out + n, MAXS - n, 0)) > 0)
        n += k;
    assert_int_equal(k, 0);
    *st = *ct_source_stats(s);
    ct_source_close(s);
    return n;
}

static ct_sample got[MAXS];

static void test_clean_exact(void **state)
{
    (void)state;
    import_options o;
    named(&o, "ax,ay,az", "gx,gy,gz", "t");
    char out[512];
    test_path(out, sizeof out, "clean.rec");
    reports r = {0};
    import_result res;
    assert_int_equal(import_csv("tests/data/import_clean.csv", out, &o, on_report, &r, &res), CT_OK);
    assert_int_equal(r.n, 0);
    assert_int_equal(res.samples, 200);
    assert_int_equal(res.rows, 200);
    assert_int_equal(res.bad_rows, 0);
    assert_int_equal(res.clipped, 0);
    assert_true(fabs(res.rate_hz - 100.0) < 1e-6);
    rx_stats st;
    assert_int_equal(read_back(out, got, &st), 200);
    assert_int_equal(st.lost_samples + st.lost_packets + st.bad_packets + st.duplicates, 0);
    for (int i = 0; i < 200; i++) {
        assert_int_equal(got[i].t_us, (int64_t)i * 10000); /* exact, from the time column */
        assert_int_equal(got[i].index, (uint64_t)i);
        int ka = (int)(1000 * sin(i / 10.0)), kg = (int)(500 * cos(i / 7.0));
        assert_true(fabsf(got[i].acc_g[0] - (float)(ka * 0.000488)) < 1e-6f);
        assert_true(fabsf(got[i].acc_g[1] + (float)(ka * 0.000488)) < 1e-6f);
        assert_true(fabsf(got[i].acc_g[2] - (float)(2049 * 0.000488)) < 1e-6f);
        assert_true(fabsf(got[i].gyr_dps[0] - (float)(kg * 0.07)) < 1e-4f);
        assert_true(fabsf(got[i].gyr_dps[1] + (float)(kg * 0.07)) < 1e-4f);
    }
    /* the same input gives the same bytes */
    char again[512];
    test_path(again, sizeof again, "clean2.rec");
    assert_int_equal(import_csv("tests/data/import_clean.csv", again, &o, NULL, NULL, &res), CT_OK);
    FILE *a = fopen(out, "rb"), *b = fopen(again, "rb");
    int ca, cb;
    do {
        ca = fgetc(a);
        cb = fgetc(b);
        assert_int_equal(ca, cb);
    } while (ca != EOF);
    fclose(a);
    fclose(b);
    /* never overwritten */
    assert_int_equal(import_csv("tests/data/import_clean.csv", out, &o, NULL, NULL, &res), CT_EEXIST);
}

static void test_phone_units_ms_semicolon(void **state)
{
    (void)state;
    import_options o;
    named(&o, "accX,accY,accZ", "gyrX,gyrY,gyrZ", "time_ms");
    o.time_unit_s = 0.001;
    o.acc_unit = IMPORT_ACC_MS2;
    o.gyr_unit = IMPORT_GYR_RADS;
    o.delimiter = ';';
    char out[512];
    test_path(out, sizeof out, "phone.rec");
    reports r = {0};
    import_result res;
    assert_int_equal(import_csv("tests/data/import_phone.csv", out, &o, on_report, &r, &res), CT_OK);
    assert_int_equal(r.n, 0);
    assert_int_equal(res.samples, 300);
    assert_true(fabs(res.rate_hz - 50.0) < 1e-6);
    rx_stats st;
    assert_int_equal(read_back(out, got, &st), 300);
    for (int i = 0; i < 300; i++) {
        assert_int_equal(got[i].t_us, (int64_t)i * 20000); /* relative to the first row */
        assert_true(fabsf(got[i].acc_g[2] - 1.0f) < 0.0005f);  /* 9.80665 m/s2 = 1 g */
        assert_true(fabsf(got[i].gyr_dps[2] - 90.0f) < 0.04f); /* pi/2 rad/s */
        assert_true(fabsf(got[i].gyr_dps[0] - 5.7296f) < 0.04f);
    }
}

/* 300 rows at 50 Hz, the pod lying still reading z_ms2 (m/s2) on z, turning at
 * gz_rads; imported with the accelerometer unit given */
static const char *rest_file(double z_ms2, double gz_rads, import_acc_unit unit,
                             import_result *res)
{
    char in[512], out[512], name[32];
    static int k;
    test_path(in, sizeof in, "rest.csv");
    snprintf(name, sizeof name, "rest%d.rec", k++);
    test_path(out, sizeof out, name);
    FILE *f = fopen(in, "w");
    assert_non_null(f);
    fprintf(f, "t,ax,ay,az,gx,gy,gz\n");
    for (int i = 0; i < 300; i++)
        fprintf(f, "%.2f,%.4f,%.4f,%.4f,0.0010,-0.0020,%.4f\n", i * 0.02, 0.03 * ((i % 3) - 1),
                -0.02 * ((i % 5) - 2), z_ms2 + 0.01 * ((i % 7) - 3), gz_rads);
    fclose(f);
    import_options o;
    named(&o, "ax,ay,az", "gx,gy,gz", "t");
    o.acc_unit = unit;
    o.gyr_unit = IMPORT_GYR_RADS;
    assert_int_equal(import_csv(in, out, &o, NULL, NULL, res), CT_OK);
    assert_int_equal(res->samples, 300);
    return import_gravity_hint(res, &o);
}

/* What the accelerometer reads at rest tells a unit off by 9.81 or gravity taken out */
static void test_gravity_at_rest(void **state)
{
    (void)state;
    import_result res;
    assert_null(rest_file(9.81, 0.0, IMPORT_ACC_MS2, &res));
    assert_int_equal(res.rest_rows, 300);
    assert_true(fabs(res.acc_rest_g - 1.0) < 0.011);
    const char *h = rest_file(9.81, 0.0, IMPORT_ACC_G, &res);
    assert_non_null(h);
    assert_non_null(strstr(h, "--acc-unit m/s2"));
    assert_true(fabs(res.acc_rest_g - 9.81) < 0.011);
    h = rest_file(1.0, 0.0, IMPORT_ACC_MS2, &res); /* in g, declared m/s2 */
    assert_non_null(h);
    assert_non_null(strstr(h, "--acc-unit g"));
    h = rest_file(0.0, 0.0, IMPORT_ACC_MS2, &res); /* a phone's linear acceleration */
    assert_non_null(h);
    assert_non_null(strstr(h, "gravity taken out"));
    h = rest_file(5.0, 0.0, IMPORT_ACC_MS2, &res); /* half a g: something else is wrong */
    assert_non_null(h);
    assert_non_null(strstr(h, "does not read 1 g"));
    /* turning all along (0.5 rad/s): no row at rest, nothing can be said */
    assert_null(rest_file(0.0, 0.5, IMPORT_ACC_MS2, &res));
    assert_int_equal(res.rest_rows, 0);
}

/* 60 s at 50 Hz of a sensor tilting back and forth 20 deg about its x axis every 4 s,
 * the gyro written in rad/s as gx,gy,gz = sign * (rate, 0, 0), in the order given by
 * gyro_cols; imported with the gyro unit given */
static const char *tilt_file(double sign, const char *gyro_cols, import_gyr_unit unit,
                             double amp_deg, import_result *res)
{
    char in[512], out[512], name[32];
    static int k;
    test_path(in, sizeof in, "tilt.csv");
    snprintf(name, sizeof name, "tilt%d.rec", k++);
    test_path(out, sizeof out, name);
    FILE *f = fopen(in, "w");
    assert_non_null(f);
    fprintf(f, "t,ax,ay,az,gx,gy,gz\n");
    for (int i = 0; i < 3000; i++) {
        double t = i * 0.02, w = 2.0 * M_PI / 4.0;
        double th = amp_deg * M_PI / 180.0 * sin(w * t), rate = amp_deg * M_PI / 180.0 * w * cos(w * t);
        /* gravity seen from a sensor turned by th about x */
        fprintf(f, "%.2f,%.5f,%.5f,%.5f,%.6f,0.000100,-0.000200\n", t, 0.001 * ((i % 5) - 2),
                sin(th) + 0.002 * ((i % 3) - 1), cos(th), sign * rate);
    }
    fclose(f);
    import_options o;
    named(&o, "ax,ay,az", gyro_cols, "t");
    o.acc_unit = IMPORT_ACC_G;
    o.gyr_unit = unit;
    assert_int_equal(import_csv(in, out, &o, NULL, NULL, res), CT_OK);
    return import_gyro_hint(res, &o);
}

/* The gyro's turns are checked against the accelerometer's tilts */
static void test_gyro_matches_accelerometer(void **state)
{
    (void)state;
    import_result res;
    assert_null(tilt_file(1.0, "gx,gy,gz", IMPORT_GYR_RADS, 20.0, &res));
    assert_true(fabs(res.axes_dp / res.axes_pp - 1.0) < 0.05);
    const char *h = tilt_file(1.0, "gx,gy,gz", IMPORT_GYR_DPS, 20.0, &res); /* rad/s as dps */
    assert_non_null(h);
    assert_non_null(strstr(h, "--gyro-unit rad/s"));
    h = tilt_file(180.0 / M_PI, "gx,gy,gz", IMPORT_GYR_RADS, 20.0, &res); /* dps as rad/s */
    assert_non_null(h);
    assert_non_null(strstr(h, "--gyro-unit dps"));
    h = tilt_file(-1.0, "gx,gy,gz", IMPORT_GYR_RADS, 20.0, &res); /* mirrored */
    assert_non_null(h);
    assert_non_null(strstr(h, "mirrored"));
    h = tilt_file(1.0, "gy,gx,gz", IMPORT_GYR_RADS, 20.0, &res); /* x and y swapped */
    assert_non_null(h);
    assert_non_null(strstr(h, "same order"));
    /* the mirrored one with its gyro x taken the other way round: it matches */
    assert_null(tilt_file(-1.0, "-gx,gy,gz", IMPORT_GYR_RADS, 20.0, &res));
    assert_true(fabs(res.axes_dp / res.axes_pp - 1.0) < 0.05);
    /* hardly any turning (1 deg): nothing to tell */
    assert_null(tilt_file(-1.0, "gx,gy,gz", IMPORT_GYR_RADS, 1.0, &res));
}

/* 10 s at 100 Hz (a fixed rate, no time column) of a sensor on the shin whose -y runs up
 * the shank (a phone upright, upside down), turning about its z from 1 to 9 s; imported
 * with the placement given (PLACE_UNKNOWN: none) */
static const char *shin_file(int placement, import_result *res, const char *name)
{
    char in[512], out[512];
    test_path(in, sizeof in, "shin.csv");
    test_path(out, sizeof out, name);
    FILE *f = fopen(in, "w");
    assert_non_null(f);
    fprintf(f, "ax,ay,az,gx,gy,gz\n");
    for (int i = 0; i < 1000; i++) {
        double t = i * 0.01, w = 2.0 * M_PI / 2.0, amp = t > 1.0 && t < 9.0 ? 0.4 : 0.0;
        double th = amp * sin(w * t), rate = amp * w * cos(w * t) * 180.0 / M_PI;
        /* gravity along -y (5 deg of it toward +x), the sensor turned by th about z */
        double gx0 = 0.087, gy0 = -0.996;
        fprintf(f, "%.5f,%.5f,%.5f,0.100,-0.200,%.4f\n", gx0 * cos(th) + gy0 * sin(th),
                -gx0 * sin(th) + gy0 * cos(th), 0.001 * ((i % 3) - 1), rate);
    }
    fclose(f);
    import_options o;
    named(&o, "ax,ay,az", "gx,gy,gz", NULL);
    o.rate_hz = 100;
    o.acc_unit = IMPORT_ACC_G;
    o.gyr_unit = IMPORT_GYR_DPS;
    o.meta.placement = (uint8_t)placement;
    assert_int_equal(import_csv(in, out, &o, NULL, NULL, res), CT_OK);
    return import_axes_hint(res, &o);
}

/* The analysis takes the pod's axes (x up the shank): a sensor on the shin with another
 * axis there has its axes relabelled when the placement shin is given, turned as a whole
 * (right-handed, the gyro with the accelerometer); without it they are kept and the
 * import says how to put it right. */
static void test_shin_axes_turned_to_the_pods(void **state)
{
    (void)state;
    import_result res;
    char out[512];
    assert_null(shin_file(PLACE_SHIN, &res, "shin_turned.rec"));
    assert_int_equal(res.rest_axis, 1);
    assert_int_equal(res.rest_sign, -1);
    assert_true(res.rest_tilt_deg > 4.0 && res.rest_tilt_deg < 6.0);
    /* x = -y, y = z, z = -x */
    assert_int_equal(res.axis_from[0], 1);
    assert_int_equal(res.axis_sign[0], -1);
    assert_int_equal(res.axis_from[1], 2);
    assert_int_equal(res.axis_sign[1], 1);
    assert_int_equal(res.axis_from[2], 0);
    assert_int_equal(res.axis_sign[2], -1);
    /* the turn is a turn: the gyro's turns still fit the accelerometer's tilts */
    assert_true(res.axes_turn_rad >= 4.0);
    assert_true(fabs(res.axes_dp / res.axes_pp - 1.0) < 0.1);
    rx_stats st;
    test_path(out, sizeof out, "shin_turned.rec");
    assert_int_equal(read_back(out, got, &st), 1000);
    assert_true(fabsf(got[5].acc_g[0] - 0.996f) < 0.002f);  /* up the shank: +x */
    assert_true(fabsf(got[5].acc_g[2] + 0.087f) < 0.002f);  /* the CSV's x, turned */
    assert_true(fabsf(got[5].gyr_dps[0] - 0.2f) < 0.08f);   /* -gy */
    assert_true(fabsf(got[5].gyr_dps[1]) < 0.08f);          /* gz, not turning yet */
    assert_true(fabsf(got[5].gyr_dps[2] + 0.1f) < 0.08f);   /* -gx */
    /* turning about the CSV's z is turning about the recording's y */
    assert_true(fabsf(got[200].gyr_dps[1] - 72.0f) < 1.0f);

    /* no placement: the axes as given, and a note that says what to do */
    const char *h = shin_file(PLACE_UNKNOWN, &res, "shin_as_given.rec");
    assert_non_null(h);
    assert_non_null(strstr(h, "--placement shin"));
    assert_int_equal(res.axis_from[0], 0);
    assert_int_equal(res.axis_sign[0], 1);
    test_path(out, sizeof out, "shin_as_given.rec");
    assert_int_equal(read_back(out, got, &st), 1000);
    assert_true(fabsf(got[5].acc_g[1] + 0.996f) < 0.002f);
    /* on the foot standing or seated either axis may be up: nothing said, nothing turned */
    assert_null(shin_file(PLACE_FOOT, &res, "foot_as_given.rec"));
    assert_int_equal(res.axis_from[0], 0);
}

static void test_fixed_rate_numbered_tab(void **state)
{
    (void)state;
    import_options o;
    named(&o, "1,2,3", "4,5,6", NULL);
    o.rate_hz = 200;
    o.delimiter = '\t';
    char out[512];
    test_path(out, sizeof out, "rate.rec");
    import_result res;
    assert_int_equal(import_csv("tests/data/import_rate.tsv", out, &o, NULL, NULL, &res), CT_OK);
    assert_int_equal(res.samples, 120);
    rx_stats st;
    assert_int_equal(read_back(out, got, &st), 120);
    for (int i = 0; i < 120; i++)
        assert_int_equal(got[i].t_us, (int64_t)i * 5000);
    assert_true(fabsf(got[7].acc_g[2] - 1.0f) < 0.0005f);
    assert_true(fabsf(got[7].gyr_dps[0] - 10.0f) < 0.04f);
}

static void test_bad_lines_reported(void **state)
{
    (void)state;
    import_options o;
    named(&o, "ax,ay,az", "gx,gy,gz", "t");
    char out[512];
    test_path(out, sizeof out, "bad.rec");
    reports r = {0};
    import_result res;
    assert_int_equal(import_csv("tests/data/import_bad.csv", out, &o, on_report, &r, &res), CT_OK);
    const uint64_t want[] = {4, 5, 6, 7, 8, 11, 13, 15, 16, 17, 18};
    assert_int_equal(r.n, 11);
    for (int i = 0; i < 11; i++)
        assert_int_equal(r.line[i], want[i]);
    assert_non_null(strstr(r.what[0], "'abc'"));
    assert_non_null(strstr(r.what[1], "empty"));
    assert_non_null(strstr(r.what[2], "4 fields"));
    assert_non_null(strstr(r.what[5], "not after"));
    assert_int_equal(res.bad_rows, 11);
    assert_int_equal(res.rows, 16);
    assert_int_equal(res.samples, 5); /* lines 2, 3, 12, 14, 19 */
    assert_int_equal(res.clipped, 1);
    rx_stats st;
    int n = read_back(out, got, &st);
    assert_int_equal(n, 5);
    assert_int_equal(got[2].t_us, 70000);
    assert_true(fabsf(got[2].acc_g[0] - 0.5f) < 0.0005f); /* the quoted "0.5" */
    assert_int_equal(got[3].flags & (CT_SAMPLE_ACC_CLIP | CT_SAMPLE_GYR_CLIP),
                     CT_SAMPLE_ACC_CLIP | CT_SAMPLE_GYR_CLIP);
    assert_true(got[3].acc_g[2] > 15.9f);
    assert_int_equal(st.clipped, 1);
    /* the holes the skipped rows left in time read back as lost samples, marked */
    assert_true(st.lost_samples > 0);
    assert_true(got[2].flags & CT_SAMPLE_GAP);
}

static void test_nothing_usable(void **state)
{
    (void)state;
    import_options o;
    named(&o, "1,2,3", "1,2,3", "1");
    char out[512];
    test_path(out, sizeof out, "none.rec");
    import_result res;
    assert_int_equal(import_csv("tests/data/import_allbad.csv", out, &o, NULL, NULL, &res), CT_EFORMAT);
    assert_int_equal(access(out, F_OK), -1);
    /* with a time column there is no rate without two good rows in a row: the rows that
     * were bad are still named, line by line */
    reports rt = {0};
    assert_int_equal(import_csv("tests/data/import_allbad.csv", out, &o, on_report, &rt, &res), CT_EFORMAT);
    assert_int_equal(rt.n, 2);
    assert_int_equal(res.bad_rows, 2);
    assert_int_equal(res.lines, 3);
    char one[512];
    test_path(one, sizeof one, "onegood.csv");
    FILE *f = fopen(one, "w");
    assert_non_null(f);
    fputs("t,ax,ay,az,gx,gy,gz\n0,0,0,1,0,0,0\n0.01,0,x,1,0,0,0\n", f);
    fclose(f);
    named(&o, "ax,ay,az", "gx,gy,gz", "t");
    reports r1 = {0};
    assert_int_equal(import_csv(one, out, &o, on_report, &r1, &res), CT_EFORMAT);
    assert_int_equal(r1.n, 1);
    assert_int_equal(r1.line[0], 3);
    assert_non_null(strstr(r1.what[0], "(ay) is 'x'"));
    assert_int_equal(res.bad_rows, 1);
    assert_int_equal(access(out, F_OK), -1);
    named(&o, "1,2,3", "1,2,3", NULL);
    o.rate_hz = 100;
    reports r = {0};
    assert_int_equal(import_csv("tests/data/import_allbad.csv", out, &o, on_report, &r, &res), CT_EFORMAT);
    assert_int_equal(r.n, 2); /* "time,a,b" is a header; the other two rows are reported */
    assert_int_equal(access(out, F_OK), -1);
    /* a named column the header does not have */
    named(&o, "ax,ay,NOPE", "gx,gy,gz", "t");
    reports r2 = {0};
    assert_int_equal(import_csv("tests/data/import_clean.csv", out, &o, on_report, &r2, &res), CT_EFORMAT);
    assert_int_equal(r2.n, 1);
    assert_int_equal(r2.line[0], 1);
    assert_non_null(strstr(r2.what[0], "'NOPE'"));
    assert_int_equal(access(out, F_OK), -1);
    assert_int_equal(import_csv("tests/data/absent.csv", out, &o, NULL, NULL, &res), CT_ENOENT);
}

/* Random bytes drawn from what CSV is made of: never a crash, every row accounted for. */
static void test_hostile_bytes(void **state)
{
    (void)state;
    static const char alphabet[] = "0123456789.,,,,\"\"\n\r-+eE \t;#x";
    char in[512], out[512];
    test_path(in, sizeof in, "noise.csv");
    uint64_t r = 99;
    for (int round = 0; round < 20; round++) {
        FILE *f = fopen(in, "wb");
        assert_non_null(f);
        for (int i = 0; i < 20000; i++) {
            r = r * 6364136223846793005ull + 1442695040888963407ull;
            fputc(alphabet[(r >> 33) % (sizeof alphabet - 1)], f);
        }
        fclose(f);
        snprintf(out, sizeof out, "%s/noise%d.rec", test_tmpdir(), round);
        import_options o;
        named(&o, "1,2,3", "4,5,6", round % 2 ? "7" : NULL);
        o.rate_hz = 100;
        import_result res;
        int rc = import_csv(in, out, &o, NULL, NULL, &res);
        assert_true(rc == CT_OK || rc == CT_EFORMAT);
        if (rc == CT_OK) {
            assert_int_equal(res.samples + res.bad_rows, res.rows);
            rx_stats st;
            assert_int_equal(read_back(out, got, &st), (int)res.samples);
        } else {
            assert_int_equal(access(out, F_OK), -1);
        }
    }
}

static void test_column_specs(void **state)
{
    (void)state;
    import_column c[3];
    assert_int_equal(import_parse_columns("2,3,4", c, 3), CT_OK);
    assert_int_equal(c[2].number, 4);
    assert_int_equal(import_parse_columns("a x,b,c", c, 3), CT_OK);
    assert_string_equal(c[0].name, "a x");
    assert_int_equal(import_parse_columns("1,2", c, 3), CT_EARG);
    assert_int_equal(import_parse_columns("1,2,3,4", c, 3), CT_EARG);
    assert_int_equal(import_parse_columns("1,,3", c, 3), CT_EARG);
    assert_int_equal(import_parse_columns("0,1,2", c, 3), CT_EARG);
    assert_int_equal(import_parse_columns("", c, 1), CT_EARG);
    /* a '-' turns an axis's sign */
    assert_int_equal(import_parse_columns("ax,-ay,-3", c, 3), CT_OK);
    assert_false(c[0].negate);
    assert_true(c[1].negate);
    assert_string_equal(c[1].name, "ay");
    assert_true(c[2].negate);
    assert_int_equal(c[2].number, 3);
    assert_int_equal(import_parse_columns("1,-0,2", c, 3), CT_EARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_exact),
        cmocka_unit_test(test_phone_units_ms_semicolon),
        cmocka_unit_test(test_fixed_rate_numbered_tab),
        cmocka_unit_test(test_gravity_at_rest),
        cmocka_unit_test(test_gyro_matches_accelerometer),
        cmocka_unit_test(test_shin_axes_turned_to_the_pods),
        cmocka_unit_test(test_bad_lines_reported),
        cmocka_unit_test(test_nothing_usable),
        cmocka_unit_test(test_hostile_bytes),
        cmocka_unit_test(test_column_specs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
