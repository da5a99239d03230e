/*
 * motion.c - the leg's coordinates as a sum of layers: the current whole-leg movement
 * (minimum-jerk between rest poses, or walking), the rep movement of a set, slow sway,
 * tremor and bouncing while holding, and the strap. Every layer carries its exact first
 * and second derivatives, and every movement starts and ends at rest, so the layers
 * join without jumps in velocity or acceleration.
 */
#include "simint.h"

#include <math.h>
#include <string.h>

void wobble_init(sim_wobble *w, sim_rng *r, double dt_s, const double lo_hz[3],
                 const double hi_hz[3], const double amp[3])
{
    for (int k = 0; k < 3; k++) {
        double ph = rng_range(r, 0.0, 2.0 * SIM_PI);
        w->w[k] = 2.0 * SIM_PI * rng_range(r, lo_hz[k], hi_hz[k]);
        w->c[k] = cos(ph);
        w->s[k] = sin(ph);
        w->cr[k] = cos(w->w[k] * dt_s);
        w->sr[k] = sin(w->w[k] * dt_s);
        w->amp[k] = amp[k];
    }
}

void wobble_step(sim_wobble *w)
{
    for (int k = 0; k < 3; k++) {
        double c = w->c[k], s = w->s[k];
        w->c[k] = c * w->cr[k] - s * w->sr[k];
        w->s[k] = s * w->cr[k] + c * w->sr[k];
    }
}

jet wobble_value(const sim_wobble *w)
{
    jet o = {0.0, 0.0, 0.0};
    for (int k = 0; k < 3; k++) {
        double a = w->amp[k], om = w->w[k];
        o.v += a * w->s[k];
        o.d += a * om * w->c[k];
        o.dd -= a * om * om * w->s[k];
    }
    return o;
}

const double *move_pose(const sim *s)
{
    return s->mv.to;
}

void move_to(sim *s, double t0, double dur, const double to[SIM_NQ], double skew)
{
    sim_move *m = &s->mv;
    double from[SIM_NQ];
    memcpy(from, m->to, sizeof from);
    memset(m, 0, sizeof *m);
    memcpy(m->from, from, sizeof from);
    memcpy(m->to, to, sizeof m->to);
    m->t0 = t0;
    m->dur = dur > 0.0 ? dur : 0.0;
    m->skew = skew;
}

void move_hold(sim *s, double t0, double dur)
{
    double to[SIM_NQ];
    memcpy(to, s->mv.to, sizeof to);
    move_to(s, t0, dur, to, 0.0);
}

void move_walk(sim *s, double t0, double distance_m)
{
    sim_rng *r = &s->rng_motion;
    double k = s->person.height_m / 1.72;
    double stride = k * rng_range(r, 1.15, 1.5);
    double cadence = rng_range(r, 0.82, 1.0) / sqrt(k);
    double n = floor(distance_m / stride + 0.5);
    if (n < 1.0)
        n = 1.0;
    double ramp = 1.0 / cadence;
    double to[SIM_NQ];
    memcpy(to, s->mv.to, sizeof to);
    to[Q_AX] += n * stride * cos(to[Q_YAW]);
    to[Q_AY] += n * stride * sin(to[Q_YAW]);
    move_to(s, t0, n / cadence + ramp, to, 0.0);
    sim_move *m = &s->mv;
    m->gait = 1;
    m->stride_m = stride;
    m->lift_m = k * rng_range(r, 0.07, 0.12);
    m->cadence_hz = cadence;
    m->ramp_s = ramp;
    m->strides = n;
    m->gait_deg[0] = rng_range(r, 22.0, 30.0);
    m->gait_deg[1] = rng_range(r, 5.0, 9.0);
    m->gait_deg[2] = rng_range(r, 35.0, 55.0); /* foot pitch at toe off */
    m->gait_deg[3] = rng_range(r, 12.0, 22.0); /* toes up at heel strike */
    m->gait_deg[4] = rng_range(r, 1.0, 4.0);
    m->impact_m = rng_range(r, 0.0005, 0.0015);
    m->impact_w = 2.0 * SIM_PI * rng_range(r, 15.0, 25.0);
}

void rep_move(sim *s, double t0, double dur, const double from[SIM_NQ],
              const double to[SIM_NQ], double skew)
{
    sim_move *m = &s->rp;
    memcpy(m->from, from, sizeof m->from);
    memcpy(m->to, to, sizeof m->to);
    m->t0 = t0;
    m->dur = dur > 0.0 ? dur : 0.0;
    m->skew = skew;
    m->gait = 0;
}

void sway_set(sim *s, double t0, double amp_deg)
{
    /* the amplitude is a sum of one-second ramps, each starting and ending at rest, so a
     * new target never puts a kink in it; finished ramps fold into the base */
    double now = s->sway_base;
    int slot = -1;
    for (int i = 0; i < 3; i++) {
        now += s->sway_d[i];
        if (t0 >= s->sway_t[i] + 1.0) {
            s->sway_base += s->sway_d[i];
            s->sway_d[i] = 0.0;
            slot = i;
        }
    }
    if (slot < 0)
        return; /* three changes within a second: keep the last target rather than jump */
    s->sway_d[slot] = amp_deg - now;
    s->sway_t[slot] = t0;
}

void strap_set(sim *s, double t0, double dur, double strap_rad, double tilt_a, double tilt_b)
{
    jet p = jet_progress(t0, s->strap_t0, s->strap_dur, 0.0);
    for (int i = 0; i < 3; i++)
        s->strap_from[i] += (s->strap_to[i] - s->strap_from[i]) * p.v;
    s->strap_to[0] = strap_rad;
    s->strap_to[1] = tilt_a;
    s->strap_to[2] = tilt_b;
    s->strap_t0 = t0;
    s->strap_dur = dur;
}

void pivot_set(sim *s, body_pivot p)
{
    if (fabs(s->mv.to[Q_PITCH]) < 1e-12)
        s->pivot = (int)p;
}

/* Cosine-ramped progress of the walk: unit speed in the middle, rest at both ends. */
static jet walk_clock(double u, double T, double r)
{
    if (u <= 0.0)
        return jet_c(0.0);
    if (u >= T)
        return jet_c(T - r);
    double k = SIM_PI / r;
    if (u < r)
        return (jet){0.5 * u - sin(k * u) / (2.0 * k), 0.5 * (1.0 - cos(k * u)),
                     0.5 * k * sin(k * u)};
    if (u > T - r) {
        double e = T - u;
        return (jet){T - r - (0.5 * e - sin(k * e) / (2.0 * k)), 0.5 * (1.0 - cos(k * e)),
                     -0.5 * k * sin(k * e)};
    }
    return (jet){0.5 * r + (u - r), 1.0, 0.0};
}

/* Smooth progress of the stride phase psi through [a, b] (jerk-free joins: the pieces
 * of a stride follow each other quickly). */
static jet stride_seg(jet psi, double a, double b)
{
    double k = 1.0 / (b - a);
    return jet_smoothstep7((jet){(psi.v - a) * k, psi.d * k, psi.dd * k});
}

/* One leg walking. Stride phase 0 is mid-stance; with psi = phase + 0.2 (mod 1):
 * foot flat on the floor psi 0-0.3, heel off to toe off 0.3-0.52, swing 0.52-0.92,
 * heel strike 0.92 and the forefoot coming down by 1.0. The shank rotates smoothly
 * over the foot all along. */
static void gait_eval(const sim_move *m, double t, jet q[SIM_NQ])
{
    for (int i = 0; i < SIM_NQ; i++)
        q[i] = jet_c(m->from[i]);
    jet ph = jet_scale(walk_clock(t - m->t0, m->dur, m->ramp_s), m->cadence_hz);
    double th = 2.0 * SIM_PI * ph.v, tp = 2.0 * SIM_PI, tp2 = tp * tp;
    double c = cos(th), s = sin(th), omc = 1.0 - c;
    double S = m->stride_m, L = m->lift_m;
    double strides = floor(ph.v + 0.2);
    jet psi = {ph.v + 0.2 - strides, ph.d, ph.dd};
    /* the foot moves only between heel off and the forefoot landing */
    jet x = jet_scale(stride_seg(psi, 0.35, 0.95), S);
    x.v += S * strides;
    jet z = jet_scale(jet_sub(stride_seg(psi, 0.35, 0.62), stride_seg(psi, 0.62, 0.92)), L);
    double A1 = m->gait_deg[0] * SIM_DEG, A2 = m->gait_deg[1] * SIM_DEG;
    double Pto = m->gait_deg[2] * SIM_DEG, Phs = m->gait_deg[3] * SIM_DEG;
    double C = m->gait_deg[4] * SIM_DEG;
    jet incl = jet_apply(ph, A1 * s + A2 * omc, tp * (A1 * c + A2 * s), tp2 * (-A1 * s + A2 * c));
    jet pitch = jet_scale(stride_seg(psi, 0.3, 0.52), Pto);
    pitch = jet_axpy(pitch, -(Pto + Phs), stride_seg(psi, 0.52, 0.92));
    pitch = jet_axpy(pitch, Phs, stride_seg(psi, 0.92, 1.0));
    jet roll = jet_apply(ph, C * s, tp * C * c, -tp2 * C * s);
    /* heel strike (psi 0.92): a short damped ring of the soft tissues and the pod,
     * a few millimetres at 15-25 Hz, which is what puts a few g into the readings */
    double hs = ph.v - 0.72 - floor(ph.v - 0.72);
    double u_s = hs / m->cadence_hz;
    if (u_s < 0.6 && m->impact_m > 0.0) {
        jet u = {u_s, ph.d / m->cadence_hz, ph.dd / m->cadence_hz};
        const double t1 = 0.008, t2 = 0.03; /* onset and decay, s */
        double e1 = exp(-u.v / t1), e2 = exp(-u.v / t2);
        double w = 1.0 - e1, w1 = e1 / t1, w2 = -e1 / (t1 * t1);
        /* onset (1 - e)^3: rate, acceleration and jerk all start from zero */
        jet on = jet_apply(u, w * w * w, 3.0 * w * w * w1, 6.0 * w * w1 * w1 + 3.0 * w * w * w2);
        jet off = jet_apply(u, e2, -e2 / t2, e2 / (t2 * t2));
        jet ring = jet_sin(jet_scale(u, m->impact_w));
        jet b = jet_scale(jet_mul(jet_mul(on, off), ring), m->impact_m);
        z = jet_sub(z, b);
        x = jet_axpy(x, 0.5, b);
    }
    double cy = cos(m->from[Q_YAW]), sy = sin(m->from[Q_YAW]);
    q[Q_AX] = jet_axpy(q[Q_AX], cy, x);
    q[Q_AY] = jet_axpy(q[Q_AY], sy, x);
    q[Q_AZ] = jet_add(q[Q_AZ], z);
    q[Q_INCL] = jet_add(q[Q_INCL], incl);
    q[Q_PITCH] = jet_add(q[Q_PITCH], pitch);
    q[Q_ROLL] = jet_add(q[Q_ROLL], roll);
    q[Q_SYAW] = jet_axpy(q[Q_SYAW], 0.5, roll);
}

static void lerp_add(const sim_move *m, double t, jet q[SIM_NQ], bool add)
{
    jet p = jet_progress(t, m->t0, m->dur, m->skew);
    for (int i = 0; i < SIM_NQ; i++) {
        double d = m->to[i] - m->from[i];
        jet v = {m->from[i] + d * p.v, d * p.d, d * p.dd};
        q[i] = add ? jet_add(q[i], v) : v;
    }
}

void motion_eval(sim *s, double t, body_pose *pose)
{
    jet *q = pose->q;
    if (s->mv.gait)
        gait_eval(&s->mv, t, q);
    else
        lerp_add(&s->mv, t, q, false);
    if (s->phase >= SIM_PHASE_UP && s->phase <= SIM_PHASE_DOWN)
        lerp_add(&s->rp, t, q, true);

    /* postural sway */
    jet amp = jet_c(s->sway_base * SIM_DEG);
    for (int i = 0; i < 3; i++)
        if (s->sway_d[i] != 0.0)
            amp = jet_axpy(amp, s->sway_d[i] * SIM_DEG, jet_progress(t, s->sway_t[i], 1.0, 0.0));
    if (amp.v != 0.0 || amp.d != 0.0) {
        q[Q_INCL] = jet_add(q[Q_INCL], jet_mul(amp, wobble_value(&s->sway[0])));
        q[Q_ROLL] = jet_axpy(q[Q_ROLL], 0.7, jet_mul(amp, wobble_value(&s->sway[1])));
        q[Q_SYAW] = jet_axpy(q[Q_SYAW], 0.5, jet_mul(amp, wobble_value(&s->sway[2])));
    }

    /* tremor and bouncing while at the top */
    if (s->phase == SIM_PHASE_TOP && s->rp.dur >= 1.0) { /* only in real holds */
        const double r = 0.4;
        jet in = jet_progress(t, s->rp.t0, r, 0.0);
        jet out = jet_progress(t, s->rp.t0 + s->rp.dur - r, r, 0.0);
        jet env = jet_mul(in, (jet){1.0 - out.v, -out.d, -out.dd});
        jet osc = jet_add(jet_scale(wobble_value(&s->tremor), s->tremor_deg * SIM_DEG),
                          jet_scale(wobble_value(&s->bounce), s->bounce_deg * s->osc_scale * SIM_DEG));
        jet e = jet_mul(env, osc);
        jet dip = jet_c(0.0);
        if (s->dip_deg > 0.0) {
            jet a = jet_progress(t, s->dip_t0_s, 0.8, 0.0);
            jet b = jet_progress(t, s->dip_t0_s + 0.8 + s->dip_hold_s, 0.8, 0.0);
            dip = jet_scale(jet_sub(a, b), s->dip_deg * SIM_DEG);
        }
        switch (s->set.exercise) {
        case EX_CALF_RAISE:
        case EX_ISOMETRIC_RAISE:
            q[Q_PITCH] = jet_sub(jet_add(q[Q_PITCH], e), dip);
            q[Q_INCL] = jet_axpy(q[Q_INCL], 0.3, e);
            q[Q_FROLL] = jet_axpy(q[Q_FROLL], 0.5, e);
            break;
        case EX_BAND_STRETCH:
            q[Q_PITCH] = jet_add(jet_sub(q[Q_PITCH], e), dip);
            break;
        default:
            q[Q_INCL] = jet_sub(jet_add(q[Q_INCL], e), dip);
            break;
        }
    }

    jet sp = jet_progress(t, s->strap_t0, s->strap_dur, 0.0);
    jet *st[3] = {&pose->strap, &pose->tilt_a, &pose->tilt_b};
    for (int i = 0; i < 3; i++) {
        double d = s->strap_to[i] - s->strap_from[i];
        *st[i] = (jet){s->strap_from[i] + d * sp.v, d * sp.d, d * sp.dd};
    }
}

void motion_tick(sim *s)
{
    for (int i = 0; i < 3; i++)
        wobble_step(&s->sway[i]);
    wobble_step(&s->tremor);
    wobble_step(&s->bounce);
}
