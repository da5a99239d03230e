/* recover.c - a killed session rebuilt from its raw recording. */
#include "calftrack/recover.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calftrack/err.h"
#include "calftrack/journal.h"
#include "calftrack/session_analysis.h"
#include "calftrack/source.h"

typedef struct {
    ct_source *src;
    journal *j;
    bool started;
} replay;

static int rd(void *ctx, ct_sample *out, int max, int timeout_ms)
{
    replay *r = ctx;
    int n = ct_source_read(r->src, out, max, timeout_ms);
    if (n > 0 && !r->started) {
        r->started = true;
        r->j->meta.t0_device_us = out[0].t_us;
    }
    return n;
}

static session_src_state state(void *ctx)
{
    replay *r = ctx;
    return ct_source_get_state(r->src) == SRC_ENDED ? SESSION_SRC_ENDED : SESSION_SRC_STREAMING;
}

#define KEEP_MAX 20000

static bool same_event(const store_event *a, const store_event *b)
{
    return a->item == b->item && a->ev.kind == b->ev.kind && a->ev.grade == b->ev.grade &&
           a->ev.set == b->ev.set && a->ev.t_start_us == b->ev.t_start_us &&
           a->ev.t_end_us == b->ev.t_end_us;
}

/* The raw recording can end before the last events stored live: the recorder's last
 * block was lost with the process, or the disk filled up before it. The analysis then
 * finds the last reps again only in part, or cut short by the end of the data. The
 * events stored live were counted and shown: after the last event found again exactly
 * as stored, the stored ones are kept (from events.csv.old), then any event found again
 * that starts after the last stored one. events.csv is rewritten in that order. */
static int keep_stored(journal *j, const store *st, const char *id)
{
    char path[STORE_PATH_MAX], old[STORE_PATH_MAX + 8];
    int rc = store_path(st, id, "events.csv", path, sizeof path);
    if (rc)
        return rc;
    snprintf(old, sizeof old, "%s.old", path);
    if (access(old, R_OK) != 0)
        return 0;
    store_event *nw = malloc(KEEP_MAX * sizeof *nw), *od = malloc(KEEP_MAX * sizeof *od);
    if (!nw || !od) {
        free(nw);
        free(od);
        return CT_ENOMEM;
    }
    int n = store_events_read_path(path, nw, KEEP_MAX, NULL);
    int m = n < 0 ? n : store_events_read_path(old, od, KEEP_MAX, NULL);
    rc = m < 0 ? m : 0;
    if (!rc) {
        n = n < KEEP_MAX ? n : KEEP_MAX;
        m = m < KEEP_MAX ? m : KEEP_MAX;
        int64_t cut = INT64_MIN, old_end = INT64_MIN;
        for (int i = 0; i < m; i++)
            if (od[i].ev.t_end_us > old_end)
                old_end = od[i].ev.t_end_us;
        for (int i = 0; i < n; i++)
            for (int k = 0; k < m; k++)
                if (same_event(&nw[i], &od[k]) && nw[i].ev.t_end_us > cut)
                    cut = nw[i].ev.t_end_us;
        bool differ = false; /* anything to change? */
        for (int k = 0; k < m; k++)
            differ |= od[k].ev.t_end_us > cut;
        for (int i = 0; i < n; i++)
            differ |= nw[i].ev.t_end_us > cut && nw[i].ev.t_start_us <= old_end;
        if (differ) {
            store_events_close(&j->ev);
            unlink(path);
            rc = store_events_create_path(path, &j->ev);
            j->events = 0;
            for (int i = 0; i < n && !rc; i++)
                if (nw[i].ev.t_end_us <= cut)
                    rc = journal_event(j, &nw[i]);
            for (int k = 0; k < m && !rc; k++)
                if (od[k].ev.t_end_us > cut)
                    rc = journal_event(j, &od[k]);
            for (int i = 0; i < n && !rc; i++)
                if (nw[i].ev.t_end_us > cut && nw[i].ev.t_start_us > old_end)
                    rc = journal_event(j, &nw[i]);
        }
    }
    free(nw);
    free(od);
    return rc;
}

int session_recover(const store *st, const char *id, const session_ui *ui, int *counted)
{
    char path[STORE_PATH_MAX];
    int rc = store_path(st, id, "recording.ctrec", path, sizeof path);
    if (rc)
        return rc;
    if (access(path, R_OK) != 0)
        return CT_ENOENT;
    journal *j = malloc(sizeof *j);
    session_analysis *sa = malloc(sizeof *sa);
    ct_source *src = NULL;
    if (!j || !sa) {
        free(j);
        free(sa);
        return CT_ENOMEM;
    }
    rc = ct_source_open_recording(&src, path);
    if (!rc)
        rc = journal_reopen(j, st, id);
    if (!rc) {
        replay r = {src, j, false};
        session_source ss = {&r, rd, state, NULL};
        session_analyzer an;
        const wire_info *info = ct_source_info(src);
        float rate = info->odr_hz ? (float)info->odr_hz : 104.0f;
        session_analysis_bind(sa, rate, &an);
        session_options opt;
        session_options_default(&opt);
        opt.site_mm = j->meta.settings.shin_site_mm;
        session_ui quiet = {0};
        if (ui) {
            quiet = *ui;
            quiet.wait_for_ready = false;
        }
        int status = session_run(j, &ss, &an, ui ? &quiet : NULL, &opt);
        rc = status < 0 ? status : keep_stored(j, st, id);
        int rc2 = journal_end(j, STATUS_RECOVERED);
        if (!rc)
            rc = rc2;
        if (counted)
            *counted = j->events;
    }
    ct_source_close(src);
    free(sa);
    free(j);
    return rc;
}
