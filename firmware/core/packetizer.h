/*
 * packetizer.h - turns a stream of raw IMU samples with device timestamps into wire
 * stream packets (include/calftrack/wire.h) of up to WIRE_MAX_SAMPLES samples.
 *
 * It owns the continuity counters: the packet sequence number (+1 per packet, 16-bit,
 * wraps) and the running sample index (+1 per sample, 32-bit, wraps). Timestamps are
 * the caller's (32-bit microseconds, wrapping). A packet is closed early when a sample's
 * timestamp is not where the nominal period puts it, so every sample's time can be
 * recovered as t_us + k * period_qus / 4 within half a period.
 */
#ifndef POD_PACKETIZER_H
#define POD_PACKETIZER_H

#include <stdbool.h>
#include <stdint.h>

#include "calftrack/wire.h"
#include "ring.h"

typedef struct {
    ring *out;             /* finished packets go here */
    uint16_t seq;          /* sequence number of the next packet */
    uint32_t next_index;   /* running index of the next sample */
    uint16_t period_qus;   /* nominal sample period, quarter microseconds */
    uint8_t pending_flags; /* WIRE_FLAG_* to put on the next packet */
    uint32_t dropped_packets; /* packets lost because the ring was full */
    wire_packet cur;       /* the packet being filled; cur.count samples so far */
} pktz;

/* out must outlive the packetizer. period_ns is the nominal sample period. */
void pktz_init(pktz *z, ring *out, uint32_t period_ns);
/* Starts a new stream: resets seq to 0 and marks the next packet WIRE_FLAG_START.
 * The running sample index carries on. Any open packet is dropped. */
void pktz_start(pktz *z, uint32_t period_ns);
/* Adds one sample taken at device time t_us. Closes and queues a packet when full. */
void pktz_push(pktz *z, const wire_sample *s, uint32_t t_us);
/* Records that n samples were lost on the device (FIFO overrun): the open packet is
 * closed, the sample index skips n, and the next packet carries WIRE_FLAG_OVERRUN. */
void pktz_gap(pktz *z, uint32_t n);
/* Queues the open packet, if any (used at STOP so no sample is held back). */
void pktz_flush(pktz *z);

#endif
