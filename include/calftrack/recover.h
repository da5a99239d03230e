/*
 * recover.h - rebuilding a session that was killed: its raw recording is run again
 * through the same runner and analysis (device time, no waits: the recording holds the
 * rests), the events file is rewritten (the old one kept as events.csv.old), the summary
 * and index updated, and the session marked recovered.
 */
#ifndef CALFTRACK_RECOVER_H
#define CALFTRACK_RECOVER_H

#include "calftrack/session.h"
#include "calftrack/store.h"

/* ui may be NULL. *counted (may be NULL) gets the reps and holds stored.
 * CT_ENOENT no such session or no recording in it, CT_EBUSY the session is still
 * running in another process, CT_EFORMAT its files are damaged. */
int session_recover(const store *st, const char *id, const session_ui *ui, int *counted);

#endif
