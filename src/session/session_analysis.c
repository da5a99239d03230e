/* session_analysis.c - the runner's analyzer interface over analysis.h. */
#include "calftrack/session_analysis.h"

#include <string.h>

void session_rx_item(const presc_item *it, ct_side side, ct_rx_item *out)
{
    memset(out, 0, sizeof *out);
    out->exercise = it->exercise;
    out->side = side;
    out->reps = it->reps;
    out->hold_s = it->hold_s;
    out->target = it->unit == PRESC_UNIT_NONE ? 0 : it->target;
    out->unit = it->unit == PRESC_UNIT_CM ? RX_UNIT_CM : RX_UNIT_DEG;
    if (it->has_tempo) {
        out->up_s = it->tempo_up_s;
        out->top_s = it->tempo_top_s;
        out->down_s = it->tempo_down_s;
    }
}

static int begin_item(void *ctx, const presc_item *it, ct_side side)
{
    session_analysis *sa = ctx;
    ct_rx_item rx;
    session_rx_item(it, side, &rx);
    return analysis_init(&sa->a, &rx, sa->rate_hz);
}

static void begin_set(void *ctx, int set)
{
    session_analysis *sa = ctx;
    analysis_begin_set(&sa->a, set);
}

static int update(void *ctx, const ct_sample *s, ct_event *out, int max)
{
    session_analysis *sa = ctx;
    return analysis_update(&sa->a, s, out, max);
}

static int end_set(void *ctx, ct_event *out, int max)
{
    session_analysis *sa = ctx;
    return analysis_end_set(&sa->a, out, max);
}

static void live(void *ctx, session_live *out)
{
    session_analysis *sa = ctx;
    ct_live lv = analysis_live(&sa->a);
    memset(out, 0, sizeof *out);
    switch (lv.state) {
    case LIVE_WAITING_STILL: out->state = SLIVE_WAITING_STILL; break;
    case LIVE_CALIBRATING: out->state = SLIVE_CALIBRATING; break;
    case LIVE_READY: out->state = SLIVE_READY; break;
    case LIVE_IN_REP: out->state = SLIVE_MOVING; break;
    case LIVE_HOLDING: out->state = SLIVE_HOLDING; break;
    default: out->state = SLIVE_RESTING; break;
    }
    out->placement = lv.placement;
    out->value = lv.value;
    out->target = lv.target;
    out->value_cm = lv.unit == RX_UNIT_CM;
    out->hold_elapsed_s = lv.hold_elapsed_s;
    out->t_us = lv.t_us;
}

void session_analysis_bind(session_analysis *sa, float rate_hz, session_analyzer *out)
{
    sa->rate_hz = rate_hz > 0 ? rate_hz : 104.0f;
    *out = (session_analyzer){sa, begin_item, begin_set, update, end_set, live};
}
