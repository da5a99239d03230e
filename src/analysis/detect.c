/* detect.c - excursion detector shared by the rep and hold detectors. */
#include "calftrack/analysis/detect.h"

#include <math.h>
#include <string.h>

#define REST_TAU_S 0.3f
#define QUIET_TAU_S 0.15f
#define REST_MIN_S 1.0f
#define LOW_KEEP_US 1000000 /* a rep starts from the bottom of its last second */
#define PLATEAU_MIN_S 0.4f
/* A bounce in a stretch (ballistic, 0.5-1.5 Hz) is above its middle for well under a
 * second at a time; up past a still moment for longer, the measure has moved on, s. */
#define BOUNCE_S 1.0f
/* A still step between movements: the measure's rate (smoothed over QUIET_TAU_S) quiet
 * this long; its level is taken from where the rate had settled (STEP_LAG_S after the
 * movement into it ended, STEP_LAG_S before the next one began), s. */
#define STEP_QUIET_S 0.1f
#define STEP_LAG_S 0.3f
/* A stance held on the way into a stretch: level within this many `engage` (tremor and
 * sway) for STEP_HELD_S, s. */
#define STEP_FLAT 0.25f
#define STEP_HELD_S 1.0f
#define END_QUIET_S 0.3f
#define EASE_AFTER_GAPS 2.0f
/* The crossings a movement's ends are timed from: `engage` in from its ends (what the
 * measure does without moving: sway, tremor, a bounce), 10% at least, at most this. */
#define CROSS_FRAC_MAX 0.25f
/* The way up's first crossing, when the trace begins above it: this share of the height
 * above the trace's first point, at most START_FRAC_MAX of the way. */
#define START_IN 0.02f
#define START_FRAC_MAX 0.3f
/* The level a hold was first held at, and held at last: the mean over LEVEL_WIN_S (a
 * swing of postural sway, 0.1-0.25 Hz: a shorter mean follows the sway) LEVEL_GAP_S
 * from the way up or down, s. */
#define LEVEL_WIN_S 4.0f
#define LEVEL_GAP_S 1.5f
#define SPLIT_MAX_ENGAGE 2.0f
/* An attempt given up goes back to where it started; easing off in a hold (a few
 * degrees, or a bounce) does not go most of the way back: turned back = down by this
 * share of the rise from the still step it began at. */
#define TURN_BACK_FRAC 0.7f
/* Still at the top of a movement for less than this is turning round there, s. */
#define TURN_PAUSE_S 1.0f
/* A movement beyond an attempt's top by this many `engage`, after resting below it, is
 * the next one (an attempt is given up short of where the stretch goes). */
#define GAVE_UP_PAST 1.0f
/* A pose's hold (has_rest_min) ended by a dip that came to rest more than this share
 * of the way up from the pose is still pressed: the heels come back up to the pose. */
#define PRESSED_FRAC 0.5f
/* ...and pressed again within this long of the dip's start, the same hold going on:
 * easing off for a moment and pressing the heels down again takes a few seconds (the
 * dip is told once it has lasted `gap_s`, and comes back within a second or two more);
 * not pressed again by then, the heels are up, however the measure wanders (a noisy
 * sensor's reading may never look still nor come back near where the hold began), s */
#define PRESS_AGAIN_S 7.5f
/* A hold begun with the pose: the rest after it this many `engage` below the level
 * held, on average, that level the mean over POSE_WIN_S before the way down (a few
 * swings of the sway), s */
#define POSE_STEP 1.5f
#define POSE_WIN_S 3.0f
#define EASE_FRAC 0.5f
/* The level a rep's way down began from: the mean over this long before it began (a
 * tremor's few cycles), s. */
#define LEVEL_BEFORE_S 0.15f
/* A pose's press (has_rest_min) rising from the rest level: the level it rose from is
 * kept while the measure stays above it by RISE_BACK `low` (the sway in a press a degree
 * or two deep dips toward it), for RISE_S at most (a press comes up in a second or two,
 * and the sway in it peaks within a swing of a few seconds); only once the rest level
 * has followed the pose for RISE_SETTLE of its time constant since it was learnt or a
 * hold ended (after a hold the heels come back to the pose over a swing of the sway). */
#define RISE_BACK 0.5f
#define RISE_S 4.0f
#define RISE_SETTLE 2.0f
/* A press of the heels kept at a level under `engage`. The sway in the pose is an
 * oscillation of a few seconds about it (0.2-1 Hz, the slowest swings 4-10 s): an
 * average over LEVEL_TAU_S takes most of it out, while a press is a level kept, which
 * the average keeps too. The rises from the rest level that start a hold may never see
 * such a press, or only for a moment (the rest level follows a press slower than the
 * rate taken for still, and a swing of the sway in a press less than `engage` deep dips
 * near the pose). So: risen `low` from the pose (the measure's average over a couple of
 * swings before, LEVEL_POSE_TAU_S, or the rest level when lower); its average, from
 * RISE_S on (a press comes up in a second or two), never back within half a step of the
 * pose, and a step above it LEVEL_S after the rise (longer than the slowest swing), the
 * step LEVEL_K times the sway's spread about the pose (measured while resting there,
 * over LEVEL_SPREAD_TAU_S; `low` at least): the heels were pressed and the level kept.
 * It is a hold once the average is back within half a step of the pose (the heels back
 * up; a pose that moved up and stays there never comes back down), from where it rose
 * to where the measure was last `low` above the pose. */
#define LEVEL_TAU_S 2.0f
#define LEVEL_POSE_TAU_S 4.0f
#define LEVEL_SPREAD_TAU_S 10.0f
#define LEVEL_K 3.0f
#define LEVEL_S 10.0f

/* The lowest level of the low period before a rise (see detect_step): forgotten, or
 * taken at x now */
static void low_forget(ct_detect *d)
{
    d->low_min = INFINITY;
    d->t_low_min_us = INT64_MIN;
}

static void low_take(ct_detect *d, float x, int64_t t_us)
{
    d->low_min = x;
    d->t_low_min_us = t_us;
}

static void pose_reset(ct_detect *d, float x)
{
    d->pose_held = x;
    d->t_pose_drop_us = INT64_MIN;
    d->pose_n = 0;
    d->pose_stride = 1;
    d->pose_skip = 0;
}

void detect_init(ct_detect *d, const ct_detect_settings *cfg)
{
    memset(d, 0, sizeof *d);
    d->cfg = *cfg;
    d->stride = 1;
    low_forget(d);
    d->t_rise_us = INT64_MIN;
}

void detect_configure(ct_detect *d, const ct_detect_settings *cfg)
{
    d->cfg = *cfg;
    d->active = false;
    d->pressed = false;
    d->held_valid = false;
    d->pose_open = false;
    d->lv_risen = false;
    d->pose_pend_valid = false;
    d->n = 0;
    low_forget(d);
    d->t_rise_us = INT64_MIN;
}

void detect_reset(ct_detect *d)
{
    d->active = false;
    d->pressed = false;
    d->held_valid = false;
    d->lv_risen = false;
    d->pose_pend_valid = false;
    /* (a step while getting into the pose: the pose is taken after it) */
    if (d->pose_open)
        pose_reset(d, d->rest);
    d->n = 0;
    low_forget(d);
    d->t_rise_us = INT64_MIN;
}

void detect_rest_at(ct_detect *d, float x, int64_t t_us)
{
    detect_reset(d);
    d->rest = d->lv_pose = x;
    d->rest_valid = true;
    d->t_rise_us = INT64_MIN;
    d->t_rest_from_us = t_us;
}

static void trace_reset(ct_detect *d)
{
    d->n = 0;
    d->stride = 1;
    d->skip = 0;
}

/* Samples may come unevenly (a height movement is replayed at its end), so each kept
 * point carries its own time. */
/* Appends (x, t, q) to a decimated trace of capacity cap: full, every other point is
 * kept and the spacing doubles, so the trace spans the whole excursion at any length. */
static void decimated_push(float *xs, int64_t *ts, uint8_t *qs, int cap, int *n, int *stride,
                           int *skip, float x, int64_t t_us, uint8_t q)
{
    if (++*skip < *stride && *n > 0)
        return;
    *skip = 0;
    if (*n == cap) {
        for (int i = 0; i < cap / 2; i++) {
            xs[i] = xs[2 * i + 1];
            ts[i] = ts[2 * i + 1];
            qs[i] = qs[2 * i + 1];
        }
        *n = cap / 2;
        *stride *= 2;
    }
    ts[*n] = t_us;
    qs[*n] = q;
    xs[(*n)++] = x;
}

static void trace_push(ct_detect *d, float x, int64_t t_us)
{
    decimated_push(d->trace, d->trace_t, d->trace_q, DETECT_BUF, &d->n, &d->stride, &d->skip,
                   x, t_us, d->quiet_s >= STEP_QUIET_S);
}

static int64_t trace_time(const ct_detect *d, int i) { return d->trace_t[i]; }

/* The mean of the points of a trace (xs at times ts, in order) from time w0 to w1, in
 * *mean; the number of points (0: none, *mean untouched). */
static int window_mean(const float *xs, const int64_t *ts, int n, int64_t w0, int64_t w1,
                       float *mean)
{
    float sum = 0.0f;
    int m = 0;
    for (int i = 0; i < n && ts[i] <= w1; i++)
        if (ts[i] >= w0) {
            sum += xs[i];
            m++;
        }
    if (m > 0)
        *mean = sum / (float)m;
    return m;
}

/* Median of the trace values above `lvl` (the level held at the top). */
static float upper_median_n(const ct_detect *d, int n, float lvl)
{
    float v[DETECT_BUF];
    int m = 0;
    for (int i = 0; i < n; i++)
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

static float upper_median(const ct_detect *d, float lvl) { return upper_median_n(d, d->n, lvl); }

/* Time the trace crossed `lvl` going up between points i - 1 and i, or going down
 * between j and j + 1: interpolated (a long hold keeps every 8th sample or fewer). */
static int64_t cross_up(const ct_detect *d, int i, float lvl)
{
    if (i <= 0 || !(d->trace[i] > d->trace[i - 1]))
        return d->trace_t[i];
    float f = (lvl - d->trace[i - 1]) / (d->trace[i] - d->trace[i - 1]);
    f = f < 0.0f ? 0.0f : f > 1.0f ? 1.0f : f;
    return d->trace_t[i - 1] + (int64_t)(f * (float)(d->trace_t[i] - d->trace_t[i - 1]));
}

static int64_t cross_down(const ct_detect *d, int j, float lvl)
{
    if (j + 1 >= d->n || !(d->trace[j] > d->trace[j + 1]))
        return d->trace_t[j];
    float f = (d->trace[j] - lvl) / (d->trace[j] - d->trace[j + 1]);
    f = f < 0.0f ? 0.0f : f > 1.0f ? 1.0f : f;
    return d->trace_t[j] + (int64_t)(f * (float)(d->trace_t[j + 1] - d->trace_t[j]));
}

/* The level of the still step whose end (dir -1) or start (dir 1) is trace point k:
 * the mean over the step (from k away from the movement), leaving out where the rate
 * was still settling (up to STEP_LAG_S from the movement next to it). */
static float step_level(const ct_detect *d, int k, int dir)
{
    int64_t lag = (int64_t)(STEP_LAG_S * 1e6f), t_k = d->trace_t[k];
    float sum = 0.0f;
    int m = 0;
    for (int i = k; i >= 0 && i < d->n && d->trace_q[i]; i += dir) {
        int64_t dt = d->trace_t[i] - t_k;
        if (dt >= lag || dt <= -lag) {
            sum += d->trace[i];
            m++;
        }
    }
    if (m > 0)
        return sum / (float)m;
    /* a short step: its far end */
    int i = k;
    while (i + dir >= 0 && i + dir < d->n && d->trace_q[i + dir])
        i += dir;
    return d->trace[i];
}

/* A still step higher than half way that ends at trace point k, below `below`: still
 * and level for STEP_HELD_S at least, a stance taken (a long lunge stance), not a
 * moment's hesitation on the way into the stretch nor the slow end of the movement. */
static bool held_step(const ct_detect *d, int k, float below)
{
    if (!(d->trace[k] < below))
        return false;
    int i = k;
    while (i > 0 && d->trace_q[i - 1] && d->trace[i - 1] < below &&
           fabsf(d->trace[i - 1] - d->trace[k]) <= STEP_FLAT * d->cfg.engage)
        i--;
    return (float)(d->trace_t[k] - d->trace_t[i]) * 1e-6f >= STEP_HELD_S;
}

/* The share of a movement's height its end crossings are taken at: 10%, or more in a
 * shallow movement, where sway and tremor would move a crossing 10% from the level held
 * by seconds (the downward dog's press is a few degrees, its sway about one). */
static float crossing_frac(const ct_detect *d, float height)
{
    float f = height > 0.0f ? d->cfg.engage / height : CROSS_FRAC_MAX;
    return f < 0.1f ? 0.1f : f > CROSS_FRAC_MAX ? CROSS_FRAC_MAX : f;
}

/* Hold phase crossings (f[2], 50%, 1 - f[0] of the way up; 1 - f[1], 50%, f[1] of the
 * way down: crossing_frac). The way up is the last movement into the hold: a still step
 * below half way before it (the stepped-into lunge, the ready position), or a stance
 * held higher up, is where it began, not the level the excursion started from; the way down likewise ends at the
 * first still step below half way after the hold (back in the ready position, before
 * stepping out). Returns false when a crossing is missing. */
static bool hold_crossings(const ct_detect *d, float top, float hold_lvl, float end_level,
                           int64_t t_up[3], int64_t t_dn[3], float f[3], float *from)
{
    /* a long hold sags (or deepens): the way up ends at the level first held, the mean
     * over LEVEL_WIN_S from LEVEL_GAP_S after it came within 10% of its typical level */
    int64_t t_end_win = INT64_MIN;
    for (int i = 0; i < d->n; i++)
        if (d->trace[i] >= hold_lvl - 0.5f * (hold_lvl - end_level))
            t_end_win = d->trace_t[i];
    for (int i = 0; i < d->n; i++)
        if (d->trace[i] >= d->base + 0.9f * (top - d->base)) {
            int64_t w0 = d->trace_t[i] + (int64_t)(LEVEL_GAP_S * 1e6f);
            int64_t w1 = w0 + (int64_t)(LEVEL_WIN_S * 1e6f);
            if (w1 > t_end_win - (int64_t)((LEVEL_GAP_S + LEVEL_WIN_S) * 1e6f))
                break; /* a short hold: its typical level */
            window_mean(d->trace, d->trace_t, d->n, w0, w1, &top);
            break;
        }
    float lo = d->base, au = top - lo;
    int i90 = -1, k0 = -1;
    for (int i = 0; i < d->n && i90 < 0; i++)
        if (d->trace[i] >= lo + 0.9f * au)
            i90 = i;
    if (i90 < 0)
        return false;
    for (int k = i90 - 1; k >= 0; k--)
        if (d->trace_q[k] && (d->trace[k] < lo + 0.5f * au || held_step(d, k, lo + 0.9f * au))) {
            k0 = k;
            lo = step_level(d, k, -1);
            au = top - lo;
            break;
        }
    *from = lo;
    f[0] = f[2] = crossing_frac(d, au);
    /* the excursion's trace begins where the measure rose past the rest by `low` (its
     * base may be lower still): the first crossing is timed inside it */
    if (k0 < 0 && au > 0.0f) {
        float in = (d->trace[0] - lo) / au + START_IN;
        if (f[2] < in)
            f[2] = in < START_FRAC_MAX ? in : START_FRAC_MAX;
    }
    int i10 = -1, i50 = -1;
    i90 = -1;
    for (int i = k0 + 1; i < d->n && i90 < 0; i++) {
        if (i10 < 0 && d->trace[i] >= lo + f[2] * au)
            i10 = i;
        if (i50 < 0 && d->trace[i] >= lo + 0.5f * au)
            i50 = i;
        if (d->trace[i] >= lo + (1.0f - f[0]) * au)
            i90 = i;
    }
    if (i10 < 0 || i90 < 0)
        return false;
    float e = end_level, ad = hold_lvl - e;
    int j90 = -1, k1 = d->n;
    for (int j = d->n - 1; j > i90 && j90 < 0; j--)
        if (d->trace[j] >= e + 0.9f * ad)
            j90 = j;
    if (j90 < 0)
        j90 = i90;
    for (int k = j90 + 1; k < d->n; k++)
        if (d->trace_q[k] && d->trace[k] < e + 0.5f * ad) {
            k1 = k;
            e = step_level(d, k, 1);
            ad = hold_lvl - e;
            break;
        }
    f[1] = crossing_frac(d, ad);
    int j10 = -1, j50 = -1;
    j90 = -1;
    for (int j = k1 - 1; j > i90 && j90 < 0; j--) {
        if (j10 < 0 && d->trace[j] >= e + f[1] * ad)
            j10 = j;
        if (j50 < 0 && d->trace[j] >= e + 0.5f * ad)
            j50 = j;
        if (d->trace[j] >= e + (1.0f - f[1]) * ad)
            j90 = j;
    }
    if (j90 < 0)
        j90 = i90;
    t_up[0] = cross_up(d, i10, lo + f[2] * au);
    t_up[1] = cross_up(d, i50, lo + 0.5f * au);
    t_up[2] = cross_up(d, i90, lo + (1.0f - f[0]) * au);
    t_dn[0] = j90 > i90 ? cross_down(d, j90, e + (1.0f - f[1]) * ad) : t_up[2];
    t_dn[2] = j10 > j90 ? cross_down(d, j10, e + f[1] * ad) : d->trace_t[d->n - 1];
    t_dn[1] = j50 > j90 ? cross_down(d, j50, e + 0.5f * ad) : (t_dn[0] + t_dn[2]) / 2;
    if (t_up[1] < t_up[0] || t_up[1] > t_up[2])
        t_up[1] = (t_up[0] + t_up[2]) / 2;
    if (t_dn[1] < t_dn[0] || t_dn[1] > t_dn[2])
        t_dn[1] = (t_dn[0] + t_dn[2]) / 2;
    return true;
}

/* A minimum-jerk movement (progress 10u^3 - 15u^4 + 6u^5) reaches 10%, 50% and 90% at
 * these shares of its duration. */
#define MJ_W10 0.24664f
#define MJ_W50 0.5f
#define MJ_W90 0.75336f
/* People's movements are not symmetric: the peak speed comes anywhere from about a
 * third to two thirds of the way (earlier in quick moves, later in careful ones that
 * home in on a position). Modelled as the minimum-jerk profile of the warped time
 * u + s u (1 - u) (|s| 0.7: peak speed at 0.30-0.70 of the way). But postural sway
 * (0.1-1 Hz, as slow as the movement itself) moves the 50% crossing about as much as the
 * asymmetry does, and the tail grows faster with s than it shrinks, so a noisy s makes
 * holds short on average: the asymmetry read is trusted up to |s| 0.3 (peak at
 * 0.40-0.60). */
#define SKEW_MAX 0.3f

/* The time share at which the warped movement reaches minimum-jerk share w. */
static float skew_share(float s, float w)
{
    if (s < 1e-4f && s > -1e-4f)
        return w;
    float b = 1.0f + s;
    return (b - sqrtf(b * b - 4.0f * s * w)) / (2.0f * s);
}

/* From the 10%, 50% and 90% crossings of one movement (times in order of progress):
 * its end after the 90% crossing (`tail`) and its start before the 10% crossing, s.
 * The 50% crossing's place between the others tells the asymmetry. */
/* The time share at which a minimum-jerk movement has made progress p. */
static float mj_share(float p)
{
    float lo = 0.0f, hi = 0.5f;
    for (int k = 0; k < 24; k++) {
        float u = 0.5f * (lo + hi);
        if (u * u * u * (10.0f + u * (-15.0f + 6.0f * u)) < p)
            lo = u;
        else
            hi = u;
    }
    return 0.5f * (lo + hi);
}

/* As detect_movement_ends, from crossings at share f0, 50% and 1 - f1 of the way, the
 * asymmetry trusted up to s_max. */
static void movement_ends_skew(const int64_t t[3], float f0, float f1, float s_max,
                               float *lead_s, float *tail_s, float *skew)
{
    float span = (float)(t[2] - t[0]) * 1e-6f;
    *skew = 0.0f;
    if (!(span > 0.0f)) {
        *lead_s = *tail_s = 0.0f;
        return;
    }
    float w_lo = f0 == 0.1f ? MJ_W10 : mj_share(f0);
    float w_hi = 1.0f - (f1 == 0.1f ? MJ_W10 : mj_share(f1));
    float rho = (float)(t[1] - t[0]) * 1e-6f / span;
    /* rho falls as s rises: bisect */
    float lo = -s_max, hi = s_max;
    for (int k = 0; k < 24; k++) {
        float s = 0.5f * (lo + hi);
        float u10 = skew_share(s, w_lo), u50 = skew_share(s, MJ_W50), u90 = skew_share(s, w_hi);
        if ((u50 - u10) / (u90 - u10) > rho)
            lo = s;
        else
            hi = s;
    }
    float s = 0.5f * (lo + hi);
    float u10 = skew_share(s, w_lo), u90 = skew_share(s, w_hi);
    float dur = span / (u90 - u10);
    *lead_s = u10 * dur;
    *tail_s = (1.0f - u90) * dur;
    *skew = s;
}

static void movement_ends(const int64_t t[3], float f0, float f1, float s_max, float *lead_s,
                          float *tail_s)
{
    float s;
    movement_ends_skew(t, f0, f1, s_max, lead_s, tail_s, &s);
}

void detect_movement_ends_max(const int64_t t[3], float s_max, float *lead_s, float *tail_s,
                              float *skew)
{
    movement_ends_skew(t, 0.1f, 0.1f, s_max, lead_s, tail_s, skew);
}

void detect_movement_ends(const int64_t t[3], float *lead_s, float *tail_s)
{
    movement_ends(t, 0.1f, 0.1f, SKEW_MAX, lead_s, tail_s);
}

/* Up `engage` at least from the latest still step, and back down to `lvl` by most of
 * that rise (no still moment at the top: that would be the latest step). */
/* A still moment well above the last step, too brief to be a hold and with nothing
 * higher after it, is where a movement up and straight back down turned round (its
 * rate passes through zero there, slowly when the movement is slow), not a step to
 * measure the way back from. (A brief stop on the way up, stepping into the lunge
 * before going into the stretch, is a step: the movement went on up from it.) */
static bool brief_top(const ct_detect *d)
{
    return d->step_valid && d->step_lvl > d->prev_step_lvl + d->cfg.engage &&
           d->step_max < d->step_lvl + d->cfg.engage &&
           (float)(d->t_step_us - d->t_turn_us) * 1e-6f < TURN_PAUSE_S;
}

static bool turned_back(const ct_detect *d, float lvl)
{
    float from = d->step_lvl, top = d->step_max;
    if (brief_top(d)) {
        from = d->prev_step_lvl;
        if (d->prev_step_max > top)
            top = d->prev_step_max;
    }
    float rise = top - from;
    return d->step_valid && rise >= d->cfg.engage && lvl <= top - TURN_BACK_FRAC * rise;
}

static float turn_min_s(const ct_detect *d)
{
    return d->cfg.min_turn_s > 0.0f ? d->cfg.min_turn_s : d->cfg.min_s;
}

/* A rep's trace begins where the measure rose past the rest by `low` and ends where it
 * came back below it: 10% of a shallow rep's way (one given up, or partial) lies outside
 * it, and a crossing taken at the trace's first or last point timed its ways up and down
 * short by a fifth and more. Such a way is timed from a crossing just inside the trace
 * instead (movement_ends knows where a smooth movement passes it). The share of the way
 * (of height h above lvl) the end crossing at trace point i is taken at. */
static float rep_end_frac(const ct_detect *d, int i, float lvl, float h)
{
    float f = 0.1f;
    if (d->n > 1 && h > 0.0f) {
        float in = (d->trace[i] - lvl) / h + START_IN;
        if (in > f)
            f = in < START_FRAC_MAX ? in : START_FRAC_MAX;
    }
    return f;
}

/* A rep's way up from d->base to au above it: its crossings at f, 50% and 90% of the
 * way in t[] (the first of each); returns f (rep_end_frac). */
static float rep_way_up(const ct_detect *d, float au, int64_t t[3])
{
    float f = rep_end_frac(d, 0, d->base, au), lv[3] = {f, 0.5f, 0.9f};
    for (int k = 0; k < 3; k++) {
        float x = d->base + lv[k] * au;
        int i = 0;
        while (i < d->n && d->trace[i] < x)
            i++;
        t[k] = i < d->n ? cross_up(d, i, x) : d->t_peak_us;
    }
    if (t[1] < t[0] || t[1] > t[2])
        t[1] = t[0] + (t[2] - t[0]) / 2;
    return f;
}

/* A rep's way down from ad above end_level to it, after time t_up (the way up's 90%
 * crossing): its crossings at 90%, 50% and f of the way in t[] (the last of each);
 * returns f (rep_end_frac). */
static float rep_way_down(const ct_detect *d, float end_level, float ad, int64_t t_up,
                          int64_t t_end_us, int64_t t[3])
{
    float f = rep_end_frac(d, d->n - 1, end_level, ad), lv[3] = {0.9f, 0.5f, f};
    int j = d->n - 1;
    for (int k = 0; k < 3; k++) {
        float x = end_level + lv[k] * ad;
        j = d->n - 1;
        while (j >= 0 && d->trace[j] < x)
            j--;
        t[k] = j >= 0 ? cross_down(d, j, x) : k == 2 ? t_end_us : t_up;
        if (t[k] < t_up)
            t[k] = t_up;
    }
    if (t[2] < t[0])
        t[2] = t[0];
    if (t[1] < t[0] || t[1] > t[2])
        t[1] = t[0] + (t[2] - t[0]) / 2;
    return f;
}

/* The trace's level just before time t (the mean over LEVEL_BEFORE_S), in *lvl; false
 * when no point is there. */
static bool level_before(const ct_detect *d, int64_t t, float *lvl)
{
    return window_mean(d->trace, d->trace_t, d->n, t - (int64_t)(LEVEL_BEFORE_S * 1e6f), t,
                       lvl) > 0;
}

static bool finish(ct_detect *d, int64_t t_end_us, float end_level, ct_excursion *out,
                   bool turned)
{
    d->active = false;
    float dur_s = (float)(t_end_us - d->t_start_us) * 1e-6f;
    float min_s = turned ? turn_min_s(d) : d->cfg.min_s;
    if (dur_s < min_s || (d->cfg.max_s > 0.0f && dur_s > d->cfg.max_s))
        return false;
    /* (a pose's hold: the typical level is taken above half way from the pose it came
     * back to when that is higher than where the excursion began: the rest level first
     * learnt on the way into the pose, the pose itself is no part of the hold) */
    float lo_top = d->cfg.has_rest_min && end_level > d->base ? end_level : d->base;
    float top = upper_median(d, lo_top + 0.5f * (d->peak - lo_top));
    /* a rep turns round at its top: its ways up and down are timed to its peak (the
     * typical level of a hold is the mean of its upper half) */
    float lvl = d->cfg.hold_phases ? top : d->peak;
    float au = lvl - d->base, ad = lvl - end_level;
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
        float lvl_end = 0.0f;
        int m = window_mean(d->trace, d->trace_t, j50 + 1, w0, w1, &lvl_end);
        /* (only when the window is past the way up: a long hold) */
        int64_t t_top = INT64_MAX;
        for (int i = 0; i < d->n && t_top == INT64_MAX; i++)
            if (d->trace[i] >= d->base + 0.9f * au)
                t_top = trace_time(d, i);
        if (m > 0 && t_top < w0)
            ad = lvl_end - end_level;
    }
    int64_t hu[3], hd[3];
    out->t_start_us = d->t_start_us;
    out->t_peak_us = d->t_peak_us;
    out->t_end_us = t_end_us;
    /* where it came to rest after the hold is the start position when that is higher
     * (getting into position was part of the way up: looping the band, stepping into
     * the lunge) */
    out->base = end_level > d->base ? end_level : d->base;
    out->top = top;
    out->peak = d->peak;
    out->from = d->base;
    out->above_s = d->cfg.has_target ? d->above_s : 0.0f;
    out->turned = turned;
    float fr[3];
    if (d->cfg.hold_phases && d->n > 1 && hold_crossings(d, top, end_level + ad, end_level, hu, hd, fr, &out->from)) {
        /* a hold: from where the way up ended to where the way down began */
        float lead_u, tail_u, lead_d, tail_d;
        movement_ends(hu, fr[2], fr[0], SKEW_MAX, &lead_u, &tail_u);
        movement_ends(hd, fr[1], fr[1], SKEW_MAX, &lead_d, &tail_d);
        out->up_s = (float)(hu[2] - hu[0]) * 1e-6f + lead_u + tail_u;
        out->down_s = (float)(hd[2] - hd[0]) * 1e-6f + lead_d + tail_d;
        out->top_s = (float)(hd[0] - hu[2]) * 1e-6f - tail_u - lead_d;
        /* it began where that way up began, not where the excursion first rose past the
         * rest: walking into the pose, stepping into the lunge or an attempt given up
         * just before are no part of the hold */
        int64_t t_up0 = hu[0] - (int64_t)(lead_u * 1e6f);
        if (t_up0 > out->t_start_us && t_up0 < hu[2])
            out->t_start_us = t_up0;
    } else {
        /* a rep: its phases from the crossings of a smooth (minimum-jerk) movement near
         * its ends, which noise and tremor move least, and half way, which tells how
         * lopsided it was (see SKEW_MAX): the shares of a symmetric movement time a
         * lopsided one short (at s 0.3 by 3% of its duration, at 0.5 by 9%) and place
         * its ends off by 6-12% of it. (A hold whose crossings were not all found
         * paused or dipped on the way: its half-way crossing tells nothing of the
         * movement's shape, it is timed as a symmetric one.) */
        int64_t ru[3], rd[3];
        float s_max = d->cfg.hold_phases ? 0.0f : SKEW_MAX;
        float fu = rep_way_up(d, au, ru), lead_u, tail_u, lead_d, tail_d;
        movement_ends(ru, fu, 0.1f, s_max, &lead_u, &tail_u);
        float fd = rep_way_down(d, end_level, ad, ru[2], t_end_us, rd);
        movement_ends(rd, 0.1f, fd, s_max, &lead_d, &tail_d);
        /* A top held a while sags (the calf tires, the weight settles back): the way
         * down starts from where the top ended, not from the rep's peak, and its 90%
         * crossing taken from the peak came at once, timing the way down long and the
         * top short by a tenth of a second and more. The level the way down started
         * from: the trace where it began, found from the crossings (twice: the start
         * moves as the crossings do). (A hold's crossings not all found: its level is
         * its typical level, see above.) */
        for (int k = 0; k < 2 && !d->cfg.hold_phases; k++) {
            float lvl_d;
            int64_t t_ds = rd[0] - (int64_t)(lead_d * 1e6f);
            if (t_ds <= ru[2] || !level_before(d, t_ds, &lvl_d) || !(lvl_d < end_level + ad) ||
                !(lvl_d > end_level + 0.5f * ad))
                break;
            ad = lvl_d - end_level;
            fd = rep_way_down(d, end_level, ad, ru[2], t_end_us, rd);
            movement_ends(rd, 0.1f, fd, s_max, &lead_d, &tail_d);
        }
        out->up_s = (float)(ru[2] - ru[0]) * 1e-6f + lead_u + tail_u;
        out->down_s = (float)(rd[2] - rd[0]) * 1e-6f + lead_d + tail_d;
        out->top_s = (float)(rd[0] - ru[2]) * 1e-6f - tail_u - lead_d;
    }
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
    d->plateau_rose = false;
    d->valley = x;
    d->t_valley_us = t_us;
    d->t_cross_us = d->t_drop_us = d->t_ease_us = d->t_wait_us = INT64_MIN;
    d->wait_end = false;
    /* it rose from a still level */
    d->step_valid = true;
    d->step_lvl = base;
    d->step_max = x;
    d->t_step_us = t0_us;
    d->prev_step_lvl = base;
    d->prev_step_max = x;
    d->prev_t_step_us = t0_us;
    d->t_turn_us = t0_us;
    d->turned = false;
    d->gave_up = false;
    d->cont = d->pressed;
}

/* A hold begun as the pose was taken (walking into the dog and pressing the heels down
 * at once): the rest level was first learnt in the hold, so the hold never rose above
 * it. It shows when the measure comes to rest a clear step below the level held (the
 * heels back up: POSE_STEP `engage` on average, more than the sway in the pose), and
 * it ran from where the measure rose past that new rest to where it left the level
 * held. */
/* The trace taken anew from the pose's buffer, from its point i0 on (at its stride) */
static void trace_from_pose(ct_detect *d, int i0)
{
    trace_reset(d);
    for (int i = i0; i < d->pose_n && d->n < DETECT_BUF; i++) {
        d->trace[d->n] = d->pose_x[i];
        d->trace_t[d->n] = d->pose_t[i];
        d->trace_q[d->n++] = d->pose_q[i];
    }
    d->stride = d->pose_stride;
}

/* The hold held back for pose_update (pose_pend), told as it was when no hold begun with
 * the pose shows after all: true when there was one (*out filled). */
static bool pose_release(ct_detect *d, ct_excursion *out)
{
    if (!d->pose_pend_valid)
        return false;
    *out = d->pose_pend;
    d->pose_pend_valid = false;
    return true;
}

static bool pose_update(ct_detect *d, float x, int64_t t_us, ct_excursion *out)
{
    decimated_push(d->pose_x, d->pose_t, d->pose_q, DETECT_POSE_BUF, &d->pose_n, &d->pose_stride,
                   &d->pose_skip, x, t_us, d->quiet_s >= STEP_QUIET_S);
    if (x >= d->pose_held - d->cfg.engage) {
        if (d->t_pose_drop_us != INT64_MIN ? x >= d->pose_held - d->cfg.low
                                           : x >= d->rest - d->cfg.low)
            d->pose_held = d->rest; /* (the rest lags a quick way down) */
        if (x >= d->pose_held - d->cfg.low)
            d->t_pose_drop_us = INT64_MIN;
        return false;
    }
    if (d->t_pose_drop_us == INT64_MIN) {
        d->t_pose_drop_us = t_us;
        d->t_pose_rest_us = INT64_MIN;
    }
    /* At rest down there at any moment since will do (as drop_rested): the sway in the
     * pose keeps the measure from looking still for long at a stretch, and a person who
     * stands up out of the pose soon after the heels came back up may rest there little
     * longer than the rest between holds, still for a second or two of it only (a hold
     * begun with the pose was lost so: the pose left with no hold told). The rest: from
     * where the measure last became still on. */
    if (d->quiet_s >= REST_MIN_S) {
        int64_t t_rest = t_us - (int64_t)(d->quiet_s * 1e6f);
        d->t_pose_rest_us = t_rest > d->t_pose_drop_us ? t_rest : d->t_pose_drop_us;
    }
    if (d->active || (float)(t_us - d->t_pose_drop_us) * 1e-6f < d->cfg.gap_s ||
        d->t_pose_rest_us == INT64_MIN)
        return false;
    /* the level come to rest at: the mean over the rest */
    float end;
    if (window_mean(d->pose_x, d->pose_t, d->pose_n, d->t_pose_rest_us, INT64_MAX, &end) == 0)
        return false;
    /* the level held: the mean over POSE_WIN_S before the way down (the rest level is
     * wherever the sway had it) */
    int64_t w1 = d->t_pose_drop_us - (int64_t)(LEVEL_GAP_S * 1e6f);
    int64_t w0 = w1 - (int64_t)(POSE_WIN_S * 1e6f);
    float held = d->pose_held;
    window_mean(d->pose_x, d->pose_t, d->pose_n, w0, w1, &held);
    if (end > held - POSE_STEP * d->cfg.engage)
        return pose_release(d, out);
    /* it ended where it last came down half way, and began where it last rose past
     * the new rest before that (the sway in the hold crosses half way; an attempt
     * given up before it comes back to that rest), over dips back near that rest
     * shorter than the rest between holds (`gap_s`): the press leans the shank 2-4 deg
     * and the sway is about as large, its slowest swings bringing the shank back near
     * the pose for a moment while the heels stay pressed */
    float half = end + 0.5f * (held - end);
    int i1 = -1;
    for (int i = 0; i < d->pose_n && d->pose_t[i] < d->t_pose_drop_us; i++)
        if (d->pose_x[i] >= half)
            i1 = i;
    if (i1 < 0)
        return pose_release(d, out);
    int i0 = i1;
    for (;;) {
        while (i0 > 0 && d->pose_x[i0 - 1] >= end + d->cfg.low)
            i0--;
        /* (a dip back near the new rest, shorter than the rest between holds: the sway) */
        int j = i0 - 1;
        while (j > 0 && d->pose_x[j] < end + d->cfg.low)
            j--;
        if (j <= 0 || d->pose_x[j] < end + d->cfg.low ||
            (float)(d->pose_t[i0] - d->pose_t[j]) * 1e-6f >= d->cfg.gap_s)
            break;
        i0 = j;
    }
    int ip = i0;
    for (int i = i0; i <= i1; i++)
        if (d->pose_x[i] > d->pose_x[ip])
            ip = i;
    /* the excursion: its trace from where it rose past the new rest */
    trace_from_pose(d, i0);
    d->active = true;
    d->base = end;
    d->peak = d->pose_x[ip];
    d->t_peak_us = d->pose_t[ip];
    d->t_start_us = d->pose_t[i0];
    d->above_s = 0.0f;
    for (int i = i0 + 1; i <= i1; i++)
        if (d->cfg.has_target && d->pose_x[i] >= d->cfg.target)
            d->above_s += (float)(d->pose_t[i] - d->pose_t[i - 1]) * 1e-6f;
    bool ended = finish(d, d->pose_t[i1 + 1 < d->pose_n ? i1 + 1 : i1], end, out, false);
    trace_reset(d);
    if (!ended) {
        /* too brief for a hold: that was getting into the pose, taken now */
        pose_reset(d, d->rest);
        return pose_release(d, out);
    }
    /* (a hold held back at a swing in it is part of this one) */
    d->pose_pend_valid = false;
    d->pose_open = false;
    /* (the pose: where the measure rested after the hold, on average; this moment may be
     * the bottom of a swing of the sway, from which the next swing up looks a press) */
    d->rest = end;
    low_take(d, x, t_us);
    d->t_low_us = t_us;
    return true;
}

/* The least rise of the measure's average above where a pose's press rose from that is
 * a level kept: LEVEL_K times the sway's spread about the pose, `low` at least (and no
 * more than `engage`, which starts a hold at once). */
static float level_step(const ct_detect *d)
{
    float step = LEVEL_K * d->lv_spread;
    if (step < d->cfg.low)
        step = d->cfg.low;
    if (step > d->cfg.engage)
        step = d->cfg.engage;
    return step;
}

/* A pose's press kept at a level (see LEVEL_S), followed whatever the rises from the
 * rest level do meanwhile (one seen and dropped as too brief, a swing of the sway in
 * the press back near the pose, leaves it followed; a hold told ends it). True when it
 * is told now (*out filled). Its trace: pose_x, which while the pose is open follows
 * the pose itself, and otherwise the press from just before it rose. */
static bool level_update(ct_detect *d, float x, int64_t t_us, float dt_s, bool still,
                         bool counting, ct_excursion *out)
{
    float px = d->lv_px;
    int64_t pt = d->lv_pt;
    d->lv_px = x;
    d->lv_pt = t_us;
    if (!counting || !d->rest_valid || d->pressed || d->held_valid) {
        d->lv_risen = false;
        return false;
    }
    float tau = d->cfg.rest_tau_s > 0.0f ? d->cfg.rest_tau_s : REST_TAU_S;
    if (!d->lv_risen) {
        if (d->active)
            return false;
        /* (the pose's level follows the sway about it, not the start of a slow press:
         * no more than `low` / 2 above it at a time) */
        float xp = x < d->lv_pose + 0.5f * d->cfg.low ? x : d->lv_pose + 0.5f * d->cfg.low;
        d->lv_pose += (xp - d->lv_pose) * d->k_pose;
        float base = d->lv_pose < d->rest ? d->lv_pose : d->rest;
        if (x >= base + d->cfg.low) {
            d->lv_risen = true;
            d->lv_held = false;
            d->lv_in_pose = d->pose_open;
            d->lv_base = base;
            d->t_lv_us = d->t_lv_up_us = t_us;
            if (!d->pose_open) {
                /* (its trace, from the last moment near the pose) */
                pose_reset(d, d->pose_held);
                decimated_push(d->pose_x, d->pose_t, d->pose_q, DETECT_POSE_BUF, &d->pose_n,
                               &d->pose_stride, &d->pose_skip, px, pt, 0);
            }
        } else if (still && (float)(t_us - d->t_rest_from_us) * 1e-6f >= RISE_SETTLE * tau) {
            float dev = x > d->rest ? x - d->rest : d->rest - x;
            d->lv_spread += (dev - d->lv_spread) * d->k_spread;
        }
        if (!d->lv_risen)
            return false;
    }
    if (!d->pose_open)
        decimated_push(d->pose_x, d->pose_t, d->pose_q, DETECT_POSE_BUF, &d->pose_n,
                       &d->pose_stride, &d->pose_skip, x, t_us, d->quiet_s >= STEP_QUIET_S);
    if (x >= d->lv_base + d->cfg.low)
        d->t_lv_up_us = t_us;
    float since_s = (float)(t_us - d->t_lv_us) * 1e-6f, step = level_step(d);
    if (d->pose_open != d->lv_in_pose) {
        d->lv_risen = false;
        return false;
    }
    if (!d->lv_held) {
        /* the average back under the pose, or back within half a step of it once the
         * press would be up: no press */
        if (d->lv_mean < d->lv_base ||
            (since_s > RISE_S && d->lv_mean < d->lv_base + 0.5f * step)) {
            d->lv_risen = false;
            return false;
        }
        d->lv_held = since_s >= LEVEL_S && d->lv_mean >= d->lv_base + step;
        return false;
    }
    /* (while the pose is open, its rest level may have been learnt in a hold begun
     * with it: one whose way down went `engage` below that level is pose_update's) */
    if (d->active || d->lv_mean >= d->lv_base + 0.5f * step ||
        (d->pose_open && d->t_pose_drop_us != INT64_MIN))
        return false;
    /* back down: the hold, its trace from the last point before it rose to now */
    d->lv_risen = false;
    int i0 = 0;
    for (int i = 0; i < d->pose_n; i++)
        if (d->pose_t[i] < d->t_lv_us)
            i0 = i;
    trace_from_pose(d, i0);
    if (d->n < 2)
        return false;
    start(d, d->trace_t[0], d->lv_base, x, t_us);
    for (int i = 0; i < d->n; i++) {
        if (d->trace[i] > d->peak) {
            d->peak = d->trace[i];
            d->t_peak_us = d->trace_t[i];
        }
        if (i > 0 && d->cfg.has_target && d->trace[i] >= d->cfg.target)
            d->above_s += (float)(d->trace_t[i] - d->trace_t[i - 1]) * 1e-6f;
    }
    /* (it ended where the measure was last `low` above the pose) */
    bool told = finish(d, d->t_lv_up_us, d->lv_base, out, false);
    d->t_rise_us = INT64_MIN;
    d->t_rest_from_us = t_us;
    low_take(d, x, t_us);
    d->t_low_us = t_us;
    d->lv_pose = d->rest;
    trace_reset(d);
    return told;
}

/* Resting between holds: still for `gap_s` at least `engage` below the level held (the
 * level held rather than the highest bounce: a hold sagging a little is still the
 * hold). Only the rest itself counts: a hold is often as still as the rest after it
 * (the rate stays low through a steady hold and a slow way out of it), so the still
 * time that began in the hold says nothing about having come out of it. */
static bool rested_below(const ct_detect *d, float x, int64_t t_us)
{
    /* (a pose's hold: the level held is taken above half way from where the measure
     * rests now, which may be well above the excursion's base when the pose was first
     * learnt on the way into it: a long rest in the pose would pull the median down) */
    /* (a band stretch, no_ease: its first hold may flow on from looping the band, up
     * from the foot pointed, a pull, and back to rest, all one excursion. The rest after
     * it is then well above the excursion's base and most of what lies above half way
     * from there, and was taken for the level held, which the rest was never `engage`
     * below: so the level held is taken above half way from the rest, and before the
     * present still spell.) */
    float from = (d->cfg.has_rest_min || d->cfg.no_ease) && x > d->base ? x : d->base;
    int upto = d->n;
    if (d->cfg.no_ease)
        while (upto > 0 && d->trace_q[upto - 1])
            upto--;
    float held = upper_median_n(d, upto, from + 0.5f * (d->peak - from));
    /* (a band stretch: a person with little range, 4-5 deg past where the band leaves
     * the foot, rests between holds only that far below the level held, hardly
     * `engage`: resting half that way down, `low` at least, is a step below it; the
     * pull is steady, so a hold does not sag by half its height for the rest between
     * holds) */
    float step = d->cfg.engage;
    if (d->cfg.no_ease && x > d->base) {
        float half = 0.5f * (held - x);
        step = half < d->cfg.low ? d->cfg.low : half < step ? half : step;
    }
    float lvl = held - step;
    int i = d->n;
    while (i > 0 && d->trace_q[i - 1] && d->trace[i - 1] < lvl)
        i--;
    if (i == d->n)
        return false;
    return (float)(t_us - d->trace_t[i]) * 1e-6f >= d->cfg.gap_s;
}

/* A pose's hold (has_rest_min) eased off for a moment: down from it for less than
 * `gap_s` so far. Easing off and pressing the heels down again takes less than the
 * pause between holds (HOLD_GAP_S), so the hold is not over yet: if the press comes back
 * it goes on, and is timed whole. */
static bool eased_in_pose(const ct_detect *d, int64_t t_us)
{
    return d->cfg.has_rest_min && (float)(t_us - d->t_drop_us) * 1e-6f < d->cfg.gap_s;
}

/* Still again well below the top of a hold, but nearer the top than the start: easing
 * off for a moment before going back in (the weight taken off the front leg, a breath),
 * which takes less than the rest between holds (`gap_s`); told apart by waiting that
 * long. EASE_FRAC: the share of the way down from the top to the start. (A pose's
 * holds, a few degrees deep, have their own rule for a dip: PRESSED_FRAC.) */
static bool eased_off(const ct_detect *d, float x, float drop)
{
    if (!d->cfg.hold_phases || d->cfg.has_rest_min || d->cfg.no_ease || !(d->cfg.gap_s > 0.0f) ||
        d->quiet_s >= d->cfg.gap_s)
        return false;
    if (x > d->base + EASE_FRAC * (d->peak - d->base))
        return true;
    /* A shallow hold (a partial one, 10-15 deg) eased off by a few degrees goes down a
     * larger share of its way, and the drop that ends a hold is taken from its top, a
     * bounce or the first moment in it, often 2-3 deg above where it was held: such a
     * dip is easing off too when it is less than that drop below the level held (the
     * mean of its upper half, as rested_below takes it) */
    return x > upper_median(d, d->base + 0.5f * (d->peak - d->base)) - drop;
}

/* A pose's hold told at a dip still pressed (h) and the same hold going on after it (c):
 * one hold, from h's start to c's end, held from h's way up to c's way down (the dip is
 * part of the hold: easing off for a moment and pressing the heels down again). */
static void held_join(ct_excursion *h, const ct_excursion *c)
{
    int64_t top_end_h = h->t_start_us + (int64_t)((h->up_s + h->top_s) * 1e6f);
    int64_t top_end_c = c->t_start_us + (int64_t)((c->up_s + c->top_s) * 1e6f);
    if (top_end_c > top_end_h)
        h->top_s += (float)(top_end_c - top_end_h) * 1e-6f;
    h->t_end_us = c->t_end_us;
    h->down_s = c->down_s;
    if (c->peak > h->peak) {
        h->peak = c->peak;
        h->t_peak_us = c->t_peak_us;
    }
    if (c->base < h->base)
        h->base = c->base;
    h->above_s += c->above_s;
    h->turned = false;
}

static bool detect_step(ct_detect *d, float x, int64_t t_us, float dt_s, bool still,
                        bool settled, bool counting, ct_excursion *out)
{
    d->dt_s = dt_s;
    bool told = false;
    float rest_tau = d->cfg.rest_tau_s > 0.0f ? d->cfg.rest_tau_s : REST_TAU_S;
    if (dt_s != d->per_dt || rest_tau != d->per_rest_tau) {
        d->per_dt = dt_s;
        d->per_rest_tau = rest_tau;
        d->k_quiet = dt_s / (QUIET_TAU_S + dt_s);
        d->k_level = dt_s / (LEVEL_TAU_S + dt_s);
        d->k_rest = dt_s / (rest_tau + dt_s);
        d->k_pose = dt_s / (LEVEL_POSE_TAU_S + dt_s);
        d->k_spread = dt_s / (LEVEL_SPREAD_TAU_S + dt_s);
    }
    /* quiet: the measure itself hardly changes (tremor at a held position, sway) */
    if (d->x_valid) {
        float r = (x - d->x_prev) / dt_s;
        d->rate += (r - d->rate) * d->k_quiet;
    }
    d->lv_mean = d->x_valid ? d->lv_mean + (x - d->lv_mean) * d->k_level : x;
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
        d->pose_open = false;
    }
    if (d->pose_open && pose_update(d, x, t_us, out)) {
        d->lv_risen = false;
        return true;
    }
    if (d->cfg.has_rest_min && level_update(d, x, t_us, dt_s, still, counting, out))
        return true;
    if (!d->active) {
        if (d->cfg.has_rest_min && x < d->cfg.rest_min) {
            d->rest_valid = false; /* not in the exercise's position: nothing starts here */
            d->pose_open = false;
            /* (nor from the way out: its last moment above rest_min is no level a hold
             * in the pose taken anew rises from, which would take walking back into the
             * pose for part of it, and then never be back near where it began) */
            low_forget(d);
            trace_reset(d);
            return false;
        }
        /* the rest level follows only a measure that keeps level: a slow, steady turn
         * (easing into a stretch) can look still to the pod */
        if (still && (quiet || !d->rest_valid)) {
            if (!d->rest_valid) {
                d->rest = d->lv_pose = x;
                d->rest_valid = true;
                d->t_rise_us = INT64_MIN;
                d->t_rest_from_us = t_us;
                /* the pose just taken: its first hold may begin with it */
                if (d->cfg.has_rest_min && d->cfg.hold_phases && counting) {
                    d->pose_open = true;
                    pose_reset(d, x);
                }
            }
            d->rest += (x - d->rest) * d->k_rest;
        }
        if (!d->rest_valid)
            return false;
        /* A pose's press (has_rest_min) is a few degrees, and comes up in a second or
         * two at less than the rate taken for still: the rest level, following the pose
         * with the sway, climbs with the press and the press never rises `engage` above
         * it. The level the measure rose from is kept for the time a press takes to come
         * up and be held for a swing of the sway (RISE_S); a slow drift of the pose that
         * stays up longer without rising `engage` is the pose moving, and followed. */
        float rest = d->rest;
        /* (slow_rise: the same for a slow pull from any rest, the band stretch's with a
         * small range) */
        if (d->cfg.has_rest_min || d->cfg.slow_rise) {
            float tau = d->cfg.rest_tau_s > 0.0f ? d->cfg.rest_tau_s : REST_TAU_S;
            if (d->t_rise_us == INT64_MIN) {
                /* (once the rest level has settled on the pose: after a hold the heels
                 * come back to it over a swing of the sway) */
                if (x >= d->rest + d->cfg.low &&
                    (float)(t_us - d->t_rest_from_us) * 1e-6f >= RISE_SETTLE * tau) {
                    d->rise_from = d->rest;
                    d->t_rise_us = t_us;
                }
            } else if (x < d->rise_from + RISE_BACK * d->cfg.low ||
                       (float)(t_us - d->t_rise_us) * 1e-6f > RISE_S) {
                d->t_rise_us = INT64_MIN;
            }
            if (d->t_rise_us != INT64_MIN && d->rise_from < rest)
                rest = d->rise_from;
        }
        /* back in the pose, or resting between holds: the heels are up */
        if (d->pressed && (x < d->pressed_base + d->cfg.engage || d->quiet_s >= d->cfg.gap_s ||
                           (d->held_valid &&
                            (float)(t_us - d->held.t_end_us) * 1e-6f > PRESS_AGAIN_S)))
            d->pressed = false;
        if (!d->pressed && d->held_valid) {
            /* the heels back up: the hold held back at its dip is told now */
            *out = d->held;
            d->held_valid = false;
            told = true;
        }
        /* A hold held back at a dip still pressed (held_valid) goes on once the measure
         * is back up at the level it was held at, give or take `low`: the heels pressed
         * again. The rest level, which follows the measure wherever it is still, may have
         * followed the way back up (a steady press is as still as a rest) and is no
         * reference for that: the hold going on is measured from the pose it began from,
         * where the heels come back to at its end. */
        bool back_in = d->pressed && d->held_valid && x >= d->held.top - d->cfg.low;
        if (x < rest + d->cfg.low && !back_in) {
            /* the lowest level of this low period (since the measure last went up);
             * for reps, of its last LOW_KEEP_S: a rep begun right after the last came
             * down starts from that bottom, but a dip long before it (a step while
             * walking back to the spot) is not where it starts from. (A hold's way in
             * may begin with a slow dip: stepping into the lunge, loosening the band.) */
            if (x < d->low_min || d->n > 0 ||
                (!d->cfg.hold_phases &&
                 (d->t_low_min_us == INT64_MIN || t_us - d->t_low_min_us > LOW_KEEP_US))) {
                low_take(d, x, t_us);
            }
            d->t_low_us = t_us;
            trace_reset(d);
            return told;
        }
        if (!counting)
            return told;
        if (d->n == 0)
            d->t_start_us = d->t_low_us;
        trace_push(d, x, t_us);
        if (x > rest + d->cfg.engage || back_in) {
            /* from where it really was: the rest level lags a quick turn-around (the
             * next rep begun right after the last one came down) */
            start(d, d->t_start_us,
                  back_in ? d->pressed_base : d->low_min < rest ? d->low_min : rest, x, t_us);
            d->t_rise_us = INT64_MIN;
        }
        return told;
    }

    /* a short plateau and a further rise beyond anything before: that was getting into
     * position (a bounce in the stretch does not go beyond its own top). Where the
     * exercise's pose gates the start (the downward dog), getting into position is no
     * excursion at all: a pause on the way into a hold is only a pause, and the sway in
     * a hold a few degrees deep rises past it as much as `engage`. A hold reached in one
     * quick movement and bounced in from its first still moment rises past that moment
     * by as much as `engage` too, and straight back below it: the rise is the movement
     * on from a position only once it comes to rest above it (still again, `engage`
     * above the plateau); back near the plateau first, it was a bounce at the top. */
    if (!still && !d->cfg.has_rest_min && d->plateau_valid && !d->plateau_rose &&
        x > d->plateau + d->cfg.engage && x > d->plateau_peak + 0.5f * d->cfg.engage &&
        (float)(d->t_plateau_us - d->t_start_us) * 1e-6f < d->cfg.min_s) {
        d->plateau_rose = true;
        d->t_rose_us = t_us;
        d->t_rose_back_us = INT64_MIN;
    }
    bool restart = false;
    if (d->plateau_rose && d->t_rose_back_us == INT64_MIN) {
        if ((d->quiet_s >= PLATEAU_MIN_S && x > d->plateau + d->cfg.engage) ||
            (float)(t_us - d->t_rose_us) * 1e-6f >= BOUNCE_S)
            restart = true; /* at rest above it, or up longer than a bounce */
        else if (x < d->plateau + d->cfg.low)
            d->t_rose_back_us = t_us;
    } else if (d->plateau_rose) {
        /* back at the plateau at once: resting there soon, it was an attempt begun
         * from it (given up); up again, it was a bounce */
        if (x > d->plateau + d->cfg.engage || x < d->plateau - d->cfg.low ||
            (float)(t_us - d->t_rose_back_us) * 1e-6f > 2.0f * BOUNCE_S) {
            /* (or went on past it, or did not rest there): the plateau was the top
             * of a hold, no position to move on from */
            d->plateau_rose = false;
            d->plateau_valid = false;
        } else if (d->quiet_s >= PLATEAU_MIN_S)
            restart = true;
    }
    if (restart) {
        /* restarted from the plateau: the trace kept from there on */
        float base = d->plateau, above = d->above_s;
        int64_t t0 = d->t_plateau_us, back = d->t_rose_back_us;
        int m = 0;
        for (int i = 0; i < d->n; i++)
            if (d->trace_t[i] >= t0) {
                d->trace[m] = d->trace[i];
                d->trace_t[m] = d->trace_t[i];
                d->trace_q[m++] = d->trace_q[i];
            }
        d->n = m;
        start(d, t0, base, x, t_us);
        d->above_s = above;
        for (int i = 0; i < m; i++)
            if (d->trace[i] > d->peak) {
                d->peak = d->trace[i];
                d->t_peak_us = d->trace_t[i];
            }
        d->valley = d->peak;
        d->t_valley_us = d->t_peak_us;
        d->step_max = d->peak;
        if (back != INT64_MIN)
            d->t_cross_us = back; /* (back near the base since) */
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
            bool ended = finish(d, tv, v, out, false);
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
    /* still steps: a new one that began back down most of the way from the rise after
     * the last one (no still moment at its top) follows an attempt turned back */
    if (d->cfg.hold_phases) {
        if (d->quiet_s >= PLATEAU_MIN_S) {
            if (d->quiet_s - dt_s < PLATEAU_MIN_S) {
                /* (the way back from a turn-around is measured from the step the
                 * movement rose from) */
                if (brief_top(d)) {
                    if (d->prev_step_max > d->step_max)
                        d->step_max = d->prev_step_max;
                    d->step_lvl = d->prev_step_lvl;
                    d->t_step_us = d->prev_t_step_us;
                }
                d->prev_step_lvl = d->step_lvl;
                d->prev_step_max = d->step_max;
                d->prev_t_step_us = d->t_step_us;
                d->turned = turned_back(d, x);
                d->t_turn_us = t_us - (int64_t)(d->quiet_s * 1e6f);
                d->turn_foot = d->step_lvl;
                d->t_turn_foot_us = d->t_step_us;
            }
            /* its level: the mean over it */
            d->step_m = d->quiet_s - dt_s < PLATEAU_MIN_S ? 1 : d->step_m + 1;
            d->step_lvl = d->step_m == 1 ? x : d->step_lvl + (x - d->step_lvl) / (float)d->step_m;
            d->step_valid = true;
            d->step_max = d->step_lvl > x ? d->step_lvl : x;
            d->t_step_us = t_us;
        } else {
            if (x > d->step_max)
                d->step_max = x;
            if (d->quiet_s <= 0.0f)
                d->turned = false;
        }
    }

    /* An attempt given up on the way into the first hold (stepping into the lunge and on
     * into the stretch in one go, then easing back into the stance): it comes down a
     * part of the way only, to where the stance leans the shank, and rests there, often
     * nearer the top than the start. Resting that far below the top (`low`) for as long
     * as the rest between holds (`gap_s`; easing off for a moment in a hold is shorter),
     * then moving on past the top by GAVE_UP_PAST `engage`, it was an attempt and the
     * movement past it the next one: the attempt ended where it came to rest and the
     * next began where it left the rest. (A hold eased off and gone back into reaches
     * its own level again, not `engage` past its top.) */
    /* (Not a pose's press, whose sway dips and rises by `engage`, nor the band stretch,
     * where the foot rests wherever the band's pull leaves it: no_ease.) */
    if (d->cfg.hold_phases && !d->cfg.has_rest_min && !d->cfg.no_ease && d->cfg.gap_s > 0.0f) {
        if (d->quiet_s >= d->cfg.gap_s && x <= d->peak - d->cfg.low) {
            if (!d->gave_up || d->quiet_s - dt_s < d->cfg.gap_s) {
                d->gave_up = true;
                d->t_gave_up_us = t_us - (int64_t)(d->quiet_s * 1e6f);
                d->gave_up_peak = d->peak;
                d->t_gave_up_peak_us = d->t_peak_us;
                d->gave_up_lvl = x;
                d->gave_up_m = 1;
            } else {
                d->gave_up_m++;
                d->gave_up_lvl += (x - d->gave_up_lvl) / (float)d->gave_up_m;
            }
            d->t_gave_up_end_us = t_us;
        }
        if (d->gave_up && settled && x > d->gave_up_peak + GAVE_UP_PAST * d->cfg.engage) {
            int64_t t_end = d->t_gave_up_us, t_next = d->t_gave_up_end_us;
            float lvl = d->gave_up_lvl;
            float tx[DETECT_BUF];
            int64_t tt[DETECT_BUF];
            int m = 0, keep = 0;
            for (int i = 0; i < d->n; i++) {
                if (d->trace_t[i] >= t_next) {
                    tx[m] = d->trace[i];
                    tt[m++] = d->trace_t[i];
                } else if (d->trace_t[i] <= t_end) {
                    keep = i + 1;
                }
            }
            d->n = keep;
            /* (its top: the rise since is the next movement's) */
            d->peak = d->gave_up_peak;
            d->t_peak_us = d->t_gave_up_peak_us;
            bool ended = finish(d, t_end, lvl, out, true);
            trace_reset(d);
            start(d, t_next, lvl, lvl, t_next);
            for (int i = 0; i < m; i++) {
                trace_push(d, tx[i], tt[i]);
                if (tx[i] > d->peak) {
                    d->peak = tx[i];
                    d->t_peak_us = tt[i];
                }
            }
            d->valley = d->peak;
            d->t_valley_us = d->t_peak_us;
            d->step_max = d->peak;
            return ended;
        }
    }

    /* back near the base... */
    if (x < d->base + d->cfg.low) {
        if (d->t_cross_us == INT64_MIN)
            d->t_cross_us = t_us;
    } else {
        d->t_cross_us = INT64_MIN;
    }
    if (d->t_cross_us == INT64_MIN && d->t_wait_us != INT64_MIN && !d->wait_end)
        d->t_wait_us = INT64_MIN; /* a bounce through the bottom: the hold goes on */
    /* ...or still again well below the top: a new base */
    float drop = 0.3f * (d->peak - d->base);
    if (drop < 2.0f * d->cfg.engage)
        drop = 2.0f * d->cfg.engage;
    if (x < d->peak - drop) {
        if (d->t_drop_us == INT64_MIN) {
            d->t_drop_us = t_us;
            d->drop_rested = false;
        }
        /* (a pose's hold: at rest at any moment since; the sway in the pose keeps
         * the measure from looking still for long at a stretch) */
        d->drop_rested = d->drop_rested || rested;
    } else if (!d->cfg.has_rest_min || x >= d->peak - 0.5f * drop) {
        /* (a pose's hold: the press is back only once the measure is back half way
         * from there to the top; the sway at the rest between holds crosses the line
         * itself) */
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
     * only passes through it; an excursion too short to count (a fidget, or an attempt
     * turned back at once) ends at once */
    bool near = d->t_cross_us != INT64_MIN;
    float since_s = near ? (float)(t_us - d->t_cross_us) * 1e-6f : 0.0f;
    float before_s = near ? (float)(d->t_cross_us - d->t_start_us) * 1e-6f : 0.0f;
    /* an attempt turned back is over once resting where it began (a bounce in a hold
     * passes the bottom without resting): waited for a moment */
    bool waiting = d->t_cross_us != INT64_MIN && d->t_wait_us != INT64_MIN;
    bool attempt = d->cfg.hold_phases && d->t_cross_us != INT64_MIN &&
                   before_s >= turn_min_s(d) &&
                   (d->turned || turned_back(d, d->base) || waiting);
    /* (ease_at_base: easing off may go back near the base itself for a moment: it is
     * over once it has stayed there `gap_s`, the rest between holds) */
    bool back = d->t_cross_us != INT64_MIN &&
                (d->cfg.ease_at_base ? since_s >= d->cfg.gap_s || before_s < d->cfg.min_s
                                     : d->quiet_s >= END_QUIET_S || since_s >= d->cfg.end_s ||
                                           before_s < d->cfg.min_s);
    if (settled && attempt && rested) {
        ended = finish(d, d->t_cross_us, d->base, out, true);
    } else if (settled && attempt && since_s < d->cfg.end_s + REST_MIN_S) {
        d->t_wait_us = d->t_cross_us; /* waiting for the rest */
        /* (up again without resting: an attempt and the next one if it was back near
         * the base for as long as the rest between holds; sooner, after a while in the
         * hold (EASE_AFTER_GAPS rests between holds: longer than a fidget or a shift of
         * weight), the hold was eased off for a moment, which for a shallow hold, its
         * sag and sway taken too, goes as near its base: the sway keeps it from looking
         * quiet there for long) */
        bool eased = !d->cfg.has_rest_min && d->cfg.gap_s > 0.0f && since_s < d->cfg.gap_s &&
                     before_s >= EASE_AFTER_GAPS * d->cfg.gap_s;
        d->wait_end = d->wait_end || (back && !eased);
    } else if (settled && back) {
        /* an attempt seen turned back that went on down past where it began instead
         * of resting there (stepping out of the lunge, standing up from the band) is
         * over as that attempt: a bounce in a hold turns up again */
        ended = finish(d, d->t_cross_us, d->base, out, waiting && x < d->base - d->cfg.low);
    } else if (settled && d->t_wait_us != INT64_MIN && d->t_cross_us == INT64_MIN && d->wait_end) {
        /* up again before resting: it ended where it would have without the wait */
        ended = finish(d, d->t_wait_us, d->base, out, false);
    } else if (settled && d->t_drop_us != INT64_MIN &&
               (d->cfg.has_rest_min ? d->drop_rested : rested) && !eased_off(d, x, drop)) {
        if (!eased_in_pose(d, t_us)) {
            float base = d->base;
            ended = finish(d, d->t_drop_us, x, out, d->turned);
            /* a pose's hold whose sway dipped a while: come to rest nearer the level
             * held than the pose it began from, the heels are still pressed */
            if (ended && !d->cont && d->cfg.has_rest_min &&
                x > base + PRESSED_FRAC * (out->top - base)) {
                d->pressed = true;
                d->pressed_base = base;
                /* (told once the heels are back up: pressed again first, it goes on;
                 * the pose's first hold is over, as once told) */
                d->held = *out;
                d->held_valid = true;
                d->pose_open = false;
                ended = false;
            }
        }
    } else if (settled && d->cfg.gap_s > 0.0f && d->quiet_s >= d->cfg.gap_s &&
               d->t_ease_us != INT64_MIN &&
               (float)(t_us - d->t_ease_us) * 1e-6f >= d->cfg.gap_s && rested_below(d, x, t_us)) {
        ended = finish(d, d->t_ease_us, x, out, d->turned);
    } else if (settled && d->turned &&
               (d->cfg.has_rest_min
                    ? d->quiet_s >= d->cfg.gap_s &&
                          (d->pose_open || x < d->base + PRESSED_FRAC * (d->peak - d->base))
                    : rested)) {
        /* resting after an attempt turned back: it is over, and it began at the still
         * step it rose from, whatever came before it in this excursion (stepping into
         * the lunge). (A pose's press comes up slower than the rate taken for still, so
         * the still step it is measured from may lie inside the press itself, and a
         * swing of the sway in it dips a degree or two below that for a second or so:
         * turned back only once resting there `gap_s`, longer than easing off for a
         * moment and pressing again takes; the sway moves on within that. Resting nearer
         * the level held than the pose, the heels are still pressed (PRESSED_FRAC); while
         * the pose is still open its level is not known yet.) */
        d->base = d->turn_foot;
        d->t_start_us = d->t_turn_foot_us;
        ended = finish(d, d->t_turn_us, x, out, true);
    }
    if (d->cont && ended && d->held_valid)
        held_join(&d->held, out);
    if (d->cont)
        ended = false; /* (the hold is told, joined, once the heels are back up) */
    /* A hold ended while the pose is open, the measure come down `engage` below the rest
     * level learnt in the pose: that level may have been learnt in a hold begun with the
     * pose (walking into the dog with the heels pressed), and what ended now a swing of
     * the sway in it. pose_update tells which once the measure has rested (`gap_s`): the
     * whole hold begun with the pose, or this one as it was. */
    if (ended && d->cfg.has_rest_min && d->pose_open && d->t_pose_drop_us != INT64_MIN) {
        d->pose_pend = *out;
        d->pose_pend_valid = true;
        ended = false;
    }
    if (!d->active) { /* where it came to rest is the new base */
        /* (a pose's hold: the heels come back to the pose they were pressed from, whose
         * level is the rest learnt before the hold; the way down may end at the bottom
         * of a swing of the sway, and the swing back up is no press. A pose taken anew
         * higher up is the new rest.) */
        if (!d->cfg.has_rest_min || x > d->rest)
            d->rest = x;
        d->lv_pose = d->rest;
        /* (a hold told, or held back: any press followed as a level was that hold) */
        if (ended || d->held_valid || d->pose_pend_valid)
            d->lv_risen = false;
        d->t_rest_from_us = t_us;
        low_take(d, x, t_us);
        d->t_low_us = t_us;
        trace_reset(d);
    }
    return ended;
}

bool detect_update(ct_detect *d, float x, int64_t t_us, float dt_s, bool still, bool settled,
                   bool counting, ct_excursion *out)
{
    if (detect_step(d, x, t_us, dt_s, still, settled, counting, out))
        return true;
    /* the hold held back for pose_update is told as it was once the pose is left, the
     * measure is back up near the rest level learnt in the pose, or the next movement
     * begins */
    if (d->pose_pend_valid &&
        (!d->pose_open || !d->rest_valid || d->active || d->t_pose_drop_us == INT64_MIN))
        return pose_release(d, out);
    return false;
}

void detect_told(ct_detect *d) { d->pose_open = false; }

bool detect_flush(ct_detect *d, int64_t t_us, ct_excursion *out)
{
    if (!(d->dt_s > 0.0f))
        d->dt_s = 0.01f;
    if (pose_release(d, out))
        return true;
    if (d->held_valid) {
        /* a hold held back at its dip, with the same hold going on since */
        ct_excursion c;
        if (d->active && d->cont &&
            finish(d, d->t_cross_us != INT64_MIN ? d->t_cross_us : t_us, d->base, &c, false))
            held_join(&d->held, &c);
        d->active = false;
        d->held_valid = false;
        d->pressed = false;
        *out = d->held;
        return true;
    }
    if (!d->active || d->cont)
        return false;
    /* a rep (no hold) still up when the set ends never came back down: no rep (a foot
     * lifted while fidgeting as the recording stops) */
    if (!d->cfg.hold_phases && d->t_cross_us == INT64_MIN)
        return false;
    /* back near the base already (waiting to see it rest): it ended there */
    return finish(d, d->t_cross_us != INT64_MIN ? d->t_cross_us : t_us, d->base, out, false);
}

bool detect_flush_back(ct_detect *d, ct_excursion *out)
{
    if (!d->active || d->cont || d->t_cross_us == INT64_MIN || d->cfg.has_rest_min)
        return false;
    float before_s = (float)(d->t_cross_us - d->t_start_us) * 1e-6f;
    bool attempt = d->cfg.hold_phases && before_s >= turn_min_s(d) &&
                   (d->turned || turned_back(d, d->base) || d->t_wait_us != INT64_MIN);
    return finish(d, d->t_cross_us, d->base, out, attempt);
}
