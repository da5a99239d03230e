/* events.c - events.csv: one row per analysed event, appended and synced as it happens,
 * so that a crash loses at most the row being written; read back with every field
 * checked and a torn last row skipped. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "calftrack/csvio.h"
#include "calftrack/err.h"
#include "calftrack/store.h"
#include "num.h"

enum { F_ITEM, F_EXERCISE, F_SIDE, F_KIND, F_PLACEMENT, F_SITE, F_GRADE, F_SET, F_NUMBER,
       F_T_START, F_T_PEAK, F_T_END, F_PEAK, F_HEIGHT, F_HOLD, F_UP, F_TOP, F_DOWN, F_TARGET,
       F_LOST, NF };

static const char *const names[NF] = {
    "item", "exercise", "side", "kind", "placement", "site_mm_below_knee", "grade", "set",
    "number", "t_start_us", "t_peak_us", "t_end_us", "peak_deg", "height_cm", "hold_s",
    "up_s", "top_s", "down_s", "target", "lost_samples",
};

static int open_fd(const char *path, int flags, store_events *w)
{
    int fd = open(path, flags | O_WRONLY | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0)
        return ct_from_errno(errno);
    FILE *f = fdopen(fd, "a");
    if (!f) {
        int rc = ct_from_errno(errno);
        close(fd);
        return rc;
    }
    w->f = f;
    w->fd = fd;
    /* The session that writes holds the lock: `recover` leaves a live session alone. */
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        fclose(f);
        w->f = NULL;
        return CT_EBUSY;
    }
    if (lseek(fd, 0, SEEK_END) == 0) {
        if (csvio_row_write(f, names, NF) || fflush(f) || fdatasync(fd)) {
            fclose(f);
            w->f = NULL;
            return CT_EIO;
        }
    }
    return 0;
}

int store_events_open(const store *st, const char *id, store_events *w)
{
    char path[STORE_PATH_MAX];
    int rc = store_path(st, id, "events.csv", path, sizeof path);
    return rc ? rc : open_fd(path, O_CREAT, w);
}

int store_events_busy(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 0 : ct_from_errno(errno);
    int rc = flock(fd, LOCK_EX | LOCK_NB) != 0 ? CT_EBUSY : 0;
    close(fd);
    return rc;
}

int store_events_create_path(const char *path, store_events *w)
{
    return open_fd(path, O_CREAT | O_EXCL, w);
}

int store_events_append(store_events *w, const store_event *e)
{
    const ct_event *v = &e->ev;
    FILE *f = w->f;
    if (!f)
        return CT_EARG;
    int rc = 0;
    rc |= csvio_fieldf(f, 1, "%d", e->item);
    rc |= csvio_field(f, ct_exercise_name(v->exercise), 0);
    rc |= csvio_field(f, ct_side_name(v->side), 0);
    rc |= csvio_field(f, ct_event_kind_name(v->kind), 0);
    rc |= csvio_field(f, ct_placement_name(v->placement), 0);
    rc |= csvio_fieldf(f, 0, "%d", e->site_mm);
    rc |= csvio_field(f, ct_grade_name(v->grade), 0);
    rc |= csvio_fieldf(f, 0, "%d", v->set);
    rc |= csvio_fieldf(f, 0, "%d", v->number);
    rc |= csvio_fieldf(f, 0, "%" PRId64, v->t_start_us);
    rc |= csvio_fieldf(f, 0, "%" PRId64, v->t_peak_us);
    rc |= csvio_fieldf(f, 0, "%" PRId64, v->t_end_us);
    const float fl[] = {v->peak_deg, v->height_cm, v->hold_s, v->up_s, v->top_s, v->down_s,
                        v->target};
    for (size_t i = 0; i < sizeof fl / sizeof fl[0]; i++)
        rc |= csvio_fieldf(f, 0, "%.9g", (double)fl[i]);
    rc |= csvio_fieldf(f, 0, "%" PRIu64, v->lost_samples);
    rc |= csvio_end_row(f);
    if (rc || fflush(f) != 0)
        return errno ? ct_from_errno(errno) : CT_EIO;
    if (fdatasync(w->fd) != 0 && errno != EINVAL)
        return ct_from_errno(errno);
    return 0;
}

void store_events_close(store_events *w)
{
    if (w->f)
        fclose(w->f);
    w->f = NULL;
}

typedef struct {
    store_event *out;
    int cap, n, skipped, header;
} read_state;

static int parse_row(const csvio_row *row, store_event *e)
{
    int64_t v;
    int k;
    memset(e, 0, sizeof *e);
    if (row->n != NF)
        return -1;
    const char *const *f = row->field;
    if (store_parse_i64(f[F_ITEM], 0, 1000, &v))
        return -1;
    e->item = (int)v;
    if ((k = ct_exercise_parse(f[F_EXERCISE])) < 0)
        return -1;
    e->ev.exercise = (ct_exercise)k;
    if ((k = ct_side_parse(f[F_SIDE])) < 0)
        return -1;
    e->ev.side = (ct_side)k;
    k = -1;
    for (int i = EV_REP; i <= EV_GAP; i++)
        if (!strcmp(f[F_KIND], ct_event_kind_name((ct_event_kind)i)))
            k = i;
    if (k < 0)
        return -1;
    e->ev.kind = (ct_event_kind)k;
    if ((k = ct_placement_parse(f[F_PLACEMENT])) < 0)
        return -1;
    e->ev.placement = (ct_placement)k;
    if (store_parse_i64(f[F_SITE], 0, 600, &v))
        return -1;
    e->site_mm = (int)v;
    k = -1;
    for (int g = GRADE_FULL; g <= GRADE_TOO_FAST; g++)
        if (!strcmp(f[F_GRADE], ct_grade_name((ct_grade)g)))
            k = g;
    if (k < 0)
        return -1;
    e->ev.grade = (ct_grade)k;
    if (store_parse_i64(f[F_SET], 0, 1000, &v))
        return -1;
    e->ev.set = (int)v;
    if (store_parse_i64(f[F_NUMBER], 0, 100000, &v))
        return -1;
    e->ev.number = (int)v;
    if (store_parse_i64(f[F_T_START], INT64_MIN / 4, INT64_MAX / 4, &e->ev.t_start_us) ||
        store_parse_i64(f[F_T_PEAK], INT64_MIN / 4, INT64_MAX / 4, &e->ev.t_peak_us) ||
        store_parse_i64(f[F_T_END], INT64_MIN / 4, INT64_MAX / 4, &e->ev.t_end_us))
        return -1;
    float *fl[] = {&e->ev.peak_deg, &e->ev.height_cm, &e->ev.hold_s, &e->ev.up_s,
                   &e->ev.top_s, &e->ev.down_s, &e->ev.target};
    for (int i = 0; i < 7; i++)
        if (store_parse_f(f[F_PEAK + i], -1e6, 1e6, fl[i]))
            return -1;
    char *end;
    errno = 0;
    unsigned long long lost = strtoull(f[F_LOST], &end, 10);
    if (!f[F_LOST][0] || *end || errno || f[F_LOST][0] == '-')
        return -1;
    e->ev.lost_samples = lost;
    return 0;
}

static int on_row(const csvio_row *row, void *user)
{
    read_state *st = user;
    if (!st->header) {
        st->header = 1;
        if (row->n == NF && !strcmp(row->field[0], names[0]))
            return 0;
    }
    store_event e;
    if (parse_row(row, &e)) {
        st->skipped++;
        return 0;
    }
    if (st->n < st->cap)
        st->out[st->n] = e;
    st->n++;
    return 0;
}

int store_events_read_path(const char *path, store_event *out, int cap, int *skipped)
{
    read_state st = {.out = out, .cap = cap};
    long bad;
    int rc = csvio_read_file(path, on_row, &st, &bad);
    /* A torn last row may leave an unclosed quote: the rows before it still count. */
    if (rc == CT_EFORMAT) {
        st.skipped++;
        rc = 0;
    }
    if (skipped)
        *skipped = st.skipped;
    return rc ? rc : st.n;
}

int store_events_read(const store *st, const char *id, store_event *out, int cap, int *skipped)
{
    char path[STORE_PATH_MAX];
    int rc = store_path(st, id, "events.csv", path, sizeof path);
    return rc ? rc : store_events_read_path(path, out, cap, skipped);
}
