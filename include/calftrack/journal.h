/*
 * journal.h - the stored side of a running session: creates its folder (prescription
 * copy, meta, index row), appends each event as it happens (synced), rewrites the
 * summary atomically after every set and at the end, and records how it ended.
 * It also keeps trace.csv: the live measure about ten times a second (device time,
 * exercise, side, set, value and unit), for the session chart.
 * The session runner, `recover` and the tests all write sessions through it.
 */
#ifndef CALFTRACK_JOURNAL_H
#define CALFTRACK_JOURNAL_H

#include <stdio.h>

#include "calftrack/clinical.h"
#include "calftrack/presc.h"
#include "calftrack/store.h"

typedef struct {
    const store *st;
    store_meta meta;
    presc rx;
    store_events ev;
    int events;
    clin_summary sum;  /* as of the last checkpoint */
    FILE *trace;       /* trace.csv, NULL when it could not be created */
    const char *failed;/* the file a write failed on ("events.csv"...), or NULL */
} journal;

/* Creates a new session (meta->id is chosen here from meta->start_unix_us). The
 * prescription is copied into the folder. 0 or ct_err. */
int journal_begin(journal *j, const store *st, const presc *rx, const store_meta *meta);
/* Opens an existing session to rewrite its events from scratch (recover): the old
 * events file is kept as events.csv.old. */
int journal_reopen(journal *j, const store *st, const char *id);
/* Path of a file in the session folder. */
int journal_path(const journal *j, const char *file, char *out, size_t cap);
/* Appends one event (synced to disk). */
int journal_event(journal *j, const store_event *e);
/* One point of the live trace (buffered; written out at each checkpoint). */
void journal_trace(journal *j, int64_t t_us, int item, ct_side side, int set, float value,
                   bool value_cm);
/* Rewrites summary.csv and meta.csv from what is stored so far. */
int journal_checkpoint(journal *j);
/* Closes the files and writes nothing more: what a killed process leaves behind. */
void journal_close(journal *j);
/* Records the final status and pain, writes the summary, updates the index, closes. */
int journal_end(journal *j, store_status status);
/* A session that never started (no pod): its folder and index entry are removed. */
int journal_discard(journal *j);

#endif
