/* simprog.c - a simulated patient walking through a whole prescription (simprog.h). */
#include "calftrack/simprog.h"

#include <string.h>

#include "calftrack/err.h"

/* The person on the injured side: ranges scaled by the deficit. */
static sim_person side_person(const simprog *p, ct_side side)
{
    sim_person q = p->person;
    if (side == p->cfg.injured && p->cfg.deficit > 0.0f && p->cfg.deficit < 1.0f) {
        q.max_plantarflex_deg *= p->cfg.deficit;
        q.max_dorsiflex_deg *= p->cfg.deficit;
        q.max_band_df_deg *= p->cfg.deficit;
    }
    return q;
}

static size_t add(sim_step *plan, size_t n, sim_step st)
{
    if (n < SIMPROG_MAX_STEPS)
        plan[n++] = st;
    return n;
}

/* Turning the pod off or onto the strap when it goes to another leg or from the shin to
 * the foot: the pod cannot get there without being handled. */
#define POD_OFF_DEG 160.0f
#define POD_ON_DEG -200.0f

/* The plan of one pass: the pod strapped on (turned into place when it comes from
 * elsewhere: put_on), a still reference and the calibration gesture, then every set
 * with its prescribed rest between; at the end the person stands for a moment and, when
 * the next pass needs the pod elsewhere (take_off), turns it off the strap. */
static size_t pass_plan(sim_step *plan, const presc_item *it, ct_placement pl, bool put_on,
                        bool take_off)
{
    size_t n = 0;
    if (put_on) {
        n = add(plan, n, (sim_step){.kind = SIM_STEP_STRAP_ADJUST, .strap_delta_deg = POD_ON_DEG});
        n = add(plan, n, (sim_step){.kind = SIM_STEP_STRAP_ADJUST, .strap_delta_deg = -POD_ON_DEG});
    }
    n = add(plan, n, (sim_step){.kind = SIM_STEP_STAND_STILL, .duration_s = 4.0f});
    n = add(plan, n, (sim_step){.kind = SIM_STEP_CALIBRATE, .duration_s = 8.0f,
                                .cal = pl == PLACE_FOOT ? SIM_CAL_ANKLE_PUMP : SIM_CAL_KNEE_SWAY});
    for (int k = 0; k < it->sets; k++) {
        sim_step st = {.kind = SIM_STEP_EXERCISE};
        sim_set_default(&st.set, it->exercise);
        st.set.set = k + 1;
        st.set.count = it->reps;
        if (it->hold_s > 0.0f)
            st.set.hold_s = 0.5f * (it->hold_s + it->hold_max_s);
        if (it->unit == PRESC_UNIT_DEG && it->target > 0.0f) {
            st.set.target = it->target;
            st.set.target_cm = false;
        } else if (it->unit == PRESC_UNIT_CM && it->target > 0.0f) {
            st.set.target = it->target;
            st.set.target_cm = true;
        }
        if (it->has_tempo) {
            st.set.up_s = it->tempo_up_s;
            st.set.down_s = it->tempo_down_s;
        }
        n = add(plan, n, st);
        if (k + 1 < it->sets)
            n = add(plan, n, (sim_step){.kind = SIM_STEP_REST,
                                        .duration_s = it->rest_s > 5.0f ? it->rest_s : 5.0f});
    }
    n = add(plan, n, (sim_step){.kind = SIM_STEP_STAND_STILL, .duration_s = 3.0f});
    if (take_off)
        n = add(plan, n, (sim_step){.kind = SIM_STEP_STRAP_ADJUST, .strap_delta_deg = POD_OFF_DEG});
    return n;
}

/* The pass after (item, pass), if any: its side and placement. */
static bool pass_after(const presc *rx, int item, int pass, ct_side *side, ct_placement *pl)
{
    if (pass + 1 < presc_item_sides(&rx->item[item])) {
        pass++;
    } else {
        item++;
        pass = 0;
    }
    if (item >= rx->n)
        return false;
    *side = presc_item_side(&rx->item[item], pass);
    *pl = sim_placement_for(rx->item[item].exercise);
    return true;
}

/* Starts the pass (item, pass) or reports that the prescription is over. */
static bool start_pass(simprog *p)
{
    while (p->item < p->rx->n) {
        const presc_item *it = &p->rx->item[p->item];
        if (p->pass < presc_item_sides(it)) {
            ct_side side = presc_item_side(it, p->pass);
            ct_placement pl = sim_placement_for(it->exercise);
            /* the pod moves between passes on different legs or placements */
            bool put_on = p->index > 0 && (side != p->side || pl != p->placement);
            ct_side next_side;
            ct_placement next_pl;
            bool take_off = pass_after(p->rx, p->item, p->pass, &next_side, &next_pl) &&
                            (next_side != side || next_pl != pl);
            size_t n = pass_plan(p->plan, it, pl, put_on, take_off);
            p->side = side;
            p->placement = pl;
            sim_person who = side_person(p, side);
            uint64_t seed = p->cfg.seed * 1000003u + (uint64_t)p->item * 17u + (uint64_t)p->pass;
            if (sim_init(&p->s, &who, &p->cfg.sensor, p->plan, n, pl, side, seed) != CT_OK)
                return false;
            p->base_index = p->index;
            return true;
        }
        p->item++;
        p->pass = 0;
    }
    return false;
}

int simprog_init(simprog *p, const presc *rx, const simprog_config *cfg)
{
    if (!p || !rx || !cfg || rx->n <= 0)
        return CT_EARG;
    memset(p, 0, sizeof *p);
    p->cfg = *cfg;
    p->rx = rx;
    /* one pod for the whole programme: its errors do not change when it is moved from
     * leg to leg or from shin to foot (each pass used to draw new ones) */
    if (p->cfg.sensor.device_seed == 0)
        p->cfg.sensor.device_seed = cfg->seed * 2654435761u + 1u;
    if (cfg->person)
        p->person = *cfg->person;
    else
        sim_person_random(&p->person, cfg->seed);
    if (!start_pass(p))
        return CT_EARG;
    return CT_OK;
}

static int64_t base_us(const simprog *p)
{
    return (int64_t)(p->base_index * (uint64_t)p->s.period_ns / 1000u);
}

static void shift(const simprog *p, sim_event *e)
{
    int64_t b = base_us(p);
    e->ev.t_start_us += b;
    e->ev.t_peak_us += b;
    e->ev.t_end_us += b;
}

bool simprog_next(simprog *p, wire_sample *raw, sim_truth_sample *truth)
{
    while (!p->done) {
        if (sim_next(&p->s, raw, NULL, truth)) {
            if (truth) {
                truth->t_us += base_us(p);
                truth->index += p->base_index;
            }
            p->index++;
            return true;
        }
        /* the pass is over: keep its last true events before the next pass starts */
        sim_event e;
        while (p->q_len < SIM_EVENT_QUEUE && sim_event_pop(&p->s, &e)) {
            shift(p, &e);
            p->q[(p->q_head + p->q_len++) % SIM_EVENT_QUEUE] = e;
        }
        p->pass++;
        if (!start_pass(p))
            p->done = true;
    }
    return false;
}

bool simprog_event_pop(simprog *p, sim_event *ev)
{
    if (p->q_len > 0) {
        *ev = p->q[p->q_head];
        p->q_head = (p->q_head + 1) % SIM_EVENT_QUEUE;
        p->q_len--;
        return true;
    }
    if (p->done || !sim_event_pop(&p->s, ev))
        return false;
    shift(p, ev);
    return true;
}

void simprog_wire_info(const simprog *p, wire_info *info)
{
    sim_wire_info(&p->s, info);
}
