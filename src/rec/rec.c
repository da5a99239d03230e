/* rec.c - writes and parses raw recordings (see rec.h and docs/recording.md). */
#include "calftrack/rec.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calftrack/err.h"

/* ---- CRC-32, nibble-table form: small, no mutable state ------------------ */

uint32_t rec_crc32(uint32_t crc, const uint8_t *buf, size_t n)
{
    static const uint32_t t[16] = {
        0x00000000, 0x1DB71064, 0x3B6E20C8, 0x26D930AC, 0x76DC4190, 0x6B6B51F4,
        0x4DB26158, 0x5005713C, 0xEDB88320, 0xF00F9344, 0xD6D6A3E8, 0xCB61B38C,
        0x9B64C2B0, 0x86D3D2D4, 0xA00AE278, 0xBDBDF21C,
    };
    crc = ~crc;
    for (size_t i = 0; i < n; i++) {
        crc ^= buf[i];
        crc = (crc >> 4) ^ t[crc & 15];
        crc = (crc >> 4) ^ t[crc & 15];
    }
    return ~crc;
}

static void put64(uint8_t *p, uint64_t v)
{
    wire_put32(p, (uint32_t)v);
    wire_put32(p + 4, (uint32_t)(v >> 32));
}

static uint64_t get64(const uint8_t *p)
{
    return (uint64_t)wire_get32(p) | ((uint64_t)wire_get32(p + 4) << 32);
}

/* ---- header ---------------------------------------------------------------- */

void rec_header_encode(const rec_header *h, uint8_t out[REC_HEADER_SIZE])
{
    memset(out, 0, REC_HEADER_SIZE);
    memcpy(out, REC_MAGIC, 8);
    wire_put16(out + 8, REC_FORMAT_VERSION);
    wire_put16(out + 10, REC_HEADER_SIZE);
    wire_encode_info(&h->info, out + 16);
    out[48] = h->placement;
    out[49] = h->side;
    out[50] = h->source;
    wire_put16(out + 52, h->site_mm);
    put64(out + 56, (uint64_t)h->start_unix_us);
    memcpy(out + 64, h->serial, strnlen(h->serial, 16));
    memcpy(out + 80, h->label, strnlen(h->label, 48));
    wire_put32(out + 12, rec_crc32(0, out, REC_HEADER_SIZE));
}

int rec_header_decode(const uint8_t in[REC_HEADER_SIZE], rec_header *h)
{
    uint8_t tmp[REC_HEADER_SIZE];
    if (memcmp(in, REC_MAGIC, 8) != 0)
        return CT_EFORMAT;
    uint16_t version = wire_get16(in + 8);
    if (version == 0 || version > REC_FORMAT_VERSION)
        return CT_EVERSION;
    if (wire_get16(in + 10) != REC_HEADER_SIZE)
        return CT_EFORMAT;
    memcpy(tmp, in, REC_HEADER_SIZE);
    memset(tmp + 12, 0, 4);
    if (rec_crc32(0, tmp, REC_HEADER_SIZE) != wire_get32(in + 12))
        return CT_ECRC;
    memset(h, 0, sizeof *h);
    h->version = version;
    if (!wire_decode_info(in + 16, WIRE_INFO_SIZE, &h->info))
        return CT_EFORMAT;
    h->placement = in[48];
    h->side = in[49];
    h->source = in[50];
    h->site_mm = wire_get16(in + 52);
    h->start_unix_us = (int64_t)get64(in + 56);
    memcpy(h->serial, in + 64, 16);
    h->serial[16] = '\0';
    memcpy(h->label, in + 80, 48);
    h->label[48] = '\0';
    return CT_OK;
}

/* ---- writer ---------------------------------------------------------------- */

static int write_all(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return ct_from_errno(errno);
        }
        p += k;
        n -= (size_t)k;
    }
    return CT_OK;
}

static void writer_reset(rec_writer *w, int fd)
{
    memset(w, 0, sizeof *w);
    w->fd = fd;
    w->first_us = -1;
}

int rec_writer_open(rec_writer *w, const char *path, const rec_header *h)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    writer_reset(w, -1);
    if (fd < 0)
        return ct_from_errno(errno);
    uint8_t hdr[REC_HEADER_SIZE];
    rec_header_encode(h, hdr);
    int rc = write_all(fd, hdr, sizeof hdr);
    if (rc == CT_OK && fdatasync(fd) != 0)
        rc = ct_from_errno(errno);
    if (rc != CT_OK) {
        close(fd);
        unlink(path); /* a header-less file helps nobody */
        return rc;
    }
    writer_reset(w, fd);
    w->bytes_written = REC_HEADER_SIZE;
    return CT_OK;
}

static int last_seq_cb(uint8_t type, uint32_t seq, const uint8_t *payload, size_t len, void *user)
{
    (void)type, (void)payload, (void)len;
    uint32_t *next = user;
    *next = seq + 1;
    return 0;
}

int rec_writer_append(rec_writer *w, const char *path)
{
    uint32_t next = 0;
    writer_reset(w, -1);
    rec_parser *p = malloc(sizeof *p);
    if (!p)
        return CT_ENOMEM;
    rec_parser_init(p, NULL, last_seq_cb, &next);
    int rc = rec_read_file(path, p);
    free(p);
    if (rc < 0)
        return rc;
    int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd < 0)
        return ct_from_errno(errno);
    writer_reset(w, fd);
    w->block_seq = next;
    return CT_OK;
}

static int emit_block(rec_writer *w, uint8_t type, uint16_t len)
{
    uint8_t *b = w->block;
    if (w->failed)
        return w->failed;
    wire_put32(b, REC_BLOCK_SYNC);
    b[4] = type;
    b[5] = 0;
    wire_put16(b + 6, len);
    wire_put32(b + 8, w->block_seq);
    uint32_t crc = rec_crc32(0, b, 12);
    crc = rec_crc32(crc, b + REC_BLOCK_HEADER, len);
    wire_put32(b + 12, crc);
    int rc = write_all(w->fd, b, REC_BLOCK_HEADER + (size_t)len);
    if (rc != CT_OK) {
        w->failed = rc;
        return rc;
    }
    w->block_seq++;
    w->bytes_written += REC_BLOCK_HEADER + (size_t)len;
    return CT_OK;
}

static int flush_packets(rec_writer *w)
{
    if (w->fill == 0)
        return CT_OK;
    int rc = emit_block(w, REC_BLOCK_PACKETS, w->fill);
    w->fill = 0;
    w->first_us = -1;
    return rc;
}

static int sync_if_due(rec_writer *w, int64_t now_us)
{
    if (now_us - w->last_sync_us < REC_FLUSH_US)
        return CT_OK;
    w->last_sync_us = now_us;
    if (fdatasync(w->fd) != 0 && errno != EINVAL && errno != EROFS)
        return w->failed = ct_from_errno(errno);
    return CT_OK;
}

int rec_writer_packet(rec_writer *w, const uint8_t *pkt, size_t len, int64_t now_us)
{
    if (w->fd < 0)
        return CT_EARG;
    if (len > 255)
        return CT_EARG;
    if ((size_t)w->fill + 1 + len > REC_BLOCK_MAX_PAYLOAD) {
        int rc = flush_packets(w);
        if (rc != CT_OK)
            return rc;
    }
    uint8_t *p = w->block + REC_BLOCK_HEADER + w->fill;
    p[0] = (uint8_t)len;
    memcpy(p + 1, pkt, len);
    w->fill = (uint16_t)(w->fill + 1 + len);
    if (w->first_us < 0)
        w->first_us = now_us;
    return rec_writer_tick(w, now_us);
}

int rec_writer_tick(rec_writer *w, int64_t now_us)
{
    if (w->fd < 0)
        return CT_EARG;
    if (w->first_us >= 0 && now_us - w->first_us >= REC_FLUSH_US) {
        int rc = flush_packets(w);
        if (rc != CT_OK)
            return rc;
        return sync_if_due(w, now_us);
    }
    return w->failed;
}

int rec_writer_gap(rec_writer *w, int64_t lost_us, int64_t back_us, uint8_t reason)
{
    if (w->fd < 0)
        return CT_EARG;
    int rc = flush_packets(w);
    if (rc != CT_OK)
        return rc;
    uint8_t *p = w->block + REC_BLOCK_HEADER;
    put64(p, (uint64_t)lost_us);
    put64(p + 8, (uint64_t)back_us);
    p[16] = reason;
    return emit_block(w, REC_BLOCK_GAP, 17);
}

int rec_writer_note(rec_writer *w, const char *text, int64_t now_us)
{
    if (w->fd < 0)
        return CT_EARG;
    size_t n = strlen(text);
    if (n > REC_BLOCK_MAX_PAYLOAD)
        n = REC_BLOCK_MAX_PAYLOAD;
    int rc = flush_packets(w);
    if (rc != CT_OK)
        return rc;
    memcpy(w->block + REC_BLOCK_HEADER, text, n);
    rc = emit_block(w, REC_BLOCK_NOTE, (uint16_t)n);
    return rc != CT_OK ? rc : sync_if_due(w, now_us);
}

int rec_writer_flush(rec_writer *w)
{
    if (w->fd < 0)
        return CT_EARG;
    int rc = flush_packets(w);
    if (rc != CT_OK)
        return rc;
    if (fdatasync(w->fd) != 0 && errno != EINVAL && errno != EROFS)
        return w->failed = ct_from_errno(errno);
    return CT_OK;
}

int rec_writer_close(rec_writer *w)
{
    if (w->fd < 0)
        return CT_OK;
    int rc = rec_writer_flush(w);
    if (close(w->fd) != 0 && rc == CT_OK)
        rc = ct_from_errno(errno);
    w->fd = -1;
    return rc;
}

/* ---- parser ------------------------------------------------------------------ */

void rec_parser_init(rec_parser *p, rec_header_fn on_header, rec_block_fn on_block, void *user)
{
    memset(p, 0, sizeof *p);
    p->on_header = on_header;
    p->on_block = on_block;
    p->user = user;
}

/* Finds the next sync word at or after pos; returns fill when none is complete. */
static size_t find_sync(const rec_parser *p, size_t pos)
{
    for (; pos + 4 <= p->fill; pos++)
        if (wire_get32(p->buf + pos) == REC_BLOCK_SYNC)
            return pos;
    return p->fill;
}

/* Parses what is buffered. at_end: no more bytes will come. */
static void parse_blocks(rec_parser *p, int at_end)
{
    size_t pos = 0;
    while (!p->stopped) {
        size_t s = find_sync(p, pos);
        if (s == p->fill) {
            /* keep up to 3 bytes that may start a sync word */
            size_t keep = at_end ? 0 : (p->fill - pos < 3 ? p->fill - pos : 3);
            p->damage.skipped_bytes += p->fill - pos - keep;
            pos = p->fill - keep;
            break;
        }
        p->damage.skipped_bytes += s - pos;
        pos = s;
        const uint8_t *b = p->buf + s;
        size_t avail = p->fill - s;
        if (avail < REC_BLOCK_HEADER) {
            if (at_end) {
                p->damage.truncated_bytes += avail;
                pos = p->fill;
            }
            break;
        }
        uint16_t len = wire_get16(b + 6);
        if (len > REC_BLOCK_MAX_PAYLOAD || b[5] != 0 || b[4] < REC_BLOCK_PACKETS ||
            b[4] > REC_BLOCK_NOTE) {
            p->damage.bad_blocks++;
            p->damage.skipped_bytes++;
            pos = s + 1;
            continue;
        }
        if (avail < REC_BLOCK_HEADER + (size_t)len) {
            if (!at_end)
                break;
            /* The block cannot complete. Either the file was cut inside it, or its
             * length is damaged and good blocks follow: look for a later sync first. */
            size_t next = find_sync(p, s + 1);
            if (next == p->fill) {
                p->damage.truncated_bytes += avail;
                pos = p->fill;
                break;
            }
            p->damage.bad_blocks++;
            p->damage.skipped_bytes += next - s;
            pos = next;
            continue;
        }
        uint32_t crc = rec_crc32(0, b, 12);
        crc = rec_crc32(crc, b + REC_BLOCK_HEADER, len);
        if (crc != wire_get32(b + 12)) {
            p->damage.bad_blocks++;
            p->damage.skipped_bytes++;
            pos = s + 1;
            continue;
        }
        uint32_t seq = wire_get32(b + 8);
        if (p->have_seq && seq != p->next_seq) {
            uint32_t d = seq - p->next_seq;
            if (d < 0x80000000u)
                p->damage.block_seq_gaps += d;
        }
        p->have_seq = 1;
        p->next_seq = seq + 1;
        p->damage.blocks++;
        pos = s + REC_BLOCK_HEADER + len;
        if (p->on_block && p->on_block(b[4], seq, b + REC_BLOCK_HEADER, len, p->user))
            p->stopped = 1;
    }
    memmove(p->buf, p->buf + pos, p->fill - pos);
    p->fill -= pos;
}

int rec_parser_feed(rec_parser *p, const uint8_t *buf, size_t len)
{
    while (len > 0 && !p->stopped) {
        if (p->state == 2)
            return CT_EFORMAT;
        size_t want = p->state == 0 ? REC_HEADER_SIZE - p->fill : sizeof p->buf - p->fill;
        size_t n = len < want ? len : want;
        memcpy(p->buf + p->fill, buf, n);
        p->fill += n;
        buf += n;
        len -= n;
        if (p->state == 0) {
            if (p->fill < REC_HEADER_SIZE)
                continue;
            rec_header h;
            int rc = rec_header_decode(p->buf, &h);
            if (rc != CT_OK) {
                p->state = 2;
                return rc;
            }
            p->state = 1;
            p->fill = 0;
            if (p->on_header && p->on_header(&h, p->user))
                p->stopped = 1;
            continue;
        }
        parse_blocks(p, 0);
    }
    return p->stopped ? 1 : CT_OK;
}

int rec_parser_finish(rec_parser *p)
{
    if (p->state == 0)
        return CT_ETRUNC;
    if (p->state == 2)
        return CT_EFORMAT;
    if (!p->stopped)
        parse_blocks(p, 1);
    p->fill = 0;
    return CT_OK;
}

int rec_read_file(const char *path, rec_parser *p)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return ct_from_errno(errno);
    uint8_t buf[16384];
    int rc = CT_OK;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            rc = ct_from_errno(errno);
            break;
        }
        if (n == 0) {
            rc = rec_parser_finish(p);
            break;
        }
        rc = rec_parser_feed(p, buf, (size_t)n);
        if (rc != CT_OK)
            break;
    }
    close(fd);
    return rc < 0 ? rc : CT_OK;
}

int rec_each_packet(const uint8_t *payload, size_t len, rec_packet_fn fn, void *user)
{
    size_t pos = 0;
    while (pos < len) {
        size_t n = payload[pos];
        if (pos + 1 + n > len)
            return CT_EFORMAT;
        if (fn(payload + pos + 1, n, user))
            return 1;
        pos += 1 + n;
    }
    return CT_OK;
}
