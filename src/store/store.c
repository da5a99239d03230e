/* store.c - the data folder: locating it, private directories, session ids, atomic
 * file replacement, and the ISO-8601 times every file uses. */
#include "calftrack/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "calftrack/err.h"

static const char *const status_names[STATUS_COUNT] = {"running", "complete", "stopped",
                                                       "recovered"};

const char *store_status_name(store_status s)
{
    return (int)s >= 0 && s < STATUS_COUNT ? status_names[s] : "unknown";
}

int store_status_parse(const char *s)
{
    for (int i = 0; i < STATUS_COUNT; i++)
        if (!strcmp(s, status_names[i]))
            return i;
    return -1;
}

/* mkdir with 0700; an existing directory is fine (its mode is tightened if ours). */
static int mkdir_private(const char *path)
{
    if (mkdir(path, 0700) == 0)
        return 0;
    if (errno != EEXIST)
        return ct_from_errno(errno);
    struct stat sb;
    if (stat(path, &sb) != 0)
        return ct_from_errno(errno);
    if (!S_ISDIR(sb.st_mode))
        return CT_EEXIST;
    return 0;
}

static int mkdir_parents(const char *path)
{
    char buf[STORE_PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return CT_EARG;
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        struct stat sb;
        if (stat(buf, &sb) != 0 && mkdir(buf, 0700) != 0 && errno != EEXIST)
            return ct_from_errno(errno);
        *p = '/';
    }
    return mkdir_private(buf);
}

int store_open(store *st, const char *root)
{
    char sessions[STORE_PATH_MAX + 16];
    int n;
    if (root && *root) {
        n = snprintf(st->root, sizeof st->root, "%s", root);
    } else {
        const char *xdg = getenv("XDG_DATA_HOME");
        const char *home = getenv("HOME");
        if (xdg && xdg[0] == '/')
            n = snprintf(st->root, sizeof st->root, "%s/calftrack", xdg);
        else if (home && home[0] == '/')
            n = snprintf(st->root, sizeof st->root, "%s/.local/share/calftrack", home);
        else
            return CT_ENOENT;
    }
    if (n < 0 || n >= (int)sizeof st->root - 64)
        return CT_EARG;
    int rc = mkdir_parents(st->root);
    if (rc)
        return rc;
    snprintf(sessions, sizeof sessions, "%s/sessions", st->root);
    return mkdir_private(sessions);
}

int store_id_valid(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n >= STORE_ID_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              c == '-' || c == '_'))
            return 0;
    }
    return 1;
}

int store_path(const store *st, const char *id, const char *file, char *out, size_t cap)
{
    if (id && !store_id_valid(id))
        return CT_EARG;
    int n = id ? snprintf(out, cap, "%s/sessions/%s%s%s", st->root, id, file ? "/" : "",
                          file ? file : "")
               : snprintf(out, cap, "%s/%s", st->root, file ? file : "");
    return n < 0 || (size_t)n >= cap ? CT_EARG : 0;
}

int store_session_create(const store *st, store_meta *m)
{
    time_t t = (time_t)(m->start_unix_us / 1000000);
    struct tm tm;
    char base[24], dir[STORE_PATH_MAX];
    gmtime_r(&t, &tm);
    strftime(base, sizeof base, "%Y%m%d-%H%M%S", &tm);
    for (int k = 0; k < 100; k++) {
        if (k == 0)
            snprintf(m->id, sizeof m->id, "%s", base);
        else
            snprintf(m->id, sizeof m->id, "%.15s-%d", base, k % 100);
        int rc = store_path(st, m->id, NULL, dir, sizeof dir);
        if (rc)
            return rc;
        if (mkdir(dir, 0700) == 0)
            return 0;
        if (errno != EEXIST)
            return ct_from_errno(errno);
    }
    return CT_EEXIST;
}

static int fsync_dir_of(const char *path)
{
    char dir[STORE_PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return ct_from_errno(errno);
    int rc = fsync(fd) == 0 || errno == EINVAL ? 0 : ct_from_errno(errno);
    close(fd);
    return rc;
}

int store_write_atomic(const char *path, store_write_fn fn, void *user)
{
    char tmp[STORE_PATH_MAX + 16];
    if (snprintf(tmp, sizeof tmp, "%s.tmpXXXXXX", path) >= (int)sizeof tmp)
        return CT_EARG;
    int fd = mkstemp(tmp); /* mode 0600 */
    if (fd < 0)
        return ct_from_errno(errno);
    FILE *f = fdopen(fd, "w");
    if (!f) {
        int rc = ct_from_errno(errno);
        close(fd);
        unlink(tmp);
        return rc;
    }
    int rc = fn(f, user);
    if (!rc && fflush(f) != 0)
        rc = ct_from_errno(errno);
    if (!rc && fsync(fd) != 0)
        rc = ct_from_errno(errno);
    if (fclose(f) != 0 && !rc)
        rc = ct_from_errno(errno);
    if (!rc && rename(tmp, path) != 0)
        rc = ct_from_errno(errno);
    if (rc) {
        unlink(tmp);
        return rc;
    }
    return fsync_dir_of(path);
}

void store_iso8601(int64_t unix_us, char *out, size_t cap)
{
    int64_t s = unix_us / 1000000, us = unix_us % 1000000;
    if (us < 0) {
        us += 1000000;
        s--;
    }
    time_t t = (time_t)s;
    struct tm tm;
    char base[32];
    if (!gmtime_r(&t, &tm)) {
        snprintf(out, cap, "1970-01-01T00:00:00.000Z");
        return;
    }
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, cap, "%s.%03dZ", base, (int)(us / 1000));
}

void store_iso_date(int64_t unix_us, char *out, size_t cap)
{
    char buf[40];
    store_iso8601(unix_us, buf, sizeof buf);
    snprintf(out, cap, "%.10s", buf);
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int store_parse_date(const char *s, int64_t *unix_us)
{
    int y, m, d;
    char extra;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
        sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3)
        return CT_EFORMAT;
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return CT_EFORMAT;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m == 2 && d == 29 && !leap)
        return CT_EFORMAT;
    *unix_us = days_from_civil(y, m, d) * 86400 * INT64_C(1000000);
    return 0;
}
