/* test_rx.c - the receive path: a clean stream, every kind of loss counted exactly,
 * duplicates never emitted twice, 32-bit wraps, pod resets after an unplug, and hostile
 * bytes (every bit flip, every truncation, random garbage) refused and counted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "calftrack/rx.h"
#include "support/podinfo.h"

#define PERIOD_US 1200 /* 833 Hz */

/* A pod in miniature: packets of 4 samples whose values encode their index. */
typedef struct {
    uint16_t seq;
    uint32_t index;
    uint32_t t_us;
    uint8_t flags;
} gen;

static int16_t bias; /* another moment: other sample values in the packets made */

static size_t make(gen *g, uint8_t buf[WIRE_PKT_MAX], unsigned count)
{
    wire_packet p;
    memset(&p, 0, sizeof p);
    p.count = (uint8_t)count;
    p.seq = g->seq++;
    p.sample_index = g->index;
    p.t_us = g->t_us;
    p.period_qus = PERIOD_US * 4;
    p.flags = g->flags;
    g->flags = 0;
    for (unsigned k = 0; k < count; k++) {
        int16_t v = (int16_t)((g->index + k) & 0x3FFF);
        p.s[k].acc[0] = 2049; /* ~1 g */
        p.s[k].acc[1] = v;
        p.s[k].acc[2] = (int16_t)-v;
        p.s[k].gyr[0] = 100; /* 7 dps */
        p.s[k].gyr[1] = v;
        p.s[k].gyr[2] = bias;
    }
    g->index += count;
    g->t_us += count * PERIOD_US;
    return wire_encode_packet(&p, buf);
}

static int feed(rx_state *rx, gen *g, ct_sample out[WIRE_MAX_SAMPLES])
{
    uint8_t buf[WIRE_PKT_MAX];
    size_t n = make(g, buf, 4);
    return rx_feed(rx, buf, n, out);
}

static void test_clean_stream(void **st)
{
    (void)st;
    wire_info in = test_info833();
    rx_state rx;
    rx_init(&rx, &in);
    gen g = {0, 0, 5000, WIRE_FLAG_START};
    ct_sample out[4];
    int64_t last_t = -1;
    for (int i = 0; i < 10000; i++) {
        assert_int_equal(feed(&rx, &g, out), 4);
        for (int k = 0; k < 4; k++) {
            uint64_t idx = (uint64_t)i * 4 + (uint64_t)k;
            assert_int_equal(out[k].index, idx);
            assert_int_equal(out[k].t_us, 5000 + (int64_t)idx * PERIOD_US);
            assert_true(out[k].t_us > last_t);
            last_t = out[k].t_us;
            assert_int_equal(out[k].flags, 0);
        }
        assert_true(fabsf(out[0].acc_g[0] - 1.0f) < 0.001f);
        assert_true(fabsf(out[0].gyr_dps[0] - 7.0f) < 0.001f);
    }
    assert_int_equal(rx.stats.samples, 40000);
    assert_int_equal(rx.stats.packets, 10000);
    assert_int_equal(rx.stats.lost_packets + rx.stats.lost_samples + rx.stats.bad_packets +
                         rx.stats.duplicates + rx.stats.overruns + rx.stats.restarts,
                     0);
}

static void test_lost_packets_counted(void **st)
{
    (void)st;
    wire_info in = test_info833();
    rx_state rx;
    rx_init(&rx, &in);
    gen g = {0, 0, 0, WIRE_FLAG_START};
    ct_sample out[4];
    uint8_t buf[WIRE_PKT_MAX];
    assert_int_equal(feed(&rx, &g, out), 4);
    make(&g, buf, 4); /* lost on the link */
    make(&g, buf, 4); /* and another */
    assert_int_equal(feed(&rx, &g, out), 4);
    assert_int_equal(rx.stats.lost_packets, 2);
    assert_int_equal(rx.stats.lost_samples, 8);
    assert_true(out[0].flags & CT_SAMPLE_GAP);
    assert_false(out[1].flags & CT_SAMPLE_GAP);
    assert_int_equal(out[0].index, 12);
    assert_int_equal(out[0].t_us, 12 * PERIOD_US);
    assert_int_equal(feed(&rx, &g, out), 4);
    assert_int_equal(out[0].flags, 0);
}

static void test_every_corruption_refused(void **st)
{
    (void)st;
    wire_info in = test_info833();
    rx_state rx;
    rx_init(&rx, &in);
    gen g = {0, 0, 0, WIRE_FLAG_START};
    ct_sample out[4];
    uint8_t good[WIRE_PKT_MAX], bad[WIRE_PKT_MAX];
    size_t n = make(&g, good, 4);
    assert_int_equal(rx_feed(&rx, good, n, out), 4);
    uint64_t refused = 0;
    size_t n2 = make(&g, good, 4);
    for (size_t byte = 0; byte < n2; byte++)
        for (int bit = 0; bit < 8; bit++) {
            memcpy(bad, good, n2);
            bad[byte] ^= (uint8_t)(1u << bit);
            assert_true(rx_feed(&rx, bad, n2, out) < 0);
            refused++;
        }
    for (size_t len = 0; len < n2; len++) {
        assert_true(rx_feed(&rx, good, len, out) < 0);
        refused++;
    }
    assert_int_equal(rx.stats.bad_packets, refused);
    assert_int_equal(rx.stats.samples, 4);
    /* the good copy still goes through, and the next packet is continuous */
    assert_int_equal(rx_feed(&rx, good, n2, out), 4);
    assert_int_equal(out[0].index, 4);
    assert_int_equal(out[0].flags, 0);
    assert_int_equal(rx.stats.lost_samples, 0);
}

static void test_duplicates_dropped(void **st)
{
    (void)st;
    wire_info in = test_info833();
    rx_state rx;
    rx_init(&rx, &in);
    gen g = {0, 0, 0, WIRE_FLAG_START};
    ct_sample out[4];
    uint8_t a[WIRE_PKT_MAX], b[WIRE_PKT_MAX];
    size_t na = make(&g, a, 4);
    assert_int_equal(rx_feed(&rx, a, na, out), 4);
    assert_int_equal(rx_feed(&rx, a, na, out), 0); /* the same packet again */
    size_t nb = make(&g, b, 4);
    assert_int_equal(rx_feed(&rx, b, nb, out), 4);
    assert_int_equal(rx_feed(&rx, a, na, out), 0); /* a late copy of an old one */
    assert_int_equal(rx.stats.duplicates, 8);
    assert_int_equal(rx.stats.lost_packets, 0);
    assert_int_equal(rx.stats.samples, 8);

    /* a packet overlapping what was received: only the new samples come out */
    gen h = g;
    h.index -= 2;
    h.t_us -= 2 * PERIOD_US;
    h.seq = g.seq;
    uint8_t c[WIRE_PKT_MAX];
    size_t nc = make(&h, c, 4);
    assert_int_equal(rx_feed(&rx, c, nc, out), 2);
    assert_int_equal(out[0].index, 8);
    assert_int_equal(out[0].t_us, 8 * PERIOD_US);
    assert_int_equal(rx.stats.duplicates, 10);
}

static void test_overrun_reported(void **st)
{
    (void)st;
    wire_info in = test_info833();
    rx_state rx;
    rx_init(&rx, &in);
    gen g = {0, 0, 0, WIRE_FLAG_START};
    ct_sample out[4];
    assert_int_equal(feed(&rx, &g, out), 4);
    g.index += 100; /* the FIFO overwrote 100 samples */
    g.t_us += 100 * PERIOD_US;
    g.flags = WIRE_FLAG_OVERRUN;
    assert_int_equal(feed(&rx, &g, out), 4);
    assert_int_equal(rx.stats.overruns, 1);
    assert_int_equal(rx.stats.lost_samples, 100);
    assert_int_equal(rx.stats.lost_packets, 0);
    assert_true(out[0].flags & CT_SAMPLE_GAP);
    assert_int_equal(out[0].index, 104);
    assert_int_equal(out[0].t_us, 104 * PERIOD_US);
}

static void test_wraps_unwrapped(void **st)
{
    (void)st;
    wire_info in = test_info833();
    rx_state rx;
    rx_init(&rx, &in);
    gen g = {65500, 0xFFFFFF00u, 0xFFFF0000u, WIRE_FLAG_START};
    ct_sample out[4];
    int64_t first = -1, last = -1;
    uint64_t first_i = 0;
    for (int i = 0; i < 5000; i++) {
        assert_int_equal(feed(&rx, &g, out), 4);
        if (first < 0) {
            first = out[0].t_us;
            first_i = out[0].index;
        }
        for (int k = 0; k < 4; k++) {
            assert_true(out[k].t_us > last);
            last = out[k].t_us;
        }
    }
    assert_int_equal(last - first, (int64_t)(5000 * 4 - 1) * PERIOD_US);
    assert_int_equal(out[3].index - first_i, 5000 * 4 - 1);
    assert_true(out[3].index > 0xFFFFFFFFull);
    assert_int_equal(rx.stats.lost_packets + rx.stats.lost_samples + rx.stats.duplicates, 0);
}

static void test_reset_after_unplug(void **st)
{
    (void)st;
    wire_info in = test_info833();
    rx_state rx;
    rx_init(&rx, &in);
    gen g = {0, 0, 0, WIRE_FLAG_START};
    ct_sample out[4];
    for (int i = 0; i < 250; i++)
        assert_int_equal(feed(&rx, &g, out), 4);
    int64_t before = out[3].t_us;
    uint64_t before_i = out[3].index;
    /* unplugged for 2 s; the pod powers up again: its index and clock restart at zero,
     * on exactly the same grid as before (the worst case for telling them apart) */
    rx_note_disconnect(&rx, 2000000);
    gen g2 = {0, 0, 0, WIRE_FLAG_START};
    assert_int_equal(feed(&rx, &g2, out), 4);
    assert_int_equal(out[0].t_us, before + 2000000);
    assert_true(out[0].flags & CT_SAMPLE_GAP);
    assert_true(out[0].index > before_i);
    assert_int_equal(rx.stats.restarts, 1);
    assert_int_equal(rx.stats.disconnects, 1);
    assert_int_equal(rx.stats.duplicates, 0);
    /* 2 s at 1.2 ms: 1667 periods (rounded), the 1666 samples between never reached us */
    assert_int_equal(rx.stats.lost_samples, 1666);
    assert_int_equal(rx.stats.lost_in_gaps, 1666); /* estimated from the gap, not by index */
    assert_int_equal(out[0].index, before_i + 1667);
    for (int i = 0; i < 100; i++) {
        int64_t t = out[3].t_us;
        assert_int_equal(feed(&rx, &g2, out), 4);
        assert_int_equal(out[0].t_us, t + PERIOD_US);
    }
    assert_int_equal(rx.stats.duplicates + rx.stats.lost_packets, 0);
}

static void test_disconnect_without_reset(void **st)
{
    (void)st;
    wire_info in = test_info833();
    rx_state rx;
    rx_init(&rx, &in);
    gen g = {0, 0, 0, WIRE_FLAG_START};
    ct_sample out[4];
    for (int i = 0; i < 10; i++)
        feed(&rx, &g, out);
    /* the host lost contact for 0.5 s but the pod kept its clock; START again */
    rx_note_disconnect(&rx, 500000);
    g.index += 400;
    g.t_us += 400 * PERIOD_US;
    g.seq = 0;
    g.flags = WIRE_FLAG_START;
    assert_int_equal(feed(&rx, &g, out), 4);
    assert_int_equal(out[0].index, 440);
    assert_int_equal(out[0].t_us, 440 * PERIOD_US);
    assert_true(out[0].flags & CT_SAMPLE_GAP);
    assert_int_equal(rx.stats.lost_samples, 400);
    assert_int_equal(rx.stats.lost_in_gaps, 0); /* counted by index */
    assert_int_equal(rx.stats.lost_packets, 0);
    assert_int_equal(rx.stats.restarts, 1);
}

static void test_reset_with_first_packet_lost(void **st)
{
    (void)st;
    wire_info in = test_info833();
    rx_state rx;
    rx_init(&rx, &in);
    gen g = {0, 0, 700000, WIRE_FLAG_START};
    ct_sample out[4];
    for (int i = 0; i < 1000; i++)
        feed(&rx, &g, out);
    int64_t before = out[3].t_us;
    gen g2 = {1, 4, 100, 0}; /* no START seen, no disconnect noted, clock elsewhere */
    assert_int_equal(feed(&rx, &g2, out), 4);
    assert_true(out[0].t_us > before);
    assert_int_equal(rx.stats.restarts, 1);
    assert_int_equal(rx.stats.duplicates, 0);
}

/* The pod's firmware restarts on the bus (no disconnect the host could see): its index
 * and clock start again at zero, on exactly the grid of before. Found by the session
 * fault test (reset@T): every sample until the index caught up was dropped as a
 * "duplicate". */
static void test_unseen_reset_on_grid(void **st)
{
    (void)st;
    wire_info in = test_info833();
    rx_state rx;
    rx_init(&rx, &in);
    gen g = {0, 0, 0, WIRE_FLAG_START};
    ct_sample out[4];
    for (int i = 0; i < 100; i++) /* 400 samples: within reach of a late copy */
        assert_int_equal(feed(&rx, &g, out), 4);
    int64_t before = out[3].t_us;
    uint64_t before_i = out[3].index;
    gen g2 = {0, 0, 0, WIRE_FLAG_START};
    bias = 7;
    assert_int_equal(feed(&rx, &g2, out), 4);
    assert_true(out[0].t_us > before);
    assert_int_equal(out[0].index, before_i + 1);
    assert_true(out[0].flags & CT_SAMPLE_GAP);
    for (int i = 0; i < 10; i++)
        assert_int_equal(feed(&rx, &g2, out), 4);
    assert_int_equal(rx.stats.restarts, 1);
    assert_int_equal(rx.stats.duplicates, 0);
    assert_int_equal(rx.stats.samples, 444);

    /* again, 2000 samples later, and the restart's START packet is lost on the link */
    for (int i = 0; i < 500; i++)
        assert_int_equal(feed(&rx, &g2, out), 4);
    gen g3 = {0, 0, 0, WIRE_FLAG_START};
    bias = 9;
    uint8_t lost[WIRE_PKT_MAX];
    make(&g3, lost, 4);
    assert_int_equal(feed(&rx, &g3, out), 4);
    assert_int_equal(rx.stats.restarts, 2);
    assert_int_equal(rx.stats.duplicates, 0);
    assert_int_equal(rx.stats.lost_packets, 0); /* the new stream's numbering is unknown */

    /* while a late copy of the current stream's START packet is still a duplicate */
    uint8_t a[WIRE_PKT_MAX];
    bias = 0;
    gen g4 = {0, 0, 0, WIRE_FLAG_START};
    rx_init(&rx, &in);
    size_t na = make(&g4, a, 4);
    assert_int_equal(rx_feed(&rx, a, na, out), 4);
    for (int i = 0; i < 20; i++)
        assert_int_equal(feed(&rx, &g4, out), 4);
    assert_int_equal(rx_feed(&rx, a, na, out), 0);
    assert_int_equal(rx.stats.duplicates, 4);
    assert_int_equal(rx.stats.restarts, 0);
}

static void test_clipping_flagged(void **st)
{
    (void)st;
    wire_info in = test_info833();
    rx_state rx;
    rx_init(&rx, &in);
    wire_packet p;
    memset(&p, 0, sizeof p);
    p.count = 2;
    p.period_qus = PERIOD_US * 4;
    p.s[0].acc[2] = INT16_MAX;
    p.s[1].gyr[1] = INT16_MIN;
    p.flags = WIRE_FLAG_ACC_CLIP | WIRE_FLAG_GYR_CLIP;
    uint8_t buf[WIRE_PKT_MAX];
    size_t n = wire_encode_packet(&p, buf);
    ct_sample out[4];
    assert_int_equal(rx_feed(&rx, buf, n, out), 2);
    assert_int_equal(out[0].flags, CT_SAMPLE_ACC_CLIP);
    assert_int_equal(out[1].flags, CT_SAMPLE_GYR_CLIP);
    assert_int_equal(rx.stats.clipped, 2);
    assert_true(out[0].acc_g[2] > 15.9f);
}

static void test_garbage_never_crashes(void **st)
{
    (void)st;
    wire_info in = test_info833();
    rx_state rx;
    rx_init(&rx, &in);
    uint64_t s = 12345;
    ct_sample out[4];
    uint8_t buf[80];
    uint64_t refused = 0, emitted = 0;
    for (int i = 0; i < 200000; i++) {
        size_t len = (size_t)(s % 81);
        for (size_t k = 0; k < len; k++) {
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            buf[k] = (uint8_t)(s >> 56);
        }
        int r = rx_feed(&rx, buf, len, out);
        if (r < 0)
            refused++;
        else
            emitted += (uint64_t)r;
    }
    assert_int_equal(rx.stats.bad_packets, refused);
    assert_int_equal(rx.stats.samples, emitted);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_stream),
        cmocka_unit_test(test_lost_packets_counted),
        cmocka_unit_test(test_every_corruption_refused),
        cmocka_unit_test(test_duplicates_dropped),
        cmocka_unit_test(test_unseen_reset_on_grid),
        cmocka_unit_test(test_overrun_reported),
        cmocka_unit_test(test_wraps_unwrapped),
        cmocka_unit_test(test_reset_after_unplug),
        cmocka_unit_test(test_disconnect_without_reset),
        cmocka_unit_test(test_reset_with_first_packet_lost),
        cmocka_unit_test(test_clipping_flagged),
        cmocka_unit_test(test_garbage_never_crashes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
