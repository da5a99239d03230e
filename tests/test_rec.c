/* test_rec.c - recording format: round trips at every chunk size, truncation at every
 * byte, corruption of a block, hostile headers, file mode. */
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
#include "calftrack/rec.h"
#include "support/tmpdir.h"

#define NPACKETS 600

/* What the reader delivered: packets concatenated, counts, last header. */
typedef struct {
    rec_header h;
    int headers;
    int packets;
    int gaps, notes;
    uint32_t first_index[NPACKETS + 8];
    char note[64];
} seen;

static int on_header(const rec_header *h, void *user)
{
    seen *s = user;
    s->h = *h;
    s->headers++;
    return 0;
}

static int on_packet(const uint8_t *pkt, size_t len, void *user)
{
    seen *s = user;
    wire_packet p;
    if (wire_decode_packet(pkt, len, &p) == WIRE_OK && s->packets < NPACKETS + 8)
        s->first_index[s->packets++] = p.sample_index;
    return 0;
}

static int on_block(uint8_t type, uint32_t seq, const uint8_t *payload, size_t len, void *user)
{
    seen *s = user;
    (void)seq;
    if (type == REC_BLOCK_PACKETS)
        assert_int_equal(rec_each_packet(payload, len, on_packet, s), CT_OK);
    else if (type == REC_BLOCK_GAP)
        s->gaps++;
    else if (type == REC_BLOCK_NOTE) {
        s->notes++;
        snprintf(s->note, sizeof s->note, "%.*s", (int)len, (const char *)payload);
    }
    return 0;
}

static rec_header sample_header(void)
{
    rec_header h;
    memset(&h, 0, sizeof h);
    h.info = (wire_info){.protocol = WIRE_PROTOCOL_VERSION, .fw_major = 1, .imu_id = 0x6C,
                         .status = WIRE_STATUS_IMU_OK, .odr_hz = 833, .acc_range_g = 16,
                         .gyr_range_dps = 2000, .acc_ug_per_lsb = 488,
                         .gyr_udps_per_lsb = 70000, .period_ns = 1200000,
                         .board = WIRE_BOARD_VIRTUAL, .max_samples = 4};
    h.placement = 1;
    h.side = 0;
    h.site_mm = 150;
    h.start_unix_us = 1764000000000000LL;
    strcpy(h.serial, "CT-0123456789AB");
    strcpy(h.label, "test session");
    return h;
}

/* Writes NPACKETS packets (sample index 4k), a gap after 300 and a note. Returns size. */
static size_t write_recording(const char *path)
{
    rec_writer w;
    rec_header h = sample_header();
    remove(path);
    assert_int_equal(rec_writer_open(&w, path, &h), CT_OK);
    for (int k = 0; k < NPACKETS; k++) {
        wire_packet p = {.count = 4, .seq = (uint16_t)k, .sample_index = (uint32_t)k * 4,
                         .t_us = (uint32_t)k * 4800, .period_qus = 4800};
        for (int j = 0; j < 4; j++)
            p.s[j].acc[2] = (int16_t)(k + j);
        uint8_t buf[WIRE_PKT_MAX];
        size_t len = wire_encode_packet(&p, buf);
        assert_int_equal(rec_writer_packet(&w, buf, len, (int64_t)k * 4800), CT_OK);
        if (k == 300)
            assert_int_equal(rec_writer_gap(&w, 1000, 2000, 1), CT_OK);
    }
    assert_int_equal(rec_writer_note(&w, "set 1 end", 3000000), CT_OK);
    assert_int_equal(rec_writer_close(&w), CT_OK);
    assert_int_equal(rec_writer_close(&w), CT_OK);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return (size_t)st.st_size;
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc((size_t)n);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static void header_round_trip(void **state)
{
    (void)state;
    rec_header h = sample_header(), out;
    uint8_t buf[REC_HEADER_SIZE];
    rec_header_encode(&h, buf);
    assert_int_equal(rec_header_decode(buf, &out), CT_OK);
    assert_int_equal(out.info.odr_hz, 833);
    assert_int_equal(out.site_mm, 150);
    assert_int_equal(out.start_unix_us, h.start_unix_us);
    assert_string_equal(out.serial, "CT-0123456789AB");
    assert_string_equal(out.label, "test session");
    buf[70] ^= 1;
    assert_int_equal(rec_header_decode(buf, &out), CT_ECRC);
    buf[70] ^= 1;
    buf[8] = 2; /* a newer format */
    assert_int_equal(rec_header_decode(buf, &out), CT_EVERSION);
    memcpy(buf, "NOTAREC!", 8);
    assert_int_equal(rec_header_decode(buf, &out), CT_EFORMAT);
}

static void file_is_private_and_never_overwritten(void **state)
{
    (void)state;
    char path[600];
    test_path(path, sizeof path, "private.ctr");
    write_recording(path);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    rec_writer w;
    rec_header h = sample_header();
    assert_int_equal(rec_writer_open(&w, path, &h), CT_EEXIST);
    assert_int_equal(stat(path, &st), 0); /* the refused open left the file alone */
    assert_true(st.st_size > REC_HEADER_SIZE);
}

static void every_chunk_size_gives_the_same_stream(void **state)
{
    (void)state;
    char path[600];
    test_path(path, sizeof path, "chunks.ctr");
    size_t size = write_recording(path), len;
    uint8_t *buf = slurp(path, &len);
    assert_int_equal(len, size);
    rec_parser *p = malloc(sizeof *p);
    for (size_t chunk = 1; chunk <= len; chunk += (chunk < 64 ? 1 : chunk < 4096 ? 61 : 4093)) {
        seen s;
        memset(&s, 0, sizeof s);
        rec_parser_init(p, on_header, on_block, &s);
        for (size_t off = 0; off < len; off += chunk)
            assert_int_equal(rec_parser_feed(p, buf + off, off + chunk > len ? len - off : chunk),
                             CT_OK);
        assert_int_equal(rec_parser_finish(p), CT_OK);
        assert_int_equal(s.headers, 1);
        assert_int_equal(s.packets, NPACKETS);
        for (int k = 0; k < NPACKETS; k++)
            assert_int_equal(s.first_index[k], (uint32_t)k * 4);
        assert_int_equal(s.gaps, 1);
        assert_int_equal(s.notes, 1);
        assert_string_equal(s.note, "set 1 end");
        assert_int_equal(p->damage.bad_blocks, 0);
        assert_int_equal(p->damage.skipped_bytes, 0);
        assert_int_equal(p->damage.truncated_bytes, 0);
        assert_int_equal(p->damage.block_seq_gaps, 0);
    }
    free(p);
    free(buf);
}

static void truncation_at_every_byte_keeps_the_prefix(void **state)
{
    (void)state;
    char path[600];
    test_path(path, sizeof path, "trunc.ctr");
    write_recording(path);
    size_t len;
    uint8_t *buf = slurp(path, &len);
    rec_parser *p = malloc(sizeof *p);
    int last_packets = 0;
    for (size_t cut = 0; cut <= len; cut++) {
        seen s;
        memset(&s, 0, sizeof s);
        rec_parser_init(p, on_header, on_block, &s);
        int rc = rec_parser_feed(p, buf, cut);
        assert_int_equal(rc, CT_OK);
        rc = rec_parser_finish(p);
        if (cut < REC_HEADER_SIZE) {
            assert_int_equal(rc, CT_ETRUNC);
            continue;
        }
        assert_int_equal(rc, CT_OK);
        /* never fewer packets than a shorter cut, always in order, no damage but the tail */
        assert_true(s.packets >= last_packets);
        last_packets = s.packets;
        for (int k = 0; k < s.packets; k++)
            assert_int_equal(s.first_index[k], (uint32_t)k * 4);
        assert_int_equal(p->damage.bad_blocks, 0);
        if (s.notes == 0 && cut > REC_HEADER_SIZE + REC_BLOCK_HEADER && s.packets == 0)
            assert_true(p->damage.truncated_bytes > 0);
    }
    assert_int_equal(last_packets, NPACKETS);
    free(p);
    free(buf);
}

static void corrupt_block_is_reported_and_reading_goes_on(void **state)
{
    (void)state;
    char path[600];
    test_path(path, sizeof path, "corrupt.ctr");
    write_recording(path);
    size_t len;
    uint8_t *buf = slurp(path, &len);
    /* damage a byte inside the second block's payload and the length of the fourth */
    size_t second = REC_HEADER_SIZE + REC_BLOCK_HEADER + wire_get16(buf + REC_HEADER_SIZE + 6);
    buf[second + REC_BLOCK_HEADER + 100] ^= 0x5A;
    size_t third = second + REC_BLOCK_HEADER + wire_get16(buf + second + 6);
    size_t fourth = third + REC_BLOCK_HEADER + wire_get16(buf + third + 6);
    buf[fourth + 7] ^= 0x01; /* length changes by 256: checksum must catch it */
    rec_parser *p = malloc(sizeof *p);
    seen s;
    memset(&s, 0, sizeof s);
    rec_parser_init(p, on_header, on_block, &s);
    assert_int_equal(rec_parser_feed(p, buf, len), CT_OK);
    assert_int_equal(rec_parser_finish(p), CT_OK);
    assert_int_equal(p->damage.bad_blocks, 2);
    assert_int_equal(p->damage.block_seq_gaps, 2);
    assert_true(p->damage.skipped_bytes > 0);
    /* every packet outside the two damaged blocks arrives, in order */
    int per_block = (int)(REC_BLOCK_MAX_PAYLOAD / 65);
    assert_int_equal(s.packets, NPACKETS - 2 * per_block);
    for (int k = 1; k < s.packets; k++)
        assert_true(s.first_index[k] > s.first_index[k - 1]);
    assert_int_equal(s.gaps, 1);
    assert_int_equal(s.notes, 1);
    free(p);
    free(buf);
}

static void garbage_between_blocks_is_skipped(void **state)
{
    (void)state;
    char path[600];
    test_path(path, sizeof path, "garbage.ctr");
    write_recording(path);
    size_t len;
    uint8_t *buf = slurp(path, &len);
    size_t first = REC_HEADER_SIZE + REC_BLOCK_HEADER + wire_get16(buf + REC_HEADER_SIZE + 6);
    uint8_t *out = malloc(len + 1000);
    memcpy(out, buf, first);
    for (int i = 0; i < 1000; i++)
        out[first + (size_t)i] = (uint8_t)(i * 37 + 11);
    memcpy(out + first + 1000, buf + first, len - first);
    rec_parser *p = malloc(sizeof *p);
    seen s;
    memset(&s, 0, sizeof s);
    rec_parser_init(p, on_header, on_block, &s);
    assert_int_equal(rec_parser_feed(p, out, len + 1000), CT_OK);
    assert_int_equal(rec_parser_finish(p), CT_OK);
    assert_int_equal(s.packets, NPACKETS);
    assert_int_equal(p->damage.skipped_bytes, 1000);
    free(p);
    free(out);
    free(buf);
}

static void append_continues_block_numbers(void **state)
{
    (void)state;
    char path[600];
    test_path(path, sizeof path, "append.ctr");
    write_recording(path);
    rec_writer w;
    assert_int_equal(rec_writer_append(&w, path), CT_OK);
    assert_int_equal(rec_writer_note(&w, "resumed", 0), CT_OK);
    assert_int_equal(rec_writer_close(&w), CT_OK);
    rec_parser *p = malloc(sizeof *p);
    seen s;
    memset(&s, 0, sizeof s);
    rec_parser_init(p, on_header, on_block, &s);
    assert_int_equal(rec_read_file(path, p), CT_OK);
    assert_int_equal(s.notes, 2);
    assert_string_equal(s.note, "resumed");
    assert_int_equal(p->damage.block_seq_gaps, 0);
    free(p);
}

static void not_a_recording(void **state)
{
    (void)state;
    char path[600];
    test_path(path, sizeof path, "text.csv");
    FILE *f = fopen(path, "w");
    for (int i = 0; i < 20; i++)
        fputs("t,ax,ay,az\n", f);
    fclose(f);
    rec_parser p;
    rec_parser_init(&p, NULL, NULL, NULL);
    assert_int_equal(rec_read_file(path, &p), CT_EFORMAT);
    test_path(path, sizeof path, "missing.ctr");
    rec_parser_init(&p, NULL, NULL, NULL);
    assert_int_equal(rec_read_file(path, &p), CT_ENOENT);
}

static void packet_list_with_bad_length(void **state)
{
    (void)state;
    uint8_t payload[10] = {3, 1, 2, 3, 9, 1, 2};
    seen s;
    memset(&s, 0, sizeof s);
    assert_int_equal(rec_each_packet(payload, 7, on_packet, &s), CT_EFORMAT);
    assert_int_equal(s.packets, 0); /* 3 bytes are not a packet */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(header_round_trip),
        cmocka_unit_test(file_is_private_and_never_overwritten),
        cmocka_unit_test(every_chunk_size_gives_the_same_stream),
        cmocka_unit_test(truncation_at_every_byte_keeps_the_prefix),
        cmocka_unit_test(corrupt_block_is_reported_and_reading_goes_on),
        cmocka_unit_test(garbage_between_blocks_is_skipped),
        cmocka_unit_test(append_continues_block_numbers),
        cmocka_unit_test(not_a_recording),
        cmocka_unit_test(packet_list_with_bad_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
