/*
 * presc.h - a prescription: the exercises a physiotherapist set, read from a CSV file
 * they can edit in a spreadsheet. Columns (header row required, any order, names as
 * below): exercise, side, sets, reps, hold_s, target, target_unit, rest_s, tempo, notes.
 * Lines starting with '#' are comments. docs/prescription.md is the reference.
 *
 * Every error names the file, the line, the field and what is allowed.
 */
#ifndef CALFTRACK_PRESC_H
#define CALFTRACK_PRESC_H

#include <stdbool.h>
#include <stdio.h>

#include "calftrack/types.h"

#define PRESC_MAX_ITEMS 32
#define PRESC_NOTES_MAX 200

typedef enum { PRESC_UNIT_NONE = 0, PRESC_UNIT_DEG, PRESC_UNIT_CM } presc_unit;

/* One prescribed exercise. */
typedef struct {
    ct_exercise exercise;
    ct_side side;          /* both: every set on the left, then on the right */
    int sets;              /* 1..20 */
    int reps;              /* reps (calf_raise) or holds per set (the others), 1..100 */
    float hold_s;          /* hold (stretches, isometric) or top hold (raises), s; minimum */
    float hold_max_s;      /* upper end when written as a range "1-2", else == hold_s */
    float target;          /* in unit; 0 with PRESC_UNIT_NONE: the person's own range */
    presc_unit unit;
    float rest_s;          /* rest between sets, s */
    bool has_tempo;
    float tempo_up_s, tempo_top_s, tempo_down_s; /* "2-1-2": up, hold at top, down, s */
    char notes[PRESC_NOTES_MAX + 1];
    long line;             /* line in the file */
} presc_item;

typedef struct {
    int n;
    presc_item item[PRESC_MAX_ITEMS];
} presc;

/* Where and why a prescription was refused. */
typedef struct {
    char file[256];
    long line;            /* 0: the file as a whole */
    char field[32];       /* column name, "" when not about one field */
    char msg[256];        /* what is wrong and what is allowed */
} presc_error;

/* Reads and checks a prescription file. 0, or a ct_err with err filled in. */
int presc_load(const char *path, presc *out, presc_error *err);
/* The same from memory; name is used in messages. */
int presc_parse(const char *name, const char *buf, size_t len, presc *out, presc_error *err);
/* Formats err as "file:line: field 'x': message". */
void presc_error_format(const presc_error *err, char *out, size_t cap);

/* Writes p back as CSV (header included); presc_parse() reads it back identically. */
int presc_write(FILE *f, const presc *p);

/* Total sides x sets x reps (what "prescribed" counts in adherence). */
int presc_item_total(const presc_item *it);
/* Number of sides an item is done on (1 or 2). */
int presc_item_sides(const presc_item *it);
/* The side of pass k (0-based) of an item: both -> left, then right. */
ct_side presc_item_side(const presc_item *it, int k);
/* True for exercises measured as holds (everything but calf_raise). */
bool presc_is_hold(ct_exercise ex);
/* "deg", "cm" or "". */
const char *presc_unit_name(presc_unit u);

#endif
