/* accuracy.c - accuracy of the motion analysis over hundreds of simulated sets (random
 * people, strap rotations, gyro bias up to 5 deg/s, noise, distractors between sets),
 * phantom reps in distractor-only recordings, and throughput per stage. */
#include <math.h>
#include <stdlib.h>
#include <time.h>

#include "../tests/accuracy_run.h"
#include "calftrack/analysis/align.h"

typedef struct {
    ct_exercise ex;
    ct_placement pl;
} config;

static const config configs[] = {
    {EX_CALF_RAISE, PLACE_SHIN},     {EX_CALF_RAISE, PLACE_FOOT},
    {EX_ISOMETRIC_RAISE, PLACE_SHIN}, {EX_LUNGE_STRETCH, PLACE_SHIN},
    {EX_BAND_STRETCH, PLACE_FOOT},    {EX_DOWNWARD_DOG, PLACE_SHIN},
};
#define NCONF (sizeof configs / sizeof configs[0])

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double mean(const acc_err *e) { return e->n ? e->sum / (double)e->n : 0.0; }

static void print_row(const char *name, const acc_stats *s)
{
    if (getenv("ACC_MEANS"))
        printf("  means: angle %+.2f angle_sim %+.2f height %+.2f hold %+.2f above %+.2f\n",
               mean(&s->angle), mean(&s->angle_sim), mean(&s->height), mean(&s->hold),
               mean(&s->above));
    printf("%-18s %5ld %6.1f%% %5ld %5ld %6.1f%% %7.2f %7.2f %7.2f %7.2f %6.2f %7.2f %5ld/%-5ld %5ld/%ld\n",
           name, s->sets, s->sets ? 100.0 * (double)s->sets_exact / (double)s->sets : 0.0,
           s->reps_true, s->reps_found,
           s->class_n ? 100.0 * (double)s->class_ok / (double)s->class_n : 100.0,
           acc_rmse(&s->angle), acc_rmse(&s->angle_sim), acc_rmse(&s->height), acc_rmse(&s->hold),
           s->hold.max, acc_rmse(&s->above), s->placement_ok, s->placement_n, s->phantom_hits,
           s->phantom_runs);
}

/* ns per sample of each stage over a recorded stream (decoded samples in memory) */
static void throughput(void)
{
    enum { N = 2000000 };
    ct_sample *buf = malloc(sizeof *buf * N);
    float *val = malloc(sizeof *val * N);
    if (!buf || !val)
        return;
    long got = 0;
    for (uint64_t seed = 99; got < N; seed++) { /* calf-raise sessions back to back */
        sim_step plan[ACC_MAX_STEPS];
        size_t n = sim_plan_random(plan, ACC_MAX_STEPS, EX_LUNGE_STRETCH, 3, seed);
        sim_person person;
        sim_person_random(&person, seed);
        static sim s;
        sim_init(&s, &person, &sim_sensor_default, plan, n, PLACE_SHIN, SIDE_LEFT, seed);
        int64_t t_off = got ? buf[got - 1].t_us + 9615 : 0;
        uint64_t i_off = (uint64_t)got;
        while (got < N && sim_next(&s, NULL, &buf[got], NULL)) {
            sim_event e;
            while (sim_event_pop(&s, &e))
                ;
            buf[got].t_us += t_off;
            buf[got].index += i_off;
            got++;
        }
    }
    float dt = 1.0f / 104.0f;
    volatile float sink = 0.0f;

    /* each figure is the best of REPEAT passes: the machine may be shared */
    enum { REPEAT = 3 };
    double t_cal = 1e9, t_or = 1e9, t_all = 1e9, t_det = 1e9, t0;
    ct_orient o;
    static ct_analysis an;
    ct_rx_item rx = {.exercise = EX_LUNGE_STRETCH, .reps = 3, .hold_s = 30, .target = 30,
                     .up_s = 2, .down_s = 2};
    ct_event ev[8];
    long nev = 0;
    for (int rep = 0; rep < REPEAT; rep++) {
        /* calibrate: still detection + gyro offset */
        ct_still st;
        ct_gyro_offset go;
        still_init(&st, NULL);
        gyro_offset_init(&go, NULL);
        t0 = now_s();
        for (long i = 0; i < got; i++) {
            ct_vec3 a = v3_from(buf[i].acc_g), g = v3_from(buf[i].gyr_dps);
            ct_vec3 g0 = v3_sub(g, go.bias_dps);
            still_update(&st, &a, &g, &g0, go.known, dt);
            ct_vec3 c = gyro_offset_update(&go, &g, st.still_s, dt);
            sink += c.x;
        }
        t_cal = fmin(t_cal, now_s() - t0);

        /* orientation */
        orient_init(&o, NULL);
        orient_reset(&o, v3_from(buf[0].acc_g));
        t0 = now_s();
        for (long i = 0; i < got; i++) {
            ct_vec3 g = v3_from(buf[i].gyr_dps), a = v3_from(buf[i].acc_g);
            orient_update(&o, &g, &a, (i & 64) != 0, dt);
            sink += o.up.z;
        }
        t_or = fmin(t_or, now_s() - t0);

        /* whole pipeline (a lunge set open throughout) */
        analysis_init(&an, &rx, 104.0f);
        analysis_begin_set(&an, 1);
        nev = 0;
        t0 = now_s();
        for (long i = 0; i < got; i++)
            nev += analysis_update(&an, &buf[i], ev, 8);
        t_all = fmin(t_all, now_s() - t0);
    }
    analysis_init(&an, &rx, 104.0f);
    analysis_begin_set(&an, 1);
    for (long i = 0; i < got; i++) {
        analysis_update(&an, &buf[i], ev, 8);
        val[i] = an.value;
    }

    /* detect: alignment angle + excursion detector on the recorded measure */
    ct_detect d;
    ct_detect_settings c = {.engage = 4, .low = 2, .min_s = 1.5f, .quiet_rate = 3};
    detect_init(&d, &c);
    ct_excursion x;
    for (int rep = 0; rep < REPEAT; rep++) {
        detect_init(&d, &c);
        t0 = now_s();
        for (long i = 0; i < got; i++) {
            sink += align_angle_deg(&an.align, o.up);
            nev += detect_update(&d, val[i], buf[i].t_us, dt, false, true, true, &x);
        }
        t_det = fmin(t_det, now_s() - t0);
    }
    printf("\nthroughput over %ld decoded samples (sink %.1f, %ld events):\n", got, (double)sink, nev);
    printf("  calibrate (still detection + gyro offset)  %6.1f ns/sample\n", 1e9 * t_cal / (double)got);
    printf("  orientation (quaternion filter)            %6.1f ns/sample\n", 1e9 * t_or / (double)got);
    printf("  detect (sagittal angle + detector)         %6.1f ns/sample\n", 1e9 * t_det / (double)got);
    printf("  whole pipeline after decoding              %6.1f ns/sample = %.1f M samples/s\n",
           1e9 * t_all / (double)got, (double)got / t_all * 1e-6);
    free(buf);
    free(val);
}

/* The table over `sessions` sessions of 3 sets and `distract` distractor-only recordings
 * a row, the sensor's errors those of `sensor` (NULL: the pod's, the simulator's default)
 * at odr_hz (0: the sensor's own rate) */
static void table(int sessions, int distract, const sim_sensor *sensor, uint16_t odr_hz,
                  bool no_calibrate, bool verbose)
{
    acc_odr_hz = odr_hz;
    acc_no_calibrate = no_calibrate;
    acc_sensor_base = sensor;
    acc_stats total;
    memset(&total, 0, sizeof total);
    printf("motion analysis accuracy %s at %u Hz%s: %d sessions x 3 sets per row, %d "
           "distractor-only recordings (60 s, set open) per row\n",
           sensor ? "with a consumer-grade IMU (400 ug/rtHz, 60 mg and 3 dps offsets, 3 % scale)"
                  : "with the pod's sensor",
           odr_hz ? odr_hz : (sensor ? sensor : &sim_sensor_default)->odr_hz,
           no_calibrate ? ", no calibration gestures (a still stand instead)" : "", sessions,
           distract);
    printf("%-18s %5s %7s %5s %5s %7s %7s %7s %7s %7s %6s %7s %11s %s\n", "exercise/pod", "sets",
           "exact", "reps", "found", "class", "ang_rms", "ang_sim", "h_rms", "hold_rms", "max",
           "abv_rms", "placement", "phantom");
    for (size_t c = 0; c < NCONF; c++) {
        acc_stats st;
        memset(&st, 0, sizeof st);
        for (int i = 0; i < sessions; i++)
            acc_run_session(&st, configs[c].ex, configs[c].pl, 1000u + (uint64_t)i * 31u + c, 3,
                            5.0f, verbose);
        for (int i = 0; i < distract; i++)
            acc_run_distractors(&st, configs[c].ex, configs[c].pl, 5000u + (uint64_t)i * 17u + c,
                                60.0f, 5.0f, verbose);
        char name[40];
        snprintf(name, sizeof name, "%s/%s", ct_exercise_name(configs[c].ex),
                 ct_placement_name(configs[c].pl));
        print_row(name, &st);
        total.sets += st.sets;
        total.sets_exact += st.sets_exact;
        total.reps_true += st.reps_true;
        total.reps_found += st.reps_found;
        total.class_n += st.class_n;
        total.class_ok += st.class_ok;
        total.placement_n += st.placement_n;
        total.placement_ok += st.placement_ok;
        total.phantom_runs += st.phantom_runs;
        total.phantom_hits += st.phantom_hits;
    }
    printf("%-18s %5ld %6.1f%% %5ld %5ld %6.1f%% %47s %5ld/%-5ld %5ld/%ld\n", "all", total.sets,
           100.0 * (double)total.sets_exact / (double)(total.sets ? total.sets : 1),
           total.reps_true, total.reps_found,
           100.0 * (double)total.class_ok / (double)(total.class_n ? total.class_n : 1), "",
           total.placement_ok, total.placement_n, total.phantom_hits, total.phantom_runs);
    acc_odr_hz = 0;
    acc_sensor_base = NULL;
    acc_no_calibrate = false;
}

int main(int argc, char **argv)
{
    int sessions = argc > 1 ? atoi(argv[1]) : 20;
    int distract = argc > 2 ? atoi(argv[2]) : 20;
    /* the pod's own rate: the same people and plans sampled 8 times as often (fewer of
     * them, as each costs 8 times the work) */
    int fast_sessions = argc > 3 ? atoi(argv[3]) : 20;
    bool verbose = getenv("ACC_VERBOSE") != NULL;
    table(sessions, distract, NULL, 0, false, verbose);
    if (fast_sessions > 0) {
        printf("\n");
        table(fast_sessions, fast_sessions, NULL, 833, false, verbose);
    }
    /* data imported from another maker's sensor: noisier, with larger offsets, at 50 Hz */
    printf("\n");
    table(sessions, distract, &sim_sensor_other, 0, false, verbose);
    /* ...and read fast: its noise in one sample (8 mg an axis at 833 Hz) is more than a
     * pod at rest may deviate by (still.c learns it) */
    if (fast_sessions > 0) {
        printf("\n");
        table(fast_sessions, fast_sessions, &sim_sensor_other, 833, false, verbose);
    }
    /* ...as a recording made elsewhere would come: nobody did our knee sway or foot pump,
     * so the pod's axes, the sway's tilt error and the dog's spread come from still stands
     * and the exercise itself */
    printf("\n");
    table(sessions, distract, &sim_sensor_other, 0, true, verbose);
    printf("angles: deg RMSE against the specified measure (ang_rms) and the simulator's own angle"
           " (ang_sim: lunge/dog from vertical, band = ankle angle with the real shank tilt);\n"
           "h_rms: heel rise cm; hold: time in the hold s; abv: time at or above target s;\n"
           "phantom: distractor-only recordings (set open all along) with any rep or hold.\n");
    throughput();
    return 0;
}
