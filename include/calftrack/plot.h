/*
 * plot.h - charts through gnuplot: the data go to private temp files, the chart's
 * script (plots/<kind>.gp) is loaded into a `gnuplot` started with popen(), and the
 * output is a PNG, SVG or PDF file (by the extension) or a window.
 *
 *   progress   ankle dorsiflexion per side over days (weight-bearing lunge solid, band
 *              dashed), the target line and the minimal-detectable-change band around
 *              each side's first value; one line per side and sensor site, never mixed
 *   session    one session: heel-rise height per rep, holds as bars over their time
 *   adherence  per day: prescribed vs done
 *   symmetry   limb symmetry index per session (reps, height, work, lunge), 90% line
 */
#ifndef CALFTRACK_PLOT_H
#define CALFTRACK_PLOT_H

#include <stdbool.h>

#include "calftrack/export.h"
#include "calftrack/store.h"

typedef enum { PLOT_PROGRESS = 0, PLOT_SESSION, PLOT_ADHERENCE, PLOT_SYMMETRY,
               PLOT_KIND_COUNT } plot_kind;

typedef enum { PLOT_WINDOW = 0, PLOT_PNG, PLOT_SVG, PLOT_PDF } plot_format;

const char *plot_kind_name(plot_kind k);
int plot_kind_parse(const char *s);
/* The format named by a file's extension (.png .svg .pdf); CT_EARG otherwise. */
int plot_format_of(const char *path, plot_format *fmt);

typedef struct {
    plot_kind kind;
    const char *out_path;    /* NULL: a window */
    const char *scripts_dir; /* where progress.gp... are */
    const char *gnuplot;     /* program name or path; NULL: "gnuplot" */
    export_filter flt;       /* sessions, dates, sides (session: flt.session) */
    float target_deg;        /* progress: the target line; 0: the latest prescribed lunge
                                target, else 35 deg (healthy mean) */
    int width, height;       /* pixels (PNG, SVG); 0: 1024 x 640 */
    bool persist;            /* window: keep it open until closed */
} plot_request;

/* Finds the gnuplot program on PATH (or as given). 0, or CT_EUNSUPPORTED. */
int plot_find_gnuplot(const char *name, char *out, size_t cap);

/* Finds the scripts folder: $CALFTRACK_PLOTS, beside the program (../plots,
 * ../share/calftrack/plots), the installed share folder, ./plots. 0 or CT_ENOENT. */
int plot_find_scripts(char *out, size_t cap);

/* Draws. 0; CT_EUNSUPPORTED no gnuplot; CT_ENOENT nothing to draw (no sessions, or no
 * such session); CT_EIO gnuplot failed (its message went to stderr). */
int plot_run(const store *st, const plot_request *req);

/* Writes the data files the script of req->kind reads into dir and the gnuplot
 * variable assignments into vars (for tests and the runner). 0 or ct_err. */
int plot_write_data(const store *st, const plot_request *req, const char *dir, FILE *vars);

#endif
