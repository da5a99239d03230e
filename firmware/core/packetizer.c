/* packetizer.c - samples to wire packets, see packetizer.h. */
#include "packetizer.h"

static bool clipped(const int16_t v[3])
{
    for (int a = 0; a < 3; a++)
        if (v[a] == INT16_MAX || v[a] == INT16_MIN)
            return true;
    return false;
}

void pktz_init(pktz *z, ring *out, uint32_t period_ns)
{
    z->out = out;
    z->seq = 0;
    z->next_index = 0;
    z->pending_flags = 0;
    z->dropped_packets = 0;
    z->cur.count = 0;
    z->period_qus = (uint16_t)(period_ns / 250u);
}

void pktz_start(pktz *z, uint32_t period_ns)
{
    z->cur.count = 0;
    z->seq = 0;
    z->period_qus = (uint16_t)(period_ns / 250u);
    z->pending_flags = WIRE_FLAG_START;
}

void pktz_flush(pktz *z)
{
    if (z->cur.count == 0)
        return;
    uint8_t buf[WIRE_PKT_MAX];
    z->cur.seq = z->seq;
    z->cur.flags |= z->pending_flags;
    size_t len = wire_encode_packet(&z->cur, buf);
    z->cur.count = 0;
    if (ring_push(z->out, buf, len)) {
        z->pending_flags = 0;
        z->seq++;
    } else {
        /* The host is not reading: the samples are gone. The index gap and the
         * overrun flag on the next packet that fits tell the host. seq does not
         * advance, so seq continuity still proves no USB loss. */
        z->dropped_packets++;
        z->pending_flags = (uint8_t)((z->pending_flags & WIRE_FLAG_START) | WIRE_FLAG_OVERRUN);
    }
}

void pktz_gap(pktz *z, uint32_t n)
{
    if (n == 0)
        return;
    pktz_flush(z);
    z->next_index += n;
    z->pending_flags |= WIRE_FLAG_OVERRUN;
}

void pktz_push(pktz *z, const wire_sample *s, uint32_t t_us)
{
    wire_packet *p = &z->cur;
    if (p->count > 0) {
        /* Expected time of this sample from the packet's first one, in quarter us. */
        uint32_t expect_qus = (uint32_t)p->count * z->period_qus;
        uint32_t got_qus = (t_us - p->t_us) * 4u; /* modular: survives the 32-bit wrap */
        uint32_t diff = got_qus > expect_qus ? got_qus - expect_qus : expect_qus - got_qus;
        if (diff > z->period_qus / 2u)
            pktz_flush(z);
    }
    if (p->count == 0) {
        p->version = WIRE_PROTOCOL_VERSION;
        p->flags = 0;
        p->sample_index = z->next_index;
        p->t_us = t_us;
        p->period_qus = z->period_qus;
    }
    p->s[p->count] = *s;
    if (clipped(s->acc))
        p->flags |= WIRE_FLAG_ACC_CLIP;
    if (clipped(s->gyr))
        p->flags |= WIRE_FLAG_GYR_CLIP;
    p->count++;
    z->next_index++;
    if (p->count == WIRE_MAX_SAMPLES)
        pktz_flush(z);
}
