/*
 * export.h - CSV for the physiotherapist (RFC 4180 through libcsv's csv_fwrite,
 * ISO-8601 UTC times, units in the column names; docs/export.md lists every column):
 *
 *   detail     a row per rep or hold with its numbers, grade and tempo
 *   summary    a row per session, exercise and side: prescribed vs done, best values
 *   progress   a row per day, side and sensor site: best dorsiflexion (weight-bearing
 *              and band), best heel rise, work, prescribed vs done, pain
 *   symmetry   a row per session: left and right values and the limb symmetry index
 *
 * Also the loading of one stored session (meta, prescription, events) that the writers,
 * the plots and `recover` share.
 */
#ifndef CALFTRACK_EXPORT_H
#define CALFTRACK_EXPORT_H

#include <stdint.h>
#include <stdio.h>

#include "calftrack/clinical.h"
#include "calftrack/presc.h"
#include "calftrack/store.h"

typedef enum { EXPORT_DETAIL = 0, EXPORT_SUMMARY, EXPORT_PROGRESS, EXPORT_SYMMETRY,
               EXPORT_KIND_COUNT } export_kind;

const char *export_kind_name(export_kind k);
int export_kind_parse(const char *s);

/* Which sessions and sides. */
typedef struct {
    int64_t from_unix_us;  /* sessions starting at or after; 0: from the first */
    int64_t to_unix_us;    /* sessions starting before; 0: to the last */
    ct_side side;          /* SIDE_BOTH: both sides */
    const char *session;   /* one session id, or NULL */
} export_filter;

/* One stored session, loaded. */
typedef struct {
    store_meta meta;
    presc rx;
    store_event *ev;       /* owned */
    int nev;
    int skipped;           /* damaged event rows */
    clin_summary sum;
} export_session;

/* Loads meta.csv, prescription.csv and events.csv of id and summarises them. */
int export_load_session(const store *st, const char *id, export_session *s);
void export_session_free(export_session *s);

/* Writes one kind of export for the sessions the filter selects. 0 or ct_err. */
int export_write(FILE *f, const store *st, export_kind kind, const export_filter *flt);

/* The rows of one session's summary (summary.csv in its folder, and the summary export). */
int export_summary_header(FILE *f);
int export_summary_rows(FILE *f, const export_session *s, ct_side side);

/* Per-day progress, shared with the plots. */
typedef struct {
    int64_t day_unix_us;        /* UTC midnight */
    ct_side side;
    int site_mm;                /* shin site of the sessions, mm below the knee; 0 unknown */
    int sessions;
    float best_lunge_deg;       /* NAN when not measured */
    float best_band_deg;
    float best_height_cm;
    int raise_reps;
    float work_j;
    int prescribed, done;
    int pain_before, pain_after; /* highest of the day, -1 none */
} export_day;

/* Collects per-day rows (sorted by day, side, site). *out is malloc'ed; free() it.
 * Returns the number of rows or a ct_err. */
int export_progress_collect(const store *st, const export_filter *flt, export_day **out);

/* Per-session symmetry, shared with the plots. */
typedef struct {
    char id[STORE_ID_MAX];
    int64_t start_unix_us;
    int site_mm;
    clin_symmetry sym;
} export_sym;

int export_symmetry_collect(const store *st, const export_filter *flt, export_sym **out);

#endif
