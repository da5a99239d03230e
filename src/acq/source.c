/*
 * source.c - live pod and recording replay behind one pull interface (see source.h).
 * Both feed wire packets into the same rx path; the live one records every packet
 * before decoding it, and marks an unplug with a gap block, so a replay repeats the
 * live run sample for sample.
 */
#include "calftrack/source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "calftrack/err.h"
#include "usb.h"

#define RETRY_MS 250          /* how often a vanished pod is looked for */
#define SILENT_US 2000000     /* no data for this long while connected: show WAITING */
#define GAP_REASON_UNPLUG 1

struct ct_source {
    int live;
    ct_source_state state;
    rx_state rx;
    wire_info info;
    rec_header hdr;
    rec_damage damage;
    int err;                  /* sticky: returned once the queue is empty */

    /* decoded samples not yet read */
    ct_sample *q;
    size_t qcap, qhead, qlen;

    /* replay */
    int fd;
    rec_parser *parser;
    int eof;
    int have_header;

    /* live */
    usb_link *usb;
    char serial[WIRE_SERIAL_MAX + 1];
    wire_config config;
    int reconnect_wait_s;
    rec_writer *rec;
    int64_t lost_us;          /* host time the pod vanished */
    int64_t last_try_us;
    int64_t last_data_us;
    int stopped;
};

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int queue_reserve(ct_source *s, size_t more)
{
    if (s->qlen + more <= s->qcap)
        return CT_OK;
    size_t cap = s->qcap ? s->qcap : 1024;
    while (cap < s->qlen + more)
        cap *= 2;
    ct_sample *q = malloc(cap * sizeof *q);
    if (!q)
        return CT_ENOMEM;
    for (size_t i = 0; i < s->qlen; i++)
        q[i] = s->q[(s->qhead + i) % s->qcap];
    free(s->q);
    s->q = q;
    s->qcap = cap;
    s->qhead = 0;
    return CT_OK;
}

/* One wire packet, live or replayed: through rx into the queue. */
static void take_packet(ct_source *s, const uint8_t *pkt, size_t len)
{
    ct_sample out[WIRE_MAX_SAMPLES];
    int n = rx_feed(&s->rx, pkt, len, out);
    if (n <= 0)
        return;
    if (queue_reserve(s, (size_t)n) != CT_OK) {
        s->err = CT_ENOMEM;
        return;
    }
    for (int i = 0; i < n; i++)
        s->q[(s->qhead + s->qlen++) % s->qcap] = out[i];
}

static int pop(ct_source *s, ct_sample *out, int max)
{
    int n = 0;
    while (n < max && s->qlen > 0) {
        out[n++] = s->q[s->qhead];
        s->qhead = (s->qhead + 1) % s->qcap;
        s->qlen--;
    }
    return n;
}

static ct_source *source_new(void)
{
    ct_source *s = calloc(1, sizeof *s);
    if (s)
        s->fd = -1;
    return s;
}

/* ---- live ------------------------------------------------------------------------- */

static void on_usb_packet(void *user, const uint8_t *pkt, size_t len)
{
    ct_source *s = user;
    int64_t now = mono_us();
    s->last_data_us = now;
    if (s->rec && s->err == CT_OK) {
        int r = rec_writer_packet(s->rec, pkt, len, now);
        if (r != CT_OK)
            s->err = r; /* the disk failed: say so rather than go on unrecorded */
    }
    take_packet(s, pkt, len);
}

int ct_source_open_pod(ct_source **out, const ct_pod_options *opt)
{
    *out = NULL;
    ct_source *s = source_new();
    if (!s)
        return CT_ENOMEM;
    s->live = 1;
    s->config = opt->config;
    s->reconnect_wait_s = opt->reconnect_wait_s;
    int r = usb_link_new(&s->usb, on_usb_packet, s);
    if (r == CT_OK)
        r = usb_link_connect(s->usb, opt->serial, &opt->config, &s->info, s->serial);
    if (r != CT_OK) {
        ct_source_close(s);
        return r;
    }
    rx_init(&s->rx, &s->info);
    s->hdr = opt->meta;
    s->hdr.version = REC_FORMAT_VERSION;
    s->hdr.info = s->info;
    s->hdr.source = s->info.board == WIRE_BOARD_VIRTUAL ? REC_SOURCE_VIRTUAL : REC_SOURCE_POD;
    memcpy(s->hdr.serial, s->serial, sizeof s->serial);
    struct timeval tv;
    gettimeofday(&tv, NULL);
    s->hdr.start_unix_us = (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
    if (opt->record_path) {
        s->rec = malloc(sizeof *s->rec);
        r = s->rec ? rec_writer_open(s->rec, opt->record_path, &s->hdr) : CT_ENOMEM;
        if (r != CT_OK) {
            free(s->rec);
            s->rec = NULL;
            ct_source_close(s);
            return r;
        }
    }
    s->state = SRC_STREAMING;
    s->last_data_us = mono_us();
    *out = s;
    return CT_OK;
}

/* The pod vanished: keep what arrived, close, and start looking for it. */
static void lost(ct_source *s, int64_t now)
{
    usb_link_close(s->usb); /* the last transfers' data reaches the queue and the file */
    s->lost_us = now;
    s->last_try_us = now;
    s->state = SRC_WAITING;
    if (s->rec)
        rec_writer_flush(s->rec);
}

static void try_reconnect(ct_source *s, int64_t now)
{
    s->last_try_us = now;
    wire_info info;
    char serial[WIRE_SERIAL_MAX + 1];
    int r = usb_link_connect(s->usb, s->serial, &s->config, &info, serial);
    if (r != CT_OK)
        return; /* not back yet (or not usable yet): keep waiting */
    int64_t back = mono_us();
    /* The gap goes into the file before any packet of the new connection, and into rx
     * the same way, so a replay takes the same decisions. */
    if (s->rec && s->err == CT_OK) {
        int w = rec_writer_gap(s->rec, s->lost_us, back, GAP_REASON_UNPLUG);
        if (w != CT_OK)
            s->err = w;
    }
    rx_note_disconnect(&s->rx, back - s->lost_us);
    s->info.overruns = info.overruns;
    s->state = SRC_STREAMING;
    s->last_data_us = back;
}

static int live_read(ct_source *s, ct_sample *out, int max, int timeout_ms)
{
    int64_t deadline = mono_us() + (int64_t)timeout_ms * 1000;
    for (;;) {
        int64_t now = mono_us();
        if (s->state == SRC_ENDED)
            return s->qlen ? pop(s, out, max) : 0;
        int64_t left_ms = (deadline - now) / 1000;
        int slice = left_ms < 0 ? 0 : left_ms > 50 ? 50 : (int)left_ms;
        if (usb_link_connected(s->usb)) {
            int r = usb_link_pump(s->usb, slice);
            now = mono_us();
            if (s->stopped && !usb_link_connected(s->usb))
                s->state = SRC_ENDED;
            else if (r == CT_EPIPE && !s->stopped)
                lost(s, now);
            else if (now - s->last_data_us > SILENT_US)
                s->state = SRC_WAITING;
            else
                s->state = SRC_STREAMING;
        } else if (s->stopped) {
            s->state = SRC_ENDED;
        } else {
            if (usb_link_take_arrival(s->usb) || now - s->last_try_us >= RETRY_MS * 1000)
                try_reconnect(s, now);
            if (!usb_link_connected(s->usb)) {
                if (s->reconnect_wait_s > 0 &&
                    now - s->lost_us > (int64_t)s->reconnect_wait_s * 1000000) {
                    s->state = SRC_ENDED;
                    if (!s->err)
                        s->err = CT_EPIPE;
                } else if (slice > 0) {
                    struct timespec ts = {0, (long)(slice < 20 ? slice : 20) * 1000000L};
                    nanosleep(&ts, NULL);
                }
            }
        }
        s->rx.stats.stalls = usb_link_stalls(s->usb);
        if (s->rec && s->err == CT_OK) {
            int w = rec_writer_tick(s->rec, mono_us());
            if (w != CT_OK)
                s->err = w;
        }
        if (s->qlen > 0)
            return pop(s, out, max);
        if (s->err)
            return s->err;
        if (mono_us() >= deadline)
            return 0;
    }
}

int ct_source_stop(ct_source *s)
{
    if (!s || !s->live || s->stopped)
        return CT_OK;
    s->stopped = 1;
    int r = CT_OK;
    if (usb_link_connected(s->usb)) {
        r = usb_link_stop(s->usb, 300);
        usb_link_close(s->usb); /* drained transfers' data is already queued */
    }
    if (s->rec && s->err == CT_OK) {
        int w = rec_writer_flush(s->rec);
        if (w != CT_OK)
            s->err = w;
    }
    return r == CT_EPIPE ? CT_OK : r;
}

/* ---- replay ------------------------------------------------------------------------- */

static int on_header(const rec_header *h, void *user)
{
    ct_source *s = user;
    s->hdr = *h;
    s->info = h->info;
    rx_init(&s->rx, &h->info);
    s->have_header = 1;
    return 0;
}

static int on_rec_packet(const uint8_t *pkt, size_t len, void *user)
{
    take_packet(user, pkt, len);
    return 0;
}

static int on_block(uint8_t type, uint32_t seq, const uint8_t *payload, size_t len, void *user)
{
    (void)seq;
    ct_source *s = user;
    if (type == REC_BLOCK_PACKETS) {
        rec_each_packet(payload, len, on_rec_packet, s);
    } else if (type == REC_BLOCK_GAP && len >= 16) {
        int64_t lost_us = (int64_t)((uint64_t)wire_get32(payload) |
                                    ((uint64_t)wire_get32(payload + 4) << 32));
        int64_t back_us = (int64_t)((uint64_t)wire_get32(payload + 8) |
                                    ((uint64_t)wire_get32(payload + 12) << 32));
        rx_note_disconnect(&s->rx, back_us - lost_us);
    }
    return 0;
}

/* Reads more of the file into the queue. 0, or a ct_err for an unreadable file. */
static int replay_more(ct_source *s)
{
    uint8_t buf[4096];
    ssize_t n;
    do
        n = read(s->fd, buf, sizeof buf);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return ct_from_errno(errno);
    if (n == 0) {
        int r = rec_parser_finish(s->parser);
        s->eof = 1;
        s->damage = s->parser->damage;
        return r;
    }
    int r = rec_parser_feed(s->parser, buf, (size_t)n);
    s->damage = s->parser->damage;
    return r < 0 ? r : CT_OK;
}

int ct_source_open_recording(ct_source **out, const char *path)
{
    *out = NULL;
    ct_source *s = source_new();
    if (!s)
        return CT_ENOMEM;
    s->parser = malloc(sizeof *s->parser);
    if (!s->parser) {
        ct_source_close(s);
        return CT_ENOMEM;
    }
    rec_parser_init(s->parser, on_header, on_block, s);
    s->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (s->fd < 0) {
        int r = ct_from_errno(errno);
        ct_source_close(s);
        return r;
    }
    /* The header must be good before anyone is told the file is a recording. */
    while (!s->have_header && !s->eof) {
        int r = replay_more(s);
        if (r != CT_OK) {
            ct_source_close(s);
            return r;
        }
    }
    if (!s->have_header) {
        ct_source_close(s);
        return CT_ETRUNC;
    }
    s->state = SRC_STREAMING;
    *out = s;
    return CT_OK;
}

static int replay_read(ct_source *s, ct_sample *out, int max)
{
    while (s->qlen == 0 && !s->eof && !s->err) {
        int r = replay_more(s);
        if (r != CT_OK)
            s->err = r;
    }
    if (s->qlen > 0)
        return pop(s, out, max);
    s->state = SRC_ENDED;
    return s->err;
}

/* ---- common --------------------------------------------------------------------------- */

int ct_source_read(ct_source *s, ct_sample *out, int max, int timeout_ms)
{
    if (!s || !out || max <= 0)
        return CT_EARG;
    if (s->qlen > 0)
        return pop(s, out, max);
    if (s->state == SRC_ENDED)
        return s->err == CT_EPIPE ? 0 : s->err;
    if (!s->live)
        return replay_read(s, out, max);
    int r = live_read(s, out, max, timeout_ms);
    if (r < 0)
        s->err = 0; /* reported once */
    return r;
}

ct_source_state ct_source_get_state(const ct_source *s)
{
    return s->state;
}

const wire_info *ct_source_info(const ct_source *s)
{
    return &s->info;
}

const rec_header *ct_source_header(const ct_source *s)
{
    return &s->hdr;
}

const rx_stats *ct_source_stats(const ct_source *s)
{
    return &s->rx.stats;
}

const rec_damage *ct_source_damage(const ct_source *s)
{
    return &s->damage;
}

int ct_source_note(ct_source *s, const char *text)
{
    if (!s || !s->rec)
        return CT_OK;
    return rec_writer_note(s->rec, text, mono_us());
}

void ct_source_close(ct_source *s)
{
    if (!s)
        return;
    if (s->usb) {
        ct_source_stop(s);
        usb_link_free(s->usb);
    }
    if (s->rec) {
        rec_writer_close(s->rec);
        free(s->rec);
    }
    if (s->fd >= 0)
        close(s->fd);
    free(s->parser);
    free(s->q);
    free(s);
}

int ct_pod_list(ct_pod_desc *out, int max)
{
    usb_link *l;
    int r = usb_link_new(&l, NULL, NULL);
    if (r != CT_OK)
        return r;
    r = usb_link_list(l, out, max);
    usb_link_free(l);
    return r;
}
