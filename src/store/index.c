/* index.c - sessions/index.csv: one row per session for `history`; a cache that can
 * always be rebuilt from the session folders, replaced atomically. */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "calftrack/csvio.h"
#include "calftrack/err.h"
#include "calftrack/store.h"

#define INDEX_MAX 10000

static const char *const cols[] = {"id", "start_time", "start_unix_us", "status",
                                   "prescription", "source", "pain_before_0_10",
                                   "pain_after_0_10", "events"};
#define NCOLS ((int)(sizeof cols / sizeof cols[0]))

typedef struct {
    store_meta *m;
    int n, cap;
} list;

static int by_start(const void *a, const void *b)
{
    const store_meta *x = a, *y = b;
    if (x->start_unix_us != y->start_unix_us)
        return x->start_unix_us < y->start_unix_us ? -1 : 1;
    return strcmp(x->id, y->id);
}

static int write_index(FILE *f, void *user)
{
    const list *l = user;
    if (csvio_row_write(f, cols, NCOLS))
        return CT_EIO;
    for (int i = 0; i < l->n; i++) {
        const store_meta *m = &l->m[i];
        char iso[40];
        store_iso8601(m->start_unix_us, iso, sizeof iso);
        int rc = csvio_field(f, m->id, 1) | csvio_field(f, iso, 0) |
                 csvio_fieldf(f, 0, "%" PRId64, m->start_unix_us) |
                 csvio_field(f, store_status_name(m->status), 0) |
                 csvio_field(f, m->prescription, 0) | csvio_field(f, m->source, 0) |
                 csvio_fieldf(f, 0, "%d", m->pain_before) |
                 csvio_fieldf(f, 0, "%d", m->pain_after) | csvio_fieldf(f, 0, "%d", m->events) |
                 csvio_end_row(f);
        if (rc)
            return CT_EIO;
    }
    return 0;
}

static int save(const store *st, list *l)
{
    char path[STORE_PATH_MAX];
    qsort(l->m, (size_t)l->n, sizeof *l->m, by_start);
    int rc = store_path(st, NULL, "sessions/index.csv", path, sizeof path);
    return rc ? rc : store_write_atomic(path, write_index, l);
}

static int push(list *l, const store_meta *m)
{
    if (l->n == l->cap) {
        if (l->cap >= INDEX_MAX)
            return CT_ENOMEM;
        int cap = l->cap ? l->cap * 2 : 64;
        store_meta *nm = realloc(l->m, (size_t)cap * sizeof *nm);
        if (!nm)
            return CT_ENOMEM;
        l->m = nm;
        l->cap = cap;
    }
    l->m[l->n++] = *m;
    return 0;
}

static int scan(const store *st, list *l)
{
    char dir[STORE_PATH_MAX];
    int rc = store_path(st, NULL, "sessions", dir, sizeof dir);
    if (rc)
        return rc;
    DIR *d = opendir(dir);
    if (!d)
        return ct_from_errno(errno);
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        store_meta m;
        if (!store_id_valid(de->d_name) || store_meta_read(st, de->d_name, &m) != 0)
            continue;
        int n = store_events_read(st, m.id, NULL, 0, NULL);
        m.events = n > 0 ? n : 0;
        if ((rc = push(l, &m)) != 0)
            break;
    }
    closedir(d);
    return rc;
}

int store_index_rebuild(const store *st)
{
    list l = {0};
    int rc = scan(st, &l);
    if (!rc)
        rc = save(st, &l);
    free(l.m);
    return rc;
}

typedef struct {
    list *l;
    int header, bad;
} read_state;

static int on_row(const csvio_row *row, void *user)
{
    read_state *rs = user;
    if (!rs->header) {
        rs->header = 1;
        return 0;
    }
    store_meta m;
    memset(&m, 0, sizeof m);
    char *end;
    if (row->n != NCOLS || !store_id_valid(row->field[0])) {
        rs->bad = 1;
        return 0;
    }
    snprintf(m.id, sizeof m.id, "%s", row->field[0]);
    errno = 0;
    m.start_unix_us = strtoll(row->field[2], &end, 10);
    int s = store_status_parse(row->field[3]);
    long pb = strtol(row->field[6], NULL, 10), pa = strtol(row->field[7], NULL, 10);
    long ev = strtol(row->field[8], NULL, 10);
    if (*end || errno || s < 0 || pb < -1 || pb > 10 || pa < -1 || pa > 10 || ev < 0 ||
        ev > 1000000) {
        rs->bad = 1;
        return 0;
    }
    m.status = (store_status)s;
    snprintf(m.prescription, sizeof m.prescription, "%s", row->field[4]);
    snprintf(m.source, sizeof m.source, "%s", row->field[5]);
    m.pain_before = (int)pb;
    m.pain_after = (int)pa;
    m.events = (int)ev;
    return push(rs->l, &m);
}

static int load(const store *st, list *l)
{
    char path[STORE_PATH_MAX];
    int rc = store_path(st, NULL, "sessions/index.csv", path, sizeof path);
    if (rc)
        return rc;
    read_state rs = {.l = l};
    rc = csvio_read_file(path, on_row, &rs, NULL);
    if (!rc && rs.bad)
        rc = CT_EFORMAT;
    return rc;
}

int store_index_update(const store *st, const store_meta *m)
{
    list l = {0};
    int rc = load(st, &l);
    if (rc) { /* missing or damaged: start again from the folders */
        l.n = 0;
        rc = scan(st, &l);
    }
    int found = 0;
    for (int i = 0; !rc && i < l.n; i++)
        if (!strcmp(l.m[i].id, m->id)) {
            l.m[i] = *m;
            found = 1;
        }
    if (!rc && !found)
        rc = push(&l, m);
    if (!rc)
        rc = save(st, &l);
    free(l.m);
    return rc;
}

int store_list(const store *st, store_meta *out, int cap)
{
    list l = {0};
    int rc = load(st, &l);
    if (rc) {
        l.n = 0;
        rc = scan(st, &l);
        if (!rc)
            rc = save(st, &l);
    }
    if (!rc) {
        qsort(l.m, (size_t)l.n, sizeof *l.m, by_start);
        for (int i = 0; i < l.n && i < cap; i++)
            out[i] = l.m[i];
        rc = l.n;
    }
    free(l.m);
    return rc;
}
