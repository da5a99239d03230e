/*
 * rx.h - turns received wire packets into samples on one continuous device clock and
 * accounts for every loss. The same code reads the live pod and a replayed recording.
 *
 * Sample index and device time are 32-bit on the wire; here they are unwrapped to
 * 64 bits. Lost packets (sequence gap), lost samples (index gap), device FIFO overruns,
 * corrupted packets and duplicates are counted; a duplicate sample is never emitted
 * twice; samples after a gap carry CT_SAMPLE_GAP. Analysis runs on this clock only,
 * never on host arrival time.
 */
#ifndef CALFTRACK_RX_H
#define CALFTRACK_RX_H

#include <stddef.h>
#include <stdint.h>

#include "calftrack/types.h"
#include "calftrack/wire.h"

/* A copy of an old packet is never further behind than this many samples (the pod's
 * queue and the host's transfers hold far fewer); an index further back is a pod that
 * restarted, even when its clock restarted on the same grid. */
#define RX_LATE_MAX_SAMPLES 1024

typedef struct {
    uint64_t packets;        /* accepted */
    uint64_t bad_packets;    /* refused by the decoder (checksum, length, version) */
    uint64_t lost_packets;   /* sequence numbers never seen */
    uint64_t lost_samples;   /* sample indexes never seen */
    uint64_t lost_in_gaps;   /* of those, the ones estimated from the length of a
                                disconnect or restart (not counted by index) */
    uint64_t duplicates;     /* samples received twice and dropped */
    uint64_t overruns;       /* packets flagged with a device FIFO overrun */
    uint64_t clipped;        /* samples with an axis at full scale */
    uint64_t restarts;       /* the pod restarted its stream (START or reset) */
    uint64_t samples;        /* samples emitted */
    uint64_t disconnects;    /* the host lost the pod and found it again (rx_note_disconnect) */
    uint64_t stalls;         /* endpoint stalls the host cleared (counted by the source) */
} rx_stats;

typedef struct {
    float acc_g_per_lsb;
    float gyr_dps_per_lsb;
    int started;
    uint16_t next_seq;
    uint32_t last_index32;
    uint64_t next_index;     /* continuous index of the next expected sample */
    uint32_t last_t32;
    int64_t last_t_us;       /* continuous time of the last emitted sample */
    int64_t t_offset_us;     /* continuous = device time + offset (changes on restart) */
    int64_t restart_gap_us;  /* host-measured gap to apply at the next restart */
    int64_t period_us;       /* nominal sample period from GET_INFO, at least 1 */
    int64_t dev_t_us;        /* unwrapped device time of the last accepted packet */
    uint32_t last_pkt_index32; /* sample_index of the last accepted packet */
    int gap_pending;         /* mark the next emitted sample CT_SAMPLE_GAP */
    int have_start;          /* the current stream's START packet was accepted: */
    uint32_t start_index32;  /*   its sample_index */
    uint32_t start_t32;      /*   its device time */
    uint16_t start_crc;      /*   and its CRC (a copy has the same bytes) */
    rx_stats stats;
} rx_state;

/* Scales come from the pod's GET_INFO (or a recording's header). */
void rx_init(rx_state *rx, const wire_info *info);

/* Feeds one packet as received. Writes 0..WIRE_MAX_SAMPLES samples to out and returns
 * their number, or a negative wire_status when the packet was refused (and counted). */
int rx_feed(rx_state *rx, const uint8_t *buf, size_t len, ct_sample out[WIRE_MAX_SAMPLES]);

/* The host saw the pod vanish for gap_us: if the pod restarts its clock, the
 * continuous clock skips ahead by this much instead of going back. */
void rx_note_disconnect(rx_state *rx, int64_t gap_us);

#endif
