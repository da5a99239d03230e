/* test_clinical.c - work, limb symmetry, tempo verdicts, the per-side summary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "calftrack/clinical.h"

static void test_work(void **state)
{
    (void)state;
    assert_float_equal(clin_work_j(70, 9.5f), 70 * 9.81 * 0.095, 1e-4);
    assert_float_equal(clin_work_j(0, 9.5f), 0, 0);
    assert_float_equal(clin_work_j(70, -1), 0, 0);
    assert_float_equal(clin_work_j(NAN, 5), 0, 0);
}

static void test_lsi(void **state)
{
    (void)state;
    assert_float_equal(clin_lsi_pct(76, 100), 76, 1e-4);
    assert_true(isnan(clin_lsi_pct(5, 0)));
    assert_true(isnan(clin_lsi_pct(NAN, 10)));
    assert_float_equal(clin_lsi_pct(0, 10), 0, 0);
}

static void test_tempo(void **state)
{
    (void)state;
    presc_item it;
    memset(&it, 0, sizeof it);
    it.exercise = EX_CALF_RAISE;
    assert_int_equal(clin_tempo_check(&it, 0.3f, 0, 0.3f), TEMPO_NONE);
    it.has_tempo = true;
    it.tempo_up_s = 2;
    it.tempo_top_s = 1;
    it.tempo_down_s = 2;
    assert_int_equal(clin_tempo_check(&it, 2.1f, 0.9f, 1.8f), TEMPO_GOOD);
    assert_int_equal(clin_tempo_check(&it, 1.49f, 1, 2), TEMPO_TOO_FAST);
    assert_int_equal(clin_tempo_check(&it, 1.51f, 1, 2), TEMPO_GOOD);
    assert_int_equal(clin_tempo_check(&it, 2, 0.5f, 2), TEMPO_TOO_FAST);
    assert_int_equal(clin_tempo_check(&it, 2, 1, 4.5f), TEMPO_TOO_SLOW);
    assert_string_equal(clin_tempo_word(TEMPO_TOO_FAST), "slower");
    assert_string_equal(clin_tempo_word(TEMPO_GOOD), "good");
    it.tempo_top_s = 0; /* no hold prescribed: the top is not judged */
    assert_int_equal(clin_tempo_check(&it, 2, 0.0f, 2), TEMPO_GOOD);
    it.exercise = EX_LUNGE_STRETCH;
    assert_int_equal(clin_tempo_check(&it, 0.1f, 0, 0.1f), TEMPO_NONE);
}

static void test_summary_and_symmetry(void **state)
{
    (void)state;
    presc p;
    memset(&p, 0, sizeof p);
    p.n = 2;
    p.item[0] = (presc_item){.exercise = EX_CALF_RAISE, .side = SIDE_BOTH, .sets = 3, .reps = 15};
    p.item[1] = (presc_item){.exercise = EX_LUNGE_STRETCH, .side = SIDE_BOTH, .sets = 3,
                             .reps = 1, .hold_s = 30};
    store_event ev[80];
    int n = 0;
    /* Left 45 reps of 9 cm; right (injured) 43 reps of 7 cm, 2 sets done. */
    for (int side = 0; side < 2; side++)
        for (int r = 0; r < (side ? 30 : 45); r++) {
            memset(&ev[n], 0, sizeof ev[n]);
            ev[n].item = 0;
            ev[n].ev.kind = EV_REP;
            ev[n].ev.exercise = EX_CALF_RAISE;
            ev[n].ev.side = (ct_side)side;
            ev[n].ev.set = 1 + r / 15;
            ev[n].ev.number = 1 + r % 15;
            ev[n].ev.height_cm = side ? 7.0f : 9.0f;
            ev[n].ev.up_s = 2;
            n++;
        }
    for (int side = 0; side < 2; side++) {
        memset(&ev[n], 0, sizeof ev[n]);
        ev[n].item = 1;
        ev[n].ev.kind = EV_HOLD;
        ev[n].ev.exercise = EX_LUNGE_STRETCH;
        ev[n].ev.side = (ct_side)side;
        ev[n].ev.set = 1;
        ev[n].ev.peak_deg = side ? 30.0f : 40.0f;
        ev[n].ev.hold_s = 30;
        n++;
    }
    /* Junk that must not count: an event of an unknown item, a gap, a wrong exercise. */
    memset(&ev[n], 0, sizeof ev[n]);
    ev[n].item = 7;
    ev[n++].ev.kind = EV_REP;
    memset(&ev[n], 0, sizeof ev[n]);
    ev[n++].ev.kind = EV_GAP;
    memset(&ev[n], 0, sizeof ev[n]);
    ev[n].item = 0;
    ev[n].ev.kind = EV_HOLD;
    ev[n++].ev.exercise = EX_BAND_STRETCH;

    clin_summary s;
    clin_summarize(&p, ev, n, 80, &s);
    assert_int_equal(s.n, 4);
    assert_int_equal(s.row[0].side, SIDE_LEFT);
    assert_int_equal(s.row[0].done, 45);
    assert_int_equal(s.row[0].prescribed, 45);
    assert_int_equal(s.row[0].sets_done, 3);
    assert_int_equal(s.row[1].done, 30);
    assert_int_equal(s.row[1].sets_done, 2);
    assert_float_equal(s.row[0].work_j, 45 * 80 * 9.81 * 0.09, 0.05);
    assert_float_equal(s.row[1].mean_height_cm, 7.0, 1e-5);
    assert_int_equal(s.row[2].done, 1);
    assert_float_equal(s.row[3].best_deg, 30, 0);

    clin_symmetry y;
    clin_symmetry_of(&s, SIDE_RIGHT, &y);
    assert_float_equal(y.lsi_reps_pct, 100.0 * 30 / 45, 1e-3);
    assert_float_equal(y.lsi_height_pct, 100.0 * 7 / 9, 1e-3);
    assert_float_equal(y.lsi_work_pct, 100.0 * (30 * 7.0) / (45 * 9.0), 1e-3);
    assert_float_equal(y.lsi_lunge_pct, 75, 1e-3);
    clin_symmetry_of(&s, SIDE_LEFT, &y);
    assert_float_equal(y.lsi_lunge_pct, 100.0 * 40 / 30, 1e-3);
    clin_symmetry_of(&s, SIDE_BOTH, &y);
    assert_true(isnan(y.lsi_reps_pct));
    assert_float_equal(y.reps[0], 45, 0);
    /* No body mass: no work, and no work index. */
    clin_summarize(&p, ev, n, 0, &s);
    clin_symmetry_of(&s, SIDE_RIGHT, &y);
    assert_true(isnan(y.lsi_work_pct));
    assert_false(isnan(y.lsi_height_pct));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_work),
        cmocka_unit_test(test_lsi),
        cmocka_unit_test(test_tempo),
        cmocka_unit_test(test_summary_and_symmetry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
