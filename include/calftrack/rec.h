/*
 * rec.h - the raw recording format: a versioned header, then checksummed blocks
 * appended while the stream arrives. The blocks hold the pod's wire packets verbatim,
 * so a replay runs exactly the live pipeline. Layout: docs/recording.md.
 *
 * Writing: rec_writer_open() .. rec_writer_packet() .. rec_writer_close(); a block goes
 * to disk (write + fdatasync) when it fills or at least every REC_FLUSH_US of stream.
 * Reading: push bytes of any size into rec_parser_feed(); blocks come out through a
 * callback; damaged bytes are counted, skipped, and parsing resynchronises on the next
 * good block.
 */
#ifndef CALFTRACK_REC_H
#define CALFTRACK_REC_H

#include <stddef.h>
#include <stdint.h>

#include "calftrack/wire.h"

#define REC_MAGIC "CALFREC\x1a"
#define REC_FORMAT_VERSION 1u
#define REC_HEADER_SIZE 128u
#define REC_BLOCK_SYNC 0x4B4C4243u /* "CBLK" */
#define REC_BLOCK_HEADER 16u /* u32 sync, u8 type, u8 0, u16 length, u32 seq, u32 crc32 */
#define REC_BLOCK_MAX_PAYLOAD 4096u
#define REC_FLUSH_US 500000 /* a block reaches the disk at least twice a second */

typedef enum {
    REC_BLOCK_PACKETS = 1, /* payload: { u8 len, len bytes of one wire packet } ... */
    REC_BLOCK_GAP = 2,     /* payload: u64 host us lost, u64 host us back, u8 reason */
    REC_BLOCK_NOTE = 3,    /* payload: UTF-8 text, e.g. "set 2 start" */
} rec_block_type;

typedef enum {
    REC_SOURCE_POD = 0,
    REC_SOURCE_VIRTUAL = 1,
    REC_SOURCE_IMPORT = 2,
    REC_SOURCE_SIMULATOR = 3,
} rec_source;

/* What the header records about the device and the wearer. */
typedef struct {
    uint16_t version;        /* REC_FORMAT_VERSION */
    wire_info info;          /* the pod's GET_INFO at the start */
    uint8_t placement;       /* ct_placement */
    uint8_t side;            /* ct_side */
    uint8_t source;          /* rec_source */
    uint16_t site_mm;        /* shin: sensor distance below the knee joint line, mm; 0 = unknown */
    int64_t start_unix_us;   /* wall-clock start, microseconds since 1970 (informative only) */
    char serial[17];         /* NUL-terminated */
    char label[49];          /* NUL-terminated free text: session id, import origin */
} rec_header;

/* ---- writer ------------------------------------------------------------- */

typedef struct {
    int fd;
    uint32_t block_seq;
    uint16_t fill;              /* bytes in payload */
    int64_t first_us;           /* stream time of the first packet in the open block */
    int64_t last_sync_us;       /* host time of the last fdatasync */
    int failed;                 /* a write failed: the file ends at the last good block */
    uint64_t bytes_written;
    uint8_t block[REC_BLOCK_HEADER + REC_BLOCK_MAX_PAYLOAD];
} rec_writer;

/* Creates path (mode 0600, must not exist) and writes the header. 0 or ct_err. */
int rec_writer_open(rec_writer *w, const char *path, const rec_header *h);
/* Opens an existing recording to append blocks after its last complete byte. */
int rec_writer_append(rec_writer *w, const char *path);
/* Adds one wire packet as received (any bytes, up to 255). now_us is a monotonic clock
 * used only to decide when to flush. 0 or ct_err (CT_ENOSPC, CT_EIO...). */
int rec_writer_packet(rec_writer *w, const uint8_t *pkt, size_t len, int64_t now_us);
/* Records a gap (pod unplugged from lost_us to back_us, host monotonic time). */
int rec_writer_gap(rec_writer *w, int64_t lost_us, int64_t back_us, uint8_t reason);
/* Records a text note. */
int rec_writer_note(rec_writer *w, const char *text, int64_t now_us);
/* Writes out the open block when it is older than REC_FLUSH_US (call it when idle). */
int rec_writer_tick(rec_writer *w, int64_t now_us);
/* Writes out the open block and syncs it to disk. */
int rec_writer_flush(rec_writer *w);
/* Flushes and closes. 0 or ct_err. Safe to call twice. */
int rec_writer_close(rec_writer *w);

/* ---- parser --------------------------------------------------------------- */

typedef struct {
    uint64_t blocks;          /* good blocks delivered */
    uint64_t bad_blocks;      /* blocks whose checksum or length was wrong */
    uint64_t skipped_bytes;   /* bytes thrown away while resynchronising */
    uint64_t truncated_bytes; /* bytes of an unfinished block at the end */
    uint64_t block_seq_gaps;  /* missing block sequence numbers (whole blocks lost) */
} rec_damage;

/* Called once for the header, then once per good block. Return non-zero to stop. */
typedef int (*rec_header_fn)(const rec_header *h, void *user);
typedef int (*rec_block_fn)(uint8_t type, uint32_t seq, const uint8_t *payload, size_t len,
                            void *user);

typedef struct {
    rec_header_fn on_header;
    rec_block_fn on_block;
    void *user;
    int state;      /* 0 header, 1 blocks, 2 failed */
    int stopped;
    uint32_t next_seq;
    int have_seq;
    size_t fill;
    rec_damage damage;
    uint8_t buf[REC_BLOCK_HEADER + REC_BLOCK_MAX_PAYLOAD];
} rec_parser;

void rec_parser_init(rec_parser *p, rec_header_fn on_header, rec_block_fn on_block, void *user);
/* Feeds len bytes. Returns 0, 1 when a callback asked to stop, or a ct_err when the
 * header is not a recording's (CT_EFORMAT) or from a newer format (CT_EVERSION). */
int rec_parser_feed(rec_parser *p, const uint8_t *buf, size_t len);
/* End of input: counts an unfinished block as truncated. Returns 0 or CT_ETRUNC when
 * the header itself was incomplete. */
int rec_parser_finish(rec_parser *p);

/* Reads a whole file through a parser. 0 or ct_err (CT_ENOENT, CT_EIO, CT_EFORMAT...). */
int rec_read_file(const char *path, rec_parser *p);

/* Iterates over the wire packets of a REC_BLOCK_PACKETS payload. Returns 0, or
 * CT_EFORMAT when a length byte runs past the payload (the rest is skipped). */
typedef int (*rec_packet_fn)(const uint8_t *pkt, size_t len, void *user);
int rec_each_packet(const uint8_t *payload, size_t len, rec_packet_fn fn, void *user);

/* Header encode/decode (REC_HEADER_SIZE bytes). decode returns 0 or ct_err. */
void rec_header_encode(const rec_header *h, uint8_t out[REC_HEADER_SIZE]);
int rec_header_decode(const uint8_t in[REC_HEADER_SIZE], rec_header *h);

/* CRC-32 (IEEE 802.3, as zlib): crc = rec_crc32(0, buf, n). */
uint32_t rec_crc32(uint32_t crc, const uint8_t *buf, size_t n);

#endif
