/* ring.c - fixed-capacity packet queue, see ring.h. */
#include "ring.h"

#include <string.h>

void ring_init(ring *r)
{
    r->head = 0;
    r->tail = 0;
}

size_t ring_count(const ring *r)
{
    return (size_t)(r->head - r->tail);
}

bool ring_push(ring *r, const uint8_t *p, size_t len)
{
    if (len == 0 || len > WIRE_PKT_MAX || ring_count(r) >= RING_SLOTS)
        return false;
    uint32_t i = r->head & (RING_SLOTS - 1u);
    memcpy(r->data[i], p, len);
    r->len[i] = (uint8_t)len;
    r->head++;
    return true;
}

size_t ring_pop(ring *r, uint8_t *out)
{
    if (ring_count(r) == 0)
        return 0;
    uint32_t i = r->tail & (RING_SLOTS - 1u);
    size_t len = r->len[i];
    memcpy(out, r->data[i], len);
    r->tail++;
    return len;
}
