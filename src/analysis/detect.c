/* detect.c - excursion detector shared by the rep and hold detectors. */
#include "calftrack/analysis/detect.h"

#include <math.h>
#include <string.h>

/* For a smooth (minimum-jerk) movement: share of its duration between its 10% and 90%
 * levels, and share after reaching 90%. Phase times come from those crossings, which
 * noise, tremor and bounce move least. */
#define RISE_10_90 0.53f
#define TAIL_90 0.235f
#define REST_TAU_S 0.3f
#define QUIET_TAU_S 0.15f
#define REST_MIN_S 1.0f
#define PLATEAU_MIN_S 0.4f
#define END_QUIET_S 0.3f
#define LEVEL_WIN_S 1.5f
#define LEVEL_GAP_S 1.5f
#define SPLIT_MAX_ENGAGE 2.0f

void detect_init(ct_detect *d, const ct_detect_settings *cfg)
{
    memset(d, 0, sizeof *d);
    d->cfg = *cfg;
    d->stride = 1;
    d->low_min = INFINITY;
}

void detect_configure(ct_detect *d, const ct_detect_settings *cfg)
{
    d->cfg = *cfg;
    d->active = false;
    d->n = 0;
    d->low_min = INFINITY;
}

void detect_reset(ct_detect *d)
{
    d->active = false;
    d->n = 0;
    d->low_min = INFINITY;
}

static void trace_reset(ct_detect *d)
{
    d->n = 0;
    d->stride = 1;
    d->skip = 0;
}

/* Samples may come unevenly (a height movement is replayed at its end), so each kept
 * point carries its own time. */
static void trace_push(ct_detect *d, float x, int64_t t_us)
{
    if (++d->skip < d->stride && d->n > 0)
        return;
    d->skip = 0;
    if (d->n == DETECT_BUF) {
        for (int i = 0; i < DETECT_BUF / 2; i++) {
            d->trace[i] = d->trace[2 * i + 1];
            d->trace_t[i] = d->trace_t[2 * i + 1];
        }
        d->n = DETECT_BUF / 2;
        d->stride *= 2;
    }
    d->trace_t[d->n] = t_us;
    d->trace[d->n++] = x;
}

static int64_t trace_time(const ct_detect *d, int i) { return d->trace_t[i]; }

/* Median of the trace values above `lvl` (the level held at the top). */
static float upper_median(const ct_detect *d, float lvl)
{
    float v[DETECT_BUF];
    int m = 0;
    for (int i = 0; i < d->n; i++)
        if (d->trace[i] >= lvl)
            v[m++] = d->trace[i];
    if (m == 0)
        return d->peak;
    int k = m / 2, lo = 0, hi = m - 1;
    while (lo < hi) { /* quickselect */
        float p = v[(lo + hi) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (v[i] < p)
                i++;
            while (v[j] > p)
                j--;
            if (i <= j) {
                float t = v[i];
                v[i++] = v[j];
                v[j--] = t;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            break;
    }
    return v[k];
}

static bool finish(ct_detect *d, int64_t t_end_us, float end_level, ct_excursion *out)
{
    d->active = false;
    float dur_s = (float)(t_end_us - d->t_start_us) * 1e-6f;
    if (dur_s < d->cfg.min_s || (d->cfg.max_s > 0.0f && dur_s > d->cfg.max_s))
        return false;
    float top = upper_median(d, d->base + 0.5f * (d->peak - d->base));
    float au = top - d->base, ad = top - end_level;
    /* A long hold sags (or deepens): the way down starts from where the hold ended, not
     * from its typical level. That level: the mean over LEVEL_WIN_S just before the way
     * down reached half its height, less the last moments of the way down itself. */
    int j50 = -1;
    for (int i = 0; i < d->n; i++)
        if (d->trace[i] >= end_level + 0.5f * ad)
            j50 = i;
    if (j50 > 0) {
        int64_t t50 = trace_time(d, j50);
        int64_t w1 = t50 - (int64_t)(LEVEL_GAP_S * 1e6f), w0 = w1 - (int64_t)(LEVEL_WIN_S * 1e6f);
        float sum = 0.0f;
        int m = 0;
        for (int i = j50; i >= 0 && trace_time(d, i) >= w0; i--)
            if (trace_time(d, i) <= w1) {
                sum += d->trace[i];
                m++;
            }
        if (m > 0 && trace_time(d, 0) < w0)
            ad = sum / (float)m - end_level;
    }
    int i10 = -1, i90 = -1, j90 = -1, j10 = -1;
    for (int i = 0; i < d->n; i++) {
        float x = d->trace[i];
        if (i10 < 0 && x >= d->base + 0.1f * au)
            i10 = i;
        if (i90 < 0 && x >= d->base + 0.9f * au)
            i90 = i;
        if (x >= end_level + 0.9f * ad)
            j90 = i;
    }
    for (int i = d->n - 1; i > j90 && j90 >= 0; i--)
        if (d->trace[i] >= end_level + 0.1f * ad) {
            j10 = i;
            break;
        }
    int64_t t10u = i10 >= 0 ? trace_time(d, i10) : d->t_start_us;
    int64_t t90u = i90 >= 0 ? trace_time(d, i90) : d->t_peak_us;
    int64_t t90d = j90 >= 0 ? trace_time(d, j90) : d->t_peak_us;
    int64_t t10d = j10 >= 0 ? trace_time(d, j10) : t_end_us;
    if (t90d < t90u)
        t90d = t90u;
    float r_up = (float)(t90u - t10u) * 1e-6f, r_dn = (float)(t10d - t90d) * 1e-6f;
    out->t_start_us = d->t_start_us;
    out->t_peak_us = d->t_peak_us;
    out->t_end_us = t_end_us;
    /* where it came to rest after the hold is the start position when that is higher
     * (getting into position was part of the way up: looping the band, stepping into
     * the lunge) */
    out->base = end_level > d->base ? end_level : d->base;
    out->top = top;
    out->peak = d->peak;
    out->above_s = d->cfg.has_target ? d->above_s : 0.0f;
    out->up_s = r_up / RISE_10_90;
    out->down_s = r_dn / RISE_10_90;
    out->top_s = (float)(t90d - t90u) * 1e-6f - (TAIL_90 / RISE_10_90) * (r_up + r_dn);
    if (out->top_s < 0.0f)
        out->top_s = 0.0f;
    return true;
}

static void start(ct_detect *d, int64_t t0_us, float base, float x, int64_t t_us)
{
    d->active = true;
    d->t_start_us = t0_us;
    d->base = base;
    d->peak = x;
    d->t_peak_us = t_us;
    d->above_s = 0.0f;
    d->plateau_valid = false;
    d->valley = x;
    d->t_valley_us = t_us;
    d->t_cross_us = d->t_drop_us = d->t_ease_us = INT64_MIN;
}

bool detect_update(ct_detect *d, float x, int64_t t_us, float dt_s, bool still, bool settled,
                   bool counting, ct_excursion *out)
{
    d->dt_s = dt_s;
    /* quiet: the measure itself hardly changes (tremor at a held position, sway) */
    if (d->x_valid) {
        float r = (x - d->x_prev) / dt_s;
        d->rate += (r - d->rate) * (dt_s / (QUIET_TAU_S + dt_s));
    }
    d->x_prev = x;
    d->x_valid = true;
    float qr = d->cfg.quiet_rate;
    bool quiet = d->rate < qr && d->rate > -qr;
    still = still || quiet;
    d->quiet_s = still ? d->quiet_s + dt_s : 0.0f;
    /* at rest for a while (bouncing in a stretch is quiet only for instants) */
    bool rested = d->quiet_s >= REST_MIN_S;
    if (!counting) {
        d->active = false;
        d->n = 0;
    }
    if (!d->active) {
        if (d->cfg.has_rest_min && x < d->cfg.rest_min) {
            d->rest_valid = false; /* not in the exercise's position: nothing starts here */
            trace_reset(d);
            return false;
        }
        /* the rest level follows only a measure that keeps level: a slow, steady turn
         * (easing into a stretch) can look still to the pod */
        if (still && (quiet || !d->rest_valid)) {
            if (!d->rest_valid) {
                d->rest = x;
                d->rest_valid = true;
            }
            d->rest += (x - d->rest) * (dt_s / (REST_TAU_S + dt_s));
        }
        if (!d->rest_valid)
            return false;
        if (x < d->rest + d->cfg.low) {
            /* the lowest level of this low period (since the measure last went up) */
            if (x < d->low_min || d->n > 0)
                d->low_min = x;
            d->t_low_us = t_us;
            trace_reset(d);
            return false;
        }
        if (!counting)
            return false;
        if (d->n == 0)
            d->t_start_us = d->t_low_us;
        trace_push(d, x, t_us);
        if (x > d->rest + d->cfg.engage)
            /* from where it really was: the rest level lags a quick turn-around (the
             * next rep begun right after the last one came down) */
            start(d, d->t_start_us, d->low_min < d->rest ? d->low_min : d->rest, x, t_us);
        return false;
    }

    /* a short plateau and a further rise beyond anything before: that was getting into
     * position (a bounce in the stretch does not go beyond its own top) */
    if (!still && d->plateau_valid && x > d->plateau + d->cfg.engage &&
        x > d->plateau_peak + 0.5f * d->cfg.engage &&
        (float)(d->t_plateau_us - d->t_start_us) * 1e-6f < d->cfg.min_s) {
        float base = d->plateau;
        int64_t t0 = d->t_plateau_us;
        trace_reset(d);
        start(d, t0, base, x, t_us);
    }
    /* the turn-around at the bottom of reps done without a pause: well down from the
     * top, then up again by `engage`. Only the shape counts, not the absolute level (a
     * long movement's height drifts by a few cm). */
    if (d->cfg.split_frac > 0.0f && settled) {
        /* (a base set off by drift makes the rise look larger: twice `engage` down is
         * always a turn-around) */
        float need = d->cfg.split_frac * (d->peak - d->base);
        if (need > SPLIT_MAX_ENGAGE * d->cfg.engage)
            need = SPLIT_MAX_ENGAGE * d->cfg.engage;
        if (need < d->cfg.engage)
            need = d->cfg.engage;
        if (d->peak - d->valley >= need && x > d->valley + d->cfg.engage) {
            int64_t tv = d->t_valley_us;
            float v = d->valley;
            float tx[DETECT_BUF];
            int64_t tt[DETECT_BUF];
            int m = 0, keep = 0;
            for (int i = 0; i < d->n; i++) {
                if (d->trace_t[i] > tv) {
                    tx[m] = d->trace[i];
                    tt[m++] = d->trace_t[i];
                } else {
                    keep = i + 1;
                }
            }
            d->n = keep;
            int stride = d->stride;
            bool ended = finish(d, tv, v, out);
            trace_reset(d);
            d->stride = stride;
            start(d, tv, v, v, tv);
            for (int i = 0; i < m; i++) {
                trace_push(d, tx[i], tt[i]);
                if (tx[i] > d->peak) {
                    d->peak = tx[i];
                    d->t_peak_us = tt[i];
                }
            }
            trace_push(d, x, t_us);
            if (x > d->peak) {
                d->peak = x;
                d->t_peak_us = t_us;
            }
            d->valley = d->peak;
            d->t_valley_us = d->t_peak_us;
            return ended;
        }
    }
    trace_push(d, x, t_us);
    if (x > d->peak) {
        d->peak = x;
        d->t_peak_us = t_us;
        d->valley = x;
        d->t_valley_us = t_us;
    } else if (x < d->valley) {
        d->valley = x;
        d->t_valley_us = t_us;
    }
    if (d->cfg.has_target && x >= d->cfg.target)
        d->above_s += dt_s;
    if (d->quiet_s >= PLATEAU_MIN_S) {
        d->plateau_valid = true;
        d->plateau = x;
        d->plateau_peak = d->peak;
        d->t_plateau_us = t_us;
    }

    /* back near the base... */
    if (x < d->base + d->cfg.low) {
        if (d->t_cross_us == INT64_MIN)
            d->t_cross_us = t_us;
    } else {
        d->t_cross_us = INT64_MIN;
    }
    /* ...or still again well below the top: a new base */
    float drop = 0.3f * (d->peak - d->base);
    if (drop < 2.0f * d->cfg.engage)
        drop = 2.0f * d->cfg.engage;
    if (x < d->peak - drop) {
        if (d->t_drop_us == INT64_MIN)
            d->t_drop_us = t_us;
    } else {
        d->t_drop_us = INT64_MIN;
    }
    /* ...or resting a while a step below the top: between holds (easing off for a
     * moment and going back in is shorter) */
    if (x < d->peak - d->cfg.engage) {
        if (d->t_ease_us == INT64_MIN)
            d->t_ease_us = t_us;
    } else {
        d->t_ease_us = INT64_MIN;
    }
    bool ended = false;
    /* back near the base and quiet there, or staying there end_s: a bounce in a hold
     * only passes through it; an excursion too short to count (a fidget) ends at once */
    if (settled && d->t_cross_us != INT64_MIN &&
        (d->quiet_s >= END_QUIET_S || (float)(t_us - d->t_cross_us) * 1e-6f >= d->cfg.end_s ||
         (float)(d->t_cross_us - d->t_start_us) * 1e-6f < d->cfg.min_s)) {
        ended = finish(d, d->t_cross_us, d->base, out);
    } else if (settled && rested && d->t_drop_us != INT64_MIN) {
        ended = finish(d, d->t_drop_us, x, out);
    } else if (settled && d->cfg.gap_s > 0.0f && d->quiet_s >= d->cfg.gap_s &&
               d->quiet_s - dt_s < d->cfg.gap_s && d->t_ease_us != INT64_MIN &&
               x < upper_median(d, d->base + 0.5f * (d->peak - d->base)) - d->cfg.engage) {
        /* (checked once per rest, against the level held rather than the highest
         * bounce: a hold sagging a little is still the hold) */
        ended = finish(d, d->t_ease_us, x, out);
    }
    if (!d->active) { /* where it came to rest is the new base */
        d->rest = x;
        d->low_min = x;
        d->t_low_us = t_us;
        trace_reset(d);
    }
    return ended;
}

bool detect_flush(ct_detect *d, int64_t t_us, ct_excursion *out)
{
    if (!d->active)
        return false;
    if (!(d->dt_s > 0.0f))
        d->dt_s = 0.01f;
    return finish(d, t_us, d->base, out);
}
