/* test_fw_lsm6dsox.c - the LSM6DSOX driver against a register-level fake of the chip,
 * and the pod core streaming from it: every sample once, in order, timestamped; FIFO
 * overruns turned into exact index gaps; a missing or failing IMU reported, no hang. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "calftrack/wire.h"
#include "lsm6dsox.h"
#include "lsm6dsox_fake.h"
#include "pod.h"

static lsmfake F;
static lsm6dsox D;

/* The modelled motion: distinct, checkable values for every sample number. */
static void gen(void *user, uint32_t k, wire_sample *out)
{
    (void)user;
    for (int a = 0; a < 3; a++) {
        out->acc[a] = (int16_t)(uint16_t)(k * 7u + (uint32_t)a);
        out->gyr[a] = (int16_t)(uint16_t)(0x8000u ^ (k * 11u + (uint32_t)a));
    }
}

static void fake_up(void)
{
    lsmfake_init(&F, gen, NULL);
}

static void init_checks_identity_and_resets(void **state)
{
    (void)state;
    fake_up();
    lsm_bus bus = lsmfake_bus(&F);
    F.regs[LSM_REG_CTRL1_XL] = 0xA0; /* left over from an earlier life */
    assert_int_equal(lsm_init(&D, &bus), LSM_OK);
    assert_int_equal(D.who_am_i, 0x6C);
    assert_true(D.ready);
    assert_int_equal(F.regs[LSM_REG_CTRL3_C], LSM_CTRL3_BDU | LSM_CTRL3_IF_INC);
    assert_int_equal(F.regs[LSM_REG_CTRL1_XL] >> 4, 0); /* reset, and off until START */
    assert_int_equal(F.regs[LSM_REG_CTRL1_XL] & 0x0C, 0x04); /* 16 g */
    assert_int_equal(F.regs[LSM_REG_CTRL2_G] & 0x0E, 0x0C); /* 2000 dps */
}

static void wrong_chip_and_no_chip(void **state)
{
    (void)state;
    fake_up();
    lsm_bus bus = lsmfake_bus(&F);
    F.regs[LSM_REG_WHO_AM_I] = 0x69; /* an LSM6DS3 */
    assert_int_equal(lsm_init(&D, &bus), LSM_EID);
    assert_false(D.ready);
    assert_int_equal(D.who_am_i, 0x69);
    fake_up();
    F.absent = true;
    assert_int_equal(lsm_init(&D, &bus), LSM_EBUS);
    assert_int_equal(D.bus_errors, 1);
    assert_int_equal(F.transactions, 1); /* gave up at once, did not spin */
    size_t n = 99;
    bool ovr = true;
    wire_sample s[4];
    assert_int_equal(lsm_fifo_read(&D, s, 4, &n, &ovr), LSM_ESTATE);
    assert_int_equal(n, 0);
    assert_int_equal(lsm_fifo_start(&D), LSM_ESTATE);
    assert_string_equal(lsm_strerror(LSM_EID), "WHO_AM_I mismatch: not an LSM6DSOX");
}

/* A chip whose reset bit never clears: bounded polling, then an error. */
static int stuck_read(void *user, uint8_t reg, uint8_t *buf, size_t len)
{
    int rc = lsmfake_read(user, reg, buf, len);
    if (reg == LSM_REG_CTRL3_C)
        buf[0] |= LSM_CTRL3_SW_RESET;
    return rc;
}

static void reset_that_never_completes(void **state)
{
    (void)state;
    fake_up();
    lsm_bus bus = {stuck_read, lsmfake_write, &F};
    assert_int_equal(lsm_init(&D, &bus), LSM_ERESET);
    assert_true(F.transactions < 200);
}

static void ranges_and_rates_encode(void **state)
{
    (void)state;
    fake_up();
    lsm_bus bus = lsmfake_bus(&F);
    assert_int_equal(lsm_init(&D, &bus), LSM_OK);
    static const struct { uint16_t g; uint8_t code; } acc[] = {{2, 0x0}, {4, 0x8}, {8, 0xC}, {16, 0x4}};
    static const struct { uint16_t dps; uint8_t code; } gyr[] = {
        {125, 0x2}, {250, 0x0}, {500, 0x4}, {1000, 0x8}, {2000, 0xC}};
    static const struct { uint16_t hz; uint8_t code; } odr[] = {{104, 4}, {208, 5}, {416, 6}, {833, 7}};
    for (size_t i = 0; i < 4; i++)
        for (size_t j = 0; j < 5; j++)
            for (size_t k = 0; k < 4; k++) {
                assert_int_equal(lsm_configure(&D, odr[k].hz, acc[i].g, gyr[j].dps), LSM_OK);
                assert_int_equal(F.regs[LSM_REG_CTRL1_XL], acc[i].code);
                assert_int_equal(F.regs[LSM_REG_CTRL2_G], gyr[j].code);
                assert_int_equal(lsm_fifo_start(&D), LSM_OK);
                assert_int_equal(F.regs[LSM_REG_CTRL1_XL], (odr[k].code << 4) | acc[i].code);
                assert_int_equal(F.regs[LSM_REG_CTRL2_G], (odr[k].code << 4) | gyr[j].code);
                assert_int_equal(F.regs[LSM_REG_FIFO_CTRL3], odr[k].code * 0x11);
                assert_int_equal(F.regs[LSM_REG_FIFO_CTRL4], LSM_FIFO_MODE_CONTINUOUS);
                assert_int_equal(F.regs[LSM_REG_FIFO_CTRL1], LSM_WATERMARK_WORDS);
                assert_true(F.running);
                assert_int_equal(lsm_fifo_stop(&D), LSM_OK);
                assert_false(F.running);
            }
    assert_int_equal(lsm_configure(&D, 1666, 16, 2000), LSM_EARG);
    assert_int_equal(lsm_configure(&D, 833, 3, 2000), LSM_EARG);
    assert_int_equal(lsm_configure(&D, 833, 16, 4000), LSM_EARG);
}

static void fifo_pairs_words_into_samples_in_order(void **state)
{
    (void)state;
    fake_up();
    lsm_bus bus = lsmfake_bus(&F);
    assert_int_equal(lsm_init(&D, &bus), LSM_OK);
    assert_int_equal(lsm_fifo_start(&D), LSM_OK);
    wire_sample s[POD_POLL_MAX];
    size_t n;
    bool ovr;
    uint32_t next = 0;
    for (int step = 0; step < 500; step++) {
        lsmfake_advance(&F, 1000000u + (uint64_t)(step % 7) * 700000u); /* uneven polling */
        size_t max = 1 + (size_t)step % 6; /* and uneven room: reads stop mid-FIFO */
        assert_int_equal(lsm_fifo_read(&D, s, max, &n, &ovr), LSM_OK);
        assert_false(ovr);
        assert_true(n <= max);
        for (size_t i = 0; i < n; i++, next++) {
            wire_sample want;
            gen(NULL, next, &want);
            assert_memory_equal(&s[i], &want, sizeof want);
        }
    }
    /* drain */
    do {
        assert_int_equal(lsm_fifo_read(&D, s, POD_POLL_MAX, &n, &ovr), LSM_OK);
        next += (uint32_t)n;
    } while (n > 0);
    assert_int_equal(next, F.produced);
    assert_int_equal(D.unpaired, 0);
}

static void fifo_overrun_is_reported(void **state)
{
    (void)state;
    fake_up();
    lsm_bus bus = lsmfake_bus(&F);
    assert_int_equal(lsm_init(&D, &bus), LSM_OK);
    assert_int_equal(lsm_fifo_start(&D), LSM_OK);
    lsmfake_advance(&F, 1000000000u); /* 1 s unread: 833 samples into 256 slots */
    wire_sample s[POD_POLL_MAX];
    size_t n;
    bool ovr;
    assert_int_equal(lsm_fifo_read(&D, s, POD_POLL_MAX, &n, &ovr), LSM_OK);
    assert_true(ovr);
    assert_int_equal(D.fifo_words, 512);
    assert_int_equal(n, POD_POLL_MAX);
    wire_sample want;
    gen(NULL, 833 - 256, &want); /* the oldest survivor */
    assert_memory_equal(&s[0], &want, sizeof want);
    assert_int_equal(lsm_fifo_read(&D, s, POD_POLL_MAX, &n, &ovr), LSM_OK);
    assert_false(ovr); /* latched flag cleared by the status read */
}

static void lost_word_is_not_paired_with_a_stranger(void **state)
{
    (void)state;
    fake_up();
    lsm_bus bus = lsmfake_bus(&F);
    assert_int_equal(lsm_init(&D, &bus), LSM_OK);
    assert_int_equal(lsm_fifo_start(&D), LSM_OK);
    lsmfake_advance(&F, 12000000u); /* 10 samples, 20 words */
    F.words_read = 1; /* the first gyroscope word vanished */
    wire_sample s[16];
    size_t n;
    bool ovr;
    assert_int_equal(lsm_fifo_read(&D, s, 16, &n, &ovr), LSM_OK);
    assert_int_equal(n, 9);
    assert_int_equal(D.unpaired, 1);
    wire_sample want;
    gen(NULL, 1, &want);
    assert_memory_equal(&s[0], &want, sizeof want);
}

static void bus_error_mid_stream(void **state)
{
    (void)state;
    fake_up();
    lsm_bus bus = lsmfake_bus(&F);
    assert_int_equal(lsm_init(&D, &bus), LSM_OK);
    assert_int_equal(lsm_fifo_start(&D), LSM_OK);
    lsmfake_advance(&F, 20000000u);
    F.fail_in = 2; /* the status read passes, the FIFO burst fails */
    wire_sample s[16];
    size_t n;
    bool ovr;
    assert_int_equal(lsm_fifo_read(&D, s, 16, &n, &ovr), LSM_EBUS);
    assert_int_equal(D.bus_errors, 1);
}

/* ---- the pod core streaming from the fake ------------------------------- */

static pod P;

static void pod_up(bool imu_present)
{
    fake_up();
    F.absent = !imu_present;
    lsm_bus bus = lsmfake_bus(&F);
    pod_params prm = pod_default_params;
    prm.serial = "FAKE";
    prm.board = WIRE_BOARD_PICO_BREAKOUT;
    prm.imu = &D;
    prm.imu_ok = lsm_init(&D, &bus) == LSM_OK;
    pod_init(&P, &prm);
    uint8_t in[POD_CTRL_MAX_IN];
    uint8_t addr[8] = {0x00, 5, 1, 0, 0, 0, 0, 0}, conf[8] = {0x00, 9, 1, 0, 0, 0, 0, 0};
    assert_int_equal(pod_control(&P, addr, NULL, 0, in, sizeof in).kind, POD_CTRL_OK);
    assert_int_equal(pod_control(&P, conf, NULL, 0, in, sizeof in).kind, POD_CTRL_OK);
}

static pod_ctrl_kind vendor(uint8_t req)
{
    uint8_t in[POD_CTRL_MAX_IN];
    uint8_t s[8] = {0x40, req, 0, 0, 0, 0, 0, 0};
    return pod_control(&P, s, NULL, 0, in, sizeof in).kind;
}

static wire_info info_now(void)
{
    uint8_t in[POD_CTRL_MAX_IN];
    uint8_t s[8] = {0xC0, WIRE_REQ_GET_INFO, 0, 0, 0, 0, 32, 0};
    assert_int_equal(pod_control(&P, s, NULL, 0, in, sizeof in).kind, POD_CTRL_OK);
    wire_info i;
    wire_decode_info(in, 32, &i);
    return i;
}

typedef struct {
    uint32_t samples, packets, overrun_packets;
    uint32_t next_index;
} stream_check;

/* Pops every packet and checks it against the generator: the sample index names the
 * fake's sample number exactly, timestamps follow START + (n + 1) periods. */
static void drain_and_check(stream_check *c, uint64_t t0)
{
    uint8_t buf[WIRE_PKT_MAX];
    size_t len;
    while ((len = pod_take_packet(&P, buf)) > 0) {
        wire_packet p;
        assert_int_equal(wire_decode_packet(buf, len, &p), WIRE_OK);
        assert_int_equal(p.seq, (uint16_t)c->packets);
        assert_true(p.sample_index >= c->next_index);
        if (p.sample_index != c->next_index)
            assert_true(p.flags & WIRE_FLAG_OVERRUN);
        if (p.flags & WIRE_FLAG_OVERRUN)
            c->overrun_packets++;
        assert_int_equal(p.t_us, (uint32_t)(t0 + (uint64_t)(p.sample_index + 1) * 1200u));
        for (unsigned k = 0; k < p.count; k++) {
            wire_sample want;
            gen(NULL, p.sample_index + k, &want);
            assert_memory_equal(&p.s[k], &want, sizeof want);
        }
        c->samples += p.count;
        c->next_index = p.sample_index + p.count;
        c->packets++;
    }
}

/* Advances both clocks together; the pod polls every poll_us when poll is true, and
 * the host reads the queue after each poll, as the firmware's main loop does. */
static uint64_t now_us;
static stream_check *active;
static uint64_t active_t0;
static void run(uint64_t us, uint64_t poll_us, bool poll)
{
    for (uint64_t t = 0; t < us; t += poll_us) {
        now_us += poll_us;
        lsmfake_advance(&F, poll_us * 1000u);
        if (poll) {
            pod_poll(&P, now_us);
            if (active)
                drain_and_check(active, active_t0);
        }
    }
}

static void pod_streams_every_sample_once(void **state)
{
    (void)state;
    pod_up(true);
    now_us = 1000000;
    pod_set_time(&P, now_us);
    F.now_ns = now_us * 1000u;
    assert_int_equal(vendor(WIRE_REQ_START), POD_CTRL_OK);
    stream_check c = {0, 0, 0, 0};
    active = &c;
    active_t0 = 1000000;
    run(10000000, 1000, true); /* 10 s */
    active = NULL;
    assert_int_equal(vendor(WIRE_REQ_STOP), POD_CTRL_OK);
    drain_and_check(&c, 1000000);
    assert_int_equal(c.samples, 8333); /* 10 s x 833.33 Hz, none lost, none twice */
    assert_int_equal(c.next_index, F.produced);
    assert_int_equal(c.overrun_packets, 0);
    assert_false(F.running);
    assert_int_equal(info_now().overruns, 0);
}

static void pod_turns_overrun_into_exact_gap(void **state)
{
    (void)state;
    pod_up(true);
    now_us = 5000;
    pod_set_time(&P, now_us);
    F.now_ns = now_us * 1000u;
    assert_int_equal(vendor(WIRE_REQ_START), POD_CTRL_OK);
    stream_check c = {0, 0, 0, 0};
    active = &c;
    active_t0 = 5000;
    run(100000, 1000, true);
    run(1000000, 1000, false); /* the main loop stalls for a second */
    run(200000, 1000, true);   /* values keep matching the index: the gap is exact */
    active = NULL;
    assert_int_equal(vendor(WIRE_REQ_STOP), POD_CTRL_OK);
    drain_and_check(&c, 5000);
    assert_int_equal(c.overrun_packets, 1);
    assert_int_equal(c.next_index, F.produced);
    /* lost = made by the first poll after the stall (1.101 s / 1.2 ms) - read before
     * the stall (0.1 s / 1.2 ms) - what the FIFO holds (256 samples) */
    assert_int_equal(F.produced - c.samples, 917 - 83 - 256);
    assert_int_equal(info_now().overruns, 1);
}

static void pod_without_imu(void **state)
{
    (void)state;
    pod_up(false);
    wire_info i = info_now();
    assert_int_equal(i.imu_id, 0);
    assert_int_equal(i.status & WIRE_STATUS_IMU_OK, 0);
    assert_int_equal(i.status & WIRE_STATUS_IMU_ERROR, WIRE_STATUS_IMU_ERROR);
    assert_int_equal(i.board, WIRE_BOARD_PICO_BREAKOUT);
    assert_int_equal(vendor(WIRE_REQ_START), POD_CTRL_STALL);
    pod_poll(&P, 1000); /* harmless */
    assert_int_equal(pod_packets_queued(&P), 0);
}

static void pod_with_failing_imu_keeps_going(void **state)
{
    (void)state;
    pod_up(true);
    now_us = 0;
    assert_int_equal(vendor(WIRE_REQ_START), POD_CTRL_OK);
    run(50000, 1000, true);
    F.fail_in = 1;
    run(50000, 1000, true);
    assert_int_equal(vendor(WIRE_REQ_STOP), POD_CTRL_OK);
    wire_info i = info_now();
    assert_int_equal(i.status & WIRE_STATUS_IMU_ERROR, WIRE_STATUS_IMU_ERROR);
    assert_int_equal(i.status & WIRE_STATUS_IMU_OK, WIRE_STATUS_IMU_OK);
    stream_check c = {0, 0, 0, 0};
    drain_and_check(&c, 0);
    assert_int_equal(c.samples, F.produced); /* the failed poll's samples came next time */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(init_checks_identity_and_resets),
        cmocka_unit_test(wrong_chip_and_no_chip),
        cmocka_unit_test(reset_that_never_completes),
        cmocka_unit_test(ranges_and_rates_encode),
        cmocka_unit_test(fifo_pairs_words_into_samples_in_order),
        cmocka_unit_test(fifo_overrun_is_reported),
        cmocka_unit_test(lost_word_is_not_paired_with_a_stranger),
        cmocka_unit_test(bus_error_mid_stream),
        cmocka_unit_test(pod_streams_every_sample_once),
        cmocka_unit_test(pod_turns_overrun_into_exact_gap),
        cmocka_unit_test(pod_without_imu),
        cmocka_unit_test(pod_with_failing_imu_keeps_going),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
