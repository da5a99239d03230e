/*
 * session_display.h - what the person (or a program) sees of a session:
 *   tty    a live line redrawn in place (count, a bar against the target, hold
 *          countdown, tempo), prompts, a terminal bell when a hold or set is done
 *   lines  one event per line, for logs and pipes
 *   json   one JSON object per line, for programs
 * and the keys of a terminal: p pause/resume, s skip the set, q quit, Enter ready.
 */
#ifndef CALFTRACK_SESSION_DISPLAY_H
#define CALFTRACK_SESSION_DISPLAY_H

#include <stdbool.h>
#include <stdio.h>

#include "calftrack/session.h"

typedef enum { DISPLAY_TTY = 0, DISPLAY_LINES, DISPLAY_JSON } display_mode;

typedef struct {
    FILE *out;
    display_mode mode;
    int key_fd;              /* -1: no keys */
    bool line_open;          /* tty: a live line is on screen */
    session_msg_kind last;   /* to print a countdown or rest once in line modes */
    int64_t last_json_live_us;
} session_display;

void session_display_init(session_display *d, FILE *out, display_mode mode, int key_fd);
/* A session_ui over d (wait_for_ready when there are keys). */
void session_display_ui(session_display *d, session_ui *ui);
/* The end-of-session summary: per exercise and side, and the symmetry index. */
void session_display_summary(session_display *d, const clin_summary *s, ct_side injured,
                             float body_mass_kg);

#endif
