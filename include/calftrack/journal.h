/*
 * journal.h - the stored side of a running session: creates its folder (prescription
 * copy, meta, index row), appends each event as it happens (synced), rewrites the
 * summary atomically after every set and at the end, and records how it ended.
 * The session runner, `recover` and the tests all write sessions through it.
 */
#ifndef CALFTRACK_JOURNAL_H
#define CALFTRACK_JOURNAL_H

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
/* Rewrites summary.csv and meta.csv from what is stored so far. */
int journal_checkpoint(journal *j);
/* Records the final status and pain, writes the summary, updates the index, closes. */
int journal_end(journal *j, store_status status);

#endif
