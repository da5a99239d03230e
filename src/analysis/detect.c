/* detect.c - excursion detector shared by the rep and hold detectors. */
#include "calftrack/analysis/detect.h"

void detect_init(ct_detect *d, const ct_detect_settings *cfg)
{
    *d = (ct_detect){0};
    d->cfg = *cfg;
    d->stride = 1;
    d->t_low_us = INT64_MIN;
}

/* The trace starts at the sample after the last one below `low`. */
static int64_t t_low_next(const ct_detect *d, int64_t t_us)
{
    return d->t_low_us != INT64_MIN ? d->t_low_us : t_us;
}

static void trace_push(ct_detect *d, float x)
{
    if (++d->skip < d->stride)
        return;
    d->skip = 0;
    if (d->n == DETECT_BUF) {
        for (int i = 0; i < DETECT_BUF / 2; i++)
            d->trace[i] = d->trace[2 * i + 1];
        d->n = DETECT_BUF / 2;
        d->stride *= 2;
    }
    d->trace[d->n++] = x;
}

/* Fraction of a smooth (minimum-jerk-like) movement spent between its 10% and 90%
 * levels, and the fraction above 90% at each end: phase durations are estimated from
 * those crossings, which noise and tremor do not move much. */
#define RISE_10_90 0.56f
#define TAIL_90 0.22f

static int64_t trace_time(const ct_detect *d, int i, float dt_s)
{
    return d->t_start_us + (int64_t)((float)(i * d->stride) * dt_s * 1e6f);
}

static bool finish(ct_detect *d, int64_t t_end_us, float dt_s, ct_excursion *out)
{
    d->active = false;
    float dur_s = (float)(t_end_us - d->t_start_us) * 1e-6f;
    if (dur_s < d->cfg.min_s || (d->cfg.max_s > 0.0f && dur_s > d->cfg.max_s))
        return false;
    float amp = d->peak - d->rest;
    float l10 = d->rest + 0.1f * amp, l90 = d->rest + 0.9f * amp;
    int i10 = -1, i90 = -1, j90 = -1, j10 = -1;
    for (int i = 0; i < d->n; i++) {
        if (i10 < 0 && d->trace[i] >= l10)
            i10 = i;
        if (i90 < 0 && d->trace[i] >= l90)
            i90 = i;
        if (d->trace[i] >= l90)
            j90 = i;
    }
    for (int i = d->n - 1; i > j90 && i >= 0; i--)
        if (d->trace[i] >= l10) {
            j10 = i;
            break;
        }
    int64_t t10u = i10 >= 0 ? trace_time(d, i10, dt_s) : d->t_start_us;
    int64_t t90u = i90 >= 0 ? trace_time(d, i90, dt_s) : d->t_peak_us;
    int64_t t90d = j90 >= 0 ? trace_time(d, j90, dt_s) : d->t_peak_us;
    int64_t t10d = j10 >= 0 ? trace_time(d, j10, dt_s) : t_end_us;
    out->t_start_us = d->t_start_us;
    out->t_peak_us = d->t_peak_us;
    out->t_end_us = t_end_us;
    out->peak = d->peak;
    out->up_s = (float)(t90u - t10u) * 1e-6f / RISE_10_90;
    out->down_s = (float)(t10d - t90d) * 1e-6f / RISE_10_90;
    out->top_s = (float)(t90d - t90u) * 1e-6f - TAIL_90 * (out->up_s + out->down_s);
    if (out->top_s < 0.0f)
        out->top_s = 0.0f;
    out->hold_s = d->cfg.target > 0.0f ? d->above_s : out->top_s;
    return true;
}

bool detect_update(ct_detect *d, float x, int64_t t_us, float dt_s, bool settled,
                   ct_excursion *out)
{
    if (!d->active) {
        if (x < d->cfg.low || d->t_low_us == INT64_MIN) {
            if (x < d->cfg.low) {
                d->t_low_us = t_us;
                d->rest += (x - d->rest) * (dt_s / (0.3f + dt_s));
            }
            d->n = 0;
            d->stride = 1;
            d->skip = 0;
            d->prev_x = x;
            return false;
        }
        /* above `low`: record tentatively from the crossing on */
        if (d->n == 0)
            d->t_start_us = t_low_next(d, t_us);
        trace_push(d, x);
        if (x > d->cfg.engage) {
            d->active = true;
            d->peak = x;
            d->t_peak_us = d->t_last_top_us = t_us;
            d->above_s = 0.0f;
            d->t_cross_us = INT64_MIN;
        }
        d->prev_x = x;
        return false;
    }
    trace_push(d, x);
    if (x > d->peak) {
        d->peak = x;
        d->t_peak_us = t_us;
    }
    if (x >= d->peak - d->cfg.top_band)
        d->t_last_top_us = t_us;
    if (d->cfg.target > 0.0f && x >= d->cfg.target)
        d->above_s += dt_s;
    /* the end is the crossing of `low` on the way down, taken once settled */
    if (x < d->cfg.low && d->t_cross_us == INT64_MIN)
        d->t_cross_us = t_us;
    else if (x >= d->cfg.low)
        d->t_cross_us = INT64_MIN;
    bool ended = false;
    if (x < d->cfg.low && settled) {
        int64_t t_end = d->t_cross_us != INT64_MIN ? d->t_cross_us : t_us;
        ended = finish(d, t_end, dt_s, out);
        d->t_low_us = t_us;
        d->n = 0;
    }
    d->prev_x = x;
    return ended;
}

bool detect_flush(ct_detect *d, int64_t t_us, ct_excursion *out)
{
    if (!d->active)
        return false;
    float dt = d->n > 1 ? (float)(t_us - d->t_start_us) * 1e-6f / (float)(d->n * d->stride) : 0.01f;
    if (!(dt > 0.0f))
        dt = 0.01f;
    return finish(d, t_us, dt, out);
}
