/* csvio.c - row-by-row CSV over libcsv, with line numbers for people. */
#include "calftrack/csvio.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "calftrack/err.h"

typedef struct {
    csvio_row_fn fn;
    void *user;
    long line;        /* line being fed */
    long row_line;    /* line the current row started on */
    int n;
    int error;        /* CT_EFORMAT once a row is refused */
    int stop;         /* value returned by the callback */
    size_t used;      /* bytes of store in use */
    size_t off[CSVIO_MAX_FIELDS];
    char store[CSVIO_MAX_FIELDS * 64 + CSVIO_MAX_FIELD + 1];
} reader;

static void on_field(void *s, size_t len, void *data)
{
    reader *r = data;
    if (r->error || r->stop)
        return;
    if (r->n == 0)
        r->row_line = r->line;
    if (r->n >= CSVIO_MAX_FIELDS || len > CSVIO_MAX_FIELD ||
        r->used + len + 1 > sizeof r->store) {
        r->error = CT_EFORMAT;
        return;
    }
    r->off[r->n++] = r->used;
    if (len)
        memcpy(r->store + r->used, s, len);
    r->store[r->used + len] = '\0';
    r->used += len + 1;
}

static void on_row(int term, void *data)
{
    reader *r = data;
    (void)term;
    if (r->error || r->stop) {
        r->n = 0;
        r->used = 0;
        return;
    }
    if (r->n == 0)
        r->row_line = r->line;
    csvio_row row = {.n = r->n, .line = r->row_line};
    int blank = 1;
    for (int i = 0; i < r->n; i++) {
        row.field[i] = r->store + r->off[i];
        if (row.field[i][0])
            blank = 0;
    }
    if (!blank)
        r->stop = r->fn(&row, r->user);
    r->n = 0;
    r->used = 0;
}

int csvio_read_mem(const char *buf, size_t len, csvio_row_fn fn, void *user, long *bad_line)
{
    struct csv_parser p;
    reader *r = calloc(1, sizeof *r);
    if (!r)
        return CT_ENOMEM;
    if (csv_init(&p, CSV_STRICT | CSV_APPEND_NULL | CSV_STRICT_FINI) != 0) {
        free(r);
        return CT_ENOMEM;
    }
    r->fn = fn;
    r->user = user;
    r->line = 1;
    size_t pos = 0;
    int rc = 0;
    /* Feed a line at a time so that a row knows the line it started on. */
    while (pos < len && !r->error && !r->stop) {
        const char *nl = memchr(buf + pos, '\n', len - pos);
        size_t chunk = nl ? (size_t)(nl - (buf + pos)) + 1 : len - pos;
        if (csv_parse(&p, buf + pos, chunk, on_field, on_row, r) != chunk) {
            r->error = CT_EFORMAT;
            break;
        }
        pos += chunk;
        if (nl)
            r->line++;
    }
    if (!r->error && !r->stop && csv_fini(&p, on_field, on_row, r) != 0)
        r->error = CT_EFORMAT;
    if (r->error) {
        rc = r->error;
        if (bad_line)
            *bad_line = r->n ? r->row_line : r->line;
    } else {
        rc = r->stop;
    }
    csv_free(&p);
    free(r);
    return rc;
}

int csvio_read_file(const char *path, csvio_row_fn fn, void *user, long *bad_line)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return ct_from_errno(errno);
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    int rc = 0;
    while (buf) {
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
        if (len == cap) {
            if (cap >= (size_t)64 << 20) { /* no prescription or store file is this big */
                rc = CT_EFORMAT;
                break;
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                rc = CT_ENOMEM;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    if (!buf)
        rc = CT_ENOMEM;
    else if (!rc && ferror(f))
        rc = CT_EIO;
    fclose(f);
    if (!rc)
        rc = csvio_read_mem(buf, len, fn, user, bad_line);
    free(buf);
    return rc;
}

static int needs_quotes(const char *s)
{
    size_t n = strlen(s);
    if (n && (s[0] == ' ' || s[n - 1] == ' '))
        return 1;
    return strpbrk(s, ",\"\r\n") != NULL;
}

int csvio_field(FILE *f, const char *s, int first)
{
    if (!s)
        s = "";
    if (!first && fputc(',', f) == EOF)
        return CT_EIO;
    if (needs_quotes(s))
        return csv_fwrite(f, s, strlen(s)) == 0 ? 0 : CT_EIO;
    return fputs(s, f) == EOF ? CT_EIO : 0;
}

int csvio_fieldf(FILE *f, int first, const char *fmt, ...)
{
    char buf[CSVIO_MAX_FIELD];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return csvio_field(f, buf, first);
}

int csvio_end_row(FILE *f)
{
    return fputs("\r\n", f) == EOF ? CT_EIO : 0;
}

int csvio_row_write(FILE *f, const char *const *fields, int n)
{
    for (int i = 0; i < n; i++)
        if (csvio_field(f, fields[i], i == 0))
            return CT_EIO;
    return csvio_end_row(f);
}
