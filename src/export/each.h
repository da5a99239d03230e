/* each.h - walking the stored sessions an export selects (private to src/export). */
#ifndef CALFTRACK_EXPORT_EACH_H
#define CALFTRACK_EXPORT_EACH_H

#include "calftrack/export.h"

typedef int (*each_fn)(const export_session *s, void *user);

/* Calls fn for every session the filter selects, oldest first; damaged sessions are
 * left out. CT_ENOENT when flt->session names no session. */
int export_each_session(const store *st, const export_filter *flt, each_fn fn, void *user);

/* The progress export (progress.c). */
int export_progress_write(FILE *f, const store *st, const export_filter *flt);

#endif
