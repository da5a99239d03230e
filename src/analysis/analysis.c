/* analysis.c - the streaming pipeline: samples in, graded rep/hold events out. */
#include "calftrack/analysis.h"

#include <stddef.h>

#include "calftrack/err.h"

/* Placement from the standing still pose: on the shin the pod lies on the skin along
 * the shank, so gravity is in the pod's plane; on the dorsum of the foot it is along
 * the pod's normal (within the slope of the dorsum, ~15-35 deg). */
#define FOOT_MIN_NORMAL_COS 0.6f /* gravity within 53 deg of the normal: foot */

static bool needs_height(const ct_analysis *a)
{
    return a->placement == PLACE_SHIN &&
           (a->rx.exercise == EX_CALF_RAISE || a->rx.exercise == EX_ISOMETRIC_RAISE);
}

static bool placement_ok(ct_exercise ex, ct_placement p)
{
    switch (ex) {
    case EX_LUNGE_STRETCH:
    case EX_DOWNWARD_DOG:
        return p == PLACE_SHIN;
    case EX_BAND_STRETCH:
        return p == PLACE_FOOT;
    default:
        return p == PLACE_SHIN || p == PLACE_FOOT;
    }
}

/* The measure of the exercise in its unit, from the sagittal angle or the height. */
static float measure(const ct_analysis *a)
{
    switch (a->rx.exercise) {
    case EX_CALF_RAISE:
    case EX_ISOMETRIC_RAISE:
        return a->placement == PLACE_SHIN ? a->height.live_cm : -a->angle_deg;
    case EX_BAND_STRETCH:
        return a->angle_deg - 90.0f;
    default:
        return a->angle_deg;
    }
}

static ct_rx_unit measure_unit(const ct_analysis *a)
{
    return needs_height(a) ? RX_UNIT_CM : RX_UNIT_DEG;
}

/* The target in the measure's unit, 0 when none is prescribed in it. */
static float target_in_unit(const ct_analysis *a)
{
    return a->rx.unit == measure_unit(a) ? a->rx.target : 0.0f;
}

/* Detector levels from physically meaningful sizes: a heel rise starts at 2 cm or 8 deg
 * of plantarflexion, a stretch at 40% of its target (or 12 deg of shank inclination);
 * anything shorter than a plausible rep/hold is a step or a fidget. */
static void configure_detector(ct_analysis *a)
{
    ct_detect_settings c = {0};
    float tg = target_in_unit(a);
    bool holds = a->rx.exercise != EX_CALF_RAISE;
    switch (a->rx.exercise) {
    case EX_CALF_RAISE:
    case EX_ISOMETRIC_RAISE:
        if (a->placement == PLACE_SHIN) {
            c.engage = tg > 0.0f ? 0.3f * tg : 2.0f;
            if (c.engage < 1.5f)
                c.engage = 1.5f;
            c.low = 0.4f * c.engage;
            c.top_band = 0.5f;
        } else {
            c.engage = tg > 0.0f ? 0.3f * tg : 8.0f;
            if (c.engage < 5.0f)
                c.engage = 5.0f;
            c.low = 0.4f * c.engage;
            c.top_band = 2.0f;
        }
        c.min_s = 0.4f;
        c.max_s = holds ? 0.0f : 20.0f;
        break;
    case EX_BAND_STRETCH:
        c.engage = tg > 0.0f ? tg - 10.0f : 0.0f;
        if (c.engage > 0.5f * tg)
            c.engage = 0.5f * tg;
        c.low = c.engage - 8.0f;
        c.top_band = 2.0f;
        c.min_s = 1.0f;
        break;
    default: /* lunge, downward dog */
        c.engage = tg > 0.0f ? 0.4f * tg : 12.0f;
        if (c.engage < 8.0f)
            c.engage = 8.0f;
        c.low = 0.5f * c.engage;
        c.top_band = 2.0f;
        c.min_s = 1.0f;
        break;
    }
    if (holds && a->rx.hold_s > 0.0f && c.min_s < 0.2f * a->rx.hold_s)
        c.min_s = 0.2f * a->rx.hold_s;
    c.target = tg;
    detect_init(&a->det, &c);
}

int analysis_init(ct_analysis *a, const ct_rx_item *item, float rate_hz)
{
    if (!a || !item || !(rate_hz > 1.0f) || (unsigned)item->exercise >= EX_COUNT)
        return CT_EARG;
    *a = (ct_analysis){0};
    a->rx = *item;
    a->period_s = 1.0f / rate_hz;
    a->partial_frac = item->partial_frac > 0.0f ? item->partial_frac : CT_PARTIAL_FRAC_DEFAULT;
    still_init(&a->still, NULL);
    gyro_offset_init(&a->gofs, NULL);
    orient_init(&a->orient, NULL);
    align_init(&a->align, NULL, 1);
    height_init(&a->height, NULL);
    a->still_need_s = 0.3f;
    configure_detector(a);
    return CT_OK;
}

int analysis_set_rx(ct_analysis *a, const ct_rx_item *item)
{
    if (!a || !item || item->exercise != a->rx.exercise)
        return CT_EARG;
    a->rx = *item;
    a->partial_frac = item->partial_frac > 0.0f ? item->partial_frac : CT_PARTIAL_FRAC_DEFAULT;
    if (!a->det.active)
        configure_detector(a);
    return CT_OK;
}

void analysis_begin_set(ct_analysis *a, int set_no)
{
    a->set = set_no;
    a->set_ready = false;
    a->det.active = false;
    a->det.t_low_us = INT64_MIN;
    a->count_in_set = 0;
}

static ct_grade grade(const ct_analysis *a, const ct_excursion *x, float ref)
{
    if (ref > 0.0f && x->peak < a->partial_frac * ref)
        return GRADE_PARTIAL;
    if (a->rx.hold_s > 0.0f && x->hold_s < a->rx.hold_s - CT_HOLD_TOL_S)
        return GRADE_SHORT_HOLD;
    if ((a->rx.up_s > 0.0f && x->up_s < CT_TOO_FAST_FRAC * a->rx.up_s) ||
        (a->rx.down_s > 0.0f && x->down_s < CT_TOO_FAST_FRAC * a->rx.down_s))
        return GRADE_TOO_FAST;
    return GRADE_FULL;
}

static void fill(const ct_analysis *a, ct_event *e, ct_event_kind kind)
{
    *e = (ct_event){0};
    e->kind = kind;
    e->exercise = a->rx.exercise;
    e->side = a->rx.side;
    e->placement = a->placement;
    e->set = a->set;
    e->t_start_us = e->t_peak_us = e->t_end_us = a->t_us;
}

static void excursion_event(ct_analysis *a, const ct_excursion *x, ct_event *e)
{
    float tg = target_in_unit(a);
    float ref = tg > 0.0f ? tg : a->best_peak;
    fill(a, e, a->rx.exercise == EX_CALF_RAISE ? EV_REP : EV_HOLD);
    e->number = ++a->count_in_set;
    e->t_start_us = x->t_start_us;
    e->t_peak_us = x->t_peak_us;
    e->t_end_us = x->t_end_us;
    if (measure_unit(a) == RX_UNIT_CM)
        e->height_cm = x->peak;
    else
        e->peak_deg = x->peak;
    e->hold_s = x->hold_s;
    e->up_s = x->up_s;
    e->top_s = x->top_s;
    e->down_s = x->down_s;
    e->target = a->rx.target;
    e->grade = grade(a, x, ref);
    if (x->peak > a->best_peak)
        a->best_peak = x->peak;
}

int analysis_end_set(ct_analysis *a, ct_event *out, int max_out)
{
    int n = 0;
    ct_excursion x;
    if (a->set_ready && detect_flush(&a->det, a->t_us, &x) && n < max_out)
        excursion_event(a, &x, &out[n++]);
    a->set = 0;
    a->set_ready = false;
    return n;
}

/* The placement, told once per exercise when the standing reference is taken. */
static int decide_placement(ct_analysis *a, ct_event *out, int max_out)
{
    ct_vec3 u = a->align.up_ref;
    float c = u.z < 0.0f ? -u.z : u.z;
    a->placement = c > FOOT_MIN_NORMAL_COS ? PLACE_FOOT : PLACE_SHIN;
    a->placement_told = true;
    /* without a gesture the first excursion is the exercise: plantarflexion for a
     * raise measured on the foot, forward (dorsiflexion) otherwise */
    bool pf = a->placement == PLACE_FOOT &&
              (a->rx.exercise == EX_CALF_RAISE || a->rx.exercise == EX_ISOMETRIC_RAISE);
    a->align.expect_sign = pf ? -1 : 1;
    configure_detector(a);
    int n = 0;
    if (n < max_out) {
        fill(a, &out[n], EV_PLACEMENT);
        n++;
    }
    if (!placement_ok(a->rx.exercise, a->placement) && n < max_out) {
        fill(a, &out[n], EV_WRONG_PLACEMENT);
        n++;
    }
    return n;
}

int analysis_update(ct_analysis *a, const ct_sample *s, ct_event *out, int max_out)
{
    int n = 0;
    float dt = a->period_s;
    int64_t period_us = (int64_t)(a->period_s * 1e6f);
    int64_t t_us = s->t_us;
    if (a->have_prev) {
        /* Device time is trusted, but a sample that shares (or goes back on) the previous
         * timestamp, or jumps far ahead, gets the nominal period instead; the clock then
         * resynchronises on the next plausible timestamp. */
        int64_t d = s->t_us - a->prev_t_us;
        uint64_t lost = s->index > a->prev_index + 1 ? s->index - a->prev_index - 1 : 0;
        int64_t expect = period_us * (int64_t)(lost + 1);
        if (d > expect / 4 && d < expect * 4) {
            dt = (float)d * 1e-6f;
        } else {
            dt = a->period_s * (float)(lost + 1);
            t_us = a->prev_t_us + expect;
        }
        if ((lost || (s->flags & CT_SAMPLE_GAP)) && n < max_out) {
            a->t_us = t_us;
            fill(a, &out[n], EV_GAP);
            out[n].lost_samples = lost;
            n++;
        }
    }
    a->have_prev = true;
    a->prev_t_us = t_us;
    a->prev_index = s->index;
    a->t_us = t_us;

    ct_vec3 acc = v3_from(s->acc_g), gyr = v3_from(s->gyr_dps);
    ct_vec3 gc = v3_sub(gyr, a->gofs.bias_dps);
    bool still = still_update(&a->still, acc, gyr, gc, a->gofs.known, dt);
    gc = gyro_offset_update(&a->gofs, gyr, a->still.still_s, dt);

    if (!a->orient.aligned) {
        if (a->still.still_s > 0.2f)
            orient_reset(&a->orient, a->still.acc_mean_g);
    } else {
        orient_update(&a->orient, gc, acc, still, dt);
    }
    if (!a->orient.aligned)
        return n;

    bool was_ref = a->align.ref_valid;
    align_update(&a->align, a->orient.up, acc, gc, a->still.still_s, dt);
    if (!was_ref && a->align.ref_valid && !a->placement_told)
        n += decide_placement(a, out + n, max_out - n);
    if (!a->align.ref_valid)
        return n;
    a->angle_deg = align_angle_deg(&a->align, a->orient.up);

    bool settled = true;
    if (needs_height(a)) {
        ct_height_segment seg;
        if (height_update(&a->height, acc, a->orient.up, gc, still, t_us, dt, &seg) &&
            seg.peak_cm > a->seg_peak_cm)
            a->seg_peak_cm = seg.peak_cm;
        settled = a->height.zv;
    }
    a->value = measure(a);

    if (a->set > 0 && !a->set_ready && a->still.still_s >= a->still_need_s &&
        a->value < a->det.cfg.low && placement_ok(a->rx.exercise, a->placement)) {
        a->set_ready = true;
        if (needs_height(a))
            height_set_floor(&a->height);
    }
    if (a->set_ready) {
        ct_excursion x;
        if (!a->det.active)
            a->seg_peak_cm = 0.0f;
        if (detect_update(&a->det, a->value, t_us, dt, settled, &x) && n < max_out) {
            if (needs_height(a) && a->seg_peak_cm > 0.0f)
                x.peak = a->seg_peak_cm; /* the corrected peak of the segments */
            excursion_event(a, &x, &out[n++]);
        }
    }
    return n;
}

ct_live analysis_live(const ct_analysis *a)
{
    ct_live l = {0};
    l.placement = a->placement;
    l.value = a->value;
    l.unit = measure_unit(a);
    l.target = target_in_unit(a);
    l.angle_deg = a->angle_deg;
    l.height_cm = a->height.live_cm;
    l.set = a->set;
    l.count = a->count_in_set;
    l.t_us = a->t_us;
    if (!a->align.ref_valid)
        l.state = LIVE_WAITING_STILL;
    else if (a->align.stage != ALIGN_DONE && a->set == 0)
        l.state = LIVE_CALIBRATING;
    else if (a->set == 0)
        l.state = LIVE_RESTING;
    else if (!a->set_ready)
        l.state = LIVE_WAITING_STILL;
    else if (a->det.active && a->rx.exercise != EX_CALF_RAISE &&
             a->value >= a->det.cfg.engage && a->still.still_s > 0.0f) {
        l.state = LIVE_HOLDING;
        l.hold_elapsed_s = detect_hold_elapsed_s(&a->det);
    } else if (a->det.active)
        l.state = LIVE_IN_REP;
    else
        l.state = LIVE_READY;
    return l;
}
