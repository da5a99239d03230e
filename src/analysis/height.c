/* height.c - heel-rise height of raises done back to back, rep by rep (see height.h). */
#include "calftrack/analysis/height.h"

#include <math.h>
#include <stddef.h>

#include "calftrack/analysis/detect.h"
#include "calftrack/analysis/still.h"

#define G_MPS2 9.80665f
#define ZV_MAX_V_MPS 0.015f
#define ZV_LEAK_S 0.5f
/* A heel raise tips the shank forward by ~10 deg at most (the knee comes forward), sway
 * adds a few: tipped further, it is a step, sitting down, a lunge */
#define RP_MAX_TILT_DEG 25.0f
/* Held still with the shank leaned from the stance (where the pod last stood steady)
 * further than a raise tips it (0.21 rad, 12 deg), the knee is forward over the flat
 * foot: the pod rests L (1 - cos) lower than standing and comes up as much (1-2 cm) as
 * the shank comes back, with the heels down. That is no floor to measure a raise from:
 * none starts until the pod has stood steady back near the stance, or held the lean for
 * seconds (a stance taken). A shank swung further than RP_MAX_TILT_DEG from the stance
 * walks, sits, lies or stands up: that movement is tracked as before (the reference is
 * taken again after it). (Told now the tilt error is taken out of such a lean, read
 * from the calibration's sway: it no longer reads as a movement running off.) */
#define RP_REST_LEAN 0.21f
#define RP_REST_LEAN_STANCE_S 2.0f
#define RP_TURN_TAU_S 0.08f
#define MAX_TOP_M 0.16f

const ct_height_settings ct_height_defaults = {
    .floor_frac = 0.3f,
    .floor_cm = 1.5f,
};

void height_init(ct_height *h, const ct_height_settings *cfg)
{
    *h = (ct_height){0};
    h->cfg = cfg ? *cfg : ct_height_defaults;
    h->stride = 1;
    h->rp_next = -1;
    h->replay_from = -1;
}

static void buf_push(ct_height *h)
{
    if (++h->skip < h->stride)
        return;
    h->skip = 0;
    if (h->n == HEIGHT_BUF) { /* halve the resolution, keep the span */
        for (int i = 0; i < HEIGHT_BUF / 2; i++) {
            h->buf[i] = h->buf[2 * i + 1];
            h->jbuf[i] = h->jbuf[2 * i + 1];
            h->ubuf[i] = h->ubuf[2 * i + 1];
        }
        h->n = HEIGHT_BUF / 2;
        h->stride *= 2;
    }
    h->jbuf[h->n] = v3_sub(v3_scale(h->j1, h->t), h->jt);
    h->ubuf[h->n] = h->du_now;
    h->buf[h->n++] = h->p;
}

static void start_segment(ct_height *h, int64_t t_us)
{
    h->moving = true;
    h->turn_deg = 0.0f;
    h->v_peak = 0.0f;
    h->v = h->p = h->t = h->p_max = 0.0f;
    h->n = 0;
    h->stride = 1;
    h->skip = 0;
    h->t0_us = t_us;
    h->j1 = h->jt = v3(0.0f, 0.0f, 0.0f);
    h->k_seg = h->k;
    h->pull_v = h->pull_p = h->pull_t = 0.0f;
    h->pcand_v = h->pcand_p = h->pcand_t = 0.0f;
    h->pull_armed = true;
    h->hz_v = h->hz_p = h->hz_t = h->hz_a = 0.0f;
}

/* Corrects the finished segment and writes its summary. */
static void finish_segment(ct_height *h, int64_t t_us, ct_height_segment *seg)
{
    float T = h->t, dt = h->dt_s;
    /* velocity must end at zero: constant bias b0, error v = b0 t, p = b0 t^2 / 2 */
    float b0 = T > 0.0f ? h->v / T : 0.0f, b1 = 0.0f;
    float end = h->base_m + h->p - 0.5f * b0 * T * T;
    float peak = 0.0f;
    for (int i = 0; i < h->n; i++) {
        float ti = (float)((i + 1) * h->stride) * dt;
        float pc = h->buf[i] - 0.5f * b0 * ti * ti;
        if (pc > peak)
            peak = pc;
    }
    /* walking, sitting down turn the shank far more than a raise (back to back: turn_deg
     * is how far the shank tipped from where the rep began) */
    bool turned = h->turn_deg > RP_MAX_TILT_DEG;
    /* It ended at floor level unless it plausibly stopped at the top of a raise: up
     * from where it started, at least half its peak, at most MAX_TOP_M. A segment with
     * a lot of rotation (walking, sitting down) ends on the floor. */
    bool floor = end < h->cfg.floor_frac * (h->base_m + peak) || end < h->cfg.floor_cm * 0.01f ||
                 end > MAX_TOP_M || h->force_floor || turned;
    if (turned)
        h->n = 0; /* nothing worth replaying */
    /* what was learnt of the tilt error since the segment began is taken out of it */
    ct_vec3 dk = v3_sub(h->k, h->k_seg);
    ct_vec3 j2 = v3_sub(v3_scale(h->j1, T), h->jt);
    h->seg_dk = dk;
    if (floor && T > 0.0f) {
        float ev = h->v - G_MPS2 * v3_dot(dk, h->j1);
        float ep = h->p + h->base_m - G_MPS2 * v3_dot(dk, j2);
        /* height must end at zero too: bias b0 + b1 t (v = b0 t + b1 t^2/2,
         * p = b0 t^2/2 + b1 t^3/6) matched to the velocity and height residuals */
        b1 = (ep - 0.5f * ev * T) * -12.0f / (T * T * T);
        b0 = (ev - 0.5f * b1 * T * T) / T;
        end = 0.0f;
    }
    h->seg_b0 = b0;
    h->seg_b1 = b1;
    h->seg_base_m = h->base_m;
    int ipk = -1;
    peak = -1e9f;
    for (int i = 0; i < h->n; i++) {
        float pc = height_trace_m(h, i, NULL) - h->base_m;
        if (pc > peak) {
            peak = pc;
            ipk = i;
        }
    }
    if (ipk < 0)
        peak = 0.0f;
    float band = 0.005f + 0.05f * (peak > 0.0f ? peak : 0.0f), top = 0.0f;
    for (int i = 0; i < h->n; i++)
        if (height_trace_m(h, i, NULL) - h->base_m >= peak - band)
            top += (float)h->stride * dt;
    seg->t_start_us = h->t0_us;
    seg->t_end_us = t_us;
    seg->t_peak_us = h->t0_us + (int64_t)((float)((ipk + 1) * h->stride) * dt * 1e6f);
    seg->start_cm = h->base_m * 100.0f;
    seg->peak_cm = (h->base_m + peak) * 100.0f;
    seg->end_cm = end * 100.0f;
    seg->top_s = top;
    seg->on_floor = floor;
    h->base_m = end;
    h->live_cm = end * 100.0f;
}

/* A smooth (minimum-jerk) movement passes 10 % of its way at 0.2466 of its duration
 * and 90 % at 0.7534: the crossings noise and tremor move least give its ends. */
#define MJ_10 0.2466f
#define MJ_10_90 0.5068f

/* Time (s from the segment start) where the trace crosses lvl between points i-1, i. */
static float cross_s(const ct_height *h, int i, float lvl)
{
    float step = (float)h->stride * h->dt_s;
    float t1 = (float)(i + 1) * step;
    if (i == 0)
        return t1;
    float x0 = height_trace_m(h, i - 1, NULL), x1 = height_trace_m(h, i, NULL);
    float f = x1 != x0 ? (lvl - x0) / (x1 - x0) : 1.0f;
    if (f < 0.0f)
        f = 0.0f;
    else if (f > 1.0f)
        f = 1.0f;
    return t1 - step + f * step;
}

/* The top of a rep integrated floor to floor slopes a little (the accelerometer's error
 * while the shank leans there is not all taken out), so the way down seemed to start
 * where the height had sagged by a tenth: early, a long way down and a short top. The
 * speed does not sag: the way up ends, and the way down starts, where the speed is a
 * fourteenth of either's peak (low, so that how closely a person's movement follows the
 * smooth profile matters little; much lower would meet the slope's own speed). A smooth
 * (minimum-jerk) movement is that slow in its first and last 7.1 %. */
#define SPEED_WIN_S 0.08f
#define SPEED_FRAC 0.07f
#define MJ_SLOW_SHARE 0.0712f
/* a movement's asymmetry read from the shin's height: peak speed from 0.34 to 0.66 of
 * the way (see height_segment_rep) */
#define SHIN_SKEW_MAX 0.5f

static float trace_speed(const ct_height *h, int i, int w, float step)
{
    return (height_trace_m(h, i + w, NULL) - height_trace_m(h, i - w, NULL)) /
           (2.0f * (float)w * step);
}

/* Where the way up ended and the way down began, s from the segment start, from the
 * speed (ipk: the peak point); false when the trace does not show both movements. */
static bool speed_turns(const ct_height *h, int ipk, float *t_up_end, float *t_down_go,
                        float *t_down_stop, float *t_down_start, float *down_s)
{
    float step = (float)h->stride * h->dt_s;
    int w = (int)(SPEED_WIN_S / step + 0.5f);
    if (w < 1)
        w = 1;
    if (ipk <= w || ipk >= h->n - 1 - w)
        return false;
    int iu = w, id = ipk;
    float vu = 0.0f, vd = 0.0f;
    for (int i = w; i <= ipk; i++) {
        float v = trace_speed(h, i, w, step);
        if (v > vu) {
            vu = v;
            iu = i;
        }
    }
    for (int i = ipk; i < h->n - w; i++) {
        float v = trace_speed(h, i, w, step);
        if (v < vd) {
            vd = v;
            id = i;
        }
    }
    if (!(vu > 0.0f) || !(vd < 0.0f))
        return false;
    float su = SPEED_FRAC * vu, sd = SPEED_FRAC * vd;
    int bu = -1, ad = -1, bd = -1;
    for (int i = iu + 1; i < id && bu < 0; i++)
        if (trace_speed(h, i, w, step) < su)
            bu = i;
    for (int i = id - 1; i > iu && ad < 0; i--)
        if (trace_speed(h, i, w, step) > sd)
            ad = i;
    for (int i = id + 1; i < h->n - w && bd < 0; i++)
        if (trace_speed(h, i, w, step) > sd)
            bd = i;
    if (bu < 0 || ad < 0 || bd < 0 || ad < bu)
        return false;
    float share = 1.0f - 2.0f * MJ_SLOW_SHARE;
    float ta = (float)(ad + 1) * step, tb = (float)(bd + 1) * step;
    float d = (tb - ta) / share;
    *down_s = d;
    *t_down_go = ta;
    *t_down_stop = tb;
    *t_down_start = ta - MJ_SLOW_SHARE * d;
    *t_up_end = (float)(bu + 1) * step;
    return true;
}

/* A movement's crossings s[] (s from the segment start, in order of progress: 10%, 50%
 * and 90% of the way): its duration, with its lead before the first crossing and its
 * tail after the last (detect_movement_ends; its lopsidedness trusted up to s_max, 0:
 * that function's own limit; *skew: the lopsidedness taken). */
static float way_s(float s[3], float s_max, float *lead, float *tail, float *skew)
{
    if (s[2] < s[0])
        s[2] = s[0];
    if (s[1] < s[0] || s[1] > s[2])
        s[1] = 0.5f * (s[0] + s[2]);
    int64_t u[3];
    for (int i = 0; i < 3; i++)
        u[i] = (int64_t)(s[i] * 1e6f);
    *skew = 0.0f;
    if (s_max > 0.0f)
        detect_movement_ends_max(u, s_max, lead, tail, skew);
    else
        detect_movement_ends(u, lead, tail);
    return s[2] - s[0] + *lead + *tail;
}

/* A smooth movement lopsided by s (time warped by u + s u (1 - u)): the share of its
 * duration after which its speed has fallen back under SPEED_FRAC of its peak (0.929
 * when symmetric; 0.958 starting slowly and ending fast, s -0.5; 0.836 the other way). */
static float slow_share_after(float s)
{
    enum { N = 400 };
    float pk = 0.0f, fall = 1.0f;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i <= N; i++) {
            float u = (float)i / (float)N, w = u + s * u * (1.0f - u);
            float v = w * w * (1.0f - w) * (1.0f - w) * (1.0f + s * (1.0f - 2.0f * u));
            if (pass == 0 && v > pk)
                pk = v;
            else if (pass == 1 && v >= SPEED_FRAC * pk)
                fall = u;
        }
    return fall;
}

/* The height (m) at t s from the segment start, between trace points. */
static float trace_at(const ct_height *h, float t)
{
    float x = t / ((float)h->stride * h->dt_s) - 1.0f;
    if (!(x > 0.0f))
        return height_trace_m(h, 0, NULL);
    int i = (int)x;
    if (i >= h->n - 1)
        return height_trace_m(h, h->n - 1, NULL);
    float f = x - (float)i;
    return (1.0f - f) * height_trace_m(h, i, NULL) + f * height_trace_m(h, i + 1, NULL);
}

/* The 10%, 50% and 90% crossings (s from the segment start) of a way up from the floor
 * to `top` m (the first ones) or of a way down from `top` m to the floor (the last ones),
 * in order of progress. */
static void way_crossings(const ct_height *h, int ipk, float top, bool up, float s[3])
{
    static const float frac[3] = {0.1f, 0.5f, 0.9f};
    float step = (float)h->stride * h->dt_s;
    int i = 0, j = h->n - 1;
    for (int k = 0; k < 3; k++) {
        float lvl = frac[k] * top;
        if (up) {
            while (i < ipk && height_trace_m(h, i, NULL) < lvl)
                i++;
            s[k] = cross_s(h, i, lvl);
        } else {
            while (j > ipk && height_trace_m(h, j, NULL) < lvl)
                j--;
            s[2 - k] = j + 1 < h->n ? cross_s(h, j + 1, lvl) : (float)(j + 1) * step;
        }
    }
}

bool height_segment_rep(const ct_height *h, float target_cm, ct_height_rep *r)
{
    if (h->n < 2)
        return false;
    float pk = -1e9f, step = (float)h->stride * h->dt_s, above = 0.0f;
    int ipk = 0;
    for (int i = 0; i < h->n; i++) {
        float x = height_trace_m(h, i, NULL);
        if (x > pk) {
            pk = x;
            ipk = i;
        }
        if (target_cm > 0.0f && x * 100.0f >= target_cm)
            above += step;
    }
    if (!(pk > 0.0f))
        return false;
    float lo = 0.1f * pk, hi = 0.9f * pk;
    int i10 = 0, i90 = ipk, j90 = ipk, j10 = h->n - 1;
    while (i10 < ipk && height_trace_m(h, i10, NULL) < lo)
        i10++;
    i90 = i10;
    while (i90 < ipk && height_trace_m(h, i90, NULL) < hi)
        i90++;
    j90 = h->n - 1;
    while (j90 > ipk && height_trace_m(h, j90, NULL) < hi)
        j90--;
    j10 = j90;
    while (j10 < h->n - 1 && height_trace_m(h, j10 + 1, NULL) >= lo)
        j10++;
    float t10u = cross_s(h, i10, lo), t90u = cross_s(h, i90, hi);
    /* the way down crosses from above: the crossing after the last point above */
    float t90d = j90 + 1 < h->n ? cross_s(h, j90 + 1, hi) : (float)(j90 + 1) * step;
    float t10d = j10 + 1 < h->n ? cross_s(h, j10 + 1, lo) : (float)(j10 + 1) * step;
    /* the rep begins and ends where a symmetric smooth movement would */
    float r_up = t90u > t10u ? t90u - t10u : 0.0f, r_dn = t10d > t90d ? t10d - t90d : 0.0f;
    float t0 = t10u - MJ_10 * r_up / MJ_10_90, t1 = t10d + MJ_10 * r_dn / MJ_10_90;
    /* Its ways up and down are timed from their half-way crossings too, which tell how
     * lopsided each was (see detect_movement_ends): timed as symmetric, a slow way up
     * (2-2.5 s) came out 0.15 s short on average. */
    float mid = 0.5f * pk;
    int i50 = i10, j50 = j10;
    while (i50 < i90 && height_trace_m(h, i50, NULL) < mid)
        i50++;
    while (j50 > j90 && height_trace_m(h, j50, NULL) < mid)
        j50--;
    float su[3] = {t10u, cross_s(h, i50, mid), t90u};
    float sd[3] = {t90d, j50 + 1 < h->n ? cross_s(h, j50 + 1, mid) : (float)(j50 + 1) * step,
                   t10d};
    float lead_u, tail_u, lead_d, tail_d;
    float skew_u, skew_d;
    float up = way_s(su, 0.0f, &lead_u, &tail_u, &skew_u);
    float down = way_s(sd, 0.0f, &lead_d, &tail_d, &skew_d);
    float up_end = t90u + tail_u, down_start = t90d - lead_d;
    if (t0 < 0.0f)
        t0 = 0.0f;
    float tu, tgo, tstop, td, dv;
    if (speed_turns(h, ipk, &tu, &tgo, &tstop, &td, &dv)) {
        up_end = tu + MJ_SLOW_SHARE * up;
        down_start = td;
        down = dv;
        /* A stopwatch times a movement from when it starts to when it stops, and the
         * slow share at either end depends on how lopsided the movement is: peaking
         * early, a way up is slow over its last 16 % (the 7 % speed point, taken as its
         * end, came early); starting slowly, a way down is slow over its first 16 %
         * (its start came late, by 0.3 s for a slow 3 s way down, and the top long).
         * The speed only tells where each way left the top or came to it, and so the
         * level it went to or left from (the height there, whatever the top sagged
         * or the trace drifted by since); its 10 %, 50 % and 90 % crossings of that
         * level give its start or end, the half-way crossing telling how lopsided it
         * was. Here the asymmetry is trusted as far as people's movements go (peak
         * speed 0.34 to 0.66 of the way, |s| 0.5): postural sway tilts the shank and
         * barely moves the pod up or down, and the height's crossings match the true
         * height's to a few hundredths of a second. */
        float lu = trace_at(h, tu), ld = trace_at(h, tgo), c[3];
        if (lu > 0.5f * pk && lu <= pk) {
            way_crossings(h, ipk, lu, true, c);
            up = way_s(c, SHIN_SKEW_MAX, &lead_u, &tail_u, &skew_u);
            up_end = c[2] + tail_u;
        }
        if (ld > 0.5f * pk && ld <= pk) {
            way_crossings(h, ipk, ld, false, c);
            way_s(c, SHIN_SKEW_MAX, &lead_d, &tail_d, &skew_d);
            /* It ends where its speed died down, plus the slow share its lopsidedness
             * leaves after that (the heels are on the floor there: no sag or drift to
             * compete with); its 10 % crossing and tail put the end too early for slow
             * ways down by patients. */
            float start = c[0] - lead_d;
            float d = (tstop - start) / slow_share_after(skew_d);
            /* (a trace that is no plain way up, top and way down can put it before
             * the way up ended: the speed's answer stands) */
            if (start >= up_end && d > 0.0f) {
                down = d;
                down_start = start;
            }
        }
    }
    r->t_start_us = h->t0_us + (int64_t)(t0 * 1e6f);
    r->t_end_us = h->t0_us + (int64_t)(t1 * 1e6f);
    r->t_peak_us = h->t0_us + (int64_t)((float)(ipk + 1) * step * 1e6f);
    r->peak_cm = pk * 100.0f;
    r->above_s = above;
    r->up_s = up;
    r->down_s = down;
    r->top_s = down_start > up_end ? down_start - up_end : 0.0f;
    r->turn_deg = h->turn_deg;
    r->path_deg = h->path_deg;
    /* where the shank leaned furthest from where the trace began, and how far from there
     * it was at the peak (the chord between two ups: the angle, small as these are) */
    float tip2 = 0.0f;
    int itip = 0;
    for (int i = 1; i < h->n; i++) {
        float d2 = v3_norm2(v3_sub(h->ubuf[i], h->ubuf[0]));
        if (d2 > tip2) {
            tip2 = d2;
            itip = i;
        }
    }
    r->tip_deg = sqrtf(tip2) * 57.29578f;
    r->back_deg = v3_norm(v3_sub(h->ubuf[ipk], h->ubuf[itip])) * 57.29578f;
    r->end_deg = v3_norm(v3_sub(h->ubuf[h->n - 1], h->ubuf[0])) * 57.29578f;
    /* how fast the trace came down onto the floor, against the way down's pace */
    int w = (int)(HEIGHT_LAND_S / step + 0.5f);
    if (w < 1)
        w = 1;
    float ws = (float)w * step;
    r->land_mps = r->down_mps = 0.0f;
    if (h->n - 1 - w >= ipk) {
        r->land_mps =
            (height_trace_m(h, h->n - 1 - w, NULL) - height_trace_m(h, h->n - 1, NULL)) / ws;
        for (int i = ipk; i + w < h->n; i++) {
            float v = (height_trace_m(h, i, NULL) - height_trace_m(h, i + w, NULL)) / ws;
            if (v > r->down_mps)
                r->down_mps = v;
        }
    }
    return true;
}

float height_trace_m(const ct_height *h, int i, int64_t *t_us)
{
    float ti = (float)((i + 1) * h->stride) * h->dt_s;
    if (t_us)
        *t_us = h->t0_us + (int64_t)(ti * 1e6f);
    return h->seg_base_m + h->buf[i] - G_MPS2 * v3_dot(h->seg_dk, h->jbuf[i]) -
           (0.5f * h->seg_b0 + h->seg_b1 * ti / 6.0f) * ti * ti;
}

/* Raises done back to back (pod on the shin). A heel raise is a launch (the vertical
 * acceleration positive), a top (negative: slowing the rise, starting the way down,
 * however long the pause between) and a landing (positive), and the heels are back on
 * the floor where the velocity turns from down to up, or where the pod comes to rest.
 * Those lobes are seen whatever the drift of the integrated velocity; each rep is then
 * integrated from floor to floor, where velocity and height are both zero: a bias and
 * its slope are taken out over the rep alone. A rest anywhere else (on the toes, or the
 * still middle of a slow way down) is not trusted to zero the velocity: it cannot be
 * told from a slow movement at constant speed. Every rep starts on the floor: base_m
 * stays 0 on this path.
 *
 * The accelerometer reads gravity a little differently at every tilt (bias, scale and
 * cross-axis errors: ~0.25 mg per degree), and the shank leans forward by up to ~10 deg
 * at the top of a raise: several mg over seconds, enough to turn a way down into a way
 * up. That error is k . (up - up_ref), k fitted from the reps themselves (k_learn: each
 * rep must end on the floor with neither velocity nor height, and what it ends with
 * instead follows the lean it went through), pooled over the reps with older ones
 * counting less, and taken out of every sample. (A pause on the toes would show the
 * error directly, but a person on the toes sways and trembles: the acceleration holds
 * within 0.5 mg of its 0.15 s mean for a small share of such a pause, and a looser gate
 * takes in the slow parts of the movement.) The error is not linear in the lean, which
 * is always forward: the part of k along up itself stands for its curvature, and the
 * correction needs it (the lean gradient alone takes out little of the error). */
enum { RP_REST = 0, RP_UP, RP_TOP, RP_DOWN };

/* The slowest heel raise worth counting (3 cm in 3 s, minimum jerk) peaks at 5.77 h/T^2
 * = 2 mg; sensor noise smoothed over ~0.1 s is ~0.2 mg: lobes are told at 1.5 mg. */
#define RP_LOBE_G 0.0015f
#define RP_SMOOTH_S 0.04f
#define RP_QUIET_G 0.0015f
#define RP_QUIET_DPS 10.0f
/* Steady: the smoothed acceleration within 0.5 mg of its mean over ~0.15 s (sensor noise
 * smoothed: ~0.15 mg; a smooth 5 cm rise in 2 s changes it by ~7 mg/s, 1 mg in 0.15 s)
 * and turning slower than 5 deg/s, for 0.3 s. */
#define RP_STEADY_S 0.15f
#define RP_STEADY_G 0.0005f
#define RP_STEADY_DPS 5.0f
#define RP_STEADY_MIN_S 0.3f
#define RP_UP_STEADY_S 0.5f    /* steady this long: resting, whatever the drift says */
/* the middle of a slow way down is steady too, at a few mg: a rest reads less */
#define RP_REST_MAX_G 0.003f
#define RP_REF_STEADY_S 0.5f
#define RP_NO_REF_S 2.0f
#define RP_REF_STEADY_MIN_S 0.2f  /* ... to take a first reference */
/* A landing slows a way down of at least ~3 cm/s (5 cm lowered in 3 s); a wobble at
 * the top (sag, tremor) gains a few mm/s. */
#define RP_LANDING_DV 0.015f
#define RP_LANDING_FRAC 0.3f    /* ... and comes after a third of the way down */
/* (or, when the integrated height has drifted, stops a fall of 3 cm/s at least: a tremor
 * at the top pushes up by a few mm/s at a time). Either way the third of the way down
 * is also counted from where the pull before it began, from the accelerations alone:
 * the integrated height drifts by a centimetre or two over a top, and a wobble on the
 * toes (a pull and a push of a few tenths of a second, 2-3 cm/s each way) moves the
 * heels by millimetres. */
#define RP_LANDING_FIRM_DV 0.03f
/* (the shank tipped back counts from a turn of 2 deg: a partial rise of 1.5-2 cm leans
 * it 2-3 deg; under 3 deg the rise was such a partial one, its way down of 1.5 s goes at
 * 2 cm/s at most and its landing push gives that back, RP_LANDING_BACK_DV: held to the
 * 3 cm/s of a full rep's, the push was told only with the next rep's launch and the
 * partial rep ran on into it, the two one rep, or were cut at that launch) */
#define RP_TILT_BACK_MIN_DEG 2.0f
#define RP_TILT_PARTIAL_DEG 3.0f
/* (or, from a turn of 1.5 deg, tipped all the way back: at or behind the lean the rep
 * rose from, measured along the way it tipped. The turn is counted from where the launch
 * was told, a little after the heels began to rise, and reads a few tenths of a degree
 * short of the whole tip: a partial rise of 1.5-2 cm may read under 2 deg. A sway or a
 * tremor on the toes rocks the shank by tenths of a degree about its forward lean, not
 * back through the stance's; a way down so slow, or read with so large an offset, that
 * the integrated velocity hardly turns down (3.5 cm in 3 s, a pull of 1.5 mg, the hold
 * at the top taking its 1 cm/s for drift: seed 3488) still brings the shank home) */
#define RP_TILT_HOME_MIN_DEG 1.5f
#define RP_TILT_BACK_FRAC 0.6f
/* (or after a pull down of its own, as strong as a slow way down: 3 cm lowered in 2 s
 * reaches 2.8 cm/s; a tremor or a sag at the top pulls by a few mm/s at a time) */
#define RP_DOWN_LOBE_DV 0.02f
/* (or, with both, the shank tipped back and a pull as strong as a slow way down's, after
 * a push of 2 cm/s: a way down of 3-4 s lands at 2-4 cm/s, less what the force read
 * standing is off by when the stance has changed, ~1 cm/s; a sway tips the shank back
 * without a pull of a slow way down's strength, a tremor on the toes pulls by a few
 * mm/s at a time) */
#define RP_LANDING_BACK_DV 0.02f
#define RP_LANDED_QUIET_S 1.0f  /* steady, at whatever level, this long: landed */
#define RP_FLOOR_QUIET_S 0.1f   /* resting this long after the landing: on the floor */
#define RP_REST_LEARN_S 0.5f    /* resting this long on the floor refines the reference */
#define RP_FLOOR_FRAC 0.4f      /* a rest below this fraction of the peak is the floor */
/* ... once a push has braked the way down: a way down from the top in at most 4 s (a
 * slow lowering) goes at top / 4 s on average, faster at its middle, and the push that
 * stops the heels on the floor gives that speed back; at least half of it, top / 8 s (a
 * top under floor_cm, within the floor's own band, has no way down to brake) */
#define RP_FLOOR_BRAKE_S 8.0f
#define RP_MAX_SEG_S 20.0f
/* Holding at the top: the acceleration's 0.5 s mean within 1 mg, turning (tremor left
 * out) slower than 3 deg/s, and the integrated speed under 2 cm/s (a slow lowering goes
 * faster, drift over a rise slower), for 0.5 s: the velocity is zero there. */
#define RP_HOLD_TAU_S 0.5f
#define RP_HOLD_G 0.001f
#define RP_HOLD_DPS 3.0f
#define RP_HOLD_V 0.02f
#define RP_HOLD_S 0.5f
#define HZ_MAX_S 1.0f /* a hold ended is given back for at most its last second (see
                       * hold_released: a way down begun gently is under way by then) */
/* a dip between two pushes: down by 40 % of the lower one and 1 mg at least */
#define RP_VALLEY_FRAC 0.4f
#define RP_VALLEY_G 0.001f

/* A dip of `depth` between two lobes whose lower one reaches `lo` parts them. */
static bool valley(const ct_height *h, float depth, float lo)
{
    return depth >= RP_VALLEY_FRAC * lo && depth >= h->valley_g;
}

/* The levels above in g were set against the pod's own accelerometer (LSM6DSOX, 90
 * ug/rtHz: the twice-smoothed acceleration a varies by ~0.15 mg at rest, its steadiness
 * dm by ~0.12 mg). Another sensor's data (a consumer IMU: 300-400 ug/rtHz) vary four
 * times as much: at rest the acceleration crossed the 1.5 mg of a lobe or of quiet every
 * second or so, and was never steady within 0.5 mg for long (reps were missed or run
 * together, rests not told, and a raise held on the toes cut into pieces). Each level is
 * therefore also kept STILL_NOISE_K sd of the noise it is compared with (still.h), that
 * sd worked out from the noise density measured at rest and from the filters in between
 * (their response to one sample, summed squared). Gaussian noise smoothed over tau
 * crosses a level k sd away 2 exp(-k^2 / 2) / (2 pi tau) times a second (Rice; tau 0.04
 * s): at 3.5 sd once a minute at rest, so that noise alone breaks one quiet of 2.5 s in
 * 25 and one steady 0.3 s in 200, and a false lobe at rest (which is no rep by itself)
 * comes once a minute. The pod's own levels sit at 4 sd (steady) to 10 sd (lobe) of its
 * noise and stay as they are. */

/* Steadiness tells a level from a slow change of it (a slow rise changes the smoothed
 * acceleration by ~10 mg/s, a rest by none): with noise of density n, a change of slope
 * r is told from a level, with the same confidence, over a time that goes as
 * (n / r)^(2/3) (the sd of a slope fitted over T is n sqrt(12 / T^3)). With the pod's
 * noise (90 ug/rtHz, read at rest as 90-105) steadiness is judged from the acceleration
 * smoothed over 0.04 s against its mean over 0.15 s, for 0.3 s; with a noisier sensor
 * all three times are stretched by (n / NOISE_POD)^(2/3) (with the levels alone, at 3.5
 * sd of a consumer IMU's noise, a rise of 5 cm in 2.5 s passed for steady: its lobe
 * started no rep, its force was learnt as the floor's). But no further than a steady
 * 0.5 s (a stretch of 1.67, reached at ~240 ug/rtHz): quick reps leave half a second
 * still between them, and a rest must be told in that (stretched 2.5 times at 400
 * ug/rtHz, the consumer sensor's shin sets came out 3-7 points worse than unstretched,
 * capped 0-1 better). The lobes keep their 0.04 s: smoother, the dip between a landing
 * and the next launch was lost. */
#define NOISE_POD 1.1e-4f
#define RP_STEADY_MAX_S 0.5f

static void noise_levels(ct_height *h, float dt_s)
{
    if (!still_noise_moved(dt_s, h->nz_dt, h->acc_psd, h->nz_psd))
        return;
    float c = 1.0f;
    if (h->acc_psd > NOISE_POD * NOISE_POD)
        c = cbrtf(h->acc_psd / (NOISE_POD * NOISE_POD));
    if (c > RP_STEADY_MAX_S / RP_STEADY_MIN_S)
        c = RP_STEADY_MAX_S / RP_STEADY_MIN_S;
    if (c > 1.1f * h->steady_c || c < 0.9f * h->steady_c) {
        h->steady_c = c;
        h->nz_dt = -1.0f;
    }
    if (!(fabsf(dt_s - h->nz_dt) <= 0.02f * h->nz_dt)) { /* (see still_noise_moved) */
        c = h->steady_c;
        float k = dt_s / (RP_SMOOTH_S + dt_s), km = dt_s / (RP_STEADY_S * c + dt_s);
        float ks = dt_s / (RP_SMOOTH_S * c + dt_s), km1 = dt_s / (RP_STEADY_S + dt_s);
        float kh = dt_s / (RP_HOLD_TAU_S + dt_s);
        float a1 = 0.0f, a2 = 0.0f, s1 = 0.0f, s2 = 0.0f, am = 0.0f, am1 = 0.0f, ah = 0.0f;
        float sa = 0.0f, sa1 = 0.0f, sdm = 0.0f, sdm1 = 0.0f, sh = 0.0f;
        int n = (int)(10.0f * (RP_HOLD_TAU_S + RP_STEADY_S * c) / dt_s) + 1;
        for (int i = 0; i < n; i++) {
            float x = i == 0 ? 1.0f : 0.0f;
            a1 += (x - a1) * k;
            a2 += (a1 - a2) * k;
            s1 += (x - s1) * ks;
            s2 += (s1 - s2) * ks;
            float dm = s2 - am, dm1 = a1 - am1;
            am += dm * km;
            am1 += dm1 * km1;
            ah += (a2 - ah) * kh;
            sa += a2 * a2;
            sa1 += a1 * a1;
            sdm += dm * dm;
            sdm1 += dm1 * dm1;
            sh += ah * ah;
        }
        h->nz_a = sqrtf(sa);
        h->nz_a1 = sqrtf(sa1);
        h->nz_dm = sqrtf(sdm);
        h->nz_dm1 = sqrtf(sdm1);
        h->nz_hold = sqrtf(sh);
        h->nz_dt = dt_s;
        h->nz_psd = -1.0f;
        h->steady_min_s = RP_STEADY_MIN_S * c;
        h->up_steady_s = RP_UP_STEADY_S * c;
    }
    if (h->acc_psd == h->nz_psd)
        return;
    h->nz_psd = h->acc_psd;
    float sd = still_noise_level(h->acc_psd, dt_s);
#define AT_LEAST(x, lvl) ((x) > (lvl) ? (x) : (lvl))
    h->lobe_g = AT_LEAST(sd * h->nz_a, RP_LOBE_G);
    h->quiet_g = AT_LEAST(sd * h->nz_a, RP_QUIET_G);
    h->valley_g = AT_LEAST(sd * h->nz_a, RP_VALLEY_G);
    h->rest_max_g = AT_LEAST(sd * h->nz_a, RP_REST_MAX_G);
    h->steady_g = AT_LEAST(sd * h->nz_dm, RP_STEADY_G);
    h->ref_band_g = AT_LEAST(sd * h->nz_dm1, 2.0f * RP_STEADY_G);
    h->hold_g = AT_LEAST(sd * h->nz_hold, RP_HOLD_G);
#undef AT_LEAST
}

/* A pod held steady feels g exactly. The force read steady further from the reference
 * than the tilt error of a raise's lean (K_MAX_G over 10-15 deg: 3-5 mg) or a slow
 * movement's acceleration (2-5 mg, steady only for a moment) is a reference taken where
 * the pod was not still on the floor: taken at the top of a first rise begun straight
 * after walking, 14 mg off, the reps after it ran on into each other (four of nine
 * lost). Only with the shank within RP_REST_LEAN of where the reference was taken (a
 * fidget leaning further reads a tilt error of its own); RP_REF_OFF_LOBES times the
 * level of a lobe for a noisier sensor. */
#define RP_REF_OFF_G 0.01f
#define RP_REF_OFF_LOBES 6.0f
/* a launch reaches 3 cm/s at least (3 cm raised in 2 s peaks at 2.8 cm/s) */
#define RP_LAUNCH_DV 0.02f
#define RP_STOP_QUIET_S 2.5f    /* resting this long ends any movement */
#define RP_LAUNCH_S 0.8f        /* a launch is under way by then: quiet before is rest */
#define RP_NO_LAUNCH_V 0.01f   /* a slow rise passes 1-2 cm/s at its quiet middle */
#define RP_UP_QUIET_S 0.3f      /* quiet this long and slow before any top: no rep */
/* The fit of k, one equation per rep from the floor back to the floor: with a constant
 * offset c, v(T) = G (c T + k . j1) and p(T) = G (c T^2/2 + k . j2), so
 * p(T) - T v(T) / 2 = G k . (j2 - T j1 / 2). A rep's equation carries ~0.5 cm of other
 * error (5e-4 g s^2); no sensor's gradient is over ~50 mg per radian: ridge
 * (5e-4 / 0.05)^2. Older reps count less (the errors drift with temperature). A few
 * reps fit it poorly (a rep's own errors fold into it), and a wrong k worsens every
 * later sample: no more than a typical sensor's gradient is taken out (offset 20 mg per
 * axis, 1 % scale and cross-axis errors: ~20 mg per radian of tilt); over 180 sets
 * each at four seed offsets this cap counted 82-87 % of sets exactly against 78-86 %
 * with the 60 mg a worst-case sensor could reach. */
#define K_RIDGE 1e-4f
#define K_FORGET 0.97f
#define K_MAX_G 0.02f
/* A sensor noisier than the pod's is a cheaper part, and its offsets and scale errors run
 * larger with it (a consumer IMU at 300-400 ug/rtHz: 40-80 mg offsets and 3 % scale,
 * against the pod's 90 ug/rtHz, 20 mg and 1 %): its gradient is taken out up to K_MAX_G
 * times its noise over the pod's, to twice K_MAX_G at most. (Its reps, each with four
 * times the pod's noise on it, fit the gradient less well: capped at three or four times
 * K_MAX_G, the consumer sensor's heights came out better still, but 2-4 points fewer of
 * its sets exact.) */
#define K_CAP_NOISE_MAX 2.0f
#define K_MIN_REP_S 0.8f
#define K_MAX_REP_S 8.0f
#define K_MIN_TOP_M 0.02f
#define K_MAX_TURN_DEG 25.0f
/* the offset a rep shows is followed most of the way, at most 20 mg a rep */
#define G_REF_GAIN 0.7f
#define G_REF_STEP_MAX 0.02f

/* k from its normal equations, (N + ridge I) k = r (sym3_solve), capped at K_MAX_G.
 * False when they are singular. */
static bool noisier_than_pod(const ct_height *h)
{
    return h->acc_psd > NOISE_POD * NOISE_POD;
}

static bool k_solve(ct_height *h)
{
    float n[6] = {h->kn[0], h->kn[1], h->kn[2], h->kn[3], h->kn[4], h->kn[5]};
    float r0 = h->kr[0], r1 = h->kr[1], r2 = h->kr[2];
    ct_vec3 k0 = v3(0.0f, 0.0f, 0.0f);
    if (h->sw_learnt) { /* the reps fit what is left of the sway's reading sw_k, which
                         * holds along its lean with weight sw_w */
        ct_vec3 e = h->sw_s;
        float w = h->sw_w;
        k0 = h->sw_k;
        r0 -= n[0] * k0.x + n[1] * k0.y + n[2] * k0.z;
        r1 -= n[1] * k0.x + n[3] * k0.y + n[4] * k0.z;
        r2 -= n[2] * k0.x + n[4] * k0.y + n[5] * k0.z;
        n[0] += w * e.x * e.x;
        n[1] += w * e.x * e.y;
        n[2] += w * e.x * e.z;
        n[3] += w * e.y * e.y;
        n[4] += w * e.y * e.z;
        n[5] += w * e.z * e.z;
    }
    ct_vec3 k;
    if (!sym3_solve(n, K_RIDGE, v3(r0, r1, r2), 0.0f, &k))
        return false;
    /* the cap holds for the whole gradient taken out, the sway's share with the reps';
     * a larger one read by the sway raises it */
    k = v3_add(k0, k);
    float kn = v3_norm(k), cap = K_MAX_G;
    float noisier = sqrtf(h->acc_psd > 0.0f ? h->acc_psd : 0.0f) / NOISE_POD;
    if (noisier > 1.0f)
        cap *= noisier < K_CAP_NOISE_MAX ? noisier : K_CAP_NOISE_MAX;
    if (h->sw_learnt && v3_norm(h->sw_k) > cap)
        cap = v3_norm(h->sw_k);
    h->k = kn > cap ? v3_scale(k, cap / kn) : k;
    return true;
}

/* The top of the rep traced, with the offset its velocity ends with taken out (as
 * finish_segment reads it), for k_learn's test of a whole heel raise with a sensor
 * noisier than the pod's. The raw integral carries the very tilt error the fit is to
 * learn: a consumer sensor's 40-100 mg per radian reads 5-15 mg at a raise's lean, and
 * over a rep of 3-4 s ran its raw top 10 cm and more past the floor, beyond any heel
 * raise (MAX_TOP_M), so that no rep was learnt from and the error was never taken out.
 * (The pod's sensor keeps the raw top: its gradient is held to K_MAX_G, and read this way
 * its reps' heights came out alike, but one clinical session of 24 read its sides' best
 * rises 2.7 points further apart.) */
static float rp_top_level(const ct_height *h)
{
    float T = h->t, b0 = T > 0.0f ? h->v / T : 0.0f, peak = 0.0f;
    for (int i = 0; i < h->n; i++) {
        float ti = (float)((i + 1) * h->stride) * h->dt_s;
        float pc = h->buf[i] - 0.5f * b0 * ti * ti;
        if (pc > peak)
            peak = pc;
    }
    return peak;
}

static void k_learn(ct_height *h)
{
    float T = h->t, top = h->base_m + (noisier_than_pod(h) ? rp_top_level(h) : h->p_max);
    if (!h->launched || T < K_MIN_REP_S || T > K_MAX_REP_S ||
        top < K_MIN_TOP_M || top > MAX_TOP_M || h->turn_deg > K_MAX_TURN_DEG)
        return; /* only a whole heel raise */
    ct_vec3 j2 = v3_sub(v3_scale(h->j1, T), h->jt);
    /* the raw integrals (v and p were integrated with k_seg taken out), g s and g s^2 */
    float vr = h->v / G_MPS2 + v3_dot(h->k_seg, h->j1);
    float pr = h->p / G_MPS2 + v3_dot(h->k_seg, j2);
    ct_vec3 x = v3_sub(j2, v3_scale(h->j1, 0.5f * T));
    float y = pr - 0.5f * T * vr;
    float *n = h->kn;
    for (int i = 0; i < 6; i++)
        n[i] *= K_FORGET;
    for (int i = 0; i < 3; i++)
        h->kr[i] *= K_FORGET;
    n[0] += x.x * x.x;
    n[1] += x.x * x.y;
    n[2] += x.x * x.z;
    n[3] += x.y * x.y;
    n[4] += x.y * x.z;
    n[5] += x.z * x.z;
    h->kr[0] += x.x * y;
    h->kr[1] += x.y * y;
    h->kr[2] += x.z * y;
    if (!k_solve(h))
        return;
    /* what is left of the velocity it ended with is the reference's offset in this
     * pose (learnt standing elsewhere, or the stance changed): taken out for the next */
    float off = (vr - v3_dot(h->k, h->j1)) / T;
    if (off > G_REF_STEP_MAX)
        off = G_REF_STEP_MAX;
    else if (off < -G_REF_STEP_MAX)
        off = -G_REF_STEP_MAX;
    h->g_ref += G_REF_GAIN * off;
}

/* The calibration sway: the shank leans forward 10-15 deg over the flat foot and comes
 * back, the ankle does not move, and the pod is still before and after it. Whatever the
 * pod did in between, it starts and ends at rest: the velocity the integration of f less
 * the force read still before (sw_g) ends with is the tilt error alone, k . the integral
 * of (up - up before), with no offset to fit (sw_g is the force read in the pose it
 * started from; a rep's floor-to-floor equation has to fit one, and a tilt centred in it
 * looks just like an offset: the sway's lean is the one a raise's is measured against).
 * One equation, along the lean, before the first rep. Its error: sw_g read over a
 * second or more still (~0.2 mg) over the window's 2-3 s, and the sensor's noise
 * integrated over them (~0.2 mg s): ~5e-4 g s, as large as a rep's (5e-4 g s^2), so
 * it weighs as one rep's equation would over the same lean. It reads k only along its
 * own lean: the reps fit what is left of it, and k across that lean, themselves. */
#define SW_WEIGHT 1.0f
/* The sway measures the gradient along its lean, so it is not held to the cap the
 * reps' fit is (a typical sensor's 20 mg per radian): a consumer accelerometer's
 * offsets of 40-80 mg (phones, hobby boards) make it that large, and it is taken out
 * whole, to the largest such a sensor shows. */
#define K_SW_MAX_G 0.08f
#define SW_MIN_S 1.0f
#define SW_MAX_S 12.0f
#define SW_G_TAU_S 0.5f
#define SW_MIN_LEAN 0.087f /* leant 5 deg at least (sin): a fidget tells its noise only */
#define SW_STILL_S 1.0f  /* still this long before it: the force there is read well */
/* As a gesture sets off from rest, its turning passes the still detector's levels
 * slowly, with the sensor's noise on it: the still flag flickers for some samples (a few
 * milliseconds) before it drops for good. Such a flicker is no movement and no new still
 * pose: the still time before it and the force read there are kept, and the window
 * starts again from the same pose. (Taken as a move and a new pose, the window lost its
 * "still before" and was never learnt: at 833 Hz, eight times the samples and each with
 * the noise of a wider band, so were 15 of 20 sways with the knee, against 1 in 20 at
 * 104 Hz, and their sets were left with the tilt error in every lean.) A move shorter
 * than this is such a flicker (the detector's flag drops for good within a few
 * hundredths of a second; a gesture lasts seconds): */
#define SW_FLICKER_S 0.05f

void height_sway_update(ct_height *h, float f, const ct_vec3 *up_s, bool still, bool swayed,
                        bool gyro_known, float dt_s)
{
    if (h->sw_learnt)
        return;
    if (!gyro_known) { /* up turns with the gyro's bias, or the pod is turned on the leg */
        h->sw_have = false;
        return;
    }
    if (!still) {
        if (!h->sw_have)
            return;
        if (h->sw_t <= 0.0f)
            h->sw_from = !swayed && h->sw_still_s >= SW_STILL_S; /* the gesture to come */
        h->sw_v += (f - h->sw_g) * dt_s;
        ct_vec3 du = v3_sub(*up_s, h->sw_up0);
        h->sw_j1 = v3_add(h->sw_j1, v3_scale(du, dt_s));
        if (v3_norm2(du) > h->sw_lean2)
            h->sw_lean2 = v3_norm2(du);
        h->sw_t += dt_s;
        if (h->sw_t > SW_MAX_S)
            h->sw_have = false; /* too long to tell: the next still pose starts again */
        return;
    }
    if (h->sw_have && h->sw_from && !swayed && h->sw_t >= SW_MIN_S &&
        h->sw_lean2 >= SW_MIN_LEAN * SW_MIN_LEAN) {
        ct_vec3 x = h->sw_j1;
        float xn = v3_norm(x);
        ct_vec3 s = v3_scale(x, 1.0f / xn);
        /* k along the lean, from its one equation with the prior's ridge */
        float ks = h->sw_v * xn / (xn * xn + K_RIDGE / SW_WEIGHT);
        if (ks > K_SW_MAX_G)
            ks = K_SW_MAX_G;
        else if (ks < -K_SW_MAX_G)
            ks = -K_SW_MAX_G;
        h->sw_s = s;
        h->sw_k = v3_scale(s, ks);
        h->sw_w = SW_WEIGHT * xn * xn;
        h->sw_learnt = true;
        k_solve(h);
        return;
    }
    /* still: the pose the next window starts from, its force averaged (a flicker of
     * the still flag leaves it as it was) */
    if (h->sw_t >= SW_FLICKER_S || !h->sw_have) {
        h->sw_g = f;
        h->sw_still_s = 0.0f;
    } else {
        h->sw_g += (f - h->sw_g) * (dt_s / (SW_G_TAU_S + dt_s));
    }
    h->sw_have = true;
    h->sw_still_s += dt_s;
    h->sw_up0 = *up_s;
    h->sw_v = h->sw_t = h->sw_lean2 = 0.0f;
    h->sw_j1 = v3(0.0f, 0.0f, 0.0f);
}

/* One step of the integration of the rep (acceleration a, g, over dt; *du_p the change
 * of up since the reference, by address: three floats passed by value are packed
 * through the stack, and reading them back stalls on every call). */
static void rp_step(ct_height *h, float a, const ct_vec3 *du_p, float dt)
{
    ct_vec3 du = *du_p;
    h->v += a * G_MPS2 * dt;
    h->p += h->v * dt;
    if (h->p > h->p_max)
        h->p_max = h->p;
    float vabs = h->v < 0.0f ? -h->v : h->v;
    if (vabs > h->v_peak)
        h->v_peak = vabs;
    h->t += dt;
    h->du_now = du;
    h->j1 = v3_add(h->j1, v3_scale(du, dt));
    h->jt = v3_add(h->jt, v3_scale(du, h->t * dt));
}

/* No rep after all: the movement traced is dropped and the pod rests (a launch that
 * never rose, a reference found off, walking or sitting down). */
static void rp_drop(ct_height *h)
{
    h->moving = false;
    h->rp = RP_REST;
    h->v_rest = h->p_rest = 0.0f;
    h->base_m = 0.0f;
    h->live_cm = 0.0f;
    h->n = 0;
}

/* Ends the rep at the floor at t_us (learning from it); the following segment starts on
 * the next sample in phase `next` (-1: none, the pod rests), replaying the way down from
 * ring slot replay_from when that is >= 0 (the trace of this one is replayed first). */
static void rp_close(ct_height *h, int64_t t_us, ct_height_segment *seg, int next,
                     int replay_from)
{
    k_learn(h);
    h->force_floor = true;
    finish_segment(h, t_us, seg);
    h->force_floor = false;
    h->moving = false;
    h->v_rest = h->p_rest = 0.0f;
    h->rp = RP_REST;
    h->rp_next = next;
    h->replay_from = replay_from;
}

/* Ends the rep at the floor now; `next`: the phase the following segment starts in on
 * the next sample, RP_REST for none. */
static void rp_end(ct_height *h, int64_t t_us, ct_height_segment *seg, int next)
{
    rp_close(h, t_us, seg, next == RP_REST ? -1 : next, -1);
}

/* Ends the rep at the bottom found on its way down (ring slot c) and keeps what came
 * after for the next rep, which has already begun (replayed on the next sample). */
static void rp_split(ct_height *h, int c, ct_height_segment *seg, bool next_rep)
{
    float t_end = h->ring_tt[c];
    h->v = h->ring_v[c];
    h->p = h->ring_p[c];
    h->t = t_end;
    h->j1 = h->ring_j1[c];
    h->jt = h->ring_jt[c];
    int keep = (int)(t_end / (h->dt_s * (float)h->stride) + 0.5f);
    if (keep < h->n)
        h->n = keep > 0 ? keep : 0;
    rp_close(h, h->ring_t[c], seg, next_rep ? RP_TOP : -1, next_rep ? c + 1 : -1);
}

static void ring_reset(ct_height *h, float dt_s)
{
    h->ring_n = 0;
    h->ring_acc = 0.0f;
    h->ring_k = 0;
    h->ring_du_acc = v3(0.0f, 0.0f, 0.0f);
    int s = (int)(RP_RING_DT_S / dt_s + 0.5f);
    h->ring_stride = s > 1 ? s : 1;
    h->cand = -1;
    h->cand_a = -1.0f;
    h->ring_vup = false;
}

/* The deepest dip between two humps of the acceleration kept since the landing, -1
 * when there are not two. */
static int rp_valley(const ct_height *h)
{
    int n = h->ring_n;
    if (n < 3)
        return -1;
    float lmax[RP_RING];
    float m = -1e9f;
    for (int i = 0; i < n; i++) {
        if (h->ring_s[i] > m)
            m = h->ring_s[i];
        lmax[i] = m;
    }
    float rmax = -1e9f, best = 0.0f;
    int bi = -1;
    for (int i = n - 1; i > 0; i--) {
        float l = lmax[i - 1], lo = l < rmax ? l : rmax;
        float depth = lo - h->ring_s[i];
        if (depth > best && valley(h, depth, lo)) {
            best = depth;
            bi = i;
        }
        if (h->ring_s[i] > rmax)
            rmax = h->ring_s[i];
    }
    return bi;
}

/* The bottom between a landing and the launch that follows it at once: the heels touch
 * down where the push of the landing has ended and before the next one builds (the
 * deepest dip of the acceleration between its two humps); when the two pushes merge
 * into one hump, where the velocity turned up (else the hump's top). */
static int rp_bottom(const ct_height *h)
{
    int c = rp_valley(h);
    return c >= 0 ? c : h->cand;
}

/* Where the pull down under way began (a landing is measured from there): where the
 * acceleration a (g) was last not negative before it turned into a pull, or where a
 * pull eased off before the next one (a tremor at the top pulls and pushes every few
 * tenths of a second; the error the integration keeps at the top may keep it below
 * zero between the pull that ends the rise and the next): eased by 40 % of the weaker
 * pull and 1 mg at least, as two pushes are told apart at the bottom. */
static void pull_track(ct_height *h, float a)
{
    if (a >= 0.0f) {
        h->pcand_v = h->v;
        h->pcand_p = h->p;
        h->pcand_t = h->t;
        h->pull_armed = true;
        return;
    }
    if (h->pull_armed) {
        if (a < -h->lobe_g) {
            h->pull_v = h->pcand_v;
            h->pull_p = h->pcand_p;
            h->pull_t = h->pcand_t;
            h->pull_armed = false;
            h->pull_a1 = h->pull_ag = h->pull_a2 = a;
        }
        return;
    }
    if (a > h->pull_ag) { /* easing off: the gap between two pulls, perhaps */
        h->pull_ag = h->pull_a2 = a;
        h->pcand_v = h->v;
        h->pcand_p = h->p;
        h->pcand_t = h->t;
    } else if (a < h->pull_a2) {
        h->pull_a2 = a;
    }
    float lo = h->pull_a1 > h->pull_a2 ? -h->pull_a1 : -h->pull_a2, depth = lo + h->pull_ag;
    if (h->pull_a2 < -h->lobe_g && valley(h, depth, lo)) {
        h->pull_v = h->pcand_v; /* a pull of its own */
        h->pull_p = h->pcand_p;
        h->pull_t = h->pcand_t;
        h->pull_a1 = h->pull_ag = h->pull_a2;
    } else if (h->pull_a2 < h->pull_a1) { /* one pull, deepening */
        h->pull_a1 = h->pull_ag = h->pull_a2;
    }
}

/* The shank, tipped forward as the heels rose, is back most of the way to the lean the
 * rep began from (measured along the way it tipped: leaning back past the start, as a
 * person settling on the heels may, counts as back). */
static bool tipped_back_now(const ct_height *h, ct_vec3 up_s)
{
    ct_vec3 d = v3_sub(h->up_turn, h->up0);
    return h->turn_deg >= RP_TILT_BACK_MIN_DEG &&
           v3_dot(v3_sub(up_s, h->up0), d) <= (1.0f - RP_TILT_BACK_FRAC) * v3_norm2(d);
}

/* A hold at the top is told from the acceleration's mean over half a second, and so its
 * end is told late: a slow way down begun gently (3-4 s, peaking two thirds of the way)
 * pulls by a mg or less for its first half second, and the hold went on taking its speed
 * out for up to a second (the trace stayed level and then dropped at once: the way down
 * seemed to start late and fast, the top long). The movement that ended the hold began
 * where the acceleration last stood at the hold's level (its mean over the half second):
 * what the hold took out since, less what that level itself would have (the error the
 * hold was taking out), is given back to the velocity and the height, and to the trace
 * points since (spread as a steady pull would have). A tremor on the toes crosses
 * that level several times a second, so what comes back besides is at most its own
 * speed, a few mm/s. */
static void hold_released(ct_height *h)
{
    float T = h->t - h->hz_t;
    if (!(T > 0.0f) || T > HZ_MAX_S || h->p < 0.5f * h->p_max || h->p_max < 0.01f)
        return;
    float dv = h->hz_v - h->hz_a * G_MPS2 * T, dp = h->hz_p - 0.5f * h->hz_a * G_MPS2 * T * T;
    if (!(dv < 0.0f) || !(dp < 0.0f))
        return;
    h->v += dv;
    h->p += dp;
    h->pull_v += dv;
    h->pull_p += dp;
    h->pcand_v += dv;
    h->pcand_p += dp;
    float step = (float)h->stride * h->dt_s;
    for (int i = h->n - 1; i >= 0; i--) {
        float ti = (float)(i + 1) * step;
        if (ti <= h->hz_t)
            break;
        float u = (ti - h->hz_t) / T;
        h->buf[i] += dp * (u > 1.0f ? 1.0f : u * u);
    }
    h->hz_v = h->hz_p = 0.0f;
}

static bool update_reps(ct_height *h, float f_raw, ct_vec3 up_s, ct_vec3 gyr, int64_t t_us,
                        float dt_s, ct_height_segment *seg)
{
    ct_vec3 du = v3_sub(up_s, h->up_ref);
    float e_tilt = v3_dot(h->moving ? h->k_seg : h->k, du);
    float df = f_raw - e_tilt - h->g_ref;
    float k = dt_s / (RP_SMOOTH_S + dt_s);
    h->a1 += (df - h->a1) * k;
    h->a2 += (h->a1 - h->a2) * k;
    float a = h->a2;
    float w2 = v3_norm2(gyr), w = sqrtf(w2);
    /* the turning that carries the shank somewhere: a tremor (5-10 Hz) averages out */
    h->w_lp = v3_add(h->w_lp, v3_scale(v3_sub(gyr, h->w_lp), dt_s / (RP_TURN_TAU_S + dt_s)));
    /* steady: the acceleration holds its level and nothing turns. At rest that is so
     * whatever the level reads (a reference learnt in another pose is off by the tilt
     * error); in a movement only for a moment (the top of a smooth rise) */
    float ks = dt_s / (RP_SMOOTH_S * h->steady_c + dt_s);
    h->s1 += (df - h->s1) * ks;
    h->s2 += (h->s1 - h->s2) * ks;
    float dm = h->s2 - h->a_mean;
    h->a_mean += dm * (dt_s / (RP_STEADY_S * h->steady_c + dt_s));
    bool steady = dm < h->steady_g && dm > -h->steady_g && w < RP_STEADY_DPS;
    h->steady_s = steady ? h->steady_s + dt_s : 0.0f;
    bool quiet = (a < h->quiet_g && a > -h->quiet_g && w < RP_QUIET_DPS) ||
                 h->steady_s >= h->steady_min_s;
    h->quiet_s = quiet ? h->quiet_s + dt_s : 0.0f;
    /* still, by the level itself (a slow landing decelerates steadily at a few mg) */
    bool level = a < h->quiet_g && a > -h->quiet_g && w < RP_QUIET_DPS;
    h->level_s = level ? h->level_s + dt_s : 0.0f;
    bool up = a > h->lobe_g, down = a < -h->lobe_g;

    if (h->rp_next >= 0) { /* a rep ended on the last sample: the next one goes on */
        start_segment(h, h->replay_from >= 0 ? h->ring_t[h->replay_from - 1] : t_us);
        h->up0 = up_s;
        h->c_min = 1.0f;
        h->path_deg = 0.0f;
        h->rp = h->rp_next;
        h->v_min = 0.0f;
        h->rp_next = -1;
        h->launched = true;
        h->lobe_dv = 0.0f;
        if (h->replay_from >= 0) {
            float dts = h->dt_s * (float)h->ring_stride;
            for (int i = h->replay_from; i < h->ring_n; i++) {
                rp_step(h, h->ring_a[i], &h->ring_du[i], dts);
                pull_track(h, h->ring_s[i]);
                /* the trace keeps its own pace: one point per sample period */
                for (int j = 0; j < h->ring_stride; j++)
                    buf_push(h);
            }
            h->replay_from = -1;
        }
    } else if (h->rp == RP_REST) {
        /* a movement starts before its lobe is told: what it built up meanwhile is
         * carried into it; at rest this leaks away */
        float kl = dt_s / (ZV_LEAK_S + dt_s);
        h->v_rest += df * G_MPS2 * dt_s - kl * h->v_rest;
        h->p_rest += h->v_rest * dt_s - kl * h->p_rest;
        /* standing on the floor: the reference follows the force read here, quickly
         * when it is steady (it may have been learnt in another pose) */
        /* (a slow start reads 2-3 mg and holds it for a moment: only a level off by more
         * than any such start, steady, is taken at once) */
        bool off = h->steady_s >= h->steady_min_s && (a > h->rest_max_g || a < -h->rest_max_g);
        bool learn = off || h->quiet_s > RP_REST_LEARN_S;
        if (learn) {
            float tau = off ? 0.2f : 1.0f;
            float kk = dt_s / (tau + dt_s);
            h->g_ref += (f_raw - e_tilt - h->g_ref) * kk;
        }
        float d2 = v3_norm2(v3_sub(up_s, h->up_stance)), tilt = RP_MAX_TILT_DEG * CT_DEG2RAD_F;
        bool near = d2 <= RP_REST_LEAN * RP_REST_LEAN;
        if (d2 >= tilt * tilt)
            h->rest_leaned = false; /* sat, lay, stood up, walked: a new stance */
        else if (!near && h->quiet_s >= RP_UP_QUIET_S)
            h->rest_leaned = true; /* held there, leaned */
        if (h->steady_s >= (near ? h->steady_min_s : RP_REST_LEAN_STANCE_S)) {
            if (h->rest_leaned)
                h->v_rest = h->p_rest = 0.0f;
            h->up_stance = up_s; /* still near the stance, or a new one taken */
            h->rest_leaned = false;
        }
        if ((!up && !down) || h->steady_s > 0.0f || h->rest_leaned)
            return false;
        start_segment(h, t_us);
        h->up0 = up_s;
        h->c_min = 1.0f;
        h->path_deg = 0.0f;
        h->v = h->v_rest;
        h->p = h->p_rest;
        h->rp = up ? RP_UP : RP_TOP;
        h->v_min = h->v;
        h->launched = up;
        h->lobe_dv = 0.0f;
    }
    h->moving = true;
    float v_prev = h->v;
    rp_step(h, df, &du, dt_s);
    h->path_deg += v3_norm(h->w_lp) * dt_s;
    h->up_last = up_s;
    /* how far the shank tipped from where the rep began (a tremor turns it fast but
     * nowhere: the path of the rotation would count it) */
    float c_up = v3_dot(up_s, h->up0);
    if (c_up < h->c_min) {
        h->c_min = c_up;
        h->turn_deg = acosf(c_up > 1.0f ? 1.0f : c_up) * 57.29578f;
        h->up_turn = up_s;
    }
    buf_push(h);
    h->live_cm = (h->base_m + h->p) * 100.0f;
    float vabs = h->v < 0.0f ? -h->v : h->v;
    float at = h->base_m + h->p, top = h->base_m + h->p_max;
    /* the speed a push upward has given since the last pull downward (counted from
     * where the acceleration turned positive, a slow landing builds slowly) */
    if (down)
        h->lobe_dv = 0.0f;
    else if (a > 0.0f)
        h->lobe_dv += a * G_MPS2 * dt_s;

    /* the speed the strongest pull downward gave after the one that ended the rise (a
     * way down after a pause at the top), counted while at the top */
    if (h->rp != RP_TOP) {
        h->down_first = true;
        h->down_dv = h->down_max = 0.0f;
    } else {
        if (a < 0.0f)
            h->down_dv -= a * G_MPS2 * dt_s;
        if (up) { /* a push ends the pull */
            h->down_first = false;
            h->down_dv = 0.0f;
        } else if (!h->down_first && h->down_dv > h->down_max) {
            h->down_max = h->down_dv;
        }
    }

    pull_track(h, a);

    switch (h->rp) {
    case RP_UP:
        if (down) {
            h->rp = RP_TOP;
            h->v_min = h->v;
            h->hold_s = 0.0f;
            h->a_hold = a;
            h->w_hold = h->w_lp;
        } else if ((h->quiet_s >= RP_FLOOR_QUIET_S && h->t < RP_LAUNCH_S && vabs < RP_NO_LAUNCH_V) ||
                   (h->quiet_s >= RP_UP_QUIET_S && vabs < ZV_MAX_V_MPS) ||
                   h->steady_s >= h->up_steady_s) {
            /* no launch after all (the tail of a landing, a shift of weight) */
            rp_drop(h);
        }
        break;
    case RP_TOP: {
        /* holding on the toes (trembling, perhaps): over half a second the pod goes
         * nowhere and hardly turns, and what the integration says it does is drift */
        float kh = dt_s / (RP_HOLD_TAU_S + dt_s);
        h->a_hold += (a - h->a_hold) * kh;
        h->w_hold = v3_add(h->w_hold, v3_scale(v3_sub(gyr, h->w_hold), kh));
        bool hold = h->a_hold < h->hold_g && h->a_hold > -h->hold_g &&
                    v3_norm2(h->w_hold) < RP_HOLD_DPS * RP_HOLD_DPS && vabs < RP_HOLD_V;
        bool was_held = h->hold_s >= RP_HOLD_S;
        h->hold_s = hold ? h->hold_s + dt_s : 0.0f;
        if (h->hold_s >= RP_HOLD_S) {
            if (!was_held || a >= h->a_hold) {
                h->hz_v = h->hz_p = 0.0f;
                h->hz_t = h->t;
                h->hz_a = h->a_hold;
            } else {
                h->hz_v += h->v;
                h->hz_p += h->hz_v * dt_s;
            }
            /* (the pull's start is kept as it was, in the velocity now taken) */
            h->pull_p += h->pull_v * (h->t - h->pull_t);
            h->pull_t = h->t;
            h->pull_v -= h->v;
            h->pcand_p += h->pcand_v * (h->t - h->pcand_t);
            h->pcand_t = h->t;
            h->pcand_v -= h->v;
            h->v = 0.0f;
            if (h->v_min > 0.0f)
                h->v_min = 0.0f;
        } else if (was_held) {
            hold_released(h);
        }
        /* a landing slows a way down that was under way (a tremor at the top pushes up
         * and down as much, going nowhere) */
        if (h->v < h->v_min)
            h->v_min = h->v;
        bool landing = false;
        if (up && h->lobe_dv >= RP_LANDING_DV) {
            /* (the shank leans forward as the heels rise: back most of the way, they
             * are down, whatever the integrated velocity has drifted to; the angle is
             * only worked out when it can matter, a push under way; or back all the
             * way from a smaller turn, RP_TILT_HOME_MIN_DEG) */
            bool tipped_back = (h->turn_deg >= RP_TILT_BACK_MIN_DEG &&
                                acosf(c_up > 1.0f ? 1.0f : c_up) * 57.29578f <=
                                    (1.0f - RP_TILT_BACK_FRAC) * h->turn_deg) ||
                               (h->turn_deg >= RP_TILT_HOME_MIN_DEG &&
                                v3_dot(v3_sub(up_s, h->up0), v3_sub(h->up_turn, h->up0)) <= 0.0f);
            /* how far the pull and this push have taken the heels down, from the
             * accelerations alone (the velocity it began with carried on) */
            float drop = h->pull_p + h->pull_v * (h->t - h->pull_t) - h->p;
            bool went_down = drop >= RP_LANDING_FRAC * top;
            landing =
                (h->v_min <= -RP_LANDING_DV &&
                 (h->p_max - h->p >= RP_LANDING_FRAC * top || h->lobe_dv >= RP_LANDING_FIRM_DV) &&
                 went_down) ||
                ((tipped_back || h->down_max >= RP_DOWN_LOBE_DV) &&
                 h->lobe_dv >= RP_LANDING_FIRM_DV) ||
                (tipped_back && h->turn_deg < RP_TILT_PARTIAL_DEG &&
                 h->lobe_dv >= RP_LANDING_BACK_DV) ||
                (tipped_back && h->down_max >= RP_DOWN_LOBE_DV && h->lobe_dv >= RP_LANDING_BACK_DV);
        }
        if (landing) {
            h->rp = RP_DOWN;
            ring_reset(h, dt_s);
            if (h->v >= 0.0f) {
                /* the velocity has already turned up (a landing told late, or zeroed by
                 * a pause at the bottom): the bottom is where the way down is kept from */
                h->cand = 0;
                h->cand_a = 1e10f;
            }
        } else if (h->steady_s >= h->steady_min_s && a < h->rest_max_g && a > -h->rest_max_g &&
                   vabs < RP_LAUNCH_DV && at <= RP_FLOOR_FRAC * top &&
                   h->pull_p + h->pull_v * (h->t - h->pull_t) - h->p >= RP_LANDING_FRAC * top &&
                   (top < h->cfg.floor_cm * 0.01f || h->lobe_dv >= top / RP_FLOOR_BRAKE_S)) {
            /* at rest low down without a landing seen (a slow lowering): the floor (the
             * acceleration passes zero half-way down: only a steady rest counts). As for
             * a landing, the heels were taken a third of the way down counted from where
             * the pull under way began, from the accelerations alone: the integrated
             * height drifts by a centimetre or two over a top held with a tremor, and
             * sagged below 40 % of the rise it read as the floor. And a push has braked
             * the way down (RP_FLOOR_BRAKE_S): half-way down a slow lowering the
             * acceleration turns from pull to push, steady for a moment, while the heels
             * go at their fastest, still a centimetre or more up; with a drift in the
             * height it read as resting low down, and the rep ended there, its way down
             * cut in two. */
            rp_end(h, t_us, seg, RP_REST);
            return true;
        }
        break;
    }
    case RP_DOWN:
        /* keep the way down, to end the rep at its bottom once the next rep shows */
        h->ring_acc += df;
        h->ring_du_acc = v3_add(h->ring_du_acc, du);
        /* (the velocity turns up on one sample of the slot's several at a high rate:
         * it is looked for on each of them, not only on the one that closes the slot;
         * looked for there alone, at 833 Hz (8 samples a slot) the turn was missed 7
         * times in 8 and the bottom fell on the next launch's hardest push, the rep
         * running on into it and its height read from there) */
        if (v_prev < 0.0f && h->v >= 0.0f)
            h->ring_vup = true;
        if (++h->ring_k >= h->ring_stride && h->ring_n < RP_RING) {
            int i = h->ring_n++;
            h->ring_a[i] = h->ring_acc / (float)h->ring_k;
            h->ring_t[i] = t_us;
            h->ring_tt[i] = h->t;
            h->ring_v[i] = h->v;
            h->ring_p[i] = h->p;
            h->ring_s[i] = a;
            h->ring_du[i] = v3_scale(h->ring_du_acc, 1.0f / (float)h->ring_k);
            h->ring_j1[i] = h->j1;
            h->ring_jt[i] = h->jt;
            h->ring_du_acc = v3(0.0f, 0.0f, 0.0f);
            h->ring_acc = 0.0f;
            h->ring_k = 0;
            /* the bottom: where the velocity turns up, else the hardest push */
            bool vup = h->ring_vup;
            h->ring_vup = false;
            if (vup && h->cand_a < 1e9f) {
                h->cand = i;
                h->cand_a = 1e10f; /* the first turn-around wins */
            } else if (h->cand_a < 1e9f && a > h->cand_a) {
                h->cand = i;
                h->cand_a = a;
            }
        }
        /* after the landing the heels rest on the floor (once it has stopped: a slow
         * landing decelerates steadily for a second). Unless the next rep has launched
         * from the bottom: a push of its own after the landing's (two humps, see
         * rp_bottom) that gained the speed of a launch since the dip between them; a
         * slow way up (2-2.5 s) launched at once passes through nothing half-way up for a
         * few tenths of a second (the acceleration turns from push to pull at ~10 mg/s),
         * and the heels are rising there, not resting. */
        if (h->level_s >= RP_FLOOR_QUIET_S || h->quiet_s >= RP_LANDED_QUIET_S) {
            int c = h->quiet_s < RP_LANDED_QUIET_S ? rp_valley(h) : -1;
            if (c < 0 || h->v - h->ring_v[c] < RP_LAUNCH_DV) {
                rp_end(h, t_us, seg, RP_REST);
                return true;
            }
        }
        if (down) { /* the next rep's top: its launch followed the landing at once */
            int c = rp_bottom(h);
            /* the next rep launched from the bottom if it gained speed since (else the
             * landing just wobbled) */
            if (c >= 0 && c < h->ring_n - 1)
                rp_split(h, c, seg, h->v - h->ring_v[c] >= RP_LAUNCH_DV);
            else
                rp_end(h, t_us, seg, RP_TOP);
            return true;
        }
        break;
    default:
        break;
    }
    if (h->quiet_s >= RP_STOP_QUIET_S) {
        /* resting for seconds: whatever the integration says, the movement is over */
        rp_end(h, t_us, seg, RP_REST);
        return true;
    }
    float off_g = RP_REF_OFF_LOBES * h->lobe_g;
    if (off_g < RP_REF_OFF_G)
        off_g = RP_REF_OFF_G;
    if (h->steady_s >= h->steady_min_s && (a > off_g || a < -off_g) &&
        v3_norm2(du) <= RP_REST_LEAN * RP_REST_LEAN) {
        /* the reference is off (see RP_REF_OFF_G): the movement traced against it is
         * dropped, and the reference moved to the level read steady */
        h->g_ref += a;
        h->a1 -= a;
        h->a2 -= a;
        h->s1 -= a;
        h->s2 -= a;
        h->a_mean -= a;
        rp_drop(h);
        return false;
    }
    bool turned = h->turn_deg > RP_MAX_TILT_DEG;
    if (h->t > RP_MAX_SEG_S || turned) { /* no rep: walking, sitting down... start again */
        rp_drop(h);
        h->g_ref_valid = false;
    }
    return false;
}

/* the standing reference: the vertical force g read at rest, standing where up_s is */
static void take_ref(ct_height *h, float g, ct_vec3 up_s)
{
    h->stand_known = false; /* (one stand, one reference) */
    h->no_ref_s = 0.0f;
    h->g_ref = g;
    h->a_mean = 0.0f;
    h->steady_s = 0.0f;
    h->up_ref = up_s;
    h->g_ref_valid = true;
    h->up_stance = up_s; /* standing where the reference is taken */
    h->rest_leaned = false;
    h->a1 = h->a2 = h->s1 = h->s2 = 0.0f;
    h->rp = RP_REST;
}

bool height_update(ct_height *h, const ct_vec3 *acc_p, const ct_vec3 *up_p,
                   const ct_vec3 *gyr_p, int64_t t_us, float dt_s, ct_height_segment *seg)
{
    ct_vec3 acc_g = *acc_p, up_s = *up_p, gyr_dps = *gyr_p;
    h->dt_s = dt_s;
    noise_levels(h, dt_s);
    float f = v3_dot(acc_g, up_s); /* vertical specific force, g */
    if (!h->g_ref_valid) {
        /* the reference is taken once the force has held its level for a while
         * with nothing turning (a slow movement can pass for still a moment) */
        float w = v3_norm(gyr_dps);
        if (h->a1 - f > 0.1f || h->a1 - f < -0.1f) /* (it held a deviation before) */
            h->a1 = h->a_mean = f;
        h->a1 += (f - h->a1) * (dt_s / (RP_SMOOTH_S + dt_s));
        /* the mean lags a swing (quick raises leave half a second still between them,
         * just after a tenth of g): it is held at the edge of the band of the level, so
         * the level is steady as soon as it stops changing (held twice as far off, the
         * mean took a tenth of a second more to come in: a rest of 0.55 s was needed,
         * and a person who walked up and went straight into quick reps had none that
         * long; a ramp too steep to pass for still keeps its lag beyond the band all the
         * same) */
        float band = h->ref_band_g, dm = h->a1 - h->a_mean;
        if (dm > band)
            dm = band;
        else if (dm < -band)
            dm = -band;
        h->a_mean = h->a1 - dm;
        h->a_mean += dm * (dt_s / (RP_STEADY_S + dt_s));
        bool steady = dm < band && dm > -band && w < RP_STEADY_DPS;
        if (!steady && h->stand_known) {
            /* moving before a steady spell of its own: the stand just before was the
             * standing reference (height_stand_ref), and this is the first movement */
            take_ref(h, h->stand_g, h->stand_up);
            return update_reps(h, f, up_s, gyr_dps, t_us, dt_s, seg);
        }
        h->steady_s = steady ? h->steady_s + dt_s : 0.0f;
        /* without a reference for a while (the person went straight on), a shorter
         * steady moment will do */
        h->no_ref_s += dt_s;
        float need = h->no_ref_s > RP_NO_REF_S ? RP_REF_STEADY_MIN_S : RP_REF_STEADY_S;
        if (h->steady_s < need)
            return false;
        take_ref(h, h->a_mean, up_s);
        return false;
    }
    return update_reps(h, f, up_s, gyr_dps, t_us, dt_s, seg);
}

void height_stand_ref(ct_height *h, const ct_vec3 *acc_mean_g, const ct_vec3 *up_p)
{
    if (h->g_ref_valid)
        return;
    h->stand_up = *up_p;
    h->stand_g = v3_dot(*acc_mean_g, h->stand_up);
    h->stand_known = true;
}

bool height_finish(ct_height *h, int64_t t_us, ct_height_segment *seg)
{
    /* (or a rep still at its top whose way down was seen, a pull as strong as a slow way
     * down's, and whose shank is back at the lean it rose from: the heels are down,
     * whatever the integrated velocity drifted to over the top; the landing push of a
     * slow way down is weak and the set may end before it is told) */
    bool down = h->rp == RP_DOWN || (h->rp == RP_TOP && h->launched &&
                                     tipped_back_now(h, h->up_last) &&
                                     h->down_max >= RP_DOWN_LOBE_DV);
    if (!h->moving || !down)
        return false;
    rp_end(h, t_us, seg, RP_REST);
    return true;
}
