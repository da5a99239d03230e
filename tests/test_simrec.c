/* test_simrec.c - a simulated patient written as a recording reads back sample for
 * sample through the receive path, and its truth CSV has one row per true event. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calftrack/err.h"
#include "calftrack/rx.h"
#include "calftrack/simrec.h"
#include "calftrack/source.h"
#include "support/tmpdir.h"

static size_t make_sim(sim *s, sim_step *plan, size_t cap, uint64_t seed)
{
    size_t n = sim_plan_random(plan, cap, EX_CALF_RAISE, 1, seed);
    sim_person person;
    sim_person_random(&person, seed);
    assert_int_equal(sim_init(s, &person, &sim_sensor_default, plan, n, PLACE_SHIN, SIDE_LEFT,
                              seed),
                     CT_OK);
    return n;
}

static int count_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    int n = 0, ch;
    while ((ch = fgetc(f)) != EOF)
        n += ch == '\n';
    fclose(f);
    return n;
}

static void recording_matches_the_simulator(void **state)
{
    (void)state;
    sim_step plan[256];
    sim *s = malloc(sizeof *s), *ref = malloc(sizeof *ref);
    make_sim(s, plan, 256, 7);
    char path[600], truth_path[600];
    test_path(path, sizeof path, "sim.ctr");
    test_path(truth_path, sizeof truth_path, "sim.csv");
    rec_header meta;
    memset(&meta, 0, sizeof meta);
    meta.placement = PLACE_SHIN;
    FILE *truth = fopen(truth_path, "w");
    simrec_stats st;
    assert_int_equal(simrec_write(s, path, &meta, truth, &st), CT_OK);
    fclose(truth);
    assert_true(st.samples > 1000);
    assert_int_equal(st.packets, (st.samples + 3) / 4);
    assert_true(st.events >= 5);
    assert_int_equal(count_lines(truth_path), (int)st.events + 1);

    /* the same seed again gives the raw samples the recording must hold */
    sim_step plan2[256];
    make_sim(ref, plan2, 256, 7);
    wire_info info;
    sim_wire_info(ref, &info);
    float acc = (float)info.acc_ug_per_lsb * 1e-6f, gyr = (float)info.gyr_udps_per_lsb * 1e-6f;
    ct_source *src;
    assert_int_equal(ct_source_open_recording(&src, path), CT_OK);
    assert_int_equal(ct_source_header(src)->source, REC_SOURCE_SIMULATOR);
    uint64_t n = 0, mismatches = 0;
    ct_sample buf[64];
    for (;;) {
        int k = ct_source_read(src, buf, 64, 0);
        assert_true(k >= 0);
        if (k == 0 && ct_source_get_state(src) == SRC_ENDED)
            break;
        for (int i = 0; i < k; i++, n++) {
            wire_sample raw;
            assert_true(sim_next(ref, &raw, NULL, NULL));
            assert_int_equal(buf[i].index, n);
            assert_int_equal(buf[i].t_us, (int64_t)(n * info.period_ns / 1000u));
            for (int a = 0; a < 3; a++)
                if (buf[i].acc_g[a] != (float)raw.acc[a] * acc ||
                    buf[i].gyr_dps[a] != (float)raw.gyr[a] * gyr)
                    mismatches++;
        }
    }
    assert_int_equal(n, st.samples);
    assert_int_equal(mismatches, 0);
    assert_int_equal(ct_source_stats(src)->lost_samples, 0);
    assert_int_equal(ct_source_stats(src)->bad_packets, 0);
    ct_source_close(src);
    /* never overwritten */
    make_sim(s, plan, 256, 8);
    assert_int_equal(simrec_write(s, path, &meta, NULL, &st), CT_EEXIST);
    free(s);
    free(ref);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(recording_matches_the_simulator),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
