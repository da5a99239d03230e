/* test_fw_packetizer.c - samples to stream packets: continuity of the sequence number,
 * sample index and timestamps across their wrap-arounds, flags, gaps, a full queue. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "calftrack/wire.h"
#include "packetizer.h"
#include "ring.h"

#define PERIOD_NS 1200000u /* 833 Hz */
#define PERIOD_US 1200u

static ring R;
static pktz Z;

static wire_sample sample_of(uint32_t k)
{
    wire_sample s;
    for (int a = 0; a < 3; a++) {
        s.acc[a] = (int16_t)(uint16_t)(k * 3u + (uint32_t)a);
        s.gyr[a] = (int16_t)(uint16_t)(k * 5u + (uint32_t)a + 100u);
    }
    /* keep clear of the clipping values unless a test wants them */
    for (int a = 0; a < 3; a++) {
        if (s.acc[a] == INT16_MAX || s.acc[a] == INT16_MIN)
            s.acc[a] = 0;
        if (s.gyr[a] == INT16_MAX || s.gyr[a] == INT16_MIN)
            s.gyr[a] = 0;
    }
    return s;
}

static int pop(wire_packet *p)
{
    uint8_t buf[WIRE_PKT_MAX];
    size_t n = ring_pop(&R, buf);
    if (n == 0)
        return 0;
    assert_int_equal(wire_decode_packet(buf, n, p), WIRE_OK);
    return 1;
}

static void four_samples_make_one_full_packet(void **state)
{
    (void)state;
    ring_init(&R);
    pktz_init(&Z, &R, PERIOD_NS);
    pktz_start(&Z, PERIOD_NS);
    for (uint32_t k = 0; k < 4; k++) {
        wire_sample s = sample_of(k);
        pktz_push(&Z, &s, 5000u + k * PERIOD_US);
    }
    assert_int_equal(ring_count(&R), 1);
    wire_packet p;
    uint8_t raw[WIRE_PKT_MAX];
    assert_int_equal(ring_pop(&R, raw), 64); /* exactly one full-speed bulk packet */
    assert_int_equal(wire_decode_packet(raw, 64, &p), WIRE_OK);
    assert_int_equal(p.count, 4);
    assert_int_equal(p.seq, 0);
    assert_int_equal(p.sample_index, 0);
    assert_int_equal(p.t_us, 5000);
    assert_int_equal(p.period_qus, 4800);
    assert_int_equal(p.flags, WIRE_FLAG_START);
    for (uint32_t k = 0; k < 4; k++) {
        wire_sample s = sample_of(k);
        assert_memory_equal(&p.s[k], &s, sizeof s);
    }
}

/* 20000 samples from just before every counter wraps. */
static void continuity_across_wraparounds(void **state)
{
    (void)state;
    ring_init(&R);
    pktz_init(&Z, &R, PERIOD_NS);
    pktz_start(&Z, PERIOD_NS);
    Z.seq = 65500;              /* wraps after 36 packets */
    Z.next_index = 0xFFFFFF00u; /* wraps after 256 samples */
    uint32_t t0 = 0xFFF00000u;  /* wraps after ~874 samples */
    uint32_t expect_index = Z.next_index;
    uint16_t expect_seq = 65500;
    uint32_t got = 0, packets = 0;
    for (uint32_t k = 0; k < 20000; k++) {
        wire_sample s = sample_of(k);
        pktz_push(&Z, &s, t0 + k * PERIOD_US);
        wire_packet p;
        while (pop(&p)) {
            assert_int_equal(p.seq, expect_seq);
            assert_int_equal(p.sample_index, expect_index);
            for (unsigned i = 0; i < p.count; i++) {
                uint32_t kk = got + i;
                /* sample time = t_us + i * period_qus / 4, modulo 2^32 */
                assert_int_equal((uint32_t)(p.t_us + i * p.period_qus / 4u), (uint32_t)(t0 + kk * PERIOD_US));
                wire_sample want = sample_of(kk);
                assert_memory_equal(&p.s[i], &want, sizeof want);
            }
            assert_int_equal(p.flags & WIRE_FLAG_OVERRUN, 0);
            assert_int_equal((p.flags & WIRE_FLAG_START) != 0, packets == 0);
            expect_seq++;
            expect_index += p.count;
            got += p.count;
            packets++;
        }
    }
    pktz_flush(&Z);
    wire_packet p;
    while (pop(&p))
        got += p.count;
    assert_int_equal(got, 20000);
    assert_int_equal(packets, 5000);
    assert_int_equal(expect_seq, (uint16_t)(65500u + 5000u));
    assert_int_equal(Z.next_index, 0xFFFFFF00u + 20000u);
}

static void start_resets_seq_not_index(void **state)
{
    (void)state;
    ring_init(&R);
    pktz_init(&Z, &R, PERIOD_NS);
    pktz_start(&Z, PERIOD_NS);
    for (uint32_t k = 0; k < 10; k++) {
        wire_sample s = sample_of(k);
        pktz_push(&Z, &s, k * PERIOD_US);
    }
    pktz_flush(&Z); /* STOP: the two held-back samples go out */
    wire_packet p;
    int n = 0;
    while (pop(&p)) {
        n++;
        if (n == 3)
            assert_int_equal(p.count, 2);
    }
    assert_int_equal(n, 3);
    pktz_start(&Z, 2400000u); /* 416 Hz now */
    wire_sample s = sample_of(10);
    pktz_push(&Z, &s, 99999);
    pktz_flush(&Z);
    assert_true(pop(&p));
    assert_int_equal(p.seq, 0);
    assert_int_equal(p.sample_index, 10);
    assert_int_equal(p.flags, WIRE_FLAG_START);
    assert_int_equal(p.period_qus, 9600);
}

static void gap_marks_overrun_and_skips_index(void **state)
{
    (void)state;
    ring_init(&R);
    pktz_init(&Z, &R, PERIOD_NS);
    pktz_start(&Z, PERIOD_NS);
    for (uint32_t k = 0; k < 6; k++) {
        wire_sample s = sample_of(k);
        pktz_push(&Z, &s, k * PERIOD_US);
    }
    pktz_gap(&Z, 250); /* FIFO overrun: 250 samples lost */
    for (uint32_t k = 256; k < 260; k++) {
        wire_sample s = sample_of(k);
        pktz_push(&Z, &s, k * PERIOD_US);
    }
    wire_packet p;
    assert_true(pop(&p));
    assert_int_equal(p.count, 4);
    assert_true(pop(&p));
    assert_int_equal(p.count, 2); /* closed by the gap */
    assert_int_equal(p.flags & WIRE_FLAG_OVERRUN, 0);
    assert_true(pop(&p));
    assert_int_equal(p.sample_index, 256);
    assert_int_equal(p.seq, 2);
    assert_int_equal(p.t_us, 256 * PERIOD_US);
    assert_int_equal(p.flags, WIRE_FLAG_OVERRUN);
    assert_false(pop(&p));
}

static void irregular_timestamp_closes_packet(void **state)
{
    (void)state;
    ring_init(&R);
    pktz_init(&Z, &R, PERIOD_NS);
    pktz_start(&Z, PERIOD_NS);
    /* The third sample comes 700 us late (more than half the 1200 us period): a new
     * packet starts there. The later ones are 200 us early relative to it: within
     * half a period, so they join it. */
    static const uint32_t t[] = {0, 1200, 3100, 4100, 5300, 6500, 7700};
    for (uint32_t k = 0; k < 7; k++) {
        wire_sample s = sample_of(k);
        pktz_push(&Z, &s, t[k]);
    }
    pktz_flush(&Z);
    wire_packet p;
    assert_true(pop(&p));
    assert_int_equal(p.count, 2);
    assert_int_equal(p.t_us, 0);
    assert_true(pop(&p));
    assert_int_equal(p.t_us, 3100);
    assert_int_equal(p.count, 4);
    assert_int_equal(p.sample_index, 2);
    assert_true(pop(&p));
    assert_int_equal(p.t_us, 7700);
    assert_int_equal(p.sample_index, 6);
}

static void clipping_flags(void **state)
{
    (void)state;
    ring_init(&R);
    pktz_init(&Z, &R, PERIOD_NS);
    pktz_start(&Z, PERIOD_NS);
    wire_sample s = sample_of(1);
    pktz_push(&Z, &s, 0);
    s.acc[2] = INT16_MIN;
    pktz_push(&Z, &s, 1200);
    s = sample_of(2);
    pktz_push(&Z, &s, 2400);
    pktz_push(&Z, &s, 3600);
    s.gyr[0] = INT16_MAX;
    pktz_push(&Z, &s, 4800);
    pktz_flush(&Z);
    wire_packet p;
    assert_true(pop(&p));
    assert_int_equal(p.flags, WIRE_FLAG_START | WIRE_FLAG_ACC_CLIP);
    assert_true(pop(&p));
    assert_int_equal(p.flags, WIRE_FLAG_GYR_CLIP);
}

static void full_queue_drops_and_tells(void **state)
{
    (void)state;
    ring_init(&R);
    pktz_init(&Z, &R, PERIOD_NS);
    pktz_start(&Z, PERIOD_NS);
    uint32_t k = 0;
    for (; k < 4 * (RING_SLOTS + 3); k++) { /* three packets more than fit */
        wire_sample s = sample_of(k);
        pktz_push(&Z, &s, k * PERIOD_US);
    }
    assert_int_equal(ring_count(&R), RING_SLOTS);
    assert_int_equal(Z.dropped_packets, 3);
    wire_packet p;
    for (unsigned i = 0; i < RING_SLOTS; i++) {
        assert_true(pop(&p));
        assert_int_equal(p.seq, i);
        assert_int_equal(p.sample_index, 4 * i);
    }
    for (uint32_t j = 0; j < 4; j++, k++) {
        wire_sample s = sample_of(k);
        pktz_push(&Z, &s, k * PERIOD_US);
    }
    assert_true(pop(&p));
    assert_int_equal(p.seq, RING_SLOTS); /* no USB loss: seq continues */
    assert_int_equal(p.sample_index, 4 * (RING_SLOTS + 3)); /* but 12 samples are gone */
    assert_int_equal(p.flags & WIRE_FLAG_OVERRUN, WIRE_FLAG_OVERRUN);
}

static void ring_counters_wrap(void **state)
{
    (void)state;
    ring_init(&R);
    R.head = R.tail = 0xFFFFFFF0u;
    uint8_t in[WIRE_PKT_MAX], out[WIRE_PKT_MAX];
    for (unsigned i = 0; i < 100; i++) {
        memset(in, (int)i, sizeof in);
        assert_true(ring_push(&R, in, 1 + i % WIRE_PKT_MAX));
        assert_int_equal(ring_count(&R), 1);
        assert_int_equal(ring_pop(&R, out), 1 + i % WIRE_PKT_MAX);
        assert_int_equal(out[0], (uint8_t)i);
    }
    assert_false(ring_push(&R, in, 0));
    assert_false(ring_push(&R, in, WIRE_PKT_MAX + 1));
    assert_int_equal(ring_pop(&R, out), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(four_samples_make_one_full_packet),
        cmocka_unit_test(continuity_across_wraparounds),
        cmocka_unit_test(start_resets_seq_not_index),
        cmocka_unit_test(gap_marks_overrun_and_skips_index),
        cmocka_unit_test(irregular_timestamp_closes_packet),
        cmocka_unit_test(clipping_flags),
        cmocka_unit_test(full_queue_drops_and_tells),
        cmocka_unit_test(ring_counters_wrap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
