/*
 * ring.h - a fixed-capacity queue of stream packets between the packetizer (producer)
 * and the bulk IN endpoint (consumer). Storage lives inside the struct: no allocation.
 * Single producer, single consumer; the firmware uses both ends from its main loop.
 */
#ifndef POD_RING_H
#define POD_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calftrack/wire.h"

#define RING_SLOTS 32u /* power of two: 32 x 64 bytes = 2 KiB, ~150 ms at 833 Hz */

_Static_assert((RING_SLOTS & (RING_SLOTS - 1u)) == 0, "RING_SLOTS must be a power of two");

typedef struct {
    uint8_t data[RING_SLOTS][WIRE_PKT_MAX];
    uint8_t len[RING_SLOTS];
    uint32_t head; /* next slot to write; free-running */
    uint32_t tail; /* next slot to read; free-running */
} ring;

void ring_init(ring *r);
/* Copies len bytes (1..WIRE_PKT_MAX) in; false when full or len is out of range. */
bool ring_push(ring *r, const uint8_t *p, size_t len);
/* Copies the oldest packet into out (WIRE_PKT_MAX bytes) and removes it; 0 when empty. */
size_t ring_pop(ring *r, uint8_t *out);
size_t ring_count(const ring *r);

#endif
