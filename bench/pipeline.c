/* pipeline.c - the whole host pipeline on replayed data: wire packets -> rx (decode,
 * continuous clock, loss accounting) -> analysis (calibration, orientation, detection).
 * Prints samples/s and ns/sample for decoding, analysis and both together, on one core.
 * The per-stage split of the analysis is printed by the accuracy bench. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calftrack/analysis.h"
#include "calftrack/rx.h"
#include "calftrack/sim.h"

#define MAX_STEPS 1024

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct {
    uint8_t len;
    uint8_t b[WIRE_PKT_MAX];
} pkt;

int main(void)
{
    enum { RATE = 833 };
    sim_step plan[MAX_STEPS];
    size_t nsteps = sim_plan_random(plan, MAX_STEPS, EX_CALF_RAISE, 6, 42);
    sim_person person;
    sim_person_random(&person, 42);
    sim_sensor sensor = sim_sensor_default;
    sensor.odr_hz = RATE;
    sim *s = malloc(sizeof *s);
    if (!s || sim_init(s, &person, &sensor, plan, nsteps, PLACE_SHIN, SIDE_LEFT, 42) != 0)
        return 1;
    wire_info info;
    sim_wire_info(s, &info);

    /* the stream as the pod would send it: 4 samples a packet */
    size_t cap = 1u << 20, np = 0;
    pkt *pk = malloc(cap * sizeof *pk);
    wire_packet p;
    memset(&p, 0, sizeof p);
    p.period_qus = (uint16_t)(info.period_ns / 250u);
    uint64_t idx = 0;
    wire_sample raw;
    while (np < cap && sim_next(s, &raw, NULL, NULL)) {
        sim_event e;
        while (sim_event_pop(s, &e))
            ;
        if (p.count == 0) {
            p.sample_index = (uint32_t)idx;
            p.t_us = (uint32_t)(idx * info.period_ns / 1000u);
        }
        p.s[p.count++] = raw;
        idx++;
        if (p.count == 4) {
            p.seq = (uint16_t)np;
            pk[np].len = (uint8_t)wire_encode_packet(&p, pk[np].b);
            np++;
            p.count = 0;
        }
    }
    uint64_t nsamples = np * 4;
    ct_sample *smp = malloc(nsamples * sizeof *smp);
    ct_analysis *a = malloc(sizeof *a);
    ct_rx_item item = {.exercise = EX_CALF_RAISE, .side = SIDE_LEFT, .reps = 15};
    if (!smp || !a)
        return 1;

    double best_dec = 1e9, best_ana = 1e9, best_all = 1e9;
    int events = 0;
    for (int rep = 0; rep < 5; rep++) {
        rx_state rx;
        rx_init(&rx, &info);
        double t0 = now_s();
        uint64_t k = 0;
        for (size_t i = 0; i < np; i++) {
            int n = rx_feed(&rx, pk[i].b, pk[i].len, &smp[k]);
            if (n > 0)
                k += (uint64_t)n;
        }
        double t1 = now_s();
        if (k != nsamples) {
            fprintf(stderr, "decoded %llu of %llu samples\n", (unsigned long long)k,
                    (unsigned long long)nsamples);
            return 1;
        }
        analysis_init(a, &item, (float)RATE);
        analysis_begin_set(a, 1);
        ct_event ev[8];
        events = 0;
        double t2 = now_s();
        for (uint64_t i = 0; i < k; i++)
            events += analysis_update(a, &smp[i], ev, 8);
        double t3 = now_s();
        /* both together, packet by packet, as live */
        rx_init(&rx, &info);
        analysis_init(a, &item, (float)RATE);
        analysis_begin_set(a, 1);
        ct_sample four[WIRE_MAX_SAMPLES];
        double t4 = now_s();
        for (size_t i = 0; i < np; i++) {
            int n = rx_feed(&rx, pk[i].b, pk[i].len, four);
            for (int j = 0; j < n; j++)
                analysis_update(a, &four[j], ev, 8);
        }
        double t5 = now_s();
        if (t1 - t0 < best_dec) best_dec = t1 - t0;
        if (t3 - t2 < best_ana) best_ana = t3 - t2;
        if (t5 - t4 < best_all) best_all = t5 - t4;
    }
    double n = (double)nsamples;
    printf("pipeline on replayed data: %llu samples (%.1f min at %d Hz), best of 5, one core\n",
           (unsigned long long)nsamples, n / RATE / 60.0, RATE);
    printf("  %-28s %12s %10s\n", "stage", "samples/s", "ns/sample");
    printf("  %-28s %12.3g %10.1f\n", "decode (rx_feed)", n / best_dec, best_dec / n * 1e9);
    printf("  %-28s %12.3g %10.1f\n", "analysis (all stages)", n / best_ana, best_ana / n * 1e9);
    printf("  %-28s %12.3g %10.1f\n", "full pipeline", n / best_all, best_all / n * 1e9);
    printf("  events in the stream: %d; target >= 1e7 samples/s for the full pipeline: %s\n",
           events, n / best_all >= 1e7 ? "met" : "NOT MET");
    free(smp);
    free(pk);
    free(a);
    free(s);
    return 0;
}
