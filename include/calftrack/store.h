/*
 * store.h - where sessions live: $XDG_DATA_HOME/calftrack (default
 * ~/.local/share/calftrack), directories 0700, files 0600.
 *
 *   settings.csv                 body mass, injured side, sensor site (key,value)
 *   sessions/index.csv           one row per session (rebuilt from the folders if lost)
 *   sessions/<id>/recording.ctrec  the raw stream (rec.h), written by the source
 *   sessions/<id>/prescription.csv the prescription as it was followed
 *   sessions/<id>/meta.csv       start time, pain, body mass, status (replaced atomically)
 *   sessions/<id>/events.csv     one row per rep or hold, appended and synced per event
 *   sessions/<id>/summary.csv    per exercise and side (replaced atomically)
 *
 * Every file is CSV read back through libcsv; every byte read is checked.
 */
#ifndef CALFTRACK_STORE_H
#define CALFTRACK_STORE_H

#include <stdint.h>
#include <stdio.h>

#include "calftrack/types.h"

#define STORE_PATH_MAX 1024
#define STORE_ID_MAX 32

typedef struct {
    char root[STORE_PATH_MAX]; /* .../calftrack */
} store;

typedef enum {
    STATUS_RUNNING = 0, /* being recorded (or killed: recover it) */
    STATUS_COMPLETE,    /* every prescribed set done */
    STATUS_STOPPED,     /* the patient quit early; what was done is kept */
    STATUS_RECOVERED,   /* rebuilt from the recording after a crash */
    STATUS_COUNT
} store_status;

const char *store_status_name(store_status s);
int store_status_parse(const char *s);

/* The settings a patient gives once. */
typedef struct {
    float body_mass_kg;     /* 0: not set */
    ct_side injured_side;   /* SIDE_BOTH: not set (no symmetry index) */
    int shin_site_mm;       /* pod distance below the knee joint line on the shin, 0: unknown */
} store_settings;

/* What is known about one session. */
typedef struct {
    char id[STORE_ID_MAX];       /* "20261125-140312" */
    int64_t start_unix_us;       /* wall clock at the start */
    int64_t t0_device_us;        /* device time that corresponds to start_unix_us */
    store_status status;
    char prescription[64];       /* file name it came from */
    char source[16];             /* pod, replay, virtual */
    int pain_before, pain_after; /* 0..10, -1 not given */
    store_settings settings;     /* as they were during the session */
    int events;                  /* rows in events.csv (index only) */
} store_meta;

/* One stored reading: an analysed event with the prescription item it belongs to
 * and where the sensor was. */
typedef struct {
    ct_event ev;
    int item;        /* 0-based prescription row */
    int site_mm;     /* shin: mm below the knee; 0: foot or unknown */
} store_event;

/* Opens (creating with 0700) the store under root, or under $XDG_DATA_HOME/calftrack or
 * $HOME/.local/share/calftrack when root is NULL. 0 or ct_err. */
int store_open(store *st, const char *root);

/* Path of a file inside a session: store_path(st, id, "events.csv", buf). */
int store_path(const store *st, const char *id, const char *file, char *out, size_t cap);

/* Creates a new session folder with a fresh id from the start time; fills m->id. */
int store_session_create(const store *st, store_meta *m);
/* A session id is [0-9A-Za-z_-]{1,31}: nothing else ever reaches a path. */
int store_id_valid(const char *id);

/* meta.csv: written atomically (temp file, fsync, rename). */
int store_meta_write(const store *st, const store_meta *m);
int store_meta_read(const store *st, const char *id, store_meta *m);

/* settings.csv under the root. Missing file: defaults (nothing set), 0. */
int store_settings_read(const store *st, store_settings *s);
int store_settings_write(const store *st, const store_settings *s);

/* ---- events ----------------------------------------------------------- */

typedef struct {
    FILE *f;
    int fd;
} store_events;

/* Opens events.csv of session id for appending (header written when new). */
int store_events_open(const store *st, const char *id, store_events *w);
/* Creates a fresh events file at path (must not exist). */
int store_events_create_path(const char *path, store_events *w);
/* Appends one row and syncs it to disk. */
int store_events_append(store_events *w, const store_event *e);
void store_events_close(store_events *w);

/* Reads every event of a file; rows that are incomplete or malformed (a crash in the
 * middle of a write) are skipped and counted in *skipped (may be NULL). Returns the
 * number of events (at most cap are stored, more are counted) or a ct_err. */
int store_events_read_path(const char *path, store_event *out, int cap, int *skipped);
int store_events_read(const store *st, const char *id, store_event *out, int cap, int *skipped);

/* ---- index and listing ----------------------------------------------- */

/* Rewrites sessions/index.csv from the session folders (atomically). */
int store_index_rebuild(const store *st);
/* Adds or replaces m's row in the index (atomically). */
int store_index_update(const store *st, const store_meta *m);
/* Reads the index (rebuilding it when missing) into out[0..cap), sorted by start time.
 * Returns the count or a ct_err. */
int store_list(const store *st, store_meta *out, int cap);

/* ---- files ------------------------------------------------------------ */

/* Writes path atomically: fn fills a temp file beside it (0600), then fsync, rename,
 * fsync of the directory. 0 or ct_err (nothing replaced on error). */
typedef int (*store_write_fn)(FILE *f, void *user);
int store_write_atomic(const char *path, store_write_fn fn, void *user);

/* ISO-8601 UTC with milliseconds: 2026-11-25T14:03:12.345Z */
void store_iso8601(int64_t unix_us, char *out, size_t cap);
/* The calendar date (UTC) of unix_us: 2026-11-25 */
void store_iso_date(int64_t unix_us, char *out, size_t cap);
/* Parses "YYYY-MM-DD" (UTC midnight) into unix us; 0 or CT_EFORMAT. */
int store_parse_date(const char *s, int64_t *unix_us);

#endif
