/* display.c - the session on a terminal, as lines, or as JSON lines. */
#include "calftrack/session_display.h"

#include <math.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "calftrack/clinical.h"

void session_display_init(session_display *d, FILE *out, display_mode mode, int key_fd)
{
    memset(d, 0, sizeof *d);
    d->out = out;
    d->mode = mode;
    d->key_fd = key_fd;
    d->last = SMSG_END;
    d->last_json_live_us = -1000000000;
}

static const char *ex_title(ct_exercise ex)
{
    switch (ex) {
    case EX_CALF_RAISE: return "Calf raises";
    case EX_ISOMETRIC_RAISE: return "Isometric calf raise";
    case EX_LUNGE_STRETCH: return "Lunging calf stretch";
    case EX_BAND_STRETCH: return "Seated band stretch";
    case EX_DOWNWARD_DOG: return "Downward dog";
    default: return "Exercise";
    }
}

static void end_line(session_display *d)
{
    if (d->line_open) {
        fputs("\r\033[K", d->out);
        d->line_open = false;
    }
}

/* A JSON string (the text is ours, but quotes and controls are escaped anyway). */
static void jstr(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void jnum(FILE *f, const char *k, float v)
{
    if (isfinite(v))
        fprintf(f, ",\"%s\":%.3f", k, (double)v);
}

static const char *kind_word(session_msg_kind k)
{
    static const char *const w[] = {"prompt", "exercise", "set_start", "countdown", "live",
                                    "event", "bell", "set_done", "rest", "paused", "resumed",
                                    "skipped", "warning", "end"};
    return (int)k >= 0 && k <= SMSG_END ? w[k] : "unknown";
}

/* CLOCK_REALTIME in us: when a JSON line was written, for latency measurements. */
static int64_t wall_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void show_json(session_display *d, const session_msg *m)
{
    FILE *f = d->out;
    if (m->kind == SMSG_LIVE) {
        if (m->live->t_us - d->last_json_live_us < 1000000)
            return;
        d->last_json_live_us = m->live->t_us;
    }
    const char *type = kind_word(m->kind);
    if (m->kind == SMSG_EVENT)
        type = ct_event_kind_name(m->event->kind);
    fputs("{\"type\":", f);
    jstr(f, type);
    if (m->item) {
        fputs(",\"exercise\":", f);
        jstr(f, ct_exercise_name(m->item->exercise));
        fputs(",\"side\":", f);
        jstr(f, ct_side_name(m->side));
        fprintf(f, ",\"set\":%d,\"sets\":%d,\"count\":%d,\"reps\":%d", m->set, m->sets, m->count,
                m->reps);
    }
    if (m->text) {
        fputs(",\"text\":", f);
        jstr(f, m->text);
    }
    switch (m->kind) {
    case SMSG_COUNTDOWN:
    case SMSG_REST:
        jnum(f, "seconds_left", m->seconds);
        break;
    case SMSG_LIVE:
        jnum(f, m->live->value_cm ? "height_cm" : "angle_deg", m->live->value);
        jnum(f, "hold_left_s", m->seconds);
        fprintf(f, ",\"t_us\":%lld,\"wall_us\":%lld", (long long)m->live->t_us,
                (long long)wall_us());
        break;
    case SMSG_EVENT: {
        const ct_event *e = m->event;
        fprintf(f, ",\"number\":%d,\"grade\":", e->number);
        jstr(f, ct_grade_name(e->grade));
        fputs(",\"placement\":", f);
        jstr(f, ct_placement_name(e->placement));
        jnum(f, "peak_deg", e->peak_deg);
        if (e->height_cm > 0) {
            jnum(f, "heel_rise_cm", e->height_cm);
            if (m->work_j > 0)
                jnum(f, "heel_rise_work_j", m->work_j);
        }
        jnum(f, "hold_s", clin_held_s(e));
        float at = m->item ? clin_at_target_s(m->item, e) : NAN;
        if (!isnan(at))
            jnum(f, "time_at_target_s", at);
        if (e->kind == EV_REP) {
            jnum(f, "tempo_up_s", e->up_s);
            jnum(f, "tempo_top_s", e->top_s);
            jnum(f, "tempo_down_s", e->down_s);
            if (m->tempo != TEMPO_NONE) {
                fputs(",\"tempo\":", f);
                jstr(f, clin_tempo_word(m->tempo));
            }
        }
        /* t_sample_us: the sample whose arrival completed the event; wall_us: when
         * this line was written (CLOCK_REALTIME), for latency measurements */
        fprintf(f, ",\"t_start_us\":%lld,\"t_end_us\":%lld,\"t_sample_us\":%lld,"
                   "\"wall_us\":%lld",
                (long long)e->t_start_us, (long long)e->t_end_us, (long long)m->now_us,
                (long long)wall_us());
        break;
    }
    case SMSG_SET_DONE:
        fprintf(f, ",\"done\":%d,\"full\":%d,\"sets_done\":%d", m->row->done, m->row->full,
                m->row->sets_done);
        jnum(f, "best_deg", m->row->best_deg);
        jnum(f, "best_heel_rise_cm", m->row->best_height_cm);
        jnum(f, "heel_rise_work_j", m->row->work_j);
        break;
    case SMSG_END:
        fputs(",\"status\":", f);
        jstr(f, store_status_name(m->status));
        break;
    default:
        break;
    }
    fputs("}\n", f);
    fflush(f);
}

/* The measure against the target (| marks it); without a target against a typical
 * range (10 cm of heel rise, 40 deg). */
static void bar(FILE *f, float value, float target, bool cm)
{
    const int w = 20;
    float full = target > 0 ? target : cm ? 10.0f : 40.0f;
    int n = (int)lroundf((float)w * value / full);
    if (n < 0)
        n = 0;
    if (n > w + 5)
        n = w + 5;
    fputc('[', f);
    for (int i = 0; i < (n > w ? n : w); i++)
        fputc(i < n ? (i < w ? '#' : '+') : (i == w - 1 && target > 0 ? '|' : '.'), f);
    fputc(']', f);
}

static void show_text(session_display *d, const session_msg *m)
{
    FILE *f = d->out;
    bool tty = d->mode == DISPLAY_TTY;
    const char *side = ct_side_name(m->side);
    const char *ex = m->item ? ex_title(m->item->exercise) : "";
    if (m->kind == SMSG_LIVE) {
        if (!tty)
            return;
        const session_live *lv = m->live;
        /* A heel rise is measured up from the start position: until the analysis has
         * settled on it, an estimate below the floor means nothing to a person. */
        float value = lv->value_cm && lv->value < 0 ? 0.0f : lv->value;
        if (m->set > 0)
            fprintf(f, "\r\033[K%s %s, set %d/%d: %d/%d  %5.1f %s ", ex, side, m->set, m->sets,
                    m->count, m->reps, (double)value, lv->value_cm ? "cm" : "deg");
        else
            fprintf(f, "\r\033[K%s %s, getting ready: %5.1f %s ", ex, side, (double)value,
                    lv->value_cm ? "cm" : "deg");
        bar(f, value, lv->target, lv->value_cm);
        if (m->seconds > 0)
            fprintf(f, "  hold %2.0f s", ceil((double)m->seconds));
        else if (lv->state == SLIVE_WAITING_STILL)
            fputs("  keep still", f);
        d->line_open = true;
        fflush(f);
        return;
    }
    if ((m->kind == SMSG_COUNTDOWN || m->kind == SMSG_REST)) {
        const char *what = m->kind == SMSG_REST ? "Rest" : "Get ready";
        if (tty) {
            fprintf(f, "\r\033[K%s: %.0f s", what, (double)m->seconds);
            d->line_open = true;
            fflush(f);
        } else if (d->last != m->kind) {
            fprintf(f, "%s %.0f s\n", m->kind == SMSG_REST ? "rest" : "get-ready", (double)m->seconds);
        }
        d->last = m->kind;
        return;
    }
    end_line(d);
    d->last = m->kind;
    switch (m->kind) {
    case SMSG_PROMPT:
        fprintf(f, tty ? "%s\n" : "prompt: %s\n", m->text);
        break;
    case SMSG_WARNING:
        fprintf(f, tty ? "! %s\n" : "warning: %s\n", m->text);
        break;
    case SMSG_EXERCISE:
        if (tty)
            fprintf(f, "\n== %s, %s side: %d x %d%s%s\n", ex, side, m->sets, m->reps,
                    presc_is_hold(m->item->exercise) ? " holds" : " reps",
                    m->item->notes[0] ? "" : "");
        else
            fprintf(f, "exercise %s %s sets %d reps %d\n", ct_exercise_name(m->item->exercise),
                    side, m->sets, m->reps);
        if (tty && m->item->notes[0])
            fprintf(f, "   %s\n", m->item->notes);
        break;
    case SMSG_SET_START:
        if (tty && presc_is_hold(m->item->exercise))
            fprintf(f, "Set %d of %d: go into the stretch and hold %.0f s.\n", m->set, m->sets,
                    (double)m->item->hold_s);
        else if (tty)
            fprintf(f, "Set %d of %d: %d reps.\n", m->set, m->sets, m->reps);
        else
            fprintf(f, "set-start %s %s set %d/%d\n", ct_exercise_name(m->item->exercise), side,
                    m->set, m->sets);
        break;
    case SMSG_EVENT: {
        const ct_event *e = m->event;
        if (tty)
            fprintf(f, "  %s %d/%d", ct_event_kind_name(e->kind), e->number, m->reps);
        else
            fprintf(f, "%s %s %s set %d number %d grade %s", ct_event_kind_name(e->kind),
                    ct_exercise_name(e->exercise), side, e->set, e->number,
                    ct_grade_name(e->grade));
        if (e->height_cm > 0)
            fprintf(f, " %.1f cm", (double)e->height_cm);
        if (e->kind == EV_HOLD || e->height_cm <= 0)
            fprintf(f, " %.1f deg", (double)e->peak_deg);
        if (m->work_j > 0)
            fprintf(f, " %.0f J", (double)m->work_j);
        if (e->kind == EV_HOLD) {
            fprintf(f, " held %.1f s", (double)clin_held_s(e));
            float at = m->item ? clin_at_target_s(m->item, e) : NAN;
            if (!isnan(at))
                fprintf(f, " (%.1f s at the target)", (double)at);
        }
        else
            fprintf(f, " tempo %.1f-%.1f-%.1f s", (double)e->up_s, (double)e->top_s,
                    (double)e->down_s);
        if (tty)
            fprintf(f, "  %s", ct_grade_name(e->grade));
        if (m->tempo != TEMPO_NONE)
            fprintf(f, tty ? "  %s" : " tempo-feedback %s", clin_tempo_word(m->tempo));
        fputc('\n', f);
        break;
    }
    case SMSG_BELL:
        if (tty)
            fprintf(f, "\a* %s *\n", m->text);
        else
            fprintf(f, "bell %s\n", m->text);
        break;
    case SMSG_SET_DONE: {
        const clin_row *r = m->row;
        fprintf(f, tty ? "Set %d of %d done. So far on the %s side: %d of %d" :
                         "set-done %d/%d %s done %d/%d", m->set, m->sets, side, r->done,
                r->prescribed);
        fprintf(f, tty ? " (%d full)" : " full %d", r->full);
        if (r->best_height_cm > 0)
            fprintf(f, tty ? ", best %.1f cm" : " best_cm %.2f", (double)r->best_height_cm);
        else if (r->best_deg > 0)
            fprintf(f, tty ? ", best %.1f deg" : " best_deg %.2f", (double)r->best_deg);
        if (r->work_j > 0)
            fprintf(f, tty ? ", work %.0f J" : " work_j %.1f", (double)r->work_j);
        fputc('\n', f);
        break;
    }
    case SMSG_PAUSED:
        fputs(tty ? "Paused: press p to go on.\n" : "paused\n", f);
        break;
    case SMSG_RESUMED:
        fputs(tty ? "Going on.\n" : "resumed\n", f);
        break;
    case SMSG_SKIPPED:
        fputs(tty ? "Set skipped.\n" : "skipped\n", f);
        break;
    case SMSG_END:
        fprintf(f, tty ? "\nSession %s.\n" : "end %s\n", store_status_name(m->status));
        break;
    default:
        break;
    }
    fflush(f);
}

static void show(void *ctx, const session_msg *m)
{
    session_display *d = ctx;
    if (d->mode == DISPLAY_JSON)
        show_json(d, m);
    else
        show_text(d, m);
}

static session_key key(void *ctx)
{
    session_display *d = ctx;
    if (d->key_fd < 0)
        return SKEY_NONE;
    struct pollfd p = {.fd = d->key_fd, .events = POLLIN};
    unsigned char c;
    if (poll(&p, 1, 0) <= 0 || read(d->key_fd, &c, 1) != 1)
        return SKEY_NONE;
    switch (c) {
    case 'p': case 'P': case ' ': return SKEY_PAUSE;
    case 's': case 'S': return SKEY_SKIP;
    case 'q': case 'Q': case 3: /* Ctrl-C in raw mode */ return SKEY_QUIT;
    case '\r': case '\n': return SKEY_CONTINUE;
    default: return SKEY_NONE;
    }
}

void session_display_ui(session_display *d, session_ui *ui)
{
    *ui = (session_ui){d, show, key, d->key_fd >= 0};
}

static void lsi_line(FILE *f, bool json, const char *name, float v)
{
    if (!isfinite(v))
        return;
    if (json)
        fprintf(f, ",\"lsi_%s_pct\":%.1f", name, (double)v);
    else
        fprintf(f, "  %-22s %5.1f %%\n", name, (double)v);
}

void session_display_summary(session_display *d, const clin_summary *s, ct_side injured,
                             float body_mass_kg)
{
    FILE *f = d->out;
    bool json = d->mode == DISPLAY_JSON;
    end_line(d);
    if (!json)
        fputs("\nSummary\n", f);
    for (int i = 0; i < s->n; i++) {
        const clin_row *r = &s->row[i];
        if (json) {
            fputs("{\"type\":\"summary\",\"exercise\":", f);
            jstr(f, ct_exercise_name(r->exercise));
            fputs(",\"side\":", f);
            jstr(f, ct_side_name(r->side));
            fprintf(f, ",\"prescribed\":%d,\"done\":%d,\"full\":%d,\"sets_done\":%d", r->prescribed,
                    r->done, r->full, r->sets_done);
            if (r->done) {
                jnum(f, "best_deg", r->best_deg);
                if (r->best_height_cm > 0)
                    jnum(f, "best_heel_rise_cm", r->best_height_cm);
                if (r->work_j > 0)
                    jnum(f, "heel_rise_work_j", r->work_j);
            }
            fputs("}\n", f);
            continue;
        }
        fprintf(f, "  %-22s %-5s %3d of %3d done (%d full)", ex_title(r->exercise),
                ct_side_name(r->side), r->done, r->prescribed, r->full);
        if (r->best_height_cm > 0)
            fprintf(f, ", best %.1f cm", (double)r->best_height_cm);
        else if (r->done)
            fprintf(f, ", best %.1f deg", (double)r->best_deg);
        if (r->work_j > 0)
            fprintf(f, ", work %.0f J", (double)r->work_j);
        if (r->exercise == EX_CALF_RAISE && r->done)
            fprintf(f, ", tempo good %d/%d", r->tempo_good, r->done);
        fputc('\n', f);
    }
    if (!json && !(body_mass_kg > 0))
        fputs("  (heel-rise work needs your body mass: calftrack settings --body-mass KG)\n", f);
    clin_symmetry y;
    clin_symmetry_of(s, injured, &y);
    bool any = isfinite(y.lsi_reps_pct) || isfinite(y.lsi_height_pct) ||
               isfinite(y.lsi_work_pct) || isfinite(y.lsi_lunge_pct);
    if ((injured == SIDE_LEFT || injured == SIDE_RIGHT) && any) {
        if (json) {
            fputs("{\"type\":\"symmetry\",\"injured_side\":", f);
            jstr(f, ct_side_name(injured));
        } else {
            fprintf(f, "Limb symmetry (%s / other side):\n", ct_side_name(injured));
        }
        lsi_line(f, json, "heel_rise_reps", y.lsi_reps_pct);
        lsi_line(f, json, "heel_rise_height", y.lsi_height_pct);
        lsi_line(f, json, "heel_rise_work", y.lsi_work_pct);
        lsi_line(f, json, "lunge_dorsiflexion", y.lsi_lunge_pct);
        if (json)
            fputs("}\n", f);
    }
    fflush(f);
}
