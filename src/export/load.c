/* load.c - one stored session loaded for export, plots and recovery. */
#include <stdlib.h>
#include <string.h>

#include "calftrack/err.h"
#include "calftrack/export.h"
#include "each.h"

#define MAX_EVENTS 100000

int export_load_session(const store *st, const char *id, export_session *s)
{
    char path[STORE_PATH_MAX];
    presc_error perr;
    memset(s, 0, sizeof *s);
    int rc = store_meta_read(st, id, &s->meta);
    if (rc)
        return rc;
    if ((rc = store_path(st, id, "prescription.csv", path, sizeof path)) != 0)
        return rc;
    if ((rc = presc_load(path, &s->rx, &perr)) != 0)
        return rc;
    int n = store_events_read(st, id, NULL, 0, NULL);
    if (n == CT_ENOENT)
        n = 0;
    if (n < 0)
        return n;
    if (n > MAX_EVENTS)
        n = MAX_EVENTS;
    s->ev = calloc((size_t)n + 1, sizeof *s->ev);
    if (!s->ev)
        return CT_ENOMEM;
    if (n > 0) {
        int got = store_events_read(st, id, s->ev, n, &s->skipped);
        if (got < 0) {
            export_session_free(s);
            return got;
        }
        s->nev = got < n ? got : n;
    }
    clin_summarize(&s->rx, s->ev, s->nev, s->meta.settings.body_mass_kg, &s->sum);
    return 0;
}

void export_session_free(export_session *s)
{
    free(s->ev);
    s->ev = NULL;
    s->nev = 0;
}

static bool selected(const store_meta *m, const export_filter *flt)
{
    if (flt->session)
        return !strcmp(m->id, flt->session);
    if (flt->from_unix_us && m->start_unix_us < flt->from_unix_us)
        return false;
    if (flt->to_unix_us && m->start_unix_us >= flt->to_unix_us)
        return false;
    return true;
}

#define MAX_SESSIONS 10000

int export_each_session(const store *st, const export_filter *flt, each_fn fn, void *user)
{
    store_meta *list = calloc(MAX_SESSIONS, sizeof *list);
    if (!list)
        return CT_ENOMEM;
    int n = store_list(st, list, MAX_SESSIONS), rc = n < 0 ? n : 0;
    export_session *s = malloc(sizeof *s);
    if (!s)
        rc = CT_ENOMEM;
    int found = 0;
    for (int i = 0; !rc && i < n && i < MAX_SESSIONS; i++) {
        if (!selected(&list[i], flt))
            continue;
        if (export_load_session(st, list[i].id, s) != 0)
            continue; /* a damaged session is left out, not fatal */
        found++;
        rc = fn(s, user);
        export_session_free(s);
    }
    if (!rc && flt->session && !found)
        rc = CT_ENOENT;
    free(s);
    free(list);
    return rc;
}

