/* test_store.c - the data folder: private modes, meta and settings round trips, events
 * appended and read back (a torn last row skipped), the index rebuilt when lost,
 * hostile ids and files, ISO-8601 times. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "calftrack/err.h"
#include "calftrack/store.h"
#include "support/tmpdir.h"

static int mode_of(const char *path)
{
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    return (int)(sb.st_mode & 0777);
}

static void open_store(store *st, const char *name)
{
    char root[512];
    test_path(root, sizeof root, name);
    assert_int_equal(store_open(st, root), 0);
}

static store_meta meta_at(int64_t unix_us)
{
    store_meta m;
    memset(&m, 0, sizeof m);
    m.start_unix_us = unix_us;
    m.t0_device_us = 123456789;
    m.status = STATUS_RUNNING;
    snprintf(m.prescription, sizeof m.prescription, "calf-programme.csv");
    snprintf(m.source, sizeof m.source, "replay");
    m.pain_before = 4;
    m.pain_after = -1;
    m.settings.body_mass_kg = 72.5f;
    m.settings.injured_side = SIDE_RIGHT;
    m.settings.shin_site_mm = 150;
    return m;
}

static void test_modes_and_meta(void **state)
{
    (void)state;
    store st;
    open_store(&st, "a/deep/calftrack");
    assert_int_equal(mode_of(st.root), 0700);
    store_meta m = meta_at(INT64_C(1795694592000000)); /* 2026-11-26T12:03:12Z */
    assert_int_equal(store_session_create(&st, &m), 0);
    assert_string_equal(m.id, "20261126-120312");
    store_meta m2 = m;
    assert_int_equal(store_session_create(&st, &m2), 0);
    assert_string_equal(m2.id, "20261126-120312-1");
    char dir[1100];
    assert_int_equal(store_path(&st, m.id, NULL, dir, sizeof dir), 0);
    assert_int_equal(mode_of(dir), 0700);
    assert_int_equal(store_meta_write(&st, &m), 0);
    char path[1100];
    store_path(&st, m.id, "meta.csv", path, sizeof path);
    assert_int_equal(mode_of(path), 0600);
    store_meta r;
    assert_int_equal(store_meta_read(&st, m.id, &r), 0);
    assert_string_equal(r.id, m.id);
    assert_true(r.start_unix_us == m.start_unix_us);
    assert_true(r.t0_device_us == 123456789);
    assert_int_equal(r.pain_before, 4);
    assert_int_equal(r.pain_after, -1);
    assert_float_equal(r.settings.body_mass_kg, 72.5, 1e-4);
    assert_int_equal(r.settings.injured_side, SIDE_RIGHT);
    assert_int_equal(r.settings.shin_site_mm, 150);
    assert_string_equal(r.source, "replay");
    /* No stray temp files next to the replaced file. */
    m.status = STATUS_COMPLETE;
    assert_int_equal(store_meta_write(&st, &m), 0);
    char cmd[1300];
    snprintf(cmd, sizeof cmd, "test $(ls '%s' | wc -l) -eq 1", dir);
    assert_int_equal(system(cmd), 0);
    /* Hostile ids never reach a path. */
    assert_int_equal(store_meta_read(&st, "../../etc", &r), CT_EARG);
    assert_int_equal(store_path(&st, "a/b", "x", path, sizeof path), CT_EARG);
    assert_false(store_id_valid(""));
    assert_false(store_id_valid("a b"));
    assert_true(store_id_valid("20261126-120312-1"));
}

static void test_settings(void **state)
{
    (void)state;
    store st;
    open_store(&st, "settings");
    store_settings s;
    assert_int_equal(store_settings_read(&st, &s), 0);
    assert_float_equal(s.body_mass_kg, 0, 0);
    assert_int_equal(s.injured_side, SIDE_BOTH);
    s.body_mass_kg = 81.3f;
    s.injured_side = SIDE_LEFT;
    s.shin_site_mm = 120;
    assert_int_equal(store_settings_write(&st, &s), 0);
    store_settings r;
    assert_int_equal(store_settings_read(&st, &r), 0);
    assert_float_equal(r.body_mass_kg, 81.3, 1e-4);
    assert_int_equal(r.injured_side, SIDE_LEFT);
    assert_int_equal(r.shin_site_mm, 120);
    char path[1100];
    store_path(&st, NULL, "settings.csv", path, sizeof path);
    assert_int_equal(mode_of(path), 0600);
    FILE *f = fopen(path, "w");
    fputs("key,value\nbody_mass_kg,-5\n", f);
    fclose(f);
    assert_int_equal(store_settings_read(&st, &r), CT_EFORMAT);
}

static store_event sample_event(int i)
{
    store_event e;
    memset(&e, 0, sizeof e);
    e.item = i % 2;
    e.site_mm = 150;
    e.ev.kind = i % 2 ? EV_HOLD : EV_REP;
    e.ev.exercise = i % 2 ? EX_LUNGE_STRETCH : EX_CALF_RAISE;
    e.ev.side = SIDE_LEFT;
    e.ev.placement = PLACE_SHIN;
    e.ev.grade = (ct_grade)(i % 4);
    e.ev.set = 1 + i / 10;
    e.ev.number = 1 + i % 10;
    e.ev.t_start_us = INT64_C(1000000) * i;
    e.ev.t_peak_us = e.ev.t_start_us + 1500000;
    e.ev.t_end_us = e.ev.t_start_us + 4000000;
    e.ev.peak_deg = 20.125f + (float)i / 3.0f;
    e.ev.height_cm = 7.7f + (float)i / 7.0f;
    e.ev.hold_s = 1.25f;
    e.ev.up_s = 2.1f;
    e.ev.top_s = 1.05f;
    e.ev.down_s = 1.9f;
    e.ev.target = 35;
    return e;
}

static void test_events_round_trip_and_torn_row(void **state)
{
    (void)state;
    store st;
    open_store(&st, "events");
    store_meta m = meta_at(INT64_C(1795694592000000));
    assert_int_equal(store_session_create(&st, &m), 0);
    store_events w;
    assert_int_equal(store_events_open(&st, m.id, &w), 0);
    for (int i = 0; i < 25; i++) {
        store_event e = sample_event(i);
        assert_int_equal(store_events_append(&w, &e), 0);
    }
    store_events_close(&w);
    store_event out[40];
    int skipped = -1;
    assert_int_equal(store_events_read(&st, m.id, out, 40, &skipped), 25);
    assert_int_equal(skipped, 0);
    for (int i = 0; i < 25; i++) {
        store_event e = sample_event(i);
        assert_memory_equal(&out[i], &e, sizeof e);
    }
    /* Reopening appends without a second header. */
    assert_int_equal(store_events_open(&st, m.id, &w), 0);
    store_event e = sample_event(25);
    assert_int_equal(store_events_append(&w, &e), 0);
    store_events_close(&w);
    assert_int_equal(store_events_read(&st, m.id, out, 40, &skipped), 26);
    assert_int_equal(skipped, 0);
    /* A crash in the middle of a row: that row is skipped, the rest survive. */
    char path[1100];
    store_path(&st, m.id, "events.csv", path, sizeof path);
    FILE *f = fopen(path, "a");
    fputs("1,lunge_stretch,left,hold,sh", f);
    fclose(f);
    assert_int_equal(store_events_read(&st, m.id, out, 40, &skipped), 26);
    assert_int_equal(skipped, 1);
    /* An unclosed quote at the end is damage too, not a lost file. */
    f = fopen(path, "a");
    fputs("\r\n1,\"lunge", f);
    fclose(f);
    assert_int_equal(store_events_read(&st, m.id, out, 40, &skipped), 26);
    assert_int_equal(skipped, 2);
    /* Counting only. */
    assert_int_equal(store_events_read(&st, m.id, NULL, 0, NULL), 26);
    assert_int_equal(mode_of(path), 0600);
}

static void test_index(void **state)
{
    (void)state;
    store st;
    open_store(&st, "index");
    store_meta m[3];
    for (int i = 0; i < 3; i++) {
        m[i] = meta_at(INT64_C(1795694592000000) - INT64_C(86400000000) * i);
        assert_int_equal(store_session_create(&st, &m[i]), 0);
        assert_int_equal(store_meta_write(&st, &m[i]), 0);
        m[i].events = i;
        assert_int_equal(store_index_update(&st, &m[i]), 0);
    }
    m[0].status = STATUS_COMPLETE;
    assert_int_equal(store_index_update(&st, &m[0]), 0);
    store_meta out[8];
    assert_int_equal(store_list(&st, out, 8), 3);
    assert_string_equal(out[0].id, "20261124-120312"); /* oldest first */
    assert_string_equal(out[2].id, "20261126-120312");
    assert_int_equal(out[2].status, STATUS_COMPLETE);
    assert_int_equal(out[1].events, 1);
    /* Index lost: rebuilt from the folders (meta.csv says running for all). */
    char path[1100];
    store_path(&st, NULL, "sessions/index.csv", path, sizeof path);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(store_list(&st, out, 8), 3);
    assert_int_equal(mode_of(path), 0600);
    /* Index damaged: rebuilt too. */
    FILE *f = fopen(path, "w");
    fputs("id,x\n../../etc,1\n", f);
    fclose(f);
    assert_int_equal(store_list(&st, out, 8), 3);
    assert_string_equal(out[0].id, "20261124-120312");
}

static void test_times(void **state)
{
    (void)state;
    char buf[40];
    store_iso8601(INT64_C(1795694592345678), buf, sizeof buf);
    assert_string_equal(buf, "2026-11-26T12:03:12.345Z");
    store_iso_date(INT64_C(1795694592345678), buf, sizeof buf);
    assert_string_equal(buf, "2026-11-26");
    int64_t t;
    assert_int_equal(store_parse_date("2026-11-26", &t), 0);
    assert_true(t == INT64_C(1795651200000000));
    assert_int_equal(store_parse_date("2024-02-29", &t), 0);
    assert_int_equal(store_parse_date("2026-02-29", &t), CT_EFORMAT);
    assert_int_equal(store_parse_date("2026-13-01", &t), CT_EFORMAT);
    assert_int_equal(store_parse_date("2026-1-01", &t), CT_EFORMAT);
    assert_int_equal(store_parse_date("2026-11-26x", &t), CT_EFORMAT);
}

int main(void)
{
    umask(022);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_modes_and_meta),
        cmocka_unit_test(test_settings),
        cmocka_unit_test(test_events_round_trip_and_torn_row),
        cmocka_unit_test(test_index),
        cmocka_unit_test(test_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
