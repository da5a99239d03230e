/*
 * csvio.h - reading and writing RFC 4180 CSV through libcsv, row by row, with the
 * line number of every row (for messages that point at file:line).
 *
 * Reading: csvio_read_file()/csvio_read_mem() call a function once per row with the
 * fields as NUL-terminated strings. Writing: csvio_field() quotes through csv_fwrite
 * when a field needs it; csvio_end_row() ends a row with CRLF.
 */
#ifndef CALFTRACK_CSVIO_H
#define CALFTRACK_CSVIO_H

#include <stddef.h>
#include <stdio.h>

#define CSVIO_MAX_FIELDS 64
#define CSVIO_MAX_FIELD 1024 /* longer fields are refused (CT_EFORMAT) */

/* One row: fields[0..n), each NUL-terminated; line is where the row starts (1-based). */
typedef struct {
    int n;
    long line;
    const char *field[CSVIO_MAX_FIELDS];
} csvio_row;

/* Return 0 to go on, non-zero to stop (that value is returned by the reader). */
typedef int (*csvio_row_fn)(const csvio_row *row, void *user);

/* Reads a whole file. Returns 0, what the callback returned, CT_ENOENT/CT_EIO/CT_EACCESS
 * for the file, or CT_EFORMAT (with *bad_line set when not NULL) for malformed CSV:
 * an unterminated quote, too many fields, an overlong field. Rows of only empty
 * fields (blank lines) are skipped. */
int csvio_read_file(const char *path, csvio_row_fn fn, void *user, long *bad_line);
int csvio_read_mem(const char *buf, size_t len, csvio_row_fn fn, void *user, long *bad_line);

/* Writes one field (quoted only when it contains a comma, quote, CR, LF or an edge
 * space), preceded by a comma unless first. Returns 0 or CT_EIO. */
int csvio_field(FILE *f, const char *s, int first);
/* Formats a field with printf. */
int csvio_fieldf(FILE *f, int first, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Ends a row with CRLF. */
int csvio_end_row(FILE *f);
/* Writes a whole row of n fields. */
int csvio_row_write(FILE *f, const char *const *fields, int n);

#endif
