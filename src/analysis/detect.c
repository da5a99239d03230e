/* detect.c - excursion detector shared by the rep and hold detectors. */
#include "calftrack/analysis/detect.h"

void detect_init(ct_detect *d, const ct_detect_settings *cfg)
{
    *d = (ct_detect){0};
    d->cfg = *cfg;
    d->stride = 1;
    d->t_low_us = INT64_MIN;
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

static bool finish(ct_detect *d, int64_t t_end_us, float dt_s, ct_excursion *out)
{
    d->active = false;
    float dur_s = (float)(t_end_us - d->t_start_us) * 1e-6f;
    if (dur_s < d->cfg.min_s || (d->cfg.max_s > 0.0f && dur_s > d->cfg.max_s))
        return false;
    /* first time within top_band of the final peak, from the trace */
    float lvl = d->peak - d->cfg.top_band;
    int64_t t_first = d->t_peak_us;
    for (int i = 0; i < d->n; i++) {
        if (d->trace[i] >= lvl) {
            t_first = d->t_start_us + (int64_t)((float)((i + 1) * d->stride - 1) * dt_s * 1e6f);
            break;
        }
    }
    if (t_first > d->t_peak_us)
        t_first = d->t_peak_us;
    out->t_start_us = d->t_start_us;
    out->t_peak_us = d->t_peak_us;
    out->t_end_us = t_end_us;
    out->peak = d->peak;
    out->up_s = (float)(t_first - d->t_start_us) * 1e-6f;
    out->top_s = (float)(d->t_last_top_us - t_first) * 1e-6f;
    out->down_s = (float)(t_end_us - d->t_last_top_us) * 1e-6f;
    out->hold_s = d->cfg.target > 0.0f ? d->above_s : out->top_s;
    return true;
}

bool detect_update(ct_detect *d, float x, int64_t t_us, float dt_s, bool settled,
                   ct_excursion *out)
{
    if (!d->active) {
        if (x < d->cfg.low)
            d->t_low_us = t_us;
        if (x > d->cfg.engage && d->t_low_us != INT64_MIN) {
            d->active = true;
            d->t_start_us = d->t_low_us;
            d->peak = x;
            d->t_peak_us = d->t_last_top_us = t_us;
            d->above_s = 0.0f;
            d->n = 0;
            d->stride = 1;
            d->skip = 0;
            d->t_cross_us = INT64_MIN;
        }
        if (!d->active) {
            d->prev_x = x;
            return false;
        }
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
    else if (d->cfg.target <= 0.0f && x >= d->peak - d->cfg.top_band)
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
        d->t_low_us = x < d->cfg.low ? t_us : INT64_MIN;
    }
    d->prev_x = x;
    return ended;
}

bool detect_flush(ct_detect *d, int64_t t_us, ct_excursion *out)
{
    if (!d->active)
        return false;
    float dt = d->n > 1 ? (float)(t_us - d->t_start_us) * 1e-6f / (float)(d->n * d->stride) : 0.01f;
    return finish(d, t_us, dt, out);
}
