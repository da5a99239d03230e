/* cmd_session_io.h - the session's edge: the terminal (raw keys, questions), signals
 * turned into a quit key, the sample source adapter (pacing replays to real time), and
 * finding the shipped prescriptions. Shared by `session` and `recover`. */
#ifndef CALFTRACK_CMD_SESSION_IO_H
#define CALFTRACK_CMD_SESSION_IO_H

#include <signal.h>
#include <stdbool.h>
#include <termios.h>

#include "calftrack/journal.h"
#include "calftrack/session.h"
#include "calftrack/session_display.h"
#include "calftrack/source.h"

typedef struct {
    bool interactive;
    bool have_termios, raw;
    struct termios saved;
    sigset_t quit_signals;   /* blocked while the session runs; pending = quit */
    sigset_t old_mask;
    session_display *disp;
} session_io;

/* Blocks SIGINT, SIGTERM and SIGHUP (read as "quit") and remembers the terminal. */
void session_io_init(session_io *io, bool interactive);
/* Keys one at a time without echo (true) or the terminal as it was (false). */
void session_io_raw(session_io *io, bool on);
/* Restores the signal mask. */
void session_io_restore(session_io *io);
/* A ui that shows through disp and reads keys and quit signals. */
void session_io_ui(session_io *io, session_display *disp, session_ui *ui);
/* Asks a whole number in [lo, hi] on the terminal; -1 when skipped or not a number. */
long session_ask_number(const char *question, long lo, long hi);

/* A session_source over a ct_source: notes go into the recording, the first sample's
 * device time becomes the journal's t0, and a replay can be paced to real time. */
typedef struct {
    ct_source *src;
    journal *j;
    bool pace;
    bool started;
    int64_t t0_us;            /* device time of the first sample */
    int64_t wall0_us;         /* monotonic time then */
    int read_err;             /* the error the source reported (the recording's disk) */
} session_feed;

void session_feed_init(session_feed *f, ct_source *src, journal *j, bool pace, session_source *out);

/* The shipped prescription `name` (beside the program or installed). 0 or CT_ENOENT. */
int session_find_shipped(const char *name, char *out, size_t cap);
/* Copies a file (the replayed recording into the session), creating dst 0600. */
int session_copy_file(const char *src, const char *dst);

#endif
