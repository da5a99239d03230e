/*
 * import.h - recordings from other IMUs, as CSV, turned into our own recording format so
 * that they run through exactly the pipeline the pod's data does (rx, analysis).
 *
 * Each CSV row becomes one wire packet holding one sample, at +-16 g / +-2000 dps scale,
 * with its exact timestamp (from a time column, or from a fixed rate). Values beyond
 * full scale are clipped and flagged. Every bad row is reported (line number and what was
 * wrong), counted and skipped; a skipped row, and a hole in the time column, show up as
 * lost samples when the recording is read.
 *
 * The analysis takes the pod's axes: on the shin x runs up the shank, on the foot z is out
 * of the skin. With the placement shin given, the sensor's axis along the shank (the one
 * gravity runs along at rest) is found in a first reading of the file and the axes are
 * relabelled so that it is x.
 */
#ifndef CALFTRACK_IMPORT_H
#define CALFTRACK_IMPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "calftrack/rec.h"

#define IMPORT_NAME_MAX 64

typedef enum { IMPORT_ACC_G = 0, IMPORT_ACC_MS2 } import_acc_unit;
typedef enum { IMPORT_GYR_DPS = 0, IMPORT_GYR_RADS } import_gyr_unit;

/* A column: by 1-based number (name empty) or by its header name; negate: its values
 * are taken with the sign turned (written "-name" or "-3", for a sensor whose axis
 * points the other way). */
typedef struct {
    int number;
    char name[IMPORT_NAME_MAX];
    bool negate;
} import_column;

typedef struct {
    import_column acc[3], gyr[3];
    import_column time;         /* number 0 and name "": no time column, use rate_hz */
    double time_unit_s;         /* 1 (seconds) or 0.001 (milliseconds) */
    double rate_hz;             /* without a time column: the fixed sample rate */
    import_acc_unit acc_unit;
    import_gyr_unit gyr_unit;
    char delimiter;             /* ',' (default when 0), ';' or '\t' */
    rec_header meta;            /* placement, side, label for the recording header */
} import_options;

typedef struct {
    uint64_t lines;            /* physical lines read */
    uint64_t rows;             /* data rows seen (header and comments excluded) */
    uint64_t samples;          /* rows written as samples */
    uint64_t bad_rows;         /* rows reported and skipped */
    uint64_t clipped;          /* samples with an axis beyond full scale */
    uint64_t time_gaps;        /* holes in the time column (samples missing upstream) */
    double rate_hz;            /* the rate written into the recording */
    double duration_s;         /* first to last sample */
    uint64_t rest_rows;        /* samples turning slower than 5 deg/s */
    double acc_rest_g;         /* their median |a|, g (0.01 g steps): about 1 g at rest */
    /* the accelerometer's change of direction against the gyro's prediction, over rows
     * turning faster than 5 deg/s near 1 g: sums of act.pred, pred.pred, act.act, and the
     * turn they cover (rad) */
    double axes_dp, axes_pp, axes_aa, axes_turn_rad;
    /* the sensor axis (0 x, 1 y, 2 z) gravity runs along at rest, its sign (+1: the axis
     * points up) and the angle between them, deg; rest_axis -1: not known */
    int rest_axis, rest_sign;
    double rest_tilt_deg;
    /* the axes written: x, y, z of the recording are the CSV's axis_from[k] (0 x, 1 y,
     * 2 z) times axis_sign[k]. With placement shin, the axis along the shank (gravity's
     * at rest) becomes +x, as on the pod; otherwise the axes as given. */
    int axis_from[3], axis_sign[3];
} import_result;

/* Called for every bad row: 1-based line number and a description for a person. */
typedef void (*import_report_fn)(void *user, uint64_t line, const char *what);

/* What the accelerometer read at rest says about the columns and units given: NULL when
 * it reads about 1 g (or too few rows were at rest to tell), else a sentence for a person
 * (a unit off by 9.81, or linear acceleration with gravity taken out). */
const char *import_gravity_hint(const import_result *res, const import_options *opt);

/* Whether the gyroscope's turns match the accelerometer's tilts: NULL when they do (or
 * too little turning to tell), else a sentence for a person (a rad/s-deg/s mix-up, a
 * mirrored sensor, axes listed in different orders). */
const char *import_gyro_hint(const import_result *res, const import_options *opt);

/* Where gravity runs at rest says about the axes: NULL when nothing is to be said (x
 * along it, or the placement shin given, whose axes are then turned to match), else a
 * sentence for a person. */
const char *import_axes_hint(const import_result *res, const import_options *opt);

/* Parses a column list such as "ax,ay,az", "2,3,4" or "ax,-ay,az" (n columns) into cols.
 * 0, or CT_EARG with the offending text unchanged. */
int import_parse_columns(const char *spec, import_column *cols, int n);

/* Reads in_path, writes the recording out_path (created 0600, must not exist).
 * Returns 0; CT_EFORMAT when no row was usable (the output is removed) or the header
 * lacks a named column; CT_ENOENT, CT_EEXIST, CT_EIO... for the files. */
int import_csv(const char *in_path, const char *out_path, const import_options *opt,
               import_report_fn report, void *user, import_result *res);

#endif
