/* meta.c - meta.csv of a session and settings.csv: key,value rows, replaced atomically,
 * read back with every value checked (unknown keys are ignored, bad values refused). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "calftrack/csvio.h"
#include "calftrack/err.h"
#include "calftrack/store.h"
#include "num.h"

static int kv(FILE *f, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int kv(FILE *f, const char *key, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (csvio_field(f, key, 1) || csvio_field(f, buf, 0) || csvio_end_row(f))
        return CT_EIO;
    return 0;
}

static int write_settings_rows(FILE *f, const store_settings *s)
{
    int rc = 0;
    rc |= kv(f, "body_mass_kg", "%.1f", (double)s->body_mass_kg);
    rc |= kv(f, "injured_side", "%s", s->injured_side == SIDE_BOTH ? "" : ct_side_name(s->injured_side));
    rc |= kv(f, "shin_site_mm_below_knee", "%d", s->shin_site_mm);
    return rc ? CT_EIO : 0;
}

static int write_meta(FILE *f, void *user)
{
    const store_meta *m = user;
    char iso[40];
    store_iso8601(m->start_unix_us, iso, sizeof iso);
    int rc = 0;
    rc |= kv(f, "key", "value");
    rc |= kv(f, "id", "%s", m->id);
    rc |= kv(f, "start_time", "%s", iso);
    rc |= kv(f, "start_unix_us", "%" PRId64, m->start_unix_us);
    rc |= kv(f, "t0_device_us", "%" PRId64, m->t0_device_us);
    rc |= kv(f, "status", "%s", store_status_name(m->status));
    rc |= kv(f, "prescription", "%s", m->prescription);
    rc |= kv(f, "source", "%s", m->source);
    rc |= kv(f, "pain_before_0_10", "%d", m->pain_before);
    rc |= kv(f, "pain_after_0_10", "%d", m->pain_after);
    rc |= write_settings_rows(f, &m->settings);
    return rc ? CT_EIO : 0;
}

int store_meta_write(const store *st, const store_meta *m)
{
    char path[STORE_PATH_MAX];
    int rc = store_path(st, m->id, "meta.csv", path, sizeof path);
    return rc ? rc : store_write_atomic(path, write_meta, (void *)m);
}

/* Settings keys shared by meta.csv and settings.csv; 1 when the key was one of them. */
static int settings_key(store_settings *s, const char *k, const char *v, int *bad)
{
    int64_t i;
    if (!strcmp(k, "body_mass_kg")) {
        if (store_parse_f(v, 0, 400, &s->body_mass_kg))
            *bad = 1;
    } else if (!strcmp(k, "injured_side")) {
        int side = *v ? ct_side_parse(v) : SIDE_BOTH;
        if (side < 0)
            *bad = 1;
        else
            s->injured_side = (ct_side)side;
    } else if (!strcmp(k, "shin_site_mm_below_knee")) {
        if (store_parse_i64(v, 0, 600, &i))
            *bad = 1;
        else
            s->shin_site_mm = (int)i;
    } else {
        return 0;
    }
    return 1;
}

typedef struct {
    store_meta *m;
    store_settings *s;
    int bad;
} kv_state;

static int on_meta_row(const csvio_row *row, void *user)
{
    kv_state *st = user;
    if (row->n != 2) {
        st->bad = 1;
        return 0;
    }
    const char *k = row->field[0], *v = row->field[1];
    store_meta *m = st->m;
    int64_t i;
    if (st->s) {
        settings_key(st->s, k, v, &st->bad);
        return 0;
    }
    if (settings_key(&m->settings, k, v, &st->bad) || !strcmp(k, "key") ||
        !strcmp(k, "start_time"))
        return 0;
    if (!strcmp(k, "id")) {
        if (!store_id_valid(v))
            st->bad = 1;
        else
            snprintf(m->id, sizeof m->id, "%s", v);
    } else if (!strcmp(k, "start_unix_us")) {
        if (store_parse_i64(v, 0, INT64_MAX / 2, &m->start_unix_us))
            st->bad = 1;
    } else if (!strcmp(k, "t0_device_us")) {
        if (store_parse_i64(v, INT64_MIN / 2, INT64_MAX / 2, &m->t0_device_us))
            st->bad = 1;
    } else if (!strcmp(k, "status")) {
        int s = store_status_parse(v);
        if (s < 0)
            st->bad = 1;
        else
            m->status = (store_status)s;
    } else if (!strcmp(k, "prescription")) {
        snprintf(m->prescription, sizeof m->prescription, "%s", v);
    } else if (!strcmp(k, "source")) {
        snprintf(m->source, sizeof m->source, "%s", v);
    } else if (!strcmp(k, "pain_before_0_10") || !strcmp(k, "pain_after_0_10")) {
        if (store_parse_i64(v, -1, 10, &i))
            st->bad = 1;
        else if (k[5] == 'b')
            m->pain_before = (int)i;
        else
            m->pain_after = (int)i;
    }
    return 0;
}

static void settings_default(store_settings *s)
{
    memset(s, 0, sizeof *s);
    s->injured_side = SIDE_BOTH;
}

int store_meta_read(const store *st, const char *id, store_meta *m)
{
    char path[STORE_PATH_MAX];
    int rc = store_path(st, id, "meta.csv", path, sizeof path);
    if (rc)
        return rc;
    memset(m, 0, sizeof *m);
    settings_default(&m->settings);
    m->pain_before = m->pain_after = -1;
    kv_state ks = {.m = m};
    rc = csvio_read_file(path, on_meta_row, &ks, NULL);
    if (rc)
        return rc;
    if (ks.bad || strcmp(m->id, id) != 0)
        return CT_EFORMAT;
    return 0;
}

static int write_settings(FILE *f, void *user)
{
    return kv(f, "key", "value") || write_settings_rows(f, user) ? CT_EIO : 0;
}

int store_settings_write(const store *st, const store_settings *s)
{
    char path[STORE_PATH_MAX];
    int rc = store_path(st, NULL, "settings.csv", path, sizeof path);
    return rc ? rc : store_write_atomic(path, write_settings, (void *)s);
}

int store_settings_read(const store *st, store_settings *s)
{
    char path[STORE_PATH_MAX];
    settings_default(s);
    int rc = store_path(st, NULL, "settings.csv", path, sizeof path);
    if (rc)
        return rc;
    kv_state ks = {.s = s};
    rc = csvio_read_file(path, on_meta_row, &ks, NULL);
    if (rc == CT_ENOENT)
        return 0;
    if (rc)
        return rc;
    return ks.bad ? CT_EFORMAT : 0;
}
