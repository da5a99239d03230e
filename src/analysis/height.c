/* height.c - heel-rise height by integration between zero-velocity periods. */
#include "calftrack/analysis/height.h"

#include <stddef.h>

#define G_MPS2 9.80665f
#define ZV_MAX_V_MPS 0.015f
#define ZV_LONG_S 0.6f
#define ZV_MAX_DV_MPS 0.008f
#define ZV_TREMBLE_S 1.5f
#define ZV_LEAK_S 0.5f
#define ZV_MIN_AWAY_S 0.4f
#define MAX_RAISE_TURN_DEG 30.0f
#define MAX_TOP_M 0.16f
#define RAISE_TURN_DPS 8.0f /* deg/s */
#define CUT_MIN_DROP_M 0.03f /* a way down this long before a turn-around, m */

const ct_height_settings ct_height_defaults = {
    .zv_rate_dps = 10.0f,
    .zv_acc_g = 0.004f,
    .zv_min_s = 0.1f,
    .floor_frac = 0.3f,
    .floor_cm = 1.5f,
    .max_seg_s = 8.0f,
};

void height_init(ct_height *h, const ct_height_settings *cfg)
{
    *h = (ct_height){0};
    h->cfg = cfg ? *cfg : ct_height_defaults;
    h->stride = 1;
}

void height_set_floor(ct_height *h)
{
    h->base_m = 0.0f;
    h->live_cm = 0.0f;
}

static void buf_push(ct_height *h)
{
    if (++h->skip < h->stride)
        return;
    h->skip = 0;
    if (h->n == HEIGHT_BUF) { /* halve the resolution, keep the span */
        for (int i = 0; i < HEIGHT_BUF / 2; i++)
            h->buf[i] = h->buf[2 * i + 1];
        h->n = HEIGHT_BUF / 2;
        h->stride *= 2;
    }
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
    /* raises done back to back tip the shank by up to ~8 deg and back in a ~2 s rep
     * (RAISE_TURN_DPS on average); walking swings it far more */
    float turn_max = MAX_RAISE_TURN_DEG + (h->cfg.back_to_back ? RAISE_TURN_DPS * T : 0.0f);
    bool turned = h->turn_deg > turn_max;
    /* It ended at floor level unless it plausibly stopped at the top of a raise: up
     * from where it started, at least half its peak, at most MAX_TOP_M. A segment with
     * a lot of rotation (walking, sitting down) ends on the floor. */
    bool floor = end < h->cfg.floor_frac * (h->base_m + peak) || end < h->cfg.floor_cm * 0.01f ||
                 end > MAX_TOP_M || h->force_floor || turned;
    if (turned)
        h->n = 0; /* nothing worth replaying */
    if (floor && T > 0.0f) {
        /* height must end at zero too: bias b0 + b1 t (v = b0 t + b1 t^2/2,
         * p = b0 t^2/2 + b1 t^3/6) matched to the velocity and height residuals */
        float ev = h->v, ep = h->p + h->base_m;
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

float height_trace_m(const ct_height *h, int i, int64_t *t_us)
{
    float ti = (float)((i + 1) * h->stride) * h->dt_s;
    if (t_us)
        *t_us = h->t0_us + (int64_t)(ti * 1e6f);
    return h->seg_base_m + h->buf[i] - (0.5f * h->seg_b0 + h->seg_b1 * ti / 6.0f) * ti * ti;
}

bool height_update(ct_height *h, ct_vec3 acc_g, ct_vec3 up_s, ct_vec3 gyr_dps, bool still,
                   int64_t t_us, float dt_s, ct_height_segment *seg)
{
    h->dt_s = dt_s;
    float f = v3_dot(acc_g, up_s); /* vertical specific force, g */
    h->f_smooth += (f - h->f_smooth) * (dt_s / (0.02f + dt_s));
    /* Zero velocity: no rotation and the vertical specific force back at its resting
     * value. A smooth vertical movement passes through zero acceleration only for an
     * instant (at its fastest), so the condition has to last zv_min_s. */
    float r = h->cfg.zv_rate_dps, df = h->f_smooth - h->g_ref;
    float w2 = v3_norm2(gyr_dps);
    bool c = w2 < r * r &&
             (h->g_ref_valid ? (df < h->cfg.zv_acc_g && df > -h->cfg.zv_acc_g) : still);
    h->zv_s = c ? h->zv_s + dt_s : 0.0f;
    /* A slow movement also has hardly any acceleration: over a candidate pause the
     * velocity must not build up either (at rest only the bias residual integrates). */
    h->dv_cand = c && h->g_ref_valid ? h->dv_cand + df * G_MPS2 * dt_s : 0.0f;
    bool no_build = h->dv_cand < ZV_MAX_DV_MPS && h->dv_cand > -ZV_MAX_DV_MPS;
    /* a short pause must also be slow by the segment's own velocity: the middle of a
     * slow rise has no acceleration either, but it has speed; a long one is rest */
    float vabs = h->v < 0.0f ? -h->v : h->v;
    bool slow = no_build && (!h->moving || vabs < ZV_MAX_V_MPS || vabs < 0.3f * h->v_peak);
    bool ended = false;
    /* back at floor level a short pause is enough; elsewhere the pause must outlast the
     * quiet middle of a slow rise */
    float at = h->base_m + h->p;
    float need = (at < 0.015f && at > -0.015f) ? h->cfg.zv_min_s : ZV_MIN_AWAY_S;

    /* holding still on the toes trembles: on average the pod does not move */
    h->f_slow += (f - h->f_slow) * (dt_s / (0.5f + dt_s));
    float ds = h->f_slow - h->g_ref;
    bool c2 = h->g_ref_valid && w2 < 900.0f && ds < h->cfg.zv_acc_g && ds > -h->cfg.zv_acc_g;
    h->zv_slow_s = c2 ? h->zv_slow_s + dt_s : 0.0f;
    if ((h->zv_s >= need && slow) || (h->zv_s >= ZV_LONG_S && no_build) ||
        h->zv_slow_s >= ZV_TREMBLE_S) {
        if (h->moving) {
            h->moving = false;
            finish_segment(h, t_us, seg);
            ended = true;
            h->v_rest = h->p_rest = 0.0f;
        }
        h->zv = true;
        if (!h->g_ref_valid) {
            h->g_ref = f;
            h->g_ref_valid = true;
        }
        /* a movement starts inside the zero-velocity period (the slow average follows
         * it late): what it has built up over the last moments is carried into the
         * segment; at rest this leaks away */
        if (h->g_ref_valid) {
            float k = dt_s / (ZV_LEAK_S + dt_s);
            h->v_rest += df * G_MPS2 * dt_s - k * h->v_rest;
            h->p_rest += h->v_rest * dt_s - k * h->p_rest;
        }
        /* only a rest that lasts is trusted to refine it */
        if (h->zv_s > 0.5f)
            h->g_ref += (f - h->g_ref) * (dt_s / (0.5f + dt_s));
        return ended;
    }
    h->zv = false;
    if (!h->g_ref_valid)
        return false;
    if (!h->moving) {
        /* the zero-velocity condition started zv_s ago at most: integrate from now,
         * with what the movement built up before it was seen */
        start_segment(h, t_us);
        h->v = h->v_rest;
        h->p = h->p_rest;
    }
    float v_prev = h->v;
    h->v += (f - h->g_ref) * G_MPS2 * dt_s;
    h->p += h->v * dt_s;
    if (h->p > h->p_max)
        h->p_max = h->p;
    if (h->v > h->v_peak)
        h->v_peak = h->v;
    else if (-h->v > h->v_peak)
        h->v_peak = -h->v;
    h->t += dt_s;
    h->turn_deg += sqrtf(w2) * dt_s;
    buf_push(h);
    h->live_cm = (h->base_m + h->p) * 100.0f;
    /* no zero-velocity update in sight: raises done back to back (the shank tips only a
     * little) end at the next turn-around at the bottom (the way down, by CUT_MIN_DROP_M
     * at least, turns into a way up), taken as the floor at rest; the next segment
     * starts there. Anything else (walking) gives up. */
    bool bottom = v_prev < 0.0f && h->v >= 0.0f && h->p_max - h->p >= CUT_MIN_DROP_M;
    if (h->t > h->cfg.max_seg_s &&
        (bottom || !h->cfg.back_to_back || h->t > 2.0f * h->cfg.max_seg_s)) {
        h->moving = false;
        if (h->cfg.back_to_back && h->turn_deg < MAX_RAISE_TURN_DEG + RAISE_TURN_DPS * h->t) {
            h->force_floor = true;
            finish_segment(h, t_us, seg);
            h->force_floor = false;
            h->v_rest = h->p_rest = 0.0f;
            return true;
        }
        h->g_ref_valid = false;
        h->base_m = 0.0f;
        h->live_cm = 0.0f;
    }
    return false;
}
