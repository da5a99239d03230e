/* test_source.c - replaying a recording runs exactly the receive path the live run took:
 * the same samples, read in any batch size, across a marked unplug; damaged and cut
 * files give what they still hold and count the damage; files that are not recordings
 * are refused with the right error. (The live path is tested under the virtual pod by
 * tests/it/vpod_*.sh.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calftrack/err.h"
#include "calftrack/rec.h"
#include "calftrack/rx.h"
#include "calftrack/source.h"
#include "support/tmpdir.h"
#include "support/podinfo.h"

#define PERIOD_US 1200
#define NPKT 3000
#define MAXS (NPKT * 4)

/* The stream of a pod unplugged after packet 1500 and replugged (reset) 3 s later,
 * with packet 700 corrupted on the link and packet 900 lost. */
static size_t packet(int i, uint8_t buf[WIRE_PKT_MAX])
{
    wire_packet p;
    memset(&p, 0, sizeof p);
    int j = i < 1500 ? i : i - 1500;
    p.count = 4;
    p.seq = (uint16_t)j;
    p.sample_index = (uint32_t)j * 4u;
    p.t_us = 1000u + (uint32_t)j * 4u * PERIOD_US;
    p.period_qus = PERIOD_US * 4;
    p.flags = j == 0 ? WIRE_FLAG_START : 0;
    for (int k = 0; k < 4; k++)
        for (int a = 0; a < 3; a++) {
            p.s[k].acc[a] = (int16_t)(i * 7 + k * 3 + a);
            p.s[k].gyr[a] = (int16_t)(-i * 5 + k + a);
        }
    size_t n = wire_encode_packet(&p, buf);
    if (i == 700)
        buf[20] ^= 0x40;
    return n;
}

#define GAP_LOST_US 5000000
#define GAP_BACK_US 8000000

static void write_recording(const char *path)
{
    rec_header h;
    memset(&h, 0, sizeof h);
    h.version = REC_FORMAT_VERSION;
    h.info = test_info833();
    h.source = REC_SOURCE_VIRTUAL;
    snprintf(h.serial, sizeof h.serial, "VPOD0001");
    rec_writer w;
    assert_int_equal(rec_writer_open(&w, path, &h), CT_OK);
    int64_t now = 0;
    for (int i = 0; i < NPKT; i++) {
        uint8_t buf[WIRE_PKT_MAX];
        size_t n = packet(i, buf);
        if (i == 900)
            continue;
        if (i == 1500)
            assert_int_equal(rec_writer_gap(&w, GAP_LOST_US, GAP_BACK_US, 1), CT_OK);
        if (i == 2000)
            assert_int_equal(rec_writer_note(&w, "set 2 start", now), CT_OK);
        assert_int_equal(rec_writer_packet(&w, buf, n, now), CT_OK);
        now += 4 * PERIOD_US;
    }
    assert_int_equal(rec_writer_close(&w), CT_OK);
}

/* What the live run got: the same packets straight into rx. */
static int expected(ct_sample *out, rx_stats *st)
{
    rx_state rx;
    wire_info in = test_info833();
    rx_init(&rx, &in);
    int n = 0;
    for (int i = 0; i < NPKT; i++) {
        uint8_t buf[WIRE_PKT_MAX];
        size_t len = packet(i, buf);
        if (i == 900)
            continue;
        if (i == 1500)
            rx_note_disconnect(&rx, GAP_BACK_US - GAP_LOST_US);
        int k = rx_feed(&rx, buf, len, out + n);
        if (k > 0)
            n += k;
    }
    *st = rx.stats;
    return n;
}

static int replay(const char *path, int batch, ct_sample *out, rx_stats *st, rec_damage *dmg)
{
    ct_source *s;
    assert_int_equal(ct_source_open_recording(&s, path), CT_OK);
    assert_int_equal(ct_source_info(s)->odr_hz, 833);
    assert_string_equal(ct_source_header(s)->serial, "VPOD0001");
    int n = 0, k;
    while ((k = ct_source_read(s, out + n, batch, 0)) > 0) {
        n += k;
        assert_true(n <= MAXS);
    }
    assert_true(k == 0);
    assert_int_equal(ct_source_get_state(s), SRC_ENDED);
    assert_int_equal(ct_source_read(s, out + n, batch, 0), 0);
    *st = *ct_source_stats(s);
    *dmg = *ct_source_damage(s);
    ct_source_close(s);
    return n;
}

static int same_samples(const ct_sample *a, const ct_sample *b, int n)
{
    for (int i = 0; i < n; i++) {
        if (a[i].t_us != b[i].t_us || a[i].index != b[i].index || a[i].flags != b[i].flags)
            return 0;
        if (memcmp(a[i].acc_g, b[i].acc_g, sizeof a[i].acc_g) ||
            memcmp(a[i].gyr_dps, b[i].gyr_dps, sizeof a[i].gyr_dps))
            return 0;
    }
    return 1;
}

static ct_sample want[MAXS], got[MAXS];

static void test_replay_equals_live(void **st)
{
    (void)st;
    char path[512];
    test_path(path, sizeof path, "replay.rec");
    write_recording(path);
    rx_stats ws;
    int nw = expected(want, &ws);
    assert_int_equal(nw, (NPKT - 2) * 4);
    const int batches[] = {1, 3, 4, 7, 512, MAXS};
    for (size_t b = 0; b < sizeof batches / sizeof batches[0]; b++) {
        rx_stats gs;
        rec_damage dmg;
        int ng = replay(path, batches[b], got, &gs, &dmg);
        assert_int_equal(ng, nw);
        assert_true(same_samples(want, got, nw));
        assert_int_equal(gs.bad_packets, 1);
        assert_int_equal(gs.lost_packets, 2); /* the corrupted one and the dropped one */
        assert_int_equal(gs.lost_samples, ws.lost_samples);
        assert_int_equal(gs.disconnects, 1);
        assert_int_equal(gs.restarts, 1);
        assert_int_equal(gs.duplicates, 0);
        assert_int_equal(dmg.bad_blocks + dmg.truncated_bytes + dmg.skipped_bytes, 0);
    }
    /* the unplug: 3 s later on the continuous clock, marked, nothing duplicated */
    int at = 1498 * 4; /* packets 700 and 900 are missing before it */
    assert_int_equal(got[at].t_us, got[at - 1].t_us + (GAP_BACK_US - GAP_LOST_US));
    assert_true(got[at].flags & CT_SAMPLE_GAP);
    for (int i = 1; i < nw; i++) {
        assert_true(got[i].t_us > got[i - 1].t_us);
        assert_true(got[i].index > got[i - 1].index);
    }
}

static void test_cut_file_gives_what_it_holds(void **st)
{
    (void)st;
    char path[512], cut[512];
    test_path(path, sizeof path, "whole.rec");
    test_path(cut, sizeof cut, "cut.rec");
    write_recording(path);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static uint8_t data[1 << 20];
    size_t size = fread(data, 1, sizeof data, f);
    fclose(f);
    rx_stats ws;
    int nw = expected(want, &ws);
    int last = -1;
    for (size_t len = REC_HEADER_SIZE; len <= size; len += 997) {
        unlink(cut);
        f = fopen(cut, "wb");
        fwrite(data, 1, len, f);
        fclose(f);
        rx_stats gs;
        rec_damage dmg;
        int ng = replay(cut, 256, got, &gs, &dmg);
        assert_true(ng <= nw);
        assert_true(ng >= last); /* more file, never fewer samples */
        assert_true(same_samples(want, got, ng));
        last = ng;
    }
}

static void test_damaged_block_skipped(void **st)
{
    (void)st;
    char path[512];
    test_path(path, sizeof path, "damaged.rec");
    write_recording(path);
    int fd = open(path, O_RDWR);
    assert_true(fd >= 0);
    uint8_t b;
    off_t at = REC_HEADER_SIZE + 6000;
    assert_int_equal(pread(fd, &b, 1, at), 1);
    b ^= 0xFF;
    assert_int_equal(pwrite(fd, &b, 1, at), 1);
    close(fd);
    rx_stats gs;
    rec_damage dmg;
    int ng = replay(path, 512, got, &gs, &dmg);
    rx_stats ws;
    int nw = expected(want, &ws);
    assert_int_equal(dmg.bad_blocks, 1);
    assert_true(ng < nw && ng > nw - 400);
    assert_true(gs.lost_samples > ws.lost_samples); /* the lost block shows as lost samples */
}

static void test_not_a_recording(void **st)
{
    (void)st;
    char path[512];
    ct_source *s = NULL;
    test_path(path, sizeof path, "absent.rec");
    assert_int_equal(ct_source_open_recording(&s, path), CT_ENOENT);
    assert_null(s);
    test_path(path, sizeof path, "empty.rec");
    FILE *f = fopen(path, "wb");
    fclose(f);
    assert_int_equal(ct_source_open_recording(&s, path), CT_ETRUNC);
    test_path(path, sizeof path, "text.rec");
    f = fopen(path, "wb");
    for (int i = 0; i < 100; i++)
        fputs("time,ax,ay,az\n", f);
    fclose(f);
    assert_int_equal(ct_source_open_recording(&s, path), CT_EFORMAT);
    assert_null(s);
}

static void test_header_only(void **st)
{
    (void)st;
    char path[512];
    test_path(path, sizeof path, "hdr.rec");
    rec_header h;
    memset(&h, 0, sizeof h);
    h.version = REC_FORMAT_VERSION;
    h.info = test_info833();
    rec_writer w;
    assert_int_equal(rec_writer_open(&w, path, &h), CT_OK);
    assert_int_equal(rec_writer_close(&w), CT_OK);
    ct_source *s;
    assert_int_equal(ct_source_open_recording(&s, path), CT_OK);
    assert_int_equal(ct_source_read(s, got, 10, 0), 0);
    assert_int_equal(ct_source_get_state(s), SRC_ENDED);
    assert_int_equal(ct_source_note(s, "ignored"), CT_OK);
    assert_int_equal(ct_source_stop(s), CT_OK);
    ct_source_close(s);
    ct_source_close(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replay_equals_live),
        cmocka_unit_test(test_cut_file_gives_what_it_holds),
        cmocka_unit_test(test_damaged_block_skipped),
        cmocka_unit_test(test_not_a_recording),
        cmocka_unit_test(test_header_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
