/* test_analysis.c - the whole pipeline on synthetic pods: counts, numbers, grades,
 * placement, the set boundary and hostile timing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "accuracy_run.h"
#include "analysis_synth.h"
#include "calftrack/analysis.h"
#include "calftrack/sim.h"
#include "support/minjerk.h"

#define MAXEV 64

typedef struct {
    ct_analysis a;
    synth_pod p;
    double t;
    ct_event ev[MAXEV];
    int nev;
    int dup_every; /* repeat the timestamp of every n-th sample (0: never) */
} rig;

static void rig_init(rig *r, const ct_rx_item *rx, ct_placement place, float strap, float rate)
{
    memset(r, 0, sizeof *r);
    synth_init(&r->p, place, strap, rate);
    r->p.gyr_bias_dps = v3(3.0f, -4.0f, 2.5f);
    r->p.gyr_noise_dps = 0.1f;
    r->p.acc_noise_g = 0.002f;
    assert_int_equal(analysis_init(&r->a, rx, rate), CT_OK);
}

static void collect(rig *r, const ct_event *ev, int n)
{
    for (int i = 0; i < n && r->nev < MAXEV; i++)
        if (ev[i].kind == EV_REP || ev[i].kind == EV_HOLD || ev[i].kind == EV_WRONG_PLACEMENT)
            r->ev[r->nev++] = ev[i];
}

/* Plays dur_s of motion: angle from th0 to th1 (cosine ramp), height from z0 to z1. */
static void play(rig *r, float dur_s, float th0, float th1, float z0_cm, float z1_cm)
{
    float rate = r->p.rate_hz;
    int n = (int)lroundf(dur_s * rate);
    for (int i = 0; i < n; i++) {
        float u = (float)i / (float)n;
        float th = th0 + (th1 - th0) * synth_ramp(u);
        float w = (th1 - th0) * synth_dramp(u) / dur_s;
        /* heights move minimum-jerk, as people do (no step in acceleration) */
        float dz = (z1_cm - z0_cm) * 0.01f;
        float az = mj_acc(dz, dur_s, u);
        ct_sample s = synth_sample(&r->p, r->t, th, w, az);
        if (r->dup_every && s.index % (uint64_t)r->dup_every == 0 && s.index > 0)
            s.t_us -= (int64_t)(1e6f / rate); /* shares the previous sample's timestamp */
        ct_event ev[4];
        collect(r, ev, analysis_update(&r->a, &s, ev, 4));
        r->t += 1.0 / rate;
    }
}

static void calibrate(rig *r, float sway_deg)
{
    play(r, 2.5f, 0, 0, 0, 0);
    play(r, 1.0f, 0, sway_deg, 0, 0);
    play(r, 1.0f, sway_deg, 0, 0, 0);
    play(r, 1.5f, 0, 0, 0, 0);
}

static void lunge_holds_counted_and_measured(void **state)
{
    (void)state;
    ct_rx_item rx = {.exercise = EX_LUNGE_STRETCH, .side = SIDE_LEFT, .reps = 3, .hold_s = 10,
                     .target = 35, .unit = RX_UNIT_DEG, .up_s = 2, .down_s = 2};
    for (int strap = 0; strap < 360; strap += 60) {
        rig r;
        rig_init(&r, &rx, PLACE_SHIN, (float)strap, 104.0f);
        calibrate(&r, 8.0f);
        analysis_begin_set(&r.a, 1);
        play(&r, 2.0f, 0, 0, 0, 0);
        float peaks[3] = {38.0f, 36.0f, 24.0f}; /* the last one partial */
        float holds[3] = {10.0f, 7.0f, 10.0f};   /* the second one short */
        for (int k = 0; k < 3; k++) {
            play(&r, 2.5f, 0, peaks[k], 0, 0);
            play(&r, holds[k], peaks[k], peaks[k], 0, 0);
            play(&r, 2.5f, peaks[k], 0, 0, 0);
            play(&r, 3.0f, 0, 0, 0, 0);
        }
        ct_event ev[4];
        collect(&r, ev, analysis_end_set(&r.a, ev, 4));
        assert_int_equal(r.nev, 3);
        for (int k = 0; k < 3; k++) {
            assert_int_equal(r.ev[k].kind, EV_HOLD);
            assert_int_equal(r.ev[k].number, k + 1);
            assert_int_equal(r.ev[k].set, 1);
            assert_int_equal(r.ev[k].placement, PLACE_SHIN);
            assert_true(fabsf(r.ev[k].peak_deg - peaks[k]) < 0.5f);
        }
        /* time at or above 35 deg: the plateau plus the part of the ramps above it */
        assert_true(fabsf(r.ev[0].hold_s - 10.9f) < 0.3f);
        assert_int_equal(r.ev[0].grade, GRADE_FULL);
        assert_int_equal(r.ev[1].grade, GRADE_SHORT_HOLD);
        assert_int_equal(r.ev[2].grade, GRADE_PARTIAL);
    }
}

/* The last lunge hold given up: a third of the way into the stretch and straight back
 * to standing, then at once a step out of the lunge (a swing of the shank far faster
 * than any stretch) before a moment's rest. The attempt was over when it came back: it
 * counts, graded partial. */
static void lunge_attempt_then_stepping_out(void **state)
{
    (void)state;
    ct_rx_item rx = {.exercise = EX_LUNGE_STRETCH, .side = SIDE_LEFT, .reps = 2, .hold_s = 10,
                     .target = 30, .unit = RX_UNIT_DEG, .up_s = 2, .down_s = 2};
    rig r;
    rig_init(&r, &rx, PLACE_SHIN, 200.0f, 104.0f);
    calibrate(&r, 8.0f);
    analysis_begin_set(&r.a, 1);
    play(&r, 2.0f, 0, 0, 0, 0);
    play(&r, 2.5f, 0, 32.0f, 0, 0);
    play(&r, 10.0f, 32.0f, 32.0f, 0, 0);
    play(&r, 2.5f, 32.0f, 0, 0, 0);
    play(&r, 4.0f, 0, 0, 0, 0);
    play(&r, 0.8f, 0, 12.0f, 0, 0); /* the attempt */
    play(&r, 0.8f, 12.0f, 0, 0, 0);
    play(&r, 0.4f, 0, 0, 0, 0);
    play(&r, 0.1f, 0, -25.0f, 0, 0); /* stepping out */
    play(&r, 0.1f, -25.0f, 0, 0, 0);
    play(&r, 2.0f, 0, 0, 0, 0);
    ct_event ev[4];
    collect(&r, ev, analysis_end_set(&r.a, ev, 4));
    assert_int_equal(r.nev, 2);
    assert_int_equal(r.ev[0].grade, GRADE_FULL);
    assert_int_equal(r.ev[1].grade, GRADE_PARTIAL);
    assert_true(fabsf(r.ev[1].peak_deg - 12.0f) < 1.0f);
}

/* Plays dur_s with the shank upright and the pod moving (minimum jerk) from height z0 to
 * z1 and from x0 to x1 forward (cm). */
static void play_xz(rig *r, float dur_s, float z0_cm, float z1_cm, float x0_cm, float x1_cm)
{
    float rate = r->p.rate_hz;
    int n = (int)lroundf(dur_s * rate);
    synth_pod *p = &r->p;
    ct_quat ri = q_conj(p->mount);
    for (int i = 0; i < n; i++) {
        float u = (float)i / (float)n;
        float az = mj_acc((z1_cm - z0_cm) * 0.01f, dur_s, u);
        float ax = mj_acc((x1_cm - x0_cm) * 0.01f, dur_s, u);
        ct_vec3 f = q_rotate(ri, v3(ax / 9.80665f, 0.0f, 1.0f + az / 9.80665f));
        ct_sample s = synth_sample_sensor(p, r->t, f, v3(0.0f, 0.0f, 0.0f));
        ct_event ev[4];
        collect(r, ev, analysis_update(&r->a, &s, ev, 4));
        r->t += 1.0 / rate;
    }
}

/* A quick heel raise to 6 cm from x0_cm (forward, along the foot), the pod swung forward
 * to x_top_cm at the top as the foot turns about its ball, and back to x0_cm */
static void quick_raise_xz(rig *r, float x0_cm, float x_top_cm)
{
    play_xz(r, 0.45f, 0.0f, 6.0f, x0_cm, x_top_cm);
    play_xz(r, 0.3f, 6.0f, 6.0f, x_top_cm, x_top_cm);
    play_xz(r, 0.5f, 6.0f, 0.0f, x_top_cm, x0_cm);
}

/* A quick heel raise swings the pod forward as the foot turns about its ball, and back;
 * a foot lifted straight up and put down again, or lifted and carried on to be put down
 * further along, is no heel raise, however high it went. */
static void shin_foot_lift_is_no_raise(void **state)
{
    (void)state;
    ct_rx_item rx = {.exercise = EX_CALF_RAISE, .side = SIDE_RIGHT, .reps = 5, .hold_s = 1,
                     .target = 8, .unit = RX_UNIT_CM, .up_s = 1, .down_s = 1};
    rig r;
    rig_init(&r, &rx, PLACE_SHIN, 40.0f, 104.0f);
    calibrate(&r, 8.0f);
    analysis_begin_set(&r.a, 1);
    play(&r, 1.5f, 0, 0, 0, 0);
    /* a quick rep to 6 cm, 4 cm forward at the top */
    quick_raise_xz(&r, 0.0f, 4.0f);
    play(&r, 1.5f, 0, 0, 0, 0);
    assert_int_equal(r.nev, 1);
    /* the foot lifted 4 cm straight up and set down where it was */
    play_xz(&r, 0.35f, 0.0f, 4.0f, 0.0f, 0.0f);
    play_xz(&r, 0.35f, 4.0f, 0.0f, 0.0f, 0.0f);
    play(&r, 1.5f, 0, 0, 0, 0);
    /* lifted 3.5 cm, half way forward at the top, put down 4 cm ahead */
    play_xz(&r, 0.35f, 0.0f, 3.5f, 0.0f, 2.0f);
    play_xz(&r, 0.35f, 3.5f, 0.0f, 2.0f, 4.0f);
    play(&r, 1.5f, 0, 0, 0, 0);
    /* another quick rep from the new place */
    quick_raise_xz(&r, 4.0f, 8.0f);
    play(&r, 1.5f, 0, 0, 0, 0);
    ct_event ev[4];
    collect(&r, ev, analysis_end_set(&r.a, ev, 4));
    assert_int_equal(r.nev, 2);
    for (int k = 0; k < 2; k++) {
        assert_int_equal(r.ev[k].kind, EV_REP);
        assert_true(fabsf(r.ev[k].height_cm - 6.0f) < 0.6f);
    }
}

/* A foot shuffled a few cm (lifted 3.5 cm in 0.4 s, half way on at the top, set down
 * 3 cm ahead): within what a change of the tilt error could shift the pod over the
 * movement, but ending past its top, where it was put down, which a heel raise never
 * does (its integrated path lags back toward the start): no rep. A quick heel raise
 * after it still counts. */
static void shin_shuffle_is_no_raise(void **state)
{
    (void)state;
    ct_rx_item rx = {.exercise = EX_CALF_RAISE, .side = SIDE_RIGHT, .reps = 5, .hold_s = 1,
                     .target = 8, .unit = RX_UNIT_CM, .up_s = 1, .down_s = 1};
    rig r;
    rig_init(&r, &rx, PLACE_SHIN, 40.0f, 104.0f);
    calibrate(&r, 8.0f);
    analysis_begin_set(&r.a, 1);
    play(&r, 1.5f, 0, 0, 0, 0);
    play_xz(&r, 0.4f, 0.0f, 3.5f, 0.0f, 1.5f);
    play_xz(&r, 0.4f, 3.5f, 0.0f, 1.5f, 3.0f);
    play(&r, 1.5f, 0, 0, 0, 0);
    assert_int_equal(r.nev, 0);
    quick_raise_xz(&r, 3.0f, 7.0f);
    play(&r, 1.5f, 0, 0, 0, 0);
    ct_event ev[4];
    collect(&r, ev, analysis_end_set(&r.a, ev, 4));
    assert_int_equal(r.nev, 1);
    assert_int_equal(r.ev[0].kind, EV_REP);
    assert_true(fabsf(r.ev[0].height_cm - 6.0f) < 0.6f);
}

/* Each distractor-only recording (a calf raise set open all along, the pod on the shin)
 * of seeds[0..n) counts no rep. */
static void no_shin_raise(const uint64_t *seeds, int n)
{
    acc_stats st;
    memset(&st, 0, sizeof st);
    for (int i = 0; i < n; i++)
        acc_run_distractors(&st, EX_CALF_RAISE, PLACE_SHIN, seeds[i], 60.0f, 5.0f, false);
    assert_int_equal(st.phantom_runs, n);
    assert_int_equal(st.phantom_hits, 0);
}

/* Standing shuffles that read as a heel rise to a pod on the shin (distractor-only
 * recordings, a calf raise set open all along; each counted one before): a foot lifted
 * 2.5-4.5 cm and set down 2-4 cm away in 0.6-0.9 s. */
static void shin_shuffle_recordings_no_raise(void **state)
{
    (void)state;
    static const uint64_t seeds[] = {5000u, 5884u, 6884u, 7850u};
    no_shin_raise(seeds, 4);
}

/* Sitting on the floor with the leg out, the shank ~75 deg from its standing
 * reference, a fidget read 3.6 cm of rise to a pod on the shin (distractor-only
 * recording, a calf raise set open all along; it counted one before): no heel raise is
 * made there (6445). */
static void shin_fidget_sitting_on_the_floor_is_no_raise(void **state)
{
    (void)state;
    static const uint64_t seeds[] = {6445u};
    no_shin_raise(seeds, 1);
}

/* Standing fidgets that read as a heel rise to a pod on the shin (distractor-only
 * recordings, a calf raise set open all along; each counted one before the rules on
 * the shank's lean): a lean of the shank and back, whose sag while leaned the
 * integration turned into a rise topping once the shank was back (5493, 5697, 6309),
 * and leans of 15-23 deg, further than a heel raise tips the shank (5289, 5527). */
static void shin_lean_and_back_is_no_raise(void **state)
{
    (void)state;
    static const uint64_t seeds[] = {5493u, 5697u, 6309u, 5289u, 5527u};
    no_shin_raise(seeds, 5);
}

/* Standing fidgets that read as a heel rise to a pod on the shin (distractor-only
 * recordings, a calf raise set open all along; each counted one before): a lean of the
 * shank begun or ended within the movement, the shank ending it 11-14 deg from where it
 * began (7054, 7326, 7969), where a heel raise brings it back to its lean. */
static void shin_lean_left_elsewhere_is_no_raise(void **state)
{
    (void)state;
    static const uint64_t seeds[] = {7054u, 7326u, 7969u};
    no_shin_raise(seeds, 3);
}

/* Fidgets whose force error the integration made into a rise of 13-16 cm, standing
 * (6153: a lean of 3 deg) and seated (6343), with no landing: the way down came to the
 * floor at its full speed. */
static void shin_rise_without_a_landing_is_no_raise(void **state)
{
    (void)state;
    static const uint64_t seeds[] = {6153u, 6343u};
    no_shin_raise(seeds, 2);
}

/* Standing fidgets (a foot lifted and set down, a lean, a bend of the knee) whose force
 * error the integration made into a rise of 3-7 cm over 2.4-4.7 s, coming down onto the
 * floor at 5-8 cm/s and at 65-97 % of the way down's peak speed: slower than a landing
 * missed by a long rep may be (REP_LAND_MPS), faster than the velocity error such a
 * short trace can gather (~1 cm/s a second). Each counted one before. */
static void shin_short_rise_arriving_fast_is_no_raise(void **state)
{
    (void)state;
    static const uint64_t seeds[] = {5051u, 6666u, 6374u, 6731u, 7411u, 7102u};
    no_shin_raise(seeds, 6);
}

/* Standing fidgets of 2-9 s that read as a heel rise to a pod on the shin and ended
 * with the shank turned 5-7 deg about the vertical (a foot lifted and set down turned):
 * more than a heel raise's turn out and back leaves over so short a span, with the
 * gyro's bias. Each counted one before. */
static void shin_short_rise_turned_is_no_raise(void **state)
{
    (void)state;
    static const uint64_t seeds[] = {6221u, 6969u, 7632u};
    no_shin_raise(seeds, 3);
}

/* Standing fidgets that read as a heel rise to a pod on the shin before the set had a
 * rep (distractor-only recordings, a calf raise set open all along; each counted one
 * before): a lean or a bend of the knee of 6-9 deg taken and kept, the shank still at
 * 0.9 of its furthest lean when the segment ended, where a heel raise brings it back
 * (5017, 5612, 5714). */
static void shin_first_rise_into_a_kept_lean_is_no_raise(void **state)
{
    (void)state;
    static const uint64_t seeds[] = {5017u, 5612u, 5714u};
    no_shin_raise(seeds, 3);
}

/* A rise of 2.7 cm the integration made over 6.8 s of standing still, begun 4.9 s
 * before the set opened, right after the calibration gesture (distractor-only
 * recording, a calf raise set open from then on; it counted one before): movement from
 * before the set, not a rep of it (7306). */
static void shin_rise_begun_before_the_set_is_no_raise(void **state)
{
    (void)state;
    static const uint64_t seeds[] = {7306u};
    no_shin_raise(seeds, 1);
}

/* Calf raise sets (pod on the shin) by people whose shank tips 10-12 deg at the top of
 * a 5.5-6.5 cm raise: out and back with sway it turned 25.1-25.6 deg in all, past the
 * 25 deg of a raise tipping 10, and the rep was dropped (3837: two reps of its second
 * set, 3519: the first of its third). Every set is counted exactly. */
static void shin_raise_tipping_far_is_counted(void **state)
{
    (void)state;
    static const uint64_t seeds[] = {3837u, 3519u};
    acc_stats st;
    memset(&st, 0, sizeof st);
    for (int i = 0; i < 2; i++)
        acc_run_session(&st, EX_CALF_RAISE, PLACE_SHIN, seeds[i], 3, 5.0f, false);
    assert_int_equal(st.sets, 6);
    assert_int_equal(st.reps_true, 87);
    assert_int_equal(st.reps_found, 87);
    assert_int_equal(st.sets_exact, 6);
}

/* A calf raise set (pod on the shin) begun straight after walking: the standing
 * reference was taken at the top of the first rise, 14 mg off, and the reps after it
 * ran on into each other (3899: 5 of the first set's 9 counted). Held steady at the
 * bottom, the pod shows the reference off; it is moved there and only the first rep,
 * traced against it, is lost. */
static void shin_reference_taken_on_the_toes_is_moved(void **state)
{
    (void)state;
    acc_stats st;
    memset(&st, 0, sizeof st);
    acc_run_session(&st, EX_CALF_RAISE, PLACE_SHIN, 3899u, 3, 5.0f, false);
    assert_int_equal(st.sets, 3);
    assert_int_equal(st.reps_true, 32);
    assert_int_equal(st.reps_found, 31);
    assert_int_equal(st.sets_exact, 2);
}

static void shin_calf_raise_height(void **state)
{
    (void)state;
    ct_rx_item rx = {.exercise = EX_CALF_RAISE, .side = SIDE_RIGHT, .reps = 5, .hold_s = 1,
                     .target = 8, .unit = RX_UNIT_CM, .up_s = 1, .down_s = 1};
    rig r;
    rig_init(&r, &rx, PLACE_SHIN, 123.0f, 208.0f);
    r.p.acc_bias_g = v3(0.02f, -0.015f, 0.01f);
    calibrate(&r, 8.0f);
    analysis_begin_set(&r.a, 2);
    play(&r, 1.0f, 0, 0, 0, 0);
    float h[5] = {9.0f, 8.5f, 8.0f, 5.0f, 9.5f};
    for (int k = 0; k < 5; k++) {
        play(&r, 1.0f, 0, 2.0f, 0, h[k]); /* the shank leans 2 deg at the top */
        play(&r, 1.0f, 2.0f, 2.0f, h[k], h[k]);
        play(&r, 1.0f, 2.0f, 0, h[k], 0);
        play(&r, 0.8f, 0, 0, 0, 0);
        /* emitted as soon as the heel is down: no counter lag */
        assert_int_equal(r.nev, k + 1);
    }
    for (int k = 0; k < 5; k++) {
        assert_int_equal(r.ev[k].kind, EV_REP);
        assert_int_equal(r.ev[k].set, 2);
        /* Known limit: after a long rest the trembling-rest test (for holds on the toes)
         * lets the first ~0.2 s of a rise go unseen, so the first rep reads low. */
        assert_true(fabsf(r.ev[k].height_cm - h[k]) < (k == 0 ? 1.6f : 0.4f));
        assert_true(r.ev[k].up_s > 0.3f && r.ev[k].up_s < 1.3f);
    }
    assert_int_equal(r.ev[3].grade, GRADE_PARTIAL);
    assert_int_equal(r.ev[4].grade, GRADE_FULL);
}

static void nothing_outside_a_set_and_count_restarts(void **state)
{
    (void)state;
    ct_rx_item rx = {.exercise = EX_CALF_RAISE, .reps = 3, .target = 30, .unit = RX_UNIT_DEG};
    rig r;
    rig_init(&r, &rx, PLACE_FOOT, 200.0f, 104.0f);
    calibrate(&r, -10.0f); /* toes up */
    /* warm-up reps before the set: nothing */
    for (int k = 0; k < 3; k++) {
        play(&r, 1.0f, 0, 35, 0, 0);
        play(&r, 1.0f, 35, 0, 0, 0);
        play(&r, 1.0f, 0, 0, 0, 0);
    }
    assert_int_equal(r.nev, 0);
    for (int set = 1; set <= 2; set++) {
        analysis_begin_set(&r.a, set);
        play(&r, 1.0f, 0, 0, 0, 0);
        for (int k = 0; k < 3; k++) {
            play(&r, 1.0f, 0, 35, 0, 0);
            play(&r, 1.0f, 35, 0, 0, 0);
            play(&r, 1.0f, 0, 0, 0, 0);
        }
        ct_event ev[4];
        collect(&r, ev, analysis_end_set(&r.a, ev, 4));
    }
    assert_int_equal(r.nev, 6);
    assert_int_equal(r.ev[2].number, 3);
    assert_int_equal(r.ev[3].number, 1); /* restarted */
    assert_int_equal(r.ev[3].set, 2);
    assert_true(fabsf(r.ev[0].peak_deg - 35.0f) < 0.7f);
}

/* Plays n samples held at angle th with a jolt of the pod along the vertical (the heels
 * landing on the floor, or a quick push-off), m/s^2. */
static void jolt(rig *r, float th, int n, float zacc_mps2)
{
    for (int i = 0; i < n; i++) {
        ct_sample s = synth_sample(&r->p, r->t, th, 0.0f, zacc_mps2);
        ct_event ev[4];
        collect(r, ev, analysis_update(&r->a, &s, ev, 4));
        r->t += 1.0 / r->p.rate_hz;
    }
}

/* Quick heel raises on the foot jolt the pod by more than a heel strike's 0.5 g: the
 * second rep's heels are dropped in a quarter of a second and land hard, the third is
 * pushed off as quickly. The forefoot stayed on the floor: all four reps count. */
static void foot_quick_raises_jolting_the_pod_counted(void **state)
{
    (void)state;
    ct_rx_item rx = {.exercise = EX_CALF_RAISE, .reps = 4, .target = 30, .unit = RX_UNIT_DEG};
    rig r;
    rig_init(&r, &rx, PLACE_FOOT, 200.0f, 104.0f);
    calibrate(&r, -10.0f);
    analysis_begin_set(&r.a, 1);
    play(&r, 1.0f, 0, 0, 0, 0);
    for (int k = 0; k < 4; k++) {
        if (k == 2)
            jolt(&r, 0.0f, 3, 7.0f);
        play(&r, k == 2 ? 0.3f : 1.0f, 0, 32, 0, 0);
        play(&r, 0.5f, 32, 32, 0, 0);
        play(&r, k == 1 ? 0.25f : 1.0f, 32, 0, 0, 0);
        if (k == 1)
            jolt(&r, 0.0f, 3, 7.0f);
        play(&r, 0.3f, 0, 0, 0, 0);
    }
    play(&r, 1.0f, 0, 0, 0, 0);
    ct_event ev[4];
    collect(&r, ev, analysis_end_set(&r.a, ev, 4));
    assert_int_equal(r.nev, 4);
    for (int k = 0; k < 4; k++) {
        assert_int_equal(r.ev[k].number, k + 1);
        assert_true(fabsf(r.ev[k].peak_deg - 32.0f) < 1.0f);
    }
}

/* A set begun with a raise cut short, lower than a bounce of the heels (8 deg), the
 * full reps following at once: it was the set's first rep (partial). In the next set the
 * same low raise is followed by a pause longer than a rep before the reps: a shift of
 * weight while getting ready, not counted. */
static void foot_low_first_raise_counted_when_reps_follow(void **state)
{
    (void)state;
    ct_rx_item rx = {.exercise = EX_CALF_RAISE, .reps = 3, .target = 30, .unit = RX_UNIT_DEG};
    rig r;
    rig_init(&r, &rx, PLACE_FOOT, 200.0f, 104.0f);
    calibrate(&r, -10.0f);
    for (int set = 1; set <= 2; set++) {
        analysis_begin_set(&r.a, set);
        play(&r, 1.5f, 0, 0, 0, 0);
        play(&r, 0.8f, 0, 8, 0, 0);
        play(&r, 0.8f, 8, 0, 0, 0);
        play(&r, set == 1 ? 0.5f : 4.0f, 0, 0, 0, 0);
        for (int k = 0; k < 3; k++) {
            play(&r, 1.0f, 0, 30, 0, 0);
            play(&r, 1.0f, 30, 0, 0, 0);
            play(&r, 0.5f, 0, 0, 0, 0);
        }
        play(&r, 1.0f, 0, 0, 0, 0);
        ct_event ev[4];
        collect(&r, ev, analysis_end_set(&r.a, ev, 4));
    }
    assert_int_equal(r.nev, 7);
    assert_int_equal(r.ev[0].number, 1);
    assert_true(fabsf(r.ev[0].peak_deg - 8.0f) < 1.0f);
    assert_int_equal(r.ev[0].grade, GRADE_PARTIAL);
    assert_int_equal(r.ev[3].number, 4);
    assert_int_equal(r.ev[4].set, 2);
    assert_int_equal(r.ev[4].number, 1);
    assert_true(fabsf(r.ev[4].peak_deg - 30.0f) < 1.0f);
}

/* The same with the pod on the shin: a first raise cut short at 2 cm (under a bounce of
 * the heels, 2.5 cm), the full reps of 7 cm following at once: the set's first rep,
 * partial; followed by a pause longer than a rep, a shift of weight, not counted. */
static void shin_low_first_raise_counted_when_reps_follow(void **state)
{
    (void)state;
    ct_rx_item rx = {.exercise = EX_CALF_RAISE, .side = SIDE_RIGHT, .reps = 3, .hold_s = 1,
                     .target = 7, .unit = RX_UNIT_CM, .up_s = 1, .down_s = 1};
    rig r;
    rig_init(&r, &rx, PLACE_SHIN, 123.0f, 104.0f);
    calibrate(&r, 8.0f);
    for (int set = 1; set <= 2; set++) {
        analysis_begin_set(&r.a, set);
        play(&r, 1.5f, 0, 0, 0, 0);
        play(&r, 0.8f, 0, 1.0f, 0, 2.0f);
        play(&r, 0.8f, 1.0f, 0, 2.0f, 0);
        play(&r, set == 1 ? 0.5f : 4.0f, 0, 0, 0, 0);
        for (int k = 0; k < 3; k++) {
            play(&r, 1.0f, 0, 2.0f, 0, 7.0f);
            play(&r, 0.5f, 2.0f, 2.0f, 7.0f, 7.0f);
            play(&r, 1.0f, 2.0f, 0, 7.0f, 0);
            play(&r, 0.8f, 0, 0, 0, 0);
        }
        play(&r, 1.0f, 0, 0, 0, 0);
        ct_event ev[4];
        collect(&r, ev, analysis_end_set(&r.a, ev, 4));
    }
    assert_int_equal(r.nev, 7);
    assert_int_equal(r.ev[0].number, 1);
    assert_true(fabsf(r.ev[0].height_cm - 2.0f) < 0.5f);
    assert_int_equal(r.ev[0].grade, GRADE_PARTIAL);
    assert_int_equal(r.ev[3].number, 4);
    assert_int_equal(r.ev[4].set, 2);
    assert_int_equal(r.ev[4].number, 1);
    assert_true(fabsf(r.ev[4].height_cm - 7.0f) < 0.5f);
}

static void wrong_placement_announced(void **state)
{
    (void)state;
    ct_rx_item rx = {.exercise = EX_LUNGE_STRETCH, .reps = 1, .hold_s = 5, .target = 30};
    rig r;
    rig_init(&r, &rx, PLACE_FOOT, 45.0f, 104.0f);
    /* gravity along the normal is also a seated shin: not told before the pose has been
     * kept still a while (the person asked to stand still does; seated, a pause is
     * shorter), and the wait for a standing pose goes on */
    play(&r, 4.0f, 0, 0, 0, 0);
    assert_int_equal(r.nev, 0);
    play(&r, 3.5f, 0, 0, 0, 0);
    assert_int_equal(r.nev, 1);
    assert_int_equal(r.ev[0].kind, EV_WRONG_PLACEMENT);
    assert_int_equal(r.ev[0].placement, PLACE_FOOT);
    /* and nothing is measured */
    analysis_begin_set(&r.a, 1);
    play(&r, 2.0f, 0, 0, 0, 0);
    play(&r, 2.0f, 0, 30, 0, 0);
    play(&r, 6.0f, 30, 30, 0, 0);
    play(&r, 2.0f, 30, 0, 0, 0);
    play(&r, 2.0f, 0, 0, 0, 0);
    assert_int_equal(r.nev, 1);
}

/* The pod moved from the foot to the shin seated after the band stretch, the leg
 * straight (the shank leans back 80 deg: gravity across the pod's x) and kept still:
 * that is no standing reference. The one taken once the person stands is, and the dog
 * reads from it. */
static void seated_shin_is_no_reference(void **state)
{
    (void)state;
    ct_rx_item rx = {.exercise = EX_DOWNWARD_DOG, .reps = 1, .hold_s = 5, .target = 25};
    for (int strap = 0; strap < 360; strap += 120) {
        rig r;
        rig_init(&r, &rx, PLACE_SHIN, (float)strap, 104.0f);
        play(&r, 4.0f, -80, -80, 0, 0);
        assert_int_equal(analysis_live(&r.a).state, LIVE_WAITING_STILL);
        assert_false(r.a.placement_told);
        /* stands up */
        play(&r, 1.5f, -80, 0, 0, 0);
        calibrate(&r, 8.0f);
        assert_true(r.a.placement_told);
        assert_int_equal(r.a.placement, PLACE_SHIN);
        assert_true(fabsf(r.a.align.up_ref.x) > 0.99f);
        assert_int_equal(r.nev, 0);
        analysis_begin_set(&r.a, 1);
        /* into the dog pose (the shank leans 18 deg), then the heels pressed down */
        play(&r, 1.5f, 0, 0, 0, 0);
        play(&r, 1.5f, 0, 18, 0, 0);
        play(&r, 3.0f, 18, 18, 0, 0);
        play(&r, 2.0f, 18, 27, 0, 0);
        play(&r, 7.0f, 27, 27, 0, 0);
        play(&r, 2.0f, 27, 18, 0, 0);
        play(&r, 2.0f, 18, 18, 0, 0);
        assert_int_equal(r.nev, 1);
        assert_int_equal(r.ev[0].kind, EV_HOLD);
        assert_true(fabsf(r.ev[0].peak_deg - 27.0f) < 1.0f);
    }
}

/* A band stretch with the pod left on the shin: standing, gravity runs along the pod's
 * long axis, which a pod on the foot never shows standing (its normal is up). */
static void band_stretch_pod_on_the_shin_announced(void **state)
{
    (void)state;
    ct_rx_item rx = {.exercise = EX_BAND_STRETCH, .reps = 1, .hold_s = 5, .target = 15};
    for (int strap = 0; strap < 360; strap += 90) {
        rig r;
        rig_init(&r, &rx, PLACE_SHIN, (float)strap, 104.0f);
        play(&r, 3.0f, 0, 0, 0, 0);
        assert_int_equal(r.nev, 1);
        assert_int_equal(r.ev[0].kind, EV_WRONG_PLACEMENT);
        assert_int_equal(r.ev[0].placement, PLACE_SHIN);
        /* on the foot: no warning, whatever the strap's turn */
        rig_init(&r, &rx, PLACE_FOOT, (float)strap, 104.0f);
        play(&r, 3.0f, 0, 0, 0, 0);
        assert_int_equal(r.nev, 0);
        assert_int_equal(analysis_live(&r.a).placement, PLACE_FOOT);
    }
}

/* A band stretch whose reference is taken seated with the leg straight: the foot points
 * up, relaxed in plantarflexion, gravity far from the pod's normal. The stretch is read
 * from neutral all the same: the foot's pitch at the reference comes from gravity and a
 * typical dorsum slope, which the synthetic foot has (20 deg), so within 2 deg; the
 * dorsiflexion is + whatever the strap's turn. */
static void band_stretch_seated_reference(void **state)
{
    (void)state;
    ct_rx_item rx = {.exercise = EX_BAND_STRETCH, .side = SIDE_RIGHT, .reps = 2, .hold_s = 5,
                     .target = 10, .unit = RX_UNIT_DEG};
    /* synth pitch, + toes down from flat: relaxed 15 and 25 deg below neutral (gravity 55
     * and 45 deg from the normal; at 30 deg below, 40 deg, the pose is not told from
     * standing on a steep dorsum) */
    const float relaxed[2] = {-75.0f, -65.0f};
    for (int strap = 0; strap < 360; strap += 75) {
        for (int k = 0; k < 2; k++) {
            float r0 = relaxed[k];
            rig r;
            rig_init(&r, &rx, PLACE_FOOT, (float)strap, 104.0f);
            play(&r, 3.0f, r0, r0, 0, 0);
            /* point and flex the foot once */
            play(&r, 1.0f, r0, r0 - 12.0f, 0, 0);
            play(&r, 1.0f, r0 - 12.0f, r0, 0, 0);
            play(&r, 1.5f, r0, r0, 0, 0);
            assert_int_equal(r.nev, 0);
            assert_true(fabsf(analysis_live(&r.a).value - (-90.0f - r0)) < 2.0f);
            analysis_begin_set(&r.a, 1);
            play(&r, 2.0f, r0, r0, 0, 0);
            const float top = -95.0f; /* 5 deg of dorsiflexion past neutral */
            for (int h = 0; h < 2; h++) {
                play(&r, 2.5f, r0, top, 0, 0);
                play(&r, 6.0f, top, top, 0, 0);
                play(&r, 2.5f, top, r0, 0, 0);
                play(&r, 4.0f, r0, r0, 0, 0);
            }
            ct_event ev[4];
            collect(&r, ev, analysis_end_set(&r.a, ev, 4));
            assert_int_equal(r.nev, 2);
            for (int h = 0; h < 2; h++) {
                assert_int_equal(r.ev[h].kind, EV_HOLD);
                assert_true(fabsf(r.ev[h].peak_deg - 5.0f) < 2.0f);
                assert_int_equal(r.ev[h].grade, GRADE_FULL);
            }
        }
    }
}

/* The band stretch's reference taken with the pod still but the foot not flat (here
 * seated with the knee bent and the toes 55 deg up: gravity 35 deg from the normal, as a
 * steep dorsum standing): once the foot rests seated with the leg straight, the reference
 * reads it 55 deg off gravity's own reading, and it is measured from gravity alone,
 * within 2 deg. */
static void band_stretch_reference_not_standing(void **state)
{
    (void)state;
    ct_rx_item rx = {.exercise = EX_BAND_STRETCH, .side = SIDE_LEFT, .reps = 1, .hold_s = 5,
                     .target = 10, .unit = RX_UNIT_DEG};
    for (int strap = 30; strap < 360; strap += 90) {
        rig r;
        rig_init(&r, &rx, PLACE_FOOT, (float)strap, 104.0f);
        play(&r, 3.0f, -55.0f, -55.0f, 0, 0);
        play(&r, 1.0f, -55.0f, -67.0f, 0, 0);
        play(&r, 1.0f, -67.0f, -55.0f, 0, 0);
        play(&r, 2.0f, -55.0f, -70.0f, 0, 0); /* the leg straightened */
        play(&r, 2.0f, -70.0f, -70.0f, 0, 0);
        assert_true(fabsf(analysis_live(&r.a).value - (-20.0f)) < 2.0f);
        analysis_begin_set(&r.a, 1);
        play(&r, 2.0f, -70.0f, -70.0f, 0, 0);
        play(&r, 2.5f, -70.0f, -98.0f, 0, 0);
        play(&r, 6.0f, -98.0f, -98.0f, 0, 0);
        play(&r, 2.5f, -98.0f, -70.0f, 0, 0);
        play(&r, 4.0f, -70.0f, -70.0f, 0, 0);
        ct_event ev[4];
        collect(&r, ev, analysis_end_set(&r.a, ev, 4));
        assert_int_equal(r.nev, 1);
        assert_int_equal(r.ev[0].kind, EV_HOLD);
        assert_true(fabsf(r.ev[0].peak_deg - 8.0f) < 2.0f);
    }
}

/* A band stretch of one 30 s hold to 10 deg, the pod on the left foot, calibrated seated:
 * the foot at `rest` (synth pitch), an ankle pump 12 deg down and back, still again */
static void band_rig_seated(rig *r, float rest)
{
    ct_rx_item rx = {.exercise = EX_BAND_STRETCH, .side = SIDE_LEFT, .reps = 1, .hold_s = 30,
                     .target = 10, .unit = RX_UNIT_DEG};
    rig_init(r, &rx, PLACE_FOOT, 45.0f, 104.0f);
    play(r, 3.0f, rest, rest, 0, 0);
    play(r, 1.0f, rest, rest - 12.0f, 0, 0);
    play(r, 1.0f, rest - 12.0f, rest, 0, 0);
    play(r, 1.5f, rest, rest, 0, 0);
}

/* Band stretch sets as people do them seated: the foot rests relaxed, pointed 30 deg
 * (synth -60), the leg is lifted or the foot pointed to loop the band round it (the foot
 * reads 28 deg lower for 1-2 s) and let back down to rest, then the band pulls the foot
 * 3 deg past neutral and holds it. After the set the band comes off the same way, and the
 * foot rests for the break between sets. Coming back to rest from the pointed foot and
 * resting there is no stretch: the second set is its own hold, not the break. */
static void band_stretch_rest_after_pointing_is_no_hold(void **state)
{
    (void)state;
    const float rest = -60.0f, pointed = -32.0f, top = -93.0f;
    rig r;
    band_rig_seated(&r, rest);
    assert_int_equal(r.nev, 0);
    for (int set = 1; set <= 2; set++) {
        analysis_begin_set(&r.a, set);
        if (set == 1)
            play(&r, 2.0f, rest, rest, 0, 0);
        else {
            play(&r, 28.0f, rest, rest, 0, 0); /* the break between sets */
            /* (and no hold timed on the screen, nor a bell for one) */
            assert_int_not_equal(analysis_live(&r.a).state, LIVE_HOLDING);
        }
        /* the band goes round the foot */
        play(&r, 1.0f, rest, pointed, 0, 0);
        play(&r, 2.0f, pointed, pointed, 0, 0);
        play(&r, 1.0f, pointed, rest, 0, 0);
        play(&r, 2.0f, rest, rest, 0, 0);
        /* the stretch */
        play(&r, 2.5f, rest, top, 0, 0);
        play(&r, 30.0f, top, top, 0, 0);
        play(&r, 2.5f, top, rest, 0, 0);
        play(&r, 1.0f, rest, rest, 0, 0);
        /* the band comes off */
        play(&r, 1.0f, rest, pointed, 0, 0);
        play(&r, 1.5f, pointed, pointed, 0, 0);
        play(&r, 1.0f, pointed, rest, 0, 0);
        ct_event ev[4];
        collect(&r, ev, analysis_end_set(&r.a, ev, 4));
        assert_int_equal(r.nev, set);
        assert_int_equal(r.ev[set - 1].kind, EV_HOLD);
        assert_int_equal(r.ev[set - 1].set, set);
        assert_true(fabsf(r.ev[set - 1].peak_deg - 3.0f) < 2.0f);
        assert_int_equal(r.ev[set - 1].grade, GRADE_FULL);
    }
}

/* A person who stood still a second and a half only and went straight into the heel raises: the
 * height takes its reference from the still stand the first standing reference was read
 * in, and the first raise is measured (it waited for half a second steady of its own,
 * took it mid-rise and lost the first rep). */
static void shin_raise_straight_after_short_stand(void **state)
{
    (void)state;
    ct_rx_item rx = {.exercise = EX_CALF_RAISE};
    rig r;
    rig_init(&r, &rx, PLACE_SHIN, 40.0f, 104.0f);
    analysis_begin_set(&r.a, 1);
    play(&r, 1.5f, 0, 0, 0, 0);
    for (int k = 0; k < 3; k++) {
        play(&r, 1.2f, 0, 0, 0, 6);
        play(&r, 0.5f, 0, 0, 6, 6);
        play(&r, 1.2f, 0, 0, 6, 0);
        play(&r, 1.0f, 0, 0, 0, 0);
    }
    ct_event ev[4];
    collect(&r, ev, analysis_end_set(&r.a, ev, 4));
    assert_int_equal(r.nev, 3);
    for (int k = 0; k < 3; k++) {
        assert_int_equal(r.ev[k].kind, EV_REP);
        assert_true(fabsf(r.ev[k].height_cm - 6.0f) < 0.6f);
    }
}

/* A still spell cut short makes the first reference only when the data began with it: a
 * stand of 1 s at the start does (the lunge that follows is measured), a pause as short
 * after the leg has moved (stepping, a lean) does not. */
static void short_stand_is_a_reference_only_at_the_start(void **state)
{
    (void)state;
    ct_rx_item rx = {.exercise = EX_LUNGE_STRETCH};
    rig r;
    rig_init(&r, &rx, PLACE_SHIN, 60.0f, 104.0f);
    analysis_begin_set(&r.a, 1);
    play(&r, 1.0f, 0, 0, 0, 0);
    play(&r, 2.0f, 0, 30, 0, 0);
    assert_true(r.a.align.ref_valid);
    play(&r, 15.0f, 30, 30, 0, 0);
    play(&r, 2.0f, 30, 0, 0, 0);
    play(&r, 3.0f, 0, 0, 0, 0);
    assert_int_equal(r.nev, 1);
    assert_int_equal(r.ev[0].kind, EV_HOLD);
    assert_true(fabsf(r.ev[0].peak_deg - 30.0f) < 1.0f);

    rig_init(&r, &rx, PLACE_SHIN, 60.0f, 104.0f);
    analysis_begin_set(&r.a, 1);
    play(&r, 1.5f, 0, 20, 0, 0);
    play(&r, 1.5f, 20, 0, 0, 0);
    play(&r, 0.8f, 0, 0, 0, 0);
    play(&r, 2.0f, 0, 30, 0, 0);
    assert_false(r.a.align.ref_valid);
}

/* A recording analysed on its own (no hold prescribed): after a hold, the band taken off
 * (the foot pointed 28 deg lower for a moment) and the foot back at rest, resting there
 * as long as a pause between holds, then a fidget (the foot drawn up 15 deg for a
 * second). Measured from where the foot rests it is a moment at the top, no hold; from
 * the pointed foot the rest before it would have read as a stretch held for seconds. */
static void band_stretch_fidget_after_band_off_is_no_hold(void **state)
{
    (void)state;
    const float rest = -60.0f, pointed = -32.0f, top = -93.0f;
    rig r;
    band_rig_seated(&r, rest);
    ct_rx_item rx = {.exercise = EX_BAND_STRETCH, .side = SIDE_LEFT}; /* a recording */
    analysis_set_rx(&r.a, &rx);
    analysis_begin_set(&r.a, 1);
    play(&r, 2.0f, rest, rest, 0, 0);
    play(&r, 1.0f, rest, pointed, 0, 0);
    play(&r, 2.0f, pointed, pointed, 0, 0);
    play(&r, 1.0f, pointed, rest, 0, 0);
    play(&r, 2.0f, rest, rest, 0, 0);
    play(&r, 2.5f, rest, top, 0, 0);
    play(&r, 30.0f, top, top, 0, 0);
    play(&r, 2.5f, top, rest, 0, 0);
    play(&r, 1.0f, rest, rest, 0, 0);
    /* the band comes off, the foot rests */
    play(&r, 1.0f, rest, pointed, 0, 0);
    play(&r, 1.5f, pointed, pointed, 0, 0);
    play(&r, 1.0f, pointed, rest, 0, 0);
    play(&r, 5.0f, rest, rest, 0, 0);
    /* a fidget */
    play(&r, 1.0f, rest, rest - 15.0f, 0, 0);
    play(&r, 1.0f, rest - 15.0f, rest - 15.0f, 0, 0);
    play(&r, 1.0f, rest - 15.0f, rest, 0, 0);
    play(&r, 4.0f, rest, rest, 0, 0);
    ct_event ev[4];
    collect(&r, ev, analysis_end_set(&r.a, ev, 4));
    assert_int_equal(r.nev, 1);
    assert_int_equal(r.ev[0].kind, EV_HOLD);
    assert_true(fabsf(r.ev[0].peak_deg - 3.0f) < 2.0f);
}

/* Seated with the set open, the band not yet round the foot: the foot rests (synth -60:
 * 30 deg pointed), is pointed further for a moment now and then (28 deg lower for a
 * second or two) and comes back to rest, staying there 10-15 s at a time. Nothing is
 * pulled past the rest: no hold, though coming back up from the pointed foot and resting
 * looks like a stretch from there to anyone who does not know where the foot rests. The
 * real stretch that follows is counted. */
static void band_stretch_back_to_rest_before_any_hold_is_no_hold(void **state)
{
    (void)state;
    const float rest = -60.0f, pointed = -32.0f, top = -93.0f;
    rig r;
    band_rig_seated(&r, rest);
    analysis_begin_set(&r.a, 1);
    play(&r, 3.0f, rest, rest, 0, 0);
    for (int k = 0; k < 3; k++) {
        play(&r, 0.6f, rest, pointed, 0, 0);
        play(&r, 1.5f, pointed, pointed, 0, 0);
        play(&r, 0.8f, pointed, rest, 0, 0);
        play(&r, 10.0f + 2.5f * (float)k, rest, rest, 0, 0);
    }
    assert_int_equal(r.nev, 0);
    /* the stretch */
    play(&r, 2.5f, rest, top, 0, 0);
    play(&r, 30.0f, top, top, 0, 0);
    play(&r, 2.5f, top, rest, 0, 0);
    play(&r, 5.0f, rest, rest, 0, 0);
    ct_event ev[4];
    collect(&r, ev, analysis_end_set(&r.a, ev, 4));
    assert_int_equal(r.nev, 1);
    assert_int_equal(r.ev[0].kind, EV_HOLD);
    assert_true(fabsf(r.ev[0].peak_deg - 3.0f) < 2.0f);
}

/* The band looped with the foot pointed far (synth -20: 40 deg below the relaxed foot)
 * and the stretch begun straight from there; after the hold the foot comes back to rest
 * (nearer the top than the pointed start) for 2 s, is pointed again to take the band off,
 * and rests for the break. Back at rest is not easing off: one hold of 30 s, ended where
 * the foot came down, whatever the band's removal does after it. */
static void band_stretch_begun_pointed_ends_at_rest(void **state)
{
    (void)state;
    const float rest = -60.0f, pointed = -20.0f, top = -93.0f;
    rig r;
    band_rig_seated(&r, rest);
    ct_rx_item rx = {.exercise = EX_BAND_STRETCH, .side = SIDE_LEFT}; /* a recording */
    analysis_set_rx(&r.a, &rx);
    analysis_begin_set(&r.a, 1);
    play(&r, 2.0f, rest, rest, 0, 0);
    play(&r, 1.0f, rest, pointed, 0, 0);
    play(&r, 2.0f, pointed, pointed, 0, 0);
    play(&r, 2.5f, pointed, top, 0, 0);
    play(&r, 30.0f, top, top, 0, 0);
    play(&r, 2.5f, top, rest, 0, 0);
    play(&r, 2.0f, rest, rest, 0, 0);
    play(&r, 1.0f, rest, pointed, 0, 0);
    play(&r, 1.5f, pointed, pointed, 0, 0);
    play(&r, 1.0f, pointed, rest, 0, 0);
    play(&r, 28.0f, rest, rest, 0, 0);
    ct_event ev[4];
    collect(&r, ev, analysis_end_set(&r.a, ev, 4));
    assert_int_equal(r.nev, 1);
    assert_int_equal(r.ev[0].kind, EV_HOLD);
    assert_true(fabsf(r.ev[0].peak_deg - 3.0f) < 2.0f);
    assert_true(fabsf(r.ev[0].top_s - 30.0f) < 3.0f);
}

/* Band stretch sets graded against the earlier sets: the person sits again between the
 * sets and the relaxed foot rests 8 deg higher (synth -70 then -78: 20, then 12 deg below
 * neutral), while the band pulls it to the same 5 deg past neutral: that is a full hold,
 * though its way up is 17 deg where the first set's was 25. In the third set the target
 * is lowered by 8 deg and the foot goes 8 deg less far: full again; a hold going only 8
 * deg of the way is partial. */
static void band_stretch_graded_by_level_across_sets(void **state)
{
    (void)state;
    ct_rx_item rx = {.exercise = EX_BAND_STRETCH, .side = SIDE_RIGHT, .reps = 1, .hold_s = 6,
                     .target = 15, .unit = RX_UNIT_DEG};
    const float rest[3] = {-70.0f, -78.0f, -70.0f};
    const float top[3] = {-95.0f, -95.0f, -87.0f};
    rig r;
    rig_init(&r, &rx, PLACE_FOOT, 60.0f, 104.0f);
    play(&r, 3.0f, rest[0], rest[0], 0, 0);
    play(&r, 1.0f, rest[0], rest[0] - 12.0f, 0, 0);
    play(&r, 1.0f, rest[0] - 12.0f, rest[0], 0, 0);
    play(&r, 1.5f, rest[0], rest[0], 0, 0);
    for (int set = 1; set <= 3; set++) {
        float r0 = rest[set - 1], t0 = top[set - 1];
        if (set == 3) {
            rx.target = 7.0f;
            rx.reps = 2;
            assert_int_equal(analysis_set_rx(&r.a, &rx), CT_OK);
        }
        analysis_begin_set(&r.a, set);
        play(&r, 3.0f, r0, r0, 0, 0);
        play(&r, 2.5f, r0, t0, 0, 0);
        play(&r, 7.0f, t0, t0, 0, 0);
        play(&r, 2.5f, t0, r0, 0, 0);
        play(&r, 4.0f, r0, r0, 0, 0);
        if (set == 3) {
            play(&r, 2.0f, r0, r0 - 8.0f, 0, 0);
            play(&r, 7.0f, r0 - 8.0f, r0 - 8.0f, 0, 0);
            play(&r, 2.0f, r0 - 8.0f, r0, 0, 0);
            play(&r, 4.0f, r0, r0, 0, 0);
        }
        ct_event ev[4];
        collect(&r, ev, analysis_end_set(&r.a, ev, 4));
        /* the foot sits down again elsewhere between the sets */
        if (set < 3) {
            float r1 = rest[set];
            play(&r, 2.0f, r0, r1, 0, 0);
            play(&r, 3.0f, r1, r1, 0, 0);
        }
    }
    assert_int_equal(r.nev, 4);
    for (int k = 0; k < 4; k++)
        assert_int_equal(r.ev[k].kind, EV_HOLD);
    assert_true(fabsf(r.ev[1].peak_deg - 5.0f) < 2.0f);
    assert_int_equal(r.ev[0].grade, GRADE_FULL);
    assert_int_equal(r.ev[1].grade, GRADE_FULL);
    assert_int_equal(r.ev[2].grade, GRADE_FULL);
    assert_int_equal(r.ev[3].grade, GRADE_PARTIAL);
}

/* The downward dog's pose is taken anew for each set, the shank leaning a few degrees
 * less this time, and the heels pressed down from it as deep as before: full holds,
 * graded by their range from the pose, not by the level the last set's holds reached.
 * A press half as deep is partial. */
static void dog_graded_by_range_across_sets(void **state)
{
    (void)state;
    ct_rx_item rx = {.exercise = EX_DOWNWARD_DOG, .reps = 1, .hold_s = 8};
    const float pose[2] = {20.0f, 15.0f};
    rig r;
    rig_init(&r, &rx, PLACE_SHIN, 300.0f, 104.0f);
    calibrate(&r, 8.0f);
    for (int set = 1; set <= 2; set++) {
        float p0 = pose[set - 1];
        if (set == 2) {
            rx.reps = 2;
            assert_int_equal(analysis_set_rx(&r.a, &rx), CT_OK);
        }
        analysis_begin_set(&r.a, set);
        play(&r, 1.5f, 0, 0, 0, 0);
        play(&r, 1.5f, 0, p0, 0, 0); /* into the pose */
        play(&r, 6.0f, p0, p0, 0, 0);
        for (int k = 0; k < set; k++) {
            float d = k == 0 ? 6.0f : 3.0f; /* the second press of set 2 half as deep */
            play(&r, 2.0f, p0, p0 + d, 0, 0);
            play(&r, 9.0f, p0 + d, p0 + d, 0, 0);
            play(&r, 2.0f, p0 + d, p0, 0, 0);
            play(&r, 6.0f, p0, p0, 0, 0);
        }
        play(&r, 1.5f, p0, 0, 0, 0); /* out of the pose, standing */
        play(&r, 2.0f, 0, 0, 0, 0);
        ct_event ev[4];
        collect(&r, ev, analysis_end_set(&r.a, ev, 4));
    }
    assert_int_equal(r.nev, 3);
    assert_int_equal(r.ev[0].grade, GRADE_FULL);
    assert_int_equal(r.ev[1].grade, GRADE_FULL);
    assert_int_equal(r.ev[2].grade, GRADE_PARTIAL);
}

/* A downward dog's press of 2.5 deg held with a swaying of more than a degree, whose
 * slowest swings bring the shank back within a degree of the pose for a moment, still
 * at each turn: the hold goes on (back at the pose means staying there for as long as
 * the rest between holds, as for easing off the band). It was ended at the first such
 * swing, and the rest of the hold told as a second one. */
static void dog_sway_back_to_the_pose_is_no_end(void **state)
{
    (void)state;
    ct_rx_item rx = {.exercise = EX_DOWNWARD_DOG, .reps = 1, .hold_s = 20};
    rig r;
    rig_init(&r, &rx, PLACE_SHIN, 300.0f, 104.0f);
    calibrate(&r, 8.0f);
    analysis_begin_set(&r.a, 1);
    play(&r, 1.5f, 0, 0, 0, 0);
    play(&r, 1.5f, 0, 20, 0, 0); /* into the pose */
    play(&r, 6.0f, 20, 20, 0, 0);
    play(&r, 1.5f, 20, 22.5f, 0, 0); /* the heels pressed down */
    play(&r, 3.0f, 22.5f, 22.5f, 0, 0);
    for (int k = 0; k < 3; k++) { /* swinging back to the pose's level a moment */
        play(&r, 2.0f, 22.5f, 20.5f, 0, 0);
        play(&r, 0.5f, 20.5f, 20.5f, 0, 0);
        play(&r, 2.0f, 20.5f, 22.5f, 0, 0);
        play(&r, 1.0f, 22.5f, 22.5f, 0, 0);
    }
    play(&r, 1.5f, 22.5f, 20, 0, 0); /* back to the pose */
    play(&r, 6.0f, 20, 20, 0, 0);
    play(&r, 1.5f, 20, 0, 0, 0); /* out of the pose, standing */
    play(&r, 2.0f, 0, 0, 0, 0);
    ct_event ev[4];
    collect(&r, ev, analysis_end_set(&r.a, ev, 4));
    assert_int_equal(r.nev, 1);
    /* (held from the press, 16.5 s in, to the way back, 36 s) */
    assert_true(r.ev[0].top_s > 18.5f && r.ev[0].top_s < 21.5f);
}

static void shared_timestamps_and_fidgets(void **state)
{
    (void)state;
    ct_rx_item rx = {.exercise = EX_DOWNWARD_DOG, .reps = 2, .hold_s = 8, .target = 25};
    rig r;
    rig_init(&r, &rx, PLACE_SHIN, 300.0f, 104.0f);
    r.dup_every = 7;
    calibrate(&r, 8.0f);
    analysis_begin_set(&r.a, 1);
    play(&r, 1.5f, 0, 0, 0, 0);
    /* into the dog pose (the shank leans 18 deg): not a hold yet */
    play(&r, 1.5f, 0, 18, 0, 0);
    play(&r, 1.5f, 18, 18, 0, 0);
    /* fidgets: quick shank tilts of 15 deg for 0.4 s are no holds */
    for (int k = 0; k < 4; k++) {
        play(&r, 0.2f, 18, 33, 0, 0);
        play(&r, 0.2f, 33, 18, 0, 0);
        play(&r, 0.6f, 18, 18, 0, 0);
    }
    /* heels pressed down: the shank leans further */
    for (int k = 0; k < 2; k++) {
        play(&r, 2.0f, 18, 27, 0, 0);
        play(&r, 8.0f, 27, 27, 0, 0);
        play(&r, 2.0f, 27, 18, 0, 0);
        play(&r, 2.0f, 18, 18, 0, 0);
    }
    assert_int_equal(r.nev, 2);
    assert_true(fabsf(r.ev[1].peak_deg - 27.0f) < 0.5f);
    assert_int_equal(r.ev[1].grade, GRADE_FULL);
    ct_live l = analysis_live(&r.a);
    assert_int_equal(l.state, LIVE_READY);
    assert_int_equal(l.count, 2);
}

/* A raise measured on the foot with no ankle pump before the set (the pod only saw
 * standing): the dorsum's slope gives the axis and its sign. Lifting the toes and
 * bringing them down again (toe taps, holding them up a moment) and ankle pumps sitting
 * with the leg out and the foot pointing up rise as far as a raise but never get the
 * heel off the floor: no reps. Real raises after them count, measured right. */
static void foot_toes_down_is_no_raise(void **state)
{
    (void)state;
    ct_rx_item rx = {.exercise = EX_CALF_RAISE, .reps = 3};
    rig r;
    rig_init(&r, &rx, PLACE_FOOT, 130.0f, 104.0f);
    play(&r, 3.0f, 0, 0, 0, 0); /* standing: the reference, no gesture */
    analysis_begin_set(&r.a, 1);
    play(&r, 1.0f, 0, 0, 0, 0);
    for (int k = 0; k < 3; k++) { /* toes up 15 deg, held, down */
        play(&r, 0.5f, 0, -15, 0, 0);
        play(&r, 1.5f, -15, -15, 0, 0);
        play(&r, 0.5f, -15, 0, 0, 0);
        play(&r, 1.0f, 0, 0, 0, 0);
    }
    /* sitting on the floor, the foot pointing up; ankle pumps of 25 deg */
    play(&r, 1.5f, 0, -70, 0, 0);
    play(&r, 2.0f, -70, -70, 0, 0);
    for (int k = 0; k < 3; k++) {
        play(&r, 0.6f, -70, -45, 0, 0);
        play(&r, 0.5f, -45, -45, 0, 0);
        play(&r, 0.6f, -45, -70, 0, 0);
        play(&r, 1.5f, -70, -70, 0, 0);
    }
    play(&r, 1.5f, -70, 0, 0, 0);
    play(&r, 2.0f, 0, 0, 0, 0);
    assert_int_equal(r.nev, 0);
    for (int k = 0; k < 3; k++) {
        play(&r, 1.0f, 0, 30, 0, 0);
        play(&r, 1.0f, 30, 0, 0, 0);
        play(&r, 1.0f, 0, 0, 0, 0);
    }
    ct_event ev[4];
    collect(&r, ev, analysis_end_set(&r.a, ev, 4));
    assert_int_equal(r.nev, 3);
    for (int i = 0; i < 3; i++)
        assert_true(fabsf(r.ev[i].peak_deg - 30.0f) < 0.7f);
}

/* The pod turned on the foot by a tug on the strap that rocks it as it turns: 90 deg
 * about an axis 25 deg off the pod's normal, the foot flat and still. The references
 * follow, so raises afterwards still measure right. */
static void foot_strap_turn_rocking(void **state)
{
    (void)state;
    ct_rx_item rx = {.exercise = EX_CALF_RAISE, .reps = 2};
    rig r;
    rig_init(&r, &rx, PLACE_FOOT, 40.0f, 104.0f);
    calibrate(&r, -10.0f);
    analysis_begin_set(&r.a, 1);
    play(&r, 1.0f, 0, 0, 0, 0);
    ct_vec3 ax = v3_unit(v3(sinf(25.0f * CT_DEG2RAD_F), 0.0f, cosf(25.0f * CT_DEG2RAD_F)));
    float turn_s = 1.5f, total = 90.0f, rate = r.p.rate_hz;
    int n = (int)lroundf(turn_s * rate);
    ct_quat m0 = r.p.mount;
    for (int i = 0; i < n; i++) {
        float u = (float)i / (float)n;
        float phi = total * synth_ramp(u), w = total * synth_dramp(u) / turn_s;
        r.p.mount = q_mul(m0, q_axis_angle(ax, phi * CT_DEG2RAD_F));
        ct_sample s = synth_sample(&r.p, r.t, 0.0f, 0.0f, 0.0f);
        /* the pod's own rate about the tilted axis (sensor frame) */
        s.gyr_dps[0] += ax.x * w;
        s.gyr_dps[1] += ax.y * w;
        s.gyr_dps[2] += ax.z * w;
        ct_event ev[4];
        collect(&r, ev, analysis_update(&r.a, &s, ev, 4));
        r.t += 1.0 / rate;
    }
    r.p.mount = q_mul(m0, q_axis_angle(ax, total * CT_DEG2RAD_F));
    play(&r, 2.0f, 0, 0, 0, 0);
    assert_true(fabsf(r.a.value) < 1.0f); /* still reads flat */
    for (int k = 0; k < 2; k++) {
        play(&r, 1.0f, 0, 30, 0, 0);
        play(&r, 1.0f, 30, 0, 0, 0);
        play(&r, 1.0f, 0, 0, 0, 0);
    }
    ct_event ev[4];
    collect(&r, ev, analysis_end_set(&r.a, ev, 4));
    assert_int_equal(r.nev, 2);
    for (int i = 0; i < 2; i++)
        assert_true(fabsf(r.ev[i].peak_deg - 30.0f) < 1.0f);
}

/* A first tug on the strap turns the pod on the foot by a little (12 deg) and rocks it on
 * the dorsum by nearly as much: the turn's axis 40 deg off the pod's normal, still 30 deg
 * and more from any axis the foot turns about itself. The references follow it: the foot
 * still reads flat (taken for the foot turning, the reference stayed in the pod, and the
 * rock, 8 deg about the foot's medio-lateral axis, was read as the foot's pitch). */
static void foot_strap_tug_rocking_far(void **state)
{
    (void)state;
    for (int k = 0; k < 4; k++) {
        ct_rx_item rx = {.exercise = EX_CALF_RAISE, .reps = 2};
        rig r;
        rig_init(&r, &rx, PLACE_FOOT, 40.0f, 104.0f);
        calibrate(&r, -10.0f);
        analysis_begin_set(&r.a, 1);
        play(&r, 1.0f, 0, 0, 0, 0);
        /* the rock's direction: four ways round the normal */
        float az = 90.0f * (float)k * CT_DEG2RAD_F, off = 40.0f * CT_DEG2RAD_F;
        ct_vec3 ax = v3_unit(v3(sinf(off) * cosf(az), sinf(off) * sinf(az), cosf(off)));
        float turn_s = 1.0f, total = 12.0f, rate = r.p.rate_hz;
        int n = (int)lroundf(turn_s * rate);
        ct_quat m0 = r.p.mount;
        for (int i = 0; i < n; i++) {
            float u = (float)i / (float)n;
            float phi = total * synth_ramp(u), w = total * synth_dramp(u) / turn_s;
            r.p.mount = q_mul(m0, q_axis_angle(ax, phi * CT_DEG2RAD_F));
            ct_sample s = synth_sample(&r.p, r.t, 0.0f, 0.0f, 0.0f);
            s.gyr_dps[0] += ax.x * w;
            s.gyr_dps[1] += ax.y * w;
            s.gyr_dps[2] += ax.z * w;
            ct_event ev[4];
            collect(&r, ev, analysis_update(&r.a, &s, ev, 4));
            r.t += 1.0 / rate;
        }
        r.p.mount = q_mul(m0, q_axis_angle(ax, total * CT_DEG2RAD_F));
        play(&r, 2.0f, 0, 0, 0, 0);
        assert_true(fabsf(r.a.value) < 1.0f); /* still reads flat */
    }
}

/* The pod turned on a foot whose dorsum is nearly level (its normal 8 deg from the
 * vertical): a turn about the pod's normal is then also within 10 deg of the vertical,
 * as a turn of the body on the foot is, but nearer the normal than the vertical, so it
 * is the strap. Taken for the body, the foot's axis stayed where it was in the pod and
 * the raises after a 90 deg turn read the foot's roll instead of its pitch (none was
 * counted; in the accuracy bench a 60 deg turn read 40 deg raises as 20). */
static void foot_strap_turn_level_dorsum(void **state)
{
    (void)state;
    ct_rx_item rx = {.exercise = EX_CALF_RAISE, .reps = 2};
    rig r;
    rig_init(&r, &rx, PLACE_FOOT, 40.0f, 104.0f);
    r.p.mount = q_mul(q_axis_angle(v3(0, 1, 0), 8.0f * CT_DEG2RAD_F),
                      q_axis_angle(v3(0, 0, 1), 40.0f * CT_DEG2RAD_F));
    calibrate(&r, -10.0f);
    analysis_begin_set(&r.a, 1);
    play(&r, 1.0f, 0, 0, 0, 0);
    ct_vec3 ax = v3(0.0f, 0.0f, 1.0f);
    float turn_s = 1.5f, total = 90.0f, rate = r.p.rate_hz;
    int n = (int)lroundf(turn_s * rate);
    ct_quat m0 = r.p.mount;
    for (int i = 0; i < n; i++) {
        float u = (float)i / (float)n;
        float phi = total * synth_ramp(u), w = total * synth_dramp(u) / turn_s;
        r.p.mount = q_mul(m0, q_axis_angle(ax, phi * CT_DEG2RAD_F));
        ct_sample s = synth_sample(&r.p, r.t, 0.0f, 0.0f, 0.0f);
        s.gyr_dps[2] += w; /* the pod's own rate about its normal */
        ct_event ev[4];
        collect(&r, ev, analysis_update(&r.a, &s, ev, 4));
        r.t += 1.0 / rate;
    }
    r.p.mount = q_mul(m0, q_axis_angle(ax, total * CT_DEG2RAD_F));
    play(&r, 2.0f, 0, 0, 0, 0);
    assert_true(fabsf(r.a.value) < 1.0f); /* still reads flat */
    for (int k = 0; k < 2; k++) {
        play(&r, 1.0f, 0, 30, 0, 0);
        play(&r, 1.0f, 30, 0, 0, 0);
        play(&r, 1.0f, 0, 0, 0, 0);
    }
    ct_event ev[4];
    collect(&r, ev, analysis_end_set(&r.a, ev, 4));
    assert_int_equal(r.nev, 2);
    for (int i = 0; i < 2; i++)
        assert_true(fabsf(r.ev[i].peak_deg - 30.0f) < 1.0f);
}

/* Turns the pod on the foot by total_deg about the sensor-frame axis ax in turn_s. */
static void turn_pod(rig *r, ct_vec3 ax, float total, float turn_s)
{
    float rate = r->p.rate_hz;
    int n = (int)lroundf(turn_s * rate);
    ct_quat m0 = r->p.mount;
    for (int i = 0; i < n; i++) {
        float u = (float)i / (float)n;
        float phi = total * synth_ramp(u), w = total * synth_dramp(u) / turn_s;
        r->p.mount = q_mul(m0, q_axis_angle(ax, phi * CT_DEG2RAD_F));
        ct_sample s = synth_sample(&r->p, r->t, 0.0f, 0.0f, 0.0f);
        s.gyr_dps[0] += ax.x * w;
        s.gyr_dps[1] += ax.y * w;
        s.gyr_dps[2] += ax.z * w;
        ct_event ev[4];
        collect(r, ev, analysis_update(&r->a, &s, ev, 4));
        r->t += 1.0 / rate;
    }
    r->p.mount = q_mul(m0, q_axis_angle(ax, total * CT_DEG2RAD_F));
}

/* A strap turned in two tugs with the pod still for 0.9 s between them, on a foot whose
 * dorsum is nearly level (the normal 8 deg from the vertical); the second tug rocks the
 * pod, its axis 5 deg off the normal toward the vertical (3 deg from it). Within a
 * second of the first tug it is the strap still, not the body turning on the foot:
 * taken for the body, the foot's axis was left 60 deg off and the raises read ~half. */
static void foot_strap_turn_two_tugs(void **state)
{
    (void)state;
    ct_rx_item rx = {.exercise = EX_CALF_RAISE, .reps = 2};
    rig r;
    rig_init(&r, &rx, PLACE_FOOT, 40.0f, 104.0f);
    r.p.mount = q_mul(q_axis_angle(v3(0, 1, 0), 8.0f * CT_DEG2RAD_F),
                      q_axis_angle(v3(0, 0, 1), 40.0f * CT_DEG2RAD_F));
    calibrate(&r, -10.0f);
    analysis_begin_set(&r.a, 1);
    play(&r, 1.0f, 0, 0, 0, 0);
    turn_pod(&r, v3(0.0f, 0.0f, 1.0f), 40.0f, 1.0f);
    play(&r, 0.9f, 0, 0, 0, 0);
    /* the vertical in the pod's frame, and an axis 5/8 of the way to it from the normal */
    ct_vec3 up = q_rotate(q_conj(r.p.mount), v3(0.0f, 0.0f, 1.0f));
    ct_vec3 ax = v3_unit(v3_add(v3_scale(v3(0.0f, 0.0f, 1.0f), 3.0f), v3_scale(up, 5.0f)));
    turn_pod(&r, ax, 60.0f, 1.2f);
    play(&r, 2.0f, 0, 0, 0, 0);
    assert_true(fabsf(r.a.value) < 1.5f); /* still reads flat */
    for (int k = 0; k < 2; k++) {
        play(&r, 1.0f, 0, 30, 0, 0);
        play(&r, 1.0f, 30, 0, 0, 0);
        play(&r, 1.0f, 0, 0, 0, 0);
    }
    ct_event ev[4];
    collect(&r, ev, analysis_end_set(&r.a, ev, 4));
    assert_int_equal(r.nev, 2);
    for (int i = 0; i < 2; i++)
        assert_true(fabsf(r.ev[i].peak_deg - 30.0f) < 1.5f);
}

/* Isometric raise on the shin: a heel raise given up (3 cm up in 0.6 s and straight back
 * down in 0.7 s) is an attempt and counts, graded partial, before the set's first hold
 * (told with it) and between holds; it only has to last half a second, as an attempt
 * turned back does for the other holds (it was dropped as shorter than a hold's 1.5 s). */
static void isometric_attempt_given_up(void **state)
{
    (void)state;
    ct_rx_item rx = {.exercise = EX_ISOMETRIC_RAISE, .side = SIDE_LEFT, .reps = 4, .hold_s = 10,
                     .target = 0, .unit = RX_UNIT_CM};
    rig r;
    rig_init(&r, &rx, PLACE_SHIN, 40.0f, 104.0f);
    calibrate(&r, 8.0f);
    analysis_begin_set(&r.a, 1);
    play(&r, 3.0f, 0, 0, 0, 0);
    for (int k = 0; k < 4; k++) {
        if (k == 0 || k == 3) {
            play(&r, 0.6f, 0, 1.0f, 0, 3.0f);
            play(&r, 0.7f, 1.0f, 0, 3.0f, 0);
        } else {
            /* the shank leans 5 deg at the top; balance corrections there move the
             * ankle by 2 mm at 2.5 Hz */
            play(&r, 1.5f, 0, 5.0f, 0, 6.0f);
            for (int i = 0; i < 25; i++) {
                play(&r, 0.2f, 5.0f, 5.0f, 6.0f, 6.2f);
                play(&r, 0.2f, 5.0f, 5.0f, 6.2f, 6.0f);
            }
            play(&r, 1.5f, 5.0f, 0, 6.0f, 0);
        }
        play(&r, 4.0f, 0, 0, 0, 0);
    }
    ct_event ev[4];
    collect(&r, ev, analysis_end_set(&r.a, ev, 4));
    assert_int_equal(r.nev, 4);
    for (int k = 0; k < 4; k++) {
        assert_int_equal(r.ev[k].kind, EV_HOLD);
        assert_int_equal(r.ev[k].number, k + 1);
        bool attempt = k == 0 || k == 3;
        assert_true(fabsf(r.ev[k].height_cm - (attempt ? 3.0f : 6.0f)) < 0.6f);
        assert_int_equal(r.ev[k].grade, attempt ? GRADE_PARTIAL : GRADE_FULL);
    }
    assert_true(fabsf(r.ev[1].top_s - 10.0f) < 0.4f);
}

/* Isometric raise on the shin: the strap adjusted in the set (the shank leaning 4 deg,
 * the pod pushed 2.5 cm up the leg and turned round it by 90 deg in two tugs, 8 s in
 * all) moves the pod like a shallow hold, but the pod turned about the leg: no hold. The
 * holds before and after it count. */
/* Each distractor-only recording (a set of ex open all along, the pod on the shin) of
 * seeds[0..n) counts no hold. */
static void no_shin_hold(ct_exercise ex, const uint64_t *seeds, int n)
{
    acc_stats st;
    memset(&st, 0, sizeof st);
    for (int i = 0; i < n; i++)
        acc_run_distractors(&st, ex, PLACE_SHIN, seeds[i], 60.0f, 5.0f, false);
    assert_int_equal(st.phantom_runs, n);
    assert_int_equal(st.phantom_hits, 0);
}

/* Strap adjusts inside what read as a lunge hold of 8-12 s (distractor-only recordings,
 * a lunge set open all along; each counted one before): seated after sitting down
 * (5360), standing after a fidget (7210) and after a rest (5377, 6819), the shank
 * leaning 7-16 deg while the pod was tugged round the leg. */
static void lunge_strap_adjust_is_no_hold(void **state)
{
    (void)state;
    static const uint64_t seeds[] = {5360u, 5377u, 6819u, 7210u};
    no_shin_hold(EX_LUNGE_STRETCH, seeds, 4);
}

/* Standing and seated fidgets that read as a heel rise held to an isometric raise's pod
 * on the shin (distractor-only recordings, an isometric raise set of 30 s holds open all
 * along; each counted one before): 8-10 s from the floor to the floor, a quarter of the
 * hold prescribed, but only 0-5.6 s of it at the top, the rest slow movement up and
 * down. */
static void isometric_first_hold_held_at_the_top(void **state)
{
    (void)state;
    static const uint64_t seeds[] = {6566u, 7818u, 8005u, 8073u, 8447u};
    no_shin_hold(EX_ISOMETRIC_RAISE, seeds, 5);
}

static void isometric_strap_turn_is_no_hold(void **state)
{
    (void)state;
    ct_rx_item rx = {.exercise = EX_ISOMETRIC_RAISE, .side = SIDE_LEFT, .reps = 3, .hold_s = 10,
                     .target = 0, .unit = RX_UNIT_CM};
    rig r;
    rig_init(&r, &rx, PLACE_SHIN, 0.0f, 104.0f);
    calibrate(&r, 8.0f);
    analysis_begin_set(&r.a, 1);
    play(&r, 3.0f, 0, 0, 0, 0);
    for (int k = 0; k < 3; k++) {
        if (k == 1) {
            play(&r, 1.0f, 0, 4.0f, 0, 2.5f);
            play(&r, 1.0f, 4.0f, 4.0f, 2.5f, 2.5f);
            for (int tug = 0; tug < 2; tug++) {
                /* the pod turns 45 deg about the shank in 1.5 s (a cosine ramp) */
                int n = (int)lroundf(1.5f * r.p.rate_hz);
                for (int i = 0; i < n; i++) {
                    float u0 = (float)i / (float)n, u1 = (float)(i + 1) / (float)n;
                    float d = 45.0f * (synth_ramp(u1) - synth_ramp(u0));
                    float rate = d * r.p.rate_hz; /* deg/s */
                    ct_quat seg = q_axis_angle(v3(0, 1, 0), 4.0f * CT_DEG2RAD_F);
                    ct_vec3 axis = q_rotate(seg, v3(0, 0, 1)); /* the shank's long axis */
                    ct_sample sm = synth_sample(&r.p, r.t, 4.0f, 0.0f, 0.0f);
                    ct_quat ri = q_conj(q_mul(seg, r.p.mount));
                    ct_vec3 w = q_rotate(ri, v3_scale(axis, rate));
                    sm.gyr_dps[0] += w.x;
                    sm.gyr_dps[1] += w.y;
                    sm.gyr_dps[2] += w.z;
                    ct_quat turn = q_axis_angle(v3(0, 0, 1), d * CT_DEG2RAD_F);
                    r.p.mount = q_mul(turn, r.p.mount);
                    ct_event ev[4];
                    collect(&r, ev, analysis_update(&r.a, &sm, ev, 4));
                    r.t += 1.0 / r.p.rate_hz;
                }
                play(&r, 1.0f, 4.0f, 4.0f, 2.5f, 2.5f);
            }
            play(&r, 1.0f, 4.0f, 0, 2.5f, 0);
        } else {
            /* the shank leans 5 deg at the top; balance corrections there move the
             * ankle by 2 mm at 2.5 Hz */
            play(&r, 1.5f, 0, 5.0f, 0, 6.0f);
            for (int i = 0; i < 25; i++) {
                play(&r, 0.2f, 5.0f, 5.0f, 6.0f, 6.2f);
                play(&r, 0.2f, 5.0f, 5.0f, 6.2f, 6.0f);
            }
            play(&r, 1.5f, 5.0f, 0, 6.0f, 0);
        }
        play(&r, 4.0f, 0, 0, 0, 0);
    }
    ct_event ev[4];
    collect(&r, ev, analysis_end_set(&r.a, ev, 4));
    assert_int_equal(r.nev, 2);
    for (int k = 0; k < 2; k++) {
        assert_int_equal(r.ev[k].kind, EV_HOLD);
        assert_true(fabsf(r.ev[k].height_cm - 6.0f) < 0.6f);
        assert_true(fabsf(r.ev[k].top_s - 10.0f) < 0.4f);
    }
}

/* Walking and turning round at the end (the foot lifted, the leg turned about the
 * vertical) is no strap turn: the standing reference stays where it was. The pod on
 * the shin of a person standing with the shank 3 deg forward; followed as a strap
 * turn, the reference went round a cone about the vertical and came back 0.3-3.9 deg
 * off over these walks. */
static void shin_walk_turn_keeps_reference(void **state)
{
    (void)state;
    static const float turns[] = {180.0f, -120.0f, 150.0f};
    for (int k = 0; k < 3; k++) {
        sim_step plan[] = {
            {.kind = SIM_STEP_STAND_STILL, .duration_s = 3.0f},
            {.kind = SIM_STEP_CALIBRATE, .duration_s = 5.0f, .cal = SIM_CAL_KNEE_SWAY},
            {.kind = SIM_STEP_STAND_STILL, .duration_s = 3.0f},
            {.kind = SIM_STEP_WALK, .distance_m = 4.0f, .turn_deg = turns[k]},
            {.kind = SIM_STEP_STAND_STILL, .duration_s = 3.0f},
        };
        sim_person person;
        sim_person_default(&person);
        sim_sensor sensor = sim_sensor_default;
        sensor.strap_random = false;
        sensor.strap_deg = 40.0f + 80.0f * (float)k;
        static sim s;
        assert_int_equal(sim_init(&s, &person, &sensor, plan, 5, PLACE_SHIN, SIDE_LEFT,
                                  (uint64_t)(2 * k + 1)),
                         CT_OK);
        ct_rx_item rx = {.exercise = EX_DOWNWARD_DOG, .reps = 3, .hold_s = 30.0f};
        static ct_analysis a;
        assert_int_equal(analysis_init(&a, &rx, (float)sensor.odr_hz), CT_OK);
        ct_sample smp;
        sim_truth_sample tr;
        ct_event ev[8];
        ct_vec3 before = v3(0.0f, 0.0f, 0.0f);
        bool have = false;
        while (sim_next(&s, NULL, &smp, &tr)) {
            if (tr.step == 3 && !have) {
                assert_true(a.align.ref_valid);
                before = a.align.up_ref;
                have = true;
            }
            analysis_update(&a, &smp, ev, 8);
        }
        assert_true(have);
        float c = v3_dot(before, a.align.up_ref);
        assert_true(c > cosf(0.2f * CT_DEG2RAD_F));
    }
}

/* The strap turned by `delta` deg standing (the sensor's strap at strap_deg), for `ex`:
 * the measure's mean over the still stand after the adjust, 0 when the reference held */
static double strap_adjust_after(const sim_sensor *sensor_in, ct_exercise ex, float delta,
                                 float strap_deg, uint64_t seed)
{
    sim_step plan[] = {
        {.kind = SIM_STEP_STAND_STILL, .duration_s = 3.0f},
        {.kind = SIM_STEP_CALIBRATE, .duration_s = 5.0f, .cal = SIM_CAL_KNEE_SWAY},
        {.kind = SIM_STEP_STAND_STILL, .duration_s = 3.0f},
        {.kind = SIM_STEP_STRAP_ADJUST, .strap_delta_deg = delta},
        {.kind = SIM_STEP_STAND_STILL, .duration_s = 3.0f},
    };
    sim_person person;
    sim_person_default(&person);
    sim_sensor sensor = *sensor_in;
    sensor.strap_random = false;
    sensor.strap_deg = strap_deg;
    static sim s;
    assert_int_equal(sim_init(&s, &person, &sensor, plan, 5, PLACE_SHIN, SIDE_LEFT, seed), CT_OK);
    ct_rx_item rx = {.exercise = ex, .reps = 3, .hold_s = 30.0f};
    static ct_analysis a;
    assert_int_equal(analysis_init(&a, &rx, (float)sensor.odr_hz), CT_OK);
    ct_sample smp;
    sim_truth_sample tr;
    ct_event ev[8];
    double e = 0.0;
    int m = 0;
    while (sim_next(&s, NULL, &smp, &tr)) {
        analysis_update(&a, &smp, ev, 8);
        if (tr.step == 4) {
            e += a.value;
            m++;
        }
    }
    assert_true(a.strap_seen);
    assert_true(m > 0);
    return e / m;
}

/* The strap turned by hand (60-170 deg either way, in two tugs), the person standing:
 * as a tug starts the grip shakes the pod by 5-12 mg, so it was seldom at rest there
 * and the turn was carried by the gyro alone, its scale and offset errors with it.
 * Gravity from the orientation filter is taken there instead: the tilt read standing
 * still after the adjust (0.2-0.3 deg before it) came within 1 deg in 6 of these 24
 * adjusts, 2.05 deg RMS; then in 8, 1.85 deg. Each tug also ends with the pod shaken
 * and the leg straightening up from the reach at once, so gravity at rest came too late
 * and the gyro carried the whole adjust (its offset and scale errors: ~3 % of a turn);
 * waiting for the pod at rest, the leg's own motion meanwhile taken in by the gyro, and
 * carrying the difference over the pause between the tugs: within 1 deg in 23 of the
 * 24, 0.64 deg RMS. */
static void shin_strap_adjust_keeps_reference(void **state)
{
    (void)state;
    static const float deltas[] = {150.0f, -120.0f, 90.0f, -170.0f, 60.0f, 130.0f};
    double se = 0.0;
    int n = 0, within = 0;
    sim_sensor sensor = sim_sensor_default;
    sensor.gyr_bias_dps = 5.0f;
    for (int k = 0; k < 6; k++) {
        for (int sd = 0; sd < 4; sd++) {
            double e = strap_adjust_after(&sensor, EX_DOWNWARD_DOG, deltas[k],
                                          40.0f + 50.0f * (float)k, (uint64_t)(10 * k + sd + 1));
            se += e * e;
            within += e < 1.0;
            n++;
        }
    }
    assert_true(within >= 20);
    assert_true(sqrt(se / n) < 0.8);
}

/* Another maker's consumer-grade sensor (60 mg accelerometer offsets, not learnt for
 * the shank's exercises), the strap turned by 60-170 deg: the offset, fixed in the pod,
 * changes |a| as the pod turns (by its dot with gravity's change of direction in the
 * pod), past the test of a quiet body; the turn was dropped half-way as if the leg had
 * moved, its second half begun afresh with the pod shaken, and the reference left as
 * the gyro carried it, the offset turned with it: the shank read standing still after
 * the adjust 3.90 deg RMS off over these 72 adjusts, 10.3 at worst. With the quiet test
 * allowing what the offset can do for how far gravity turned in the pod: 1.70, 5.9.
 * A first tug begun within a second of the reach to the pod (its accelerometer still
 * shaken, the still detector's variance decaying) was left to the gyro as well: with
 * gravity at its start from the orientation filter, 1.47, 4.7. */
static void shin_strap_adjust_other_sensor(void **state)
{
    (void)state;
    static const float deltas[] = {150.0f, -120.0f, 90.0f, -170.0f, 60.0f, 130.0f};
    double se = 0.0, worst = 0.0;
    int n = 0;
    for (int k = 0; k < 6; k++) {
        for (int sd = 0; sd < 12; sd++) {
            double e = strap_adjust_after(&sim_sensor_other, EX_LUNGE_STRETCH, deltas[k],
                                          40.0f + 50.0f * (float)k, (uint64_t)(10 * k + sd + 1));
            se += e * e;
            worst = fmax(worst, fabs(e));
            n++;
        }
    }
    assert_true(sqrt(se / n) < 1.6);
    assert_true(worst < 5.2);
}

/* A strap adjusted by a little (20-24 deg in two tugs) whose first tug seats the pod
 * anew on the skin, tilting it on the shank by more than it turns it: the rotation is
 * too far from the pod's axis to be told as a turn, and the standing reference stayed
 * where the pod sat, the tilt read standing still after the adjust 4.2, 5.9 and 7.8 deg
 * off. Carried aside and taken when the second tug follows: within 1 deg. */
static void shin_strap_first_tug_rocking(void **state)
{
    (void)state;
    static const struct {
        float delta;
        int k;
        uint64_t seed;
    } cases[] = {{20.0f, 0, 105}, {20.0f, 0, 118}, {-24.0f, 1, 115}};
    for (int i = 0; i < 3; i++) {
        sim_step plan[] = {
            {.kind = SIM_STEP_STAND_STILL, .duration_s = 3.0f},
            {.kind = SIM_STEP_CALIBRATE, .duration_s = 5.0f, .cal = SIM_CAL_KNEE_SWAY},
            {.kind = SIM_STEP_STAND_STILL, .duration_s = 3.0f},
            {.kind = SIM_STEP_STRAP_ADJUST, .strap_delta_deg = cases[i].delta},
            {.kind = SIM_STEP_STAND_STILL, .duration_s = 3.0f},
        };
        sim_person person;
        sim_person_random(&person, 7919u * cases[i].seed + 1u);
        sim_sensor sensor = sim_sensor_default;
        sensor.gyr_bias_dps = 5.0f;
        sensor.strap_random = false;
        sensor.strap_deg = 40.0f + 50.0f * (float)cases[i].k;
        static sim s;
        assert_int_equal(sim_init(&s, &person, &sensor, plan, 5, PLACE_SHIN, SIDE_LEFT,
                                  cases[i].seed),
                         CT_OK);
        ct_rx_item rx = {.exercise = EX_DOWNWARD_DOG, .reps = 3, .hold_s = 30.0f};
        static ct_analysis a;
        assert_int_equal(analysis_init(&a, &rx, (float)sensor.odr_hz), CT_OK);
        ct_sample smp;
        sim_truth_sample tr;
        ct_event ev[8];
        double e = 0.0;
        int m = 0;
        while (sim_next(&s, NULL, &smp, &tr)) {
            analysis_update(&a, &smp, ev, 8);
            if (tr.step == 4) {
                e += a.value;
                m++;
            }
        }
        assert_true(a.strap_seen);
        assert_true(m > 0);
        assert_true(fabs(e / m) < 1.0);
    }
}

/* The pod on the shin calibrated with an ankle pump (the shank barely moves: no axis
 * yet), then the strap turned by 140-220 deg: the lean of reaching down to the strap was
 * the first excursion, whose far point gives the sagittal axis its sign, and the axis was
 * then learnt from the walk and the lunge. That far point stayed where it was in the pod
 * through the turn, so after turns of more than 90 deg it read on the other side: the
 * signed angle came out backward for the whole session, in 3 of these 12 (the lunge's
 * hold read at -25 deg). Carried through the turn like the references: none. */
static void shin_strap_turn_before_axis_keeps_sign(void **state)
{
    (void)state;
    static const float deltas[] = {217.0f, -150.0f, 180.0f, 140.0f};
    for (int k = 0; k < 4; k++) {
        for (int sd = 0; sd < 3; sd++) {
            sim_step plan[] = {
                {.kind = SIM_STEP_STAND_STILL, .duration_s = 3.0f},
                {.kind = SIM_STEP_CALIBRATE, .duration_s = 5.0f, .cal = SIM_CAL_ANKLE_PUMP},
                {.kind = SIM_STEP_STAND_STILL, .duration_s = 5.0f},
                {.kind = SIM_STEP_STRAP_ADJUST, .strap_delta_deg = deltas[k]},
                {.kind = SIM_STEP_WALK, .distance_m = 3.0f},
                {.kind = SIM_STEP_EXERCISE},
            };
            sim_set_default(&plan[5].set, EX_LUNGE_STRETCH);
            plan[5].set.set = 1;
            plan[5].set.count = 1;
            plan[5].set.hold_s = 10.0f;
            sim_person person;
            sim_person_default(&person);
            sim_sensor sensor = sim_sensor_default;
            sensor.gyr_bias_dps = 5.0f;
            sensor.strap_random = false;
            sensor.strap_deg = 60.0f + 40.0f * (float)k;
            static sim s;
            assert_int_equal(sim_init(&s, &person, &sensor, plan, 6, PLACE_SHIN, SIDE_LEFT,
                                      (uint64_t)(10 * k + sd + 3)),
                             CT_OK);
            ct_rx_item rx = acc_rx_from(&plan[5].set);
            static ct_analysis a;
            assert_int_equal(analysis_init(&a, &rx, (float)sensor.odr_hz), CT_OK);
            ct_sample smp;
            sim_truth_sample tr;
            ct_event ev[8];
            int agree = 0, against = 0;
            bool begun = false;
            while (sim_next(&s, NULL, &smp, &tr)) {
                if (tr.step == 5 && !begun) {
                    analysis_begin_set(&a, 1);
                    begun = true;
                }
                analysis_update(&a, &smp, ev, 8);
                float sag = tr.shank_incl_deg - person.stance_incl_deg;
                if (tr.step == 5 && sag > 10.0f) {
                    agree += a.angle_deg > 5.0f;
                    against += a.angle_deg < -5.0f;
                }
            }
            assert_true(a.strap_seen);
            assert_true(agree > 30);
            assert_int_equal(against, 0);
        }
    }
}

/* The strap turned by 100-180 deg on the foot of a person seated on the floor, leg
 * straight, with a consumer-grade sensor (60 mg offsets, 3 % scale, 2 % cross-axis,
 * 8 deg tilt). The offset adds its component along gravity to |a|, and a half turn of
 * the pod reverses it: |a| changed by up to 0.1 g within the turn, which was taken for
 * the leg moving and the turn dropped half-way, the reference left turned by the rest
 * (the measure at rest then 15.7 deg off in one of these 12 adjusts, 5.5 deg RMS). The
 * offset known taken off first: none beyond 6 deg (the gyro's scale and cross-axis
 * errors over the turn), 3.4 deg RMS. */
static void foot_strap_turn_consumer_sensor(void **state)
{
    (void)state;
    static const float deltas[] = {170.0f, -160.0f, 120.0f, -140.0f, 180.0f, 100.0f};
    double se = 0.0, worst = 0.0;
    int n = 0;
    for (int k = 0; k < 6; k++) {
        for (int sd = 1; sd < 4; sd += 2) {
            sim_step plan[] = {
                {.kind = SIM_STEP_STAND_STILL, .duration_s = 3.0f},
                {.kind = SIM_STEP_CALIBRATE, .duration_s = 8.0f, .cal = SIM_CAL_ANKLE_PUMP},
                {.kind = SIM_STEP_STAND_STILL, .duration_s = 3.0f},
                {.kind = SIM_STEP_SIT_DOWN, .posture = SIM_POSTURE_FLOOR},
                {.kind = SIM_STEP_REST, .duration_s = 6.0f},
                {.kind = SIM_STEP_STRAP_ADJUST, .strap_delta_deg = deltas[k]},
                {.kind = SIM_STEP_REST, .duration_s = 6.0f},
            };
            sim_person person;
            sim_person_default(&person);
            sim_sensor sensor = sim_sensor_other;
            sensor.strap_random = false;
            sensor.strap_deg = 30.0f + 50.0f * (float)k;
            static sim s;
            assert_int_equal(sim_init(&s, &person, &sensor, plan, 7, PLACE_FOOT, SIDE_LEFT,
                                      (uint64_t)(10 * k + sd + 1)),
                             CT_OK);
            ct_rx_item rx = {.exercise = EX_BAND_STRETCH, .reps = 3, .hold_s = 30.0f};
            static ct_analysis a;
            assert_int_equal(analysis_init(&a, &rx, (float)sensor.odr_hz), CT_OK);
            ct_sample smp;
            sim_truth_sample tr;
            ct_event ev[8];
            double v0 = 0.0, v1 = 0.0, d0 = 0.0, d1 = 0.0;
            int m0 = 0, m1 = 0;
            bool known = false;
            while (sim_next(&s, NULL, &smp, &tr)) {
                analysis_update(&a, &smp, ev, 8);
                if (tr.step == 4) {
                    v0 += a.value;
                    d0 += tr.ankle_df_deg;
                    m0++;
                    known = a.acc_bias_known;
                } else if (tr.step == 6) {
                    v1 += a.value;
                    d1 += tr.ankle_df_deg;
                    m1++;
                }
            }
            assert_true(known);
            assert_true(a.strap_seen);
            assert_true(m0 > 0 && m1 > 0);
            /* the measure's change over the adjust less the ankle's own */
            double e = (v1 / m1 - v0 / m0) - (d1 / m1 - d0 / m0);
            se += e * e;
            worst = fmax(worst, fabs(e));
            n++;
        }
    }
    assert_true(worst < 6.0);
    assert_true(sqrt(se / n) < 4.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lunge_holds_counted_and_measured),
        cmocka_unit_test(shin_calf_raise_height),
        cmocka_unit_test(shin_foot_lift_is_no_raise),
        cmocka_unit_test(shin_lean_and_back_is_no_raise),
        cmocka_unit_test(shin_lean_left_elsewhere_is_no_raise),
        cmocka_unit_test(shin_rise_without_a_landing_is_no_raise),
        cmocka_unit_test(shin_short_rise_arriving_fast_is_no_raise),
        cmocka_unit_test(shin_short_rise_turned_is_no_raise),
        cmocka_unit_test(shin_first_rise_into_a_kept_lean_is_no_raise),
        cmocka_unit_test(shin_rise_begun_before_the_set_is_no_raise),
        cmocka_unit_test(shin_raise_tipping_far_is_counted),
        cmocka_unit_test(shin_reference_taken_on_the_toes_is_moved),
        cmocka_unit_test(shin_shuffle_is_no_raise),
        cmocka_unit_test(shin_shuffle_recordings_no_raise),
        cmocka_unit_test(shin_fidget_sitting_on_the_floor_is_no_raise),
        cmocka_unit_test(nothing_outside_a_set_and_count_restarts),
        cmocka_unit_test(foot_quick_raises_jolting_the_pod_counted),
        cmocka_unit_test(foot_low_first_raise_counted_when_reps_follow),
        cmocka_unit_test(shin_low_first_raise_counted_when_reps_follow),
        cmocka_unit_test(wrong_placement_announced),
        cmocka_unit_test(seated_shin_is_no_reference),
        cmocka_unit_test(band_stretch_pod_on_the_shin_announced),
        cmocka_unit_test(band_stretch_seated_reference),
        cmocka_unit_test(band_stretch_reference_not_standing),
        cmocka_unit_test(band_stretch_rest_after_pointing_is_no_hold),
        cmocka_unit_test(band_stretch_fidget_after_band_off_is_no_hold),
        cmocka_unit_test(short_stand_is_a_reference_only_at_the_start),
        cmocka_unit_test(shin_raise_straight_after_short_stand),
        cmocka_unit_test(band_stretch_begun_pointed_ends_at_rest),
        cmocka_unit_test(band_stretch_back_to_rest_before_any_hold_is_no_hold),
        cmocka_unit_test(band_stretch_graded_by_level_across_sets),
        cmocka_unit_test(lunge_attempt_then_stepping_out),
        cmocka_unit_test(dog_graded_by_range_across_sets),
        cmocka_unit_test(dog_sway_back_to_the_pose_is_no_end),
        cmocka_unit_test(shared_timestamps_and_fidgets),
        cmocka_unit_test(foot_toes_down_is_no_raise),
        cmocka_unit_test(foot_strap_turn_rocking),
        cmocka_unit_test(foot_strap_tug_rocking_far),
        cmocka_unit_test(foot_strap_turn_level_dorsum),
        cmocka_unit_test(foot_strap_turn_two_tugs),
        cmocka_unit_test(isometric_attempt_given_up),
        cmocka_unit_test(isometric_strap_turn_is_no_hold),
        cmocka_unit_test(lunge_strap_adjust_is_no_hold),
        cmocka_unit_test(isometric_first_hold_held_at_the_top),
        cmocka_unit_test(shin_strap_adjust_keeps_reference),
        cmocka_unit_test(shin_strap_adjust_other_sensor),
        cmocka_unit_test(shin_strap_first_tug_rocking),
        cmocka_unit_test(shin_strap_turn_before_axis_keeps_sign),
        cmocka_unit_test(foot_strap_turn_consumer_sensor),
        cmocka_unit_test(shin_walk_turn_keeps_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
