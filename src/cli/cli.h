/*
 * cli.h - the command-line edge: one function per command, and the few helpers that
 * compose messages for people. Only this layer prints errors and chooses exit codes:
 * 0 ok, 1 failure, 2 usage.
 */
#ifndef CALFTRACK_CLI_H
#define CALFTRACK_CLI_H

#include <stdint.h>
#include <stdio.h>

#define EXIT_USAGE 2

typedef int (*cli_fn)(int argc, char **argv);

typedef struct {
    const char *name;
    cli_fn run;
    const char *summary; /* one line for `calftrack --help` */
} cli_command;

/* Every command: argv[0] is the command name, options follow (getopt_long). */
int cmd_devices(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);
int cmd_session(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_recover(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_settings(int argc, char **argv);
int cmd_simulate(int argc, char **argv);

/* "calftrack CMD: message\n" on stderr; returns 1 (failure). */
int cli_fail(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "calftrack CMD: message\nTry 'calftrack CMD --help'.\n" on stderr; returns 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parses a whole decimal number within [min, max]; 0 on success, -1 otherwise. */
int cli_parse_long(const char *s, long min, long max, long *out);
/* Parses a finite decimal number within [min, max]; 0 on success, -1 otherwise. */
int cli_parse_double(const char *s, double min, double max, double *out);

/* Wall-clock time, microseconds since 1970 (what sessions are dated with). */
int64_t cli_realtime_us(void);

extern const char *cli_program_version;

#endif
