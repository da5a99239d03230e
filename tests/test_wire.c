/* test_wire.c - the wire protocol: fixed test vectors, round trips, hostile bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "calftrack/wire.h"

/* The definition, one bit at a time: the tables must agree with it. */
static uint16_t crc_bitwise(uint16_t crc, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        crc = (uint16_t)(crc ^ (p[i] << 8));
        for (int b = 0; b < 8; b++)
            crc = (crc & 0x8000u) ? (uint16_t)((crc << 1) ^ 0x1021u) : (uint16_t)(crc << 1);
    }
    return crc;
}

static void crc_check_value(void **state)
{
    (void)state;
    assert_int_equal(wire_crc16(0xFFFF, (const uint8_t *)"123456789", 9), 0x29B1);
    uint8_t buf[130];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof buf; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (uint8_t)(x >> 16);
    }
    for (size_t off = 0; off < 4; off++)
        for (size_t n = 0; n + off <= sizeof buf; n++)
            assert_int_equal(wire_crc16(0xFFFF, buf + off, n), crc_bitwise(0xFFFF, buf + off, n));
}

/* A fixed packet whose bytes are written out by hand from the table in docs/protocol.md. */
static const uint8_t vector_one[28] = {
    0x01,                   /* version */
    0x20,                   /* flags: START, one sample */
    0x34, 0x12,             /* seq 0x1234 */
    0x78, 0x56, 0x34, 0x12, /* sample index 0x12345678 */
    0x10, 0x27, 0x00, 0x00, /* t_us 10000 */
    0xC0, 0x12,             /* period 4800 quarter-us = 1200 us (833 Hz) */
    0x00, 0x00,             /* crc, filled by the test from the table's rule */
    0x00, 0x08,             /* ax 2048 (1 g at +-16 g) */
    0x00, 0x00,             /* ay 0 */
    0xFF, 0xFF,             /* az -1 */
    0x0E, 0x00,             /* gx 14 (0.98 dps at +-2000 dps) */
    0x00, 0x80,             /* gy -32768 */
    0xFF, 0x7F,             /* gz 32767 */
};

static void decode_fixed_vector(void **state)
{
    (void)state;
    uint8_t buf[28];
    memcpy(buf, vector_one, sizeof buf);
    uint16_t crc = wire_crc16(0xFFFF, buf, 14);
    crc = wire_crc16(crc, buf + 16, 12);
    wire_put16(buf + 14, crc);

    wire_packet p;
    assert_int_equal(wire_decode_packet(buf, sizeof buf, &p), WIRE_OK);
    assert_int_equal(p.count, 1);
    assert_int_equal(p.flags, WIRE_FLAG_START);
    assert_int_equal(p.seq, 0x1234);
    assert_int_equal(p.sample_index, 0x12345678u);
    assert_int_equal(p.t_us, 10000);
    assert_int_equal(p.period_qus, 4800);
    assert_int_equal(p.s[0].acc[0], 2048);
    assert_int_equal(p.s[0].acc[2], -1);
    assert_int_equal(p.s[0].gyr[0], 14);
    assert_int_equal(p.s[0].gyr[1], -32768);
    assert_int_equal(p.s[0].gyr[2], 32767);

    /* and encoding the decoded packet gives the same bytes */
    uint8_t out[WIRE_PKT_MAX];
    assert_int_equal(wire_encode_packet(&p, out), sizeof buf);
    assert_memory_equal(out, buf, sizeof buf);
}

static wire_packet make_packet(unsigned count, uint32_t seed)
{
    wire_packet p;
    memset(&p, 0, sizeof p);
    p.count = (uint8_t)count;
    p.flags = (uint8_t)((seed & 1) ? WIRE_FLAG_OVERRUN : 0);
    p.seq = (uint16_t)(seed * 7u);
    p.sample_index = seed * 4u + 0xFFFFFFF0u;
    p.t_us = seed * 4801u + 0xFFFF0000u;
    p.period_qus = 4800;
    for (unsigned k = 0; k < count; k++)
        for (int a = 0; a < 3; a++) {
            p.s[k].acc[a] = (int16_t)(seed * 31u + k * 3u + (unsigned)a - 30000u);
            p.s[k].gyr[a] = (int16_t)(seed * 17u - k * 5u - (unsigned)a);
        }
    return p;
}

static void round_trip_every_count(void **state)
{
    (void)state;
    for (uint32_t seed = 0; seed < 200; seed++)
        for (unsigned count = 1; count <= WIRE_MAX_SAMPLES; count++) {
            wire_packet in = make_packet(count, seed), out;
            uint8_t buf[WIRE_PKT_MAX];
            size_t len = wire_encode_packet(&in, buf);
            assert_int_equal(len, WIRE_PKT_HEADER + count * WIRE_SAMPLE_BYTES);
            assert_int_equal(wire_decode_packet(buf, len, &out), WIRE_OK);
            assert_int_equal(out.count, count);
            assert_int_equal(out.seq, in.seq);
            assert_int_equal(out.sample_index, in.sample_index);
            assert_int_equal(out.t_us, in.t_us);
            assert_int_equal(out.flags, in.flags);
            assert_memory_equal(out.s, in.s, count * sizeof(wire_sample));
        }
}

static void full_packet_is_64_bytes(void **state)
{
    (void)state;
    wire_packet p = make_packet(4, 3);
    uint8_t buf[WIRE_PKT_MAX];
    assert_int_equal(wire_encode_packet(&p, buf), 64);
    p.count = 0;
    assert_int_equal(wire_encode_packet(&p, buf), 0);
    p.count = 5;
    assert_int_equal(wire_encode_packet(&p, buf), 0);
}

static void every_single_bit_flip_is_caught(void **state)
{
    (void)state;
    wire_packet p = make_packet(4, 11), out;
    uint8_t buf[WIRE_PKT_MAX];
    size_t len = wire_encode_packet(&p, buf);
    int caught = 0, total = 0;
    for (size_t i = 0; i < len; i++)
        for (int b = 0; b < 8; b++) {
            buf[i] ^= (uint8_t)(1u << b);
            total++;
            if (wire_decode_packet(buf, len, &out) != WIRE_OK)
                caught++;
            buf[i] ^= (uint8_t)(1u << b);
        }
    assert_int_equal(caught, total);
    assert_int_equal(wire_decode_packet(buf, len, &out), WIRE_OK);
}

static void truncated_and_padded_packets_are_refused(void **state)
{
    (void)state;
    wire_packet p = make_packet(3, 5), out;
    uint8_t buf[WIRE_PKT_MAX + 8];
    memset(buf, 0, sizeof buf);
    size_t len = wire_encode_packet(&p, buf);
    for (size_t n = 0; n < len; n++)
        assert_int_equal(wire_decode_packet(buf, n, &out), WIRE_ESHORT);
    assert_int_equal(wire_decode_packet(buf, len + 1, &out), WIRE_ELENGTH);
    assert_int_equal(wire_decode_packet(buf, len + 12, &out), WIRE_ELENGTH);
}

static void wrong_version_reserved_bits_and_zero_period(void **state)
{
    (void)state;
    wire_packet p = make_packet(1, 2), out;
    uint8_t buf[WIRE_PKT_MAX];
    size_t len = wire_encode_packet(&p, buf);
    buf[0] = 2;
    assert_int_equal(wire_decode_packet(buf, len, &out), WIRE_EVERSION);
    buf[0] = 1;
    buf[1] |= 0x80;
    wire_put16(buf + 14, wire_packet_crc(buf, len));
    assert_int_equal(wire_decode_packet(buf, len, &out), WIRE_EFLAGS);
    buf[1] &= 0x7F;
    wire_put16(buf + 12, 0);
    wire_put16(buf + 14, wire_packet_crc(buf, len));
    assert_int_equal(wire_decode_packet(buf, len, &out), WIRE_EFLAGS);
}

static void info_and_config_round_trip(void **state)
{
    (void)state;
    wire_info in = {
        .protocol = WIRE_PROTOCOL_VERSION, .fw_major = 1, .fw_minor = 2, .fw_patch = 3,
        .imu_id = 0x6C, .status = WIRE_STATUS_IMU_OK, .odr_hz = 833, .acc_range_g = 16,
        .gyr_range_dps = 2000, .acc_ug_per_lsb = 488, .gyr_udps_per_lsb = 70000,
        .period_ns = 1200000, .board = WIRE_BOARD_NANO_RP2040, .max_samples = 4,
        .overruns = 0xDEADBEEF,
    }, out;
    uint8_t buf[WIRE_INFO_SIZE];
    wire_encode_info(&in, buf);
    assert_int_equal(buf[6], 0x41); /* 833 = 0x0341, little-endian */
    assert_int_equal(buf[7], 0x03);
    assert_true(wire_decode_info(buf, sizeof buf, &out));
    assert_int_equal(out.odr_hz, 833);
    assert_int_equal(out.gyr_udps_per_lsb, 70000);
    assert_int_equal(out.overruns, 0xDEADBEEFu);
    assert_false(wire_decode_info(buf, sizeof buf - 1, &out));
    buf[0] = 9;
    assert_false(wire_decode_info(buf, sizeof buf, &out));

    wire_config c = {.odr_hz = 416, .acc_range_g = 8, .gyr_range_dps = 1000}, c2;
    uint8_t cb[WIRE_CONFIG_SIZE];
    wire_encode_config(&c, cb);
    assert_true(wire_decode_config(cb, sizeof cb, &c2));
    assert_int_equal(c2.odr_hz, 416);
    assert_false(wire_decode_config(cb, 5, &c2));
    c.odr_hz = 100;
    wire_encode_config(&c, cb);
    assert_false(wire_decode_config(cb, sizeof cb, &c2));
}

static void sensitivities_match_datasheet(void **state)
{
    (void)state;
    assert_int_equal(wire_acc_ug_per_lsb(2), 61);
    assert_int_equal(wire_acc_ug_per_lsb(16), 488);
    assert_int_equal(wire_acc_ug_per_lsb(3), 0);
    assert_int_equal(wire_gyr_udps_per_lsb(125), 4375);
    assert_int_equal(wire_gyr_udps_per_lsb(2000), 70000);
    assert_int_equal(wire_period_ns(833), 1200000);
    assert_int_equal(wire_period_ns(104), 9600000);
    assert_int_equal(wire_period_ns(50), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crc_check_value),
        cmocka_unit_test(decode_fixed_vector),
        cmocka_unit_test(round_trip_every_count),
        cmocka_unit_test(full_packet_is_64_bytes),
        cmocka_unit_test(every_single_bit_flip_is_caught),
        cmocka_unit_test(truncated_and_padded_packets_are_refused),
        cmocka_unit_test(wrong_version_reserved_bits_and_zero_period),
        cmocka_unit_test(info_and_config_round_trip),
        cmocka_unit_test(sensitivities_match_datasheet),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
