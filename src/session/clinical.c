/* clinical.c - work, limb symmetry, tempo and the per-side summary of a session. */
#include "calftrack/clinical.h"

#include <math.h>
#include <string.h>

float clin_work_j(float body_mass_kg, float height_cm)
{
    if (!(body_mass_kg > 0) || !(height_cm > 0))
        return 0;
    return body_mass_kg * CLIN_G * height_cm / 100.0f;
}

float clin_lsi_pct(float injured, float uninjured)
{
    if (!(injured >= 0) || !(uninjured > 0) || isnan(injured))
        return NAN;
    return 100.0f * injured / uninjured;
}

float clin_held_s(const ct_event *e)
{
    /* the analysis keeps the time at the target in hold_s when one is set in its unit,
     * and the time in the hold (or at the top) in top_s */
    return e->kind == EV_HOLD ? e->top_s : e->hold_s;
}

float clin_at_target_s(const presc_item *it, const ct_event *e)
{
    presc_unit measured = e->height_cm > 0.0f ? PRESC_UNIT_CM : PRESC_UNIT_DEG;
    if (e->kind != EV_HOLD || it->unit != measured || !(it->target > 0.0f))
        return NAN;
    return e->hold_s;
}

/* A phase is judged at the tenth of a second it is shown to the person in (the live
 * line reads "tempo 1.5-1.0-2.0 s"): judged finer, a rep shown as 1.5 s against a 2 s
 * way up was called "slower" at 1.46 s and "good" at 1.52 s, the same figure with two
 * words. (The measure itself is good to about 0.2 s.) */
static int judge(float measured, float prescribed)
{
    if (!(prescribed > 0) || !(measured >= 0) || !(measured < 1e6f))
        return 0;
    long shown = lroundf(10.0f * measured);
    if (shown < lroundf(10.0f * CLIN_TEMPO_FAST * prescribed))
        return -1;
    if (shown > lroundf(10.0f * CLIN_TEMPO_SLOW * prescribed))
        return 1;
    return 0;
}

clin_tempo clin_tempo_check(const presc_item *it, float up_s, float top_s, float down_s)
{
    if (!it->has_tempo || it->exercise != EX_CALF_RAISE)
        return TEMPO_NONE;
    int j[3] = {judge(up_s, it->tempo_up_s), judge(top_s, it->tempo_top_s),
                judge(down_s, it->tempo_down_s)};
    for (int i = 0; i < 3; i++)
        if (j[i] < 0)
            return TEMPO_TOO_FAST;
    for (int i = 0; i < 3; i++)
        if (j[i] > 0)
            return TEMPO_TOO_SLOW;
    return TEMPO_GOOD;
}

const char *clin_tempo_word(clin_tempo t)
{
    switch (t) {
    case TEMPO_GOOD: return "good";
    case TEMPO_TOO_FAST: return "slower";
    case TEMPO_TOO_SLOW: return "quicker";
    default: return "";
    }
}

static clin_row *row_for(clin_summary *out, int item, ct_side side)
{
    for (int i = 0; i < out->n; i++)
        if (out->row[i].item == item && out->row[i].side == side)
            return &out->row[i];
    return NULL;
}

void clin_summarize(const presc *p, const store_event *ev, int nev, float body_mass_kg,
                    clin_summary *out)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < p->n; i++) {
        const presc_item *it = &p->item[i];
        for (int k = 0; k < presc_item_sides(it); k++) {
            clin_row *r = &out->row[out->n++];
            r->item = i;
            r->exercise = it->exercise;
            r->side = presc_item_side(it, k);
            r->sets_prescribed = it->sets;
            r->prescribed = it->sets * it->reps;
        }
    }
    unsigned long long sets_seen[PRESC_MAX_ITEMS * 2] = {0};
    for (int e = 0; e < nev; e++) {
        const store_event *s = &ev[e];
        if (s->ev.kind != EV_REP && s->ev.kind != EV_HOLD)
            continue;
        if (s->item < 0 || s->item >= p->n || s->ev.exercise != p->item[s->item].exercise)
            continue;
        clin_row *r = row_for(out, s->item, s->ev.side);
        if (!r)
            continue;
        r->placement = s->ev.placement;
        r->site_mm = s->site_mm;
        r->done++;
        if (s->ev.set >= 1 && s->ev.set <= 64)
            sets_seen[r - out->row] |= 1ull << (s->ev.set - 1);
        if (s->ev.grade == GRADE_FULL)
            r->full++;
        if (s->ev.grade == GRADE_TOO_FAST)
            r->too_fast++;
        if (s->ev.peak_deg > r->best_deg)
            r->best_deg = s->ev.peak_deg;
        float h = s->ev.height_cm;
        for (int j = 0; j < 3; j++)
            if (h > r->top_height_cm[j]) {
                float t = r->top_height_cm[j];
                r->top_height_cm[j] = h;
                h = t;
            }
        r->mean_height_cm += s->ev.height_cm;
        r->work_j += clin_work_j(body_mass_kg, s->ev.height_cm);
        r->hold_total_s += clin_held_s(&s->ev);
        r->mean_up_s += s->ev.up_s;
        r->mean_top_s += s->ev.top_s;
        r->mean_down_s += s->ev.down_s;
        if (clin_tempo_check(&p->item[s->item], s->ev.up_s, s->ev.top_s, s->ev.down_s) ==
            TEMPO_GOOD)
            r->tempo_good++;
    }
    for (int i = 0; i < out->n; i++) {
        clin_row *r = &out->row[i];
        for (int b = 0; b < 64; b++)
            r->sets_done += (int)((sets_seen[i] >> b) & 1u);
        /* The best heel rise is the height three reps reached, not the highest rep's: a
         * person's reps in a session are within a few per cent of each other, so the
         * third highest is within that of the highest real one, while the highest read is
         * where one over-read rep lands (two reps run together when the heel does not
         * come down between them, a wobble on the toes) and alone would set the side's
         * best and its symmetry index. Of fewer than three reps, the lowest of them. */
        for (int j = 2; j >= 0; j--)
            if (r->top_height_cm[j] > 0) {
                r->best_height_cm = r->top_height_cm[j];
                break;
            }
        if (r->done) {
            r->mean_height_cm /= (float)r->done;
            r->mean_up_s /= (float)r->done;
            r->mean_top_s /= (float)r->done;
            r->mean_down_s /= (float)r->done;
        }
    }
}

void clin_symmetry_of(const clin_summary *s, ct_side injured, clin_symmetry *out)
{
    memset(out, 0, sizeof *out);
    out->injured = injured;
    bool raise[2] = {false, false}, lunge[2] = {false, false};
    for (int i = 0; i < s->n; i++) {
        const clin_row *r = &s->row[i];
        if (r->side != SIDE_LEFT && r->side != SIDE_RIGHT)
            continue;
        int k = (int)r->side;
        if (r->exercise == EX_CALF_RAISE && r->done > 0) {
            raise[k] = true;
            out->reps[k] += (float)r->done;
            out->work_j[k] += r->work_j;
            if (r->best_height_cm > out->height_cm[k])
                out->height_cm[k] = r->best_height_cm;
        } else if (r->exercise == EX_LUNGE_STRETCH && r->done > 0) {
            lunge[k] = true;
            if (r->best_deg > out->lunge_deg[k])
                out->lunge_deg[k] = r->best_deg;
        }
    }
    for (int k = 0; k < 2; k++) {
        if (!raise[k])
            out->reps[k] = out->height_cm[k] = out->work_j[k] = NAN;
        if (!(out->work_j[k] > 0))
            out->work_j[k] = NAN;
        if (!lunge[k])
            out->lunge_deg[k] = NAN;
    }
    out->lsi_reps_pct = out->lsi_height_pct = out->lsi_work_pct = out->lsi_lunge_pct = NAN;
    if (injured != SIDE_LEFT && injured != SIDE_RIGHT)
        return;
    int a = (int)injured, b = 1 - a;
    out->lsi_reps_pct = clin_lsi_pct(out->reps[a], out->reps[b]);
    out->lsi_height_pct = clin_lsi_pct(out->height_cm[a], out->height_cm[b]);
    out->lsi_work_pct = clin_lsi_pct(out->work_j[a], out->work_j[b]);
    out->lsi_lunge_pct = clin_lsi_pct(out->lunge_deg[a], out->lunge_deg[b]);
}
