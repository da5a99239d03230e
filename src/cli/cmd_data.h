/* cmd_data.h - what the data commands (session, history, export, plot, recover,
 * settings) share at the edge: opening the store with a message, and the
 * --from/--to/--side/--session options. */
#ifndef CALFTRACK_CMD_DATA_H
#define CALFTRACK_CMD_DATA_H

#include "calftrack/export.h"
#include "calftrack/store.h"

/* Opens the store; prints why not (naming the folder) and returns 1 on failure. */
int cmd_open_store(const char *cmd, store *st);

/* Handles one filter option (long option name without dashes and its value) into flt.
 * 0 handled, 1 not a filter option, 2 bad value (a usage message was printed). */
int cmd_filter_option(const char *cmd, const char *name, const char *value, export_filter *flt);

/* The help text lines of the filter options. */
extern const char cmd_filter_help[];

#endif
