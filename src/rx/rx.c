/* rx.c - wire packets to samples on one continuous device clock, with loss accounting
 * (see rx.h). Every decision is made from the packet bytes and the host-measured
 * disconnect gaps, so a replayed recording takes exactly the decisions the live run took. */
#include "calftrack/rx.h"

#include <string.h>

void rx_init(rx_state *rx, const wire_info *info)
{
    memset(rx, 0, sizeof *rx);
    rx->acc_g_per_lsb = (float)info->acc_ug_per_lsb * 1e-6f;
    rx->gyr_dps_per_lsb = (float)info->gyr_udps_per_lsb * 1e-6f;
    rx->period_us = info->period_ns >= 1000u ? (int64_t)(info->period_ns / 1000u) : 1;
}

void rx_note_disconnect(rx_state *rx, int64_t gap_us)
{
    rx->restart_gap_us = gap_us > 0 ? gap_us : 1;
    rx->gap_pending = 1;
    rx->stats.disconnects++;
}

/* A new epoch: the pod powered up again (or restarted its clock). The continuous clock
 * goes on from where it was, skipping the host-measured gap; the samples the gap held
 * are counted as lost and skipped in the continuous index, so index and time agree. */
static void new_epoch(rx_state *rx, const wire_packet *p)
{
    int64_t gap = rx->restart_gap_us > rx->period_us ? rx->restart_gap_us : rx->period_us;
    uint64_t missed = (uint64_t)((gap + rx->period_us / 2) / rx->period_us) - 1u;
    rx->stats.restarts++;
    rx->stats.lost_samples += missed;
    rx->stats.lost_in_gaps += missed;
    rx->next_index += missed;
    rx->dev_t_us = p->t_us;
    int64_t last = rx->last_t_us != INT64_MIN ? rx->last_t_us : 0;
    rx->t_offset_us = last + gap - rx->dev_t_us;
    rx->last_t32 = p->t_us;
    rx->last_index32 = p->sample_index;
    rx->last_pkt_index32 = p->sample_index;
    rx->next_seq = p->seq;
    rx->restart_gap_us = 0;
    rx->gap_pending = 1;
}

/* True when the packet's device time agrees with its index on the current epoch's
 * clock (within one period): a repeated or late packet of the same stream. */
static int same_epoch(const rx_state *rx, const wire_packet *p)
{
    int64_t di = (int32_t)(p->sample_index - rx->last_pkt_index32);
    int64_t dt = (int32_t)(p->t_us - rx->last_t32);
    int64_t diff = dt - di * rx->period_us;
    return diff <= rx->period_us && diff >= -rx->period_us;
}

/* A pod that restarted unseen (a firmware reset on the bus) begins again at index 0 and
 * time 0, on the same grid as before when it had streamed since power-up: its time
 * agrees with its index like a late copy's would. It is a restart when the packet is a
 * START other than the current stream's own, or when it is further behind than any
 * copy can be. */
static int restarted_on_grid(const rx_state *rx, const wire_packet *p, uint16_t crc,
                             int32_t ahead)
{
    if (-(int64_t)ahead > RX_LATE_MAX_SAMPLES)
        return 1;
    return (p->flags & WIRE_FLAG_START) &&
           !(rx->have_start && p->sample_index == rx->start_index32 &&
             p->t_us == rx->start_t32 && crc == rx->start_crc);
}

static int clipped(const int16_t v[3])
{
    for (int a = 0; a < 3; a++)
        if (v[a] == INT16_MAX || v[a] == INT16_MIN)
            return 1;
    return 0;
}

int rx_feed(rx_state *rx, const uint8_t *buf, size_t len, ct_sample out[WIRE_MAX_SAMPLES])
{
    wire_packet p;
    wire_status st = wire_decode_packet(buf, len, &p);
    if (st != WIRE_OK) {
        rx->stats.bad_packets++;
        return st;
    }
    if (!rx->started) {
        rx->started = 1;
        rx->next_index = p.sample_index;
        rx->dev_t_us = p.t_us;
        rx->t_offset_us = 0;
        rx->last_t32 = p.t_us;
        rx->last_index32 = p.sample_index;
        rx->last_pkt_index32 = p.sample_index;
        rx->next_seq = p.seq;
        rx->last_t_us = INT64_MIN;
    } else {
        int32_t ahead = (int32_t)(p.sample_index - rx->last_index32);
        if ((uint16_t)(p.seq + 1u) == rx->next_seq && p.sample_index == rx->last_pkt_index32 &&
            p.t_us == rx->last_t32) {
            rx->stats.duplicates += p.count; /* the same packet again */
            return 0;
        }
        /* The index going back: after a disconnect the host saw, the pod was reset (its
         * index and clock restarted); otherwise it is a late copy if its time agrees with
         * its index on our clock, and a pod that restarted unseen if not. */
        if (ahead < 0 && (rx->restart_gap_us > 0 || !same_epoch(rx, &p) ||
                          restarted_on_grid(rx, &p, wire_get16(buf + 14), ahead))) {
            new_epoch(rx, &p);
        } else if (ahead >= 0) {
            rx->restart_gap_us = 0; /* the pod kept its clock across the gap */
            if (p.flags & WIRE_FLAG_START) {
                rx->stats.restarts++; /* START again on a running clock: only seq restarts */
                rx->next_seq = p.seq;
            }
        }
    }

    /* sequence: packets the USB link lost (a repeated packet is behind, not counted) */
    uint16_t ds = (uint16_t)(p.seq - rx->next_seq);
    if (ds != 0 && ds < 0x8000u)
        rx->stats.lost_packets += ds;

    /* index: samples never seen, or seen already */
    int32_t ahead = (int32_t)(p.sample_index - rx->last_index32);
    unsigned skip = 0;
    if (ahead < 0) {
        uint32_t behind = (uint32_t)(-(int64_t)ahead);
        if (behind >= p.count) {
            rx->stats.duplicates += p.count;
            return 0;
        }
        skip = (unsigned)behind;
        rx->stats.duplicates += skip;
    } else if (ahead > 0) {
        rx->stats.lost_samples += (uint32_t)ahead;
        rx->next_index += (uint32_t)ahead;
        rx->gap_pending = 1;
    }
    if (ds < 0x8000u)
        rx->next_seq = (uint16_t)(p.seq + 1u);
    if (p.flags & WIRE_FLAG_OVERRUN) {
        rx->stats.overruns++;
        rx->gap_pending = 1;
    }
    rx->stats.packets++;
    if (p.flags & WIRE_FLAG_START) {
        rx->have_start = 1;
        rx->start_index32 = p.sample_index;
        rx->start_t32 = p.t_us;
        rx->start_crc = wire_get16(buf + 14);
    }

    int64_t dev = rx->dev_t_us + (int32_t)(p.t_us - rx->last_t32);
    rx->dev_t_us = dev;
    rx->last_t32 = p.t_us;
    rx->last_pkt_index32 = p.sample_index;
    rx->last_index32 = p.sample_index + p.count;

    int n = 0;
    for (unsigned k = skip; k < p.count; k++) {
        ct_sample *s = &out[n++];
        int64_t t = dev + rx->t_offset_us + ((int64_t)k * p.period_qus) / 4;
        if (rx->last_t_us != INT64_MIN && t <= rx->last_t_us)
            t = rx->last_t_us + 1; /* never two samples on one timestamp */
        s->t_us = t;
        s->index = rx->next_index++;
        for (int a = 0; a < 3; a++) {
            s->acc_g[a] = (float)p.s[k].acc[a] * rx->acc_g_per_lsb;
            s->gyr_dps[a] = (float)p.s[k].gyr[a] * rx->gyr_dps_per_lsb;
        }
        s->flags = 0;
        if (clipped(p.s[k].acc))
            s->flags |= CT_SAMPLE_ACC_CLIP;
        if (clipped(p.s[k].gyr))
            s->flags |= CT_SAMPLE_GYR_CLIP;
        if (s->flags)
            rx->stats.clipped++;
        if (rx->gap_pending) {
            s->flags |= CT_SAMPLE_GAP;
            rx->gap_pending = 0;
        }
        rx->last_t_us = t;
    }
    rx->stats.samples += (uint64_t)n;
    return n;
}
