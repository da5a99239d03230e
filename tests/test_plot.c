/* test_plot.c - charts rendered by gnuplot to PNG and SVG are valid files showing the
 * data (PNG signature and dimensions, SVG with every series); separate lines per sensor
 * site; no gnuplot, a bad extension, an empty store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "calftrack/err.h"
#include "calftrack/journal.h"
#include "calftrack/plot.h"
#include "support/png.h"
#include "support/tmpdir.h"

#define DAY_US INT64_C(86400000000)
#define T0 INT64_C(1795161600000000) /* 2026-11-20T08:00:00Z */

static const char RX[] = "exercise,side,sets,reps,hold_s,target,target_unit,rest_s,tempo\n"
                         "calf_raise,both,1,3,1,,,60,2-1-2\n"
                         "lunge_stretch,both,1,1,30,32,deg,30,\n"
                         "band_stretch,both,1,1,30,15,deg,30,\n";

static store_event ev_of(int item, ct_exercise ex, ct_event_kind k, ct_side side, int n,
                         float deg, float h, int64_t t, int site)
{
    store_event e;
    memset(&e, 0, sizeof e);
    e.item = item;
    e.site_mm = site;
    e.ev.kind = k;
    e.ev.exercise = ex;
    e.ev.side = side;
    e.ev.placement = ex == EX_BAND_STRETCH ? PLACE_FOOT : PLACE_SHIN;
    e.ev.set = 1;
    e.ev.number = n;
    e.ev.t_start_us = t;
    e.ev.t_end_us = t + (k == EV_HOLD ? 32000000 : 5000000);
    e.ev.peak_deg = deg;
    e.ev.height_cm = h;
    e.ev.hold_s = k == EV_HOLD ? 30 : 1;
    e.ev.target = k == EV_HOLD ? 35 : 0;
    return e;
}

/* Five days; the right side improves 2 deg a day; the shin site moves on day 3. */
static void make_store(store *st, const char *name, int days)
{
    char root[512];
    test_path(root, sizeof root, name);
    assert_int_equal(store_open(st, root), 0);
    presc rx;
    presc_error perr;
    assert_int_equal(presc_parse("rx", RX, strlen(RX), &rx, &perr), 0);
    for (int d = 0; d < days; d++) {
        store_meta m;
        memset(&m, 0, sizeof m);
        m.start_unix_us = T0 + d * DAY_US;
        m.pain_before = 5;
        m.pain_after = 3;
        m.settings.body_mass_kg = 75;
        m.settings.injured_side = SIDE_RIGHT;
        m.settings.shin_site_mm = d < 3 ? 150 : 100;
        journal j;
        assert_int_equal(journal_begin(&j, st, &rx, &m), 0);
        int64_t t = 2000000;
        for (int side = 0; side < 2; side++) {
            for (int r = 0; r < 3 - side * (d < 2); r++, t += 6000000) {
                store_event e = ev_of(0, EX_CALF_RAISE, EV_REP, (ct_side)side, r + 1, 20,
                                      side ? 7.0f + 0.3f * (float)d : 9.5f, t, m.settings.shin_site_mm);
                assert_int_equal(journal_event(&j, &e), 0);
            }
            store_event e = ev_of(1, EX_LUNGE_STRETCH, EV_HOLD, (ct_side)side, 1,
                                  side ? 30.0f + 2.0f * (float)d : 40.0f, 0, t, m.settings.shin_site_mm);
            assert_int_equal(journal_event(&j, &e), 0);
            t += 40000000;
            e = ev_of(2, EX_BAND_STRETCH, EV_HOLD, (ct_side)side, 1, side ? 10.0f : 16.0f, 0, t, 0);
            assert_int_equal(journal_event(&j, &e), 0);
            t += 40000000;
        }
        assert_int_equal(journal_end(&j, STATUS_COMPLETE), 0);
    }
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(4 << 20);
    *len = fread(buf, 1, (4 << 20) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

/* a chart with lines and text, not an empty canvas */
static void check_png(const char *path, unsigned w, unsigned h)
{
    assert_true(test_png_ok(path, w, h, 8000));
}

static char *render(const store *st, plot_kind k, const char *file, const char *session)
{
    static char out[1024];
    const char *keep = getenv("CALFTRACK_KEEP_PLOTS"); /* look at them */
    if (keep)
        snprintf(out, sizeof out, "%s/%s", keep, file);
    else
        test_path(out, sizeof out, file);
    plot_request req;
    memset(&req, 0, sizeof req);
    req.kind = k;
    req.out_path = out;
    req.scripts_dir = "plots";
    req.flt.side = SIDE_BOTH;
    req.flt.session = session;
    int rc = plot_run(st, &req);
    if (rc)
        fail_msg("plot %s -> %s: %s", plot_kind_name(k), file, ct_strerror(rc));
    return out;
}

static void test_png_and_svg_of_every_chart(void **state)
{
    (void)state;
    char gp[512];
    if (plot_find_gnuplot(NULL, gp, sizeof gp) != 0)
        skip(); /* the installer brings gnuplot; without it only the failure paths run */
    store st;
    make_store(&st, "charts", 5);
    for (int k = 0; k < PLOT_KIND_COUNT; k++) {
        char name[64];
        snprintf(name, sizeof name, "%s.png", plot_kind_name((plot_kind)k));
        check_png(render(&st, (plot_kind)k, name, NULL), 1024, 640);
    }
    size_t len;
    char *svg = slurp(render(&st, PLOT_PROGRESS, "progress.svg", NULL), &len);
    assert_non_null(strstr(svg, "<svg"));
    assert_non_null(strstr(svg, "left, weight-bearing lunge, shin 150 mm below knee"));
    assert_non_null(strstr(svg, "right, weight-bearing lunge, shin 150 mm below knee"));
    /* The other site is its own line, never joined to the first. */
    assert_non_null(strstr(svg, "right, weight-bearing lunge, shin 100 mm below knee"));
    assert_non_null(strstr(svg, "left, seated band stretch"));
    assert_non_null(strstr(svg, "target 32 deg")); /* as prescribed */
    assert_non_null(strstr(svg, "right, shin 150 mm below knee: first value +-MDC 4.6 deg"));
    assert_non_null(strstr(svg, "Ankle dorsiflexion (deg)"));
    assert_non_null(strstr(svg, "rgb( 31,  96, 196)"));  /* left blue */
    assert_non_null(strstr(svg, "rgb(214,  39,  40)"));  /* right red */
    free(svg);
    svg = slurp(render(&st, PLOT_SYMMETRY, "symmetry.svg", NULL), &len);
    assert_non_null(strstr(svg, "heel-rise work"));
    assert_non_null(strstr(svg, "lunge dorsiflexion"));
    assert_non_null(strstr(svg, "LSI (%)"));
    assert_non_null(strstr(svg, "heel-rise work, shin 150 mm below knee"));
    assert_non_null(strstr(svg, "heel-rise work, shin 100 mm below knee"));
    free(svg);
    svg = slurp(render(&st, PLOT_SESSION, "session.svg", "20261120-080000"), &len);
    assert_non_null(strstr(svg, "Session 20261120-080000"));
    assert_non_null(strstr(svg, "Heel rise (cm)"));
    free(svg);
    svg = slurp(render(&st, PLOT_ADHERENCE, "adherence.svg", NULL), &len);
    assert_non_null(strstr(svg, "prescribed"));
    assert_non_null(strstr(svg, "2026-11-24"));
    free(svg);
    char pdf[1024];
    size_t plen;
    snprintf(pdf, sizeof pdf, "%s", render(&st, PLOT_PROGRESS, "progress.pdf", NULL));
    char *p = slurp(pdf, &plen);
    assert_memory_equal(p, "%PDF-", 5);
    free(p);
}

/* The data handed to gnuplot: the numbers of the store, series split by site. */
static void test_data_files(void **state)
{
    (void)state;
    store st;
    make_store(&st, "data", 5);
    char dir[1024];
    test_path(dir, sizeof dir, "datadir");
    mkdir(dir, 0700);
    plot_request req;
    memset(&req, 0, sizeof req);
    req.kind = PLOT_PROGRESS;
    req.flt.side = SIDE_BOTH;
    char *vars = NULL;
    size_t vlen;
    FILE *v = open_memstream(&vars, &vlen);
    assert_int_equal(plot_write_data(&st, &req, dir, v), 0);
    fclose(v);
    assert_non_null(strstr(vars, "nseries = 6\n")); /* lunge L150 L100 R150 R100, band L R */
    free(vars);
    char path[1100];
    snprintf(path, sizeof path, "%s/progress.dat", dir);
    size_t len;
    char *d = slurp(path, &len);
    const char *r = strstr(d, "\"right, weight-bearing lunge, shin 150 mm below knee\"\n"
                              "2026-11-20 30.00\n2026-11-21 32.00\n2026-11-22 34.00\n\n\n");
    assert_non_null(r);
    assert_non_null(strstr(d, "\"right, weight-bearing lunge, shin 100 mm below knee\"\n"
                              "2026-11-23 36.00\n2026-11-24 38.00\n"));
    free(d);
}

static void test_failures(void **state)
{
    (void)state;
    store st;
    make_store(&st, "fail", 1);
    char out[1024];
    test_path(out, sizeof out, "x.png");
    plot_request req;
    memset(&req, 0, sizeof req);
    req.kind = PLOT_PROGRESS;
    req.out_path = out;
    req.scripts_dir = "plots";
    req.flt.side = SIDE_BOTH;
    req.gnuplot = "/nonexistent/gnuplot";
    assert_int_equal(plot_run(&st, &req), CT_EUNSUPPORTED);
    char buf[256];
    assert_int_equal(plot_find_gnuplot("no-such-gnuplot-program", buf, sizeof buf), CT_EUNSUPPORTED);
    req.gnuplot = NULL;
    test_path(out, sizeof out, "x.bmp");
    assert_int_equal(plot_run(&st, &req), CT_EARG);
    store empty;
    make_store(&empty, "empty", 0);
    test_path(out, sizeof out, "e.png");
    assert_int_equal(plot_run(&empty, &req), CT_ENOENT);
    req.kind = PLOT_SESSION;
    req.flt.session = "20991231-000000";
    assert_int_equal(plot_run(&st, &req), CT_ENOENT);
    plot_format f;
    assert_int_equal(plot_format_of("a.SVG", &f), 0);
    assert_int_equal(f, PLOT_SVG);
    assert_int_equal(plot_format_of("noext", &f), CT_EARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_png_and_svg_of_every_chart),
        cmocka_unit_test(test_data_files),
        cmocka_unit_test(test_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
