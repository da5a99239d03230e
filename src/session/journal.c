/* journal.c - a session's folder kept up to date while it runs. */
#include "calftrack/journal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "calftrack/err.h"
#include "calftrack/csvio.h"
#include "calftrack/export.h"

/* trace.csv, created (or emptied, for a recovery) 0600. */
static void open_trace(journal *j)
{
    char path[STORE_PATH_MAX];
    if (journal_path(j, "trace.csv", path, sizeof path))
        return;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return;
    j->trace = fdopen(fd, "w");
    if (!j->trace) {
        close(fd);
        return;
    }
    static const char *const cols[] = {"t_us", "item", "exercise", "side", "set", "value", "unit"};
    csvio_row_write(j->trace, cols, 7);
}

void journal_trace(journal *j, int64_t t_us, int item, ct_side side, int set, float value,
                   bool value_cm)
{
    if (!j->trace || item < 0 || item >= j->rx.n)
        return;
    fprintf(j->trace, "%" PRId64 ",%d,%s,%s,%d,%.2f,%s\r\n", t_us, item,
            ct_exercise_name(j->rx.item[item].exercise), ct_side_name(side), set,
            (double)value, value_cm ? "cm" : "deg");
}

static int write_presc(FILE *f, void *user) { return presc_write(f, user); }

int journal_path(const journal *j, const char *file, char *out, size_t cap)
{
    return store_path(j->st, j->meta.id, file, out, cap);
}

int journal_begin(journal *j, const store *st, const presc *rx, const store_meta *meta)
{
    char path[STORE_PATH_MAX];
    memset(j, 0, sizeof *j);
    j->st = st;
    j->meta = *meta;
    j->rx = *rx;
    j->meta.status = STATUS_RUNNING;
    int rc = store_session_create(st, &j->meta);
    if (!rc)
        rc = journal_path(j, "prescription.csv", path, sizeof path);
    if (!rc)
        rc = store_write_atomic(path, write_presc, &j->rx);
    if (!rc)
        rc = store_meta_write(st, &j->meta);
    if (!rc)
        rc = store_events_open(st, j->meta.id, &j->ev);
    if (!rc)
        rc = store_index_update(st, &j->meta);
    if (!rc)
        open_trace(j);
    return rc;
}

int journal_reopen(journal *j, const store *st, const char *id)
{
    char path[STORE_PATH_MAX], old[STORE_PATH_MAX + 8];
    presc_error perr;
    memset(j, 0, sizeof *j);
    j->st = st;
    int rc = store_meta_read(st, id, &j->meta);
    if (!rc)
        rc = journal_path(j, "prescription.csv", path, sizeof path);
    if (!rc)
        rc = presc_load(path, &j->rx, &perr);
    if (!rc)
        rc = journal_path(j, "events.csv", path, sizeof path);
    if (rc)
        return rc;
    if ((rc = store_events_busy(path)) != 0)
        return rc;
    snprintf(old, sizeof old, "%s.old", path);
    if (rename(path, old) != 0 && errno != ENOENT)
        return ct_from_errno(errno);
    rc = store_events_create_path(path, &j->ev);
    if (!rc)
        open_trace(j);
    return rc;
}

int journal_event(journal *j, const store_event *e)
{
    int rc = store_events_append(&j->ev, e);
    if (!rc)
        j->events++;
    else
        j->failed = "events.csv";
    return rc;
}

static int write_summary(FILE *f, void *user)
{
    const export_session *s = user;
    int rc = export_summary_header(f);
    return rc ? rc : export_summary_rows(f, s, SIDE_BOTH);
}

int journal_checkpoint(journal *j)
{
    char path[STORE_PATH_MAX];
    export_session s;
    if (j->trace)
        fflush(j->trace);
    int rc = store_meta_write(j->st, &j->meta);
    if (rc) {
        j->failed = "meta.csv";
        return rc;
    }
    rc = export_load_session(j->st, j->meta.id, &s);
    if (rc)
        return rc;
    j->meta.events = s.nev;
    j->sum = s.sum;
    rc = journal_path(j, "summary.csv", path, sizeof path);
    if (!rc)
        rc = store_write_atomic(path, write_summary, &s);
    if (rc)
        j->failed = "summary.csv";
    export_session_free(&s);
    return rc;
}

void journal_close(journal *j)
{
    store_events_close(&j->ev);
    if (j->trace)
        fclose(j->trace);
    j->trace = NULL;
}

int journal_discard(journal *j)
{
    static const char *const files[] = {"events.csv", "meta.csv",
                                        "prescription.csv", "summary.csv", "trace.csv",
                                        "recording.ctrec"};
    char path[STORE_PATH_MAX];
    journal_close(j);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        if (journal_path(j, files[i], path, sizeof path) == 0)
            unlink(path); /* what is not there is fine */
    if (journal_path(j, NULL, path, sizeof path) == 0) {
        if (rmdir(path) != 0 && errno != ENOENT)
            return ct_from_errno(errno); /* something else is in there: leave it */
    }
    return store_index_rebuild(j->st);
}

int journal_end(journal *j, store_status status)
{
    j->meta.status = status;
    int rc = journal_checkpoint(j);
    int rc2 = store_index_update(j->st, &j->meta);
    journal_close(j);
    return rc ? rc : rc2;
}
