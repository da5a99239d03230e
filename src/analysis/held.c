/* held.c - a heel raise held on the toes: rise, time at the top and height held. */
#include "calftrack/analysis/held.h"

#include <math.h>
#include <string.h>

#include "calftrack/analysis/detect.h"
#include "calftrack/analysis/still.h"

#define G_MPS2 9.80665f
/* The floor: standing on both heels the vertical force stays within 4 mg of its
 * resting value and nothing turns faster than 10 deg/s, for 0.1 s, without velocity
 * building up (a slow movement has little acceleration too, but it gains speed). On
 * the toes balance corrections (1.5-3 Hz, a millimetre or two at the ankle) swing the
 * force by tens of mg: quiet there is the exception, and the floor test below tells it
 * from the floor anyway. */
#define FLOOR_G 0.004f
#define FLOOR_DPS 10.0f
#define FLOOR_S 0.1f
#define FLOOR_MAX_DV 0.008f
#define FLOOR_LEARN_S 0.5f
#define FLOOR_END_S 0.3f
/* ...or, standing in another stance than where that value was learnt, steady: within
 * 2 mg of its mean over 0.3 s for 0.5 s (tremor and balance corrections on the toes
 * swing it by far more, mostly) */
#define STEADY_TAU_S 0.3f
#define F_SMOOTH_S 0.02f /* (the force is smoothed over 20 ms first) */
#define STEADY_G 0.002f
#define STEADY_S 0.5f
#define STANDING_S 1.0f
#define LEAK_S 0.5f
/* Back on the floor after a hold only after a lowering: integrated backward from the
 * quiet moment over the last 3 s (the error at the top, read from the 4 s before but
 * not from the first 3 s, the rise, taken out) the pod came down by 1.5 cm at least (a
 * heel rise starts at 1.5 cm; tremor at the top moves the ankle by millimetres), and by
 * half the rise at least (easing off on the toes for a moment, the heels sag by a
 * centimetre or two and go back up). A movement that never got 1.5 cm up and is quiet
 * again within 3.5 s went nowhere (a shift of weight). */
#define LOWER_SPAN_S 3.0f
#define LOWER_REF_S 4.0f
#define LOWER_MIN_M 0.015f
#define LOWER_RISE_FRAC 0.5f
#define NOWHERE_S 3.5f
/* The middle of a steady rise is quiet too, but it has speed (and so has the start of
 * a slow one, its force creeping up steadily): in the first 4 s of a movement (the
 * integrated velocity drifts by under ~1 cm/s a second there) a floor is slower than
 * 1.5 cm/s */
#define FRESH_S 4.0f
#define FLOOR_MAX_V 0.015f
#define NOWHERE_QUIET_S 0.6f
/* Walking, sitting down, a lunge tip the shank far more than a heel raise (~10 deg
 * forward at the top, a few more of sway); no hold lasts minutes */
/* The shank leans forward as the heels rise (the knee comes over the toes: 0-10 deg at
 * the top) and back as they come down; sway moves it by a degree or so either way. Once
 * it has leaned by 3 deg it tells the floor by itself: back within 40 % of the lean (from
 * 2 deg, that is a drop of 1.2 deg, which sway makes too). (Leaning less, the
 * accelerometer's tilt-dependent error is small too, ~0.25 mg a degree, and the lowering
 * is told by integration.) Tremor is left out over 0.3 s. */
#define LEAN_TELLS_RAD 0.052f /* 3 deg */
#define LEAN_BACK_FRAC 0.4f
#define LEAN_TAU_S 0.3f
#define LEAN_TOP_S 0.5f
#define LEAN_SWAY_RAD 0.035f /* 2 deg: twice sway's degree or so either way */
#define LEAN_RAISE_MAX_RAD 0.35f /* 20 deg: twice a heel raise's lean at the top */
#define STEP_G 0.5f
#define STEP_DPS 150.0f
#define MAX_TILT_COS 0.866f /* 30 deg */
#define MAX_SEG_S 90.0f
/* The live view shows the highest point of the rise: after a few seconds on the toes
 * the integrated height is drift */
#define LIVE_RISE_S 3.0f
/* The hold is found from the rise and the lowering: a rise onto the toes takes 0.5-3 s,
 * so 3 s after the movement began the person is on the toes and 3 s before it ended
 * still there, for a first guess; the guess is then moved to where each movement has
 * slowed to a fifth of its top speed (a minimum-jerk movement is within 1 % of its way
 * of its end there), and half a second beyond, out of the tail. Over 2 s on the toes at
 * each end the velocity averages zero: the wobble's own (~1-2 cm/s at 1.5-3 Hz) averages
 * to a few mm/s. */
#define GUESS_S 3.0f
#define WIN_S 2.0f
#define MIN_WIN_S 0.5f
#define EDGE_FRAC 0.2f
#define EDGE_MARGIN_S 0.5f
#define QUIET_END_MARGIN_S 0.5f
#define HOLD_MIN_S 6.0f /* shorter: no hold worth averaging over (an attempt given up) */
/* The tilt is trusted as the shape of the error once the shank leans by 0.6 deg at the
 * top (below, the tilt-dependent error is under ~0.15 mg and sway dominates the lean) */
#define MIN_LEAN_RAD 0.01f

/* FLOOR_G and STEADY_G were set against the pod's own accelerometer (90 ug/rtHz: the
 * force smoothed over 20 ms varies by ~0.3 mg at rest, 14 and 7 sd of it). Another
 * sensor's data (a consumer IMU, 300-400 ug/rtHz at 50-100 Hz) vary by 1.2-1.3 mg: never
 * steady within 2 mg for half a second, the floor's 4 mg crossed by noise every few
 * seconds (holds were cut into pieces, their tops timed 10 s off). Each is also kept
 * STILL_NOISE_K sd of the noise it is compared with (worked out from the density
 * measured at rest, still.h, and the filters' response to one sample): Gaussian noise
 * leaves +-3.5 sd once in ~2000 independent values, and the force smoothed over 20 ms
 * gives ~25 a second: once in a minute and a half at rest, one steady half-second in 180
 * broken. */

static void noise_levels(ct_held *h, float dt_s)
{
    if (!still_noise_moved(dt_s, h->nz_dt, h->acc_psd, h->nz_psd))
        return;
    if (!(fabsf(dt_s - h->nz_dt) <= 0.02f * h->nz_dt)) { /* (see still_noise_moved) */
        float k = dt_s / (F_SMOOTH_S + dt_s), km = dt_s / (STEADY_TAU_S + dt_s);
        float fs = 0.0f, fm = 0.0f, sf = 0.0f, sdm = 0.0f;
        int n = (int)(10.0f * STEADY_TAU_S / dt_s) + 1;
        for (int i = 0; i < n; i++) {
            fs += ((i == 0 ? 1.0f : 0.0f) - fs) * k;
            float dm = fs - fm;
            fm += dm * km;
            sf += fs * fs;
            sdm += dm * dm;
        }
        h->nz_f = sqrtf(sf);
        h->nz_dm = sqrtf(sdm);
        h->nz_dt = dt_s;
        h->nz_psd = -1.0f;
    }
    if (h->acc_psd == h->nz_psd)
        return;
    h->nz_psd = h->acc_psd;
    float sd = still_noise_level(h->acc_psd, dt_s);
    h->floor_g = sd * h->nz_f > FLOOR_G ? sd * h->nz_f : FLOOR_G;
    h->steady_g = sd * h->nz_dm > STEADY_G ? sd * h->nz_dm : STEADY_G;
}

void held_init(ct_held *h)
{
    memset(h, 0, sizeof *h);
    h->floor_g = FLOOR_G;
    h->steady_g = STEADY_G;
}

static const ct_held_slot *ring_at(const ct_held *h, int i)
{
    int k = h->ring_head - h->ring_n + i;
    return &h->ring[(k % HELD_SLOTS + HELD_SLOTS) % HELD_SLOTS];
}

static void slot_close(ct_held *h)
{
    if (h->s_k == 0)
        return;
    float inv = 1.0f / (float)h->s_k;
    ct_held_slot s = {h->s_t * inv, h->s_v * inv, h->s_p * inv, v3_scale(h->s_du, inv)};
    if (h->n_rise < HELD_SLOTS)
        h->rise[h->n_rise++] = s;
    h->ring[h->ring_head] = s;
    h->ring_head = (h->ring_head + 1) % HELD_SLOTS;
    if (h->ring_n < HELD_SLOTS)
        h->ring_n++;
    h->s_t = h->s_v = h->s_p = h->s_dt = 0.0f;
    h->s_du = v3(0.0f, 0.0f, 0.0f);
    h->s_k = 0;
}

/* Time the trace x (times t) first reaches lvl going up within [i0, i1). */
static float first_up(const float *t, const float *x, int i0, int i1, float lvl)
{
    for (int i = i0; i < i1; i++)
        if (x[i] >= lvl) {
            if (i == i0 || !(x[i] > x[i - 1]))
                return t[i];
            float f = (lvl - x[i - 1]) / (x[i] - x[i - 1]);
            return t[i - 1] + f * (t[i] - t[i - 1]);
        }
    return -1.0f;
}

/* Time the trace last leaves lvl going down within [i0, i1). */
static float last_down(const float *t, const float *x, int i0, int i1, float lvl)
{
    for (int j = i1 - 1; j >= i0; j--)
        if (x[j] >= lvl) {
            if (j == i1 - 1 || !(x[j] > x[j + 1]))
                return t[j];
            float f = (x[j] - lvl) / (x[j] - x[j + 1]);
            return t[j] + f * (t[j + 1] - t[j]);
        }
    return -1.0f;
}

static void to_us(int64_t t0, const float s[3], int64_t us[3])
{
    for (int i = 0; i < 3; i++)
        us[i] = t0 + (int64_t)(s[i] * 1e6f);
}

/* Three crossings s (seconds after t0) as device times u, the middle one kept between
 * the others, with the movement's lead before the first and tail after the last; false
 * when one of them was not found. */
static bool crossings(const ct_held *h, const float s[3], int64_t u[3], float *lead, float *tail)
{
    for (int i = 0; i < 3; i++)
        if (s[i] < 0.0f)
            return false;
    to_us(h->t0_us, s, u);
    if (u[1] < u[0] || u[1] > u[2])
        u[1] = (u[0] + u[2]) / 2;
    detect_movement_ends(u, lead, tail);
    return true;
}

/* The way up: where the trace first crosses 10/50/90 % of lvl (see crossings). */
static bool way_up(const ct_held *h, const float *t, const float *x, int n, float lvl,
                   int64_t u[3], float *lead, float *tail)
{
    float s[3] = {first_up(t, x, 0, n, 0.1f * lvl), first_up(t, x, 0, n, 0.5f * lvl),
                  first_up(t, x, 0, n, 0.9f * lvl)};
    return crossings(h, s, u, lead, tail);
}

/* The way down: where the trace last leaves 90/50/10 % of lvl (see crossings). */
static bool way_down(const ct_held *h, const float *t, const float *x, int n, float lvl,
                     int64_t d[3], float *lead, float *tail)
{
    float s[3] = {last_down(t, x, 0, n, 0.9f * lvl), last_down(t, x, 0, n, 0.5f * lvl),
                  last_down(t, x, 0, n, 0.1f * lvl)};
    return crossings(h, s, d, lead, tail);
}

/* The phases from the way up (crossings of 10/50/90 % of lvl_up) and the way down. */
static bool phases(const ct_held *h, const float *tu, const float *xu, int nu, float lvl_up,
                   const float *td, const float *xd, int nd, float lvl_dn, ct_held_hold *out)
{
    int64_t u[3], d[3];
    float lead_u, tail_u, lead_d, tail_d;
    if (!way_up(h, tu, xu, nu, lvl_up, u, &lead_u, &tail_u) ||
        !way_down(h, td, xd, nd, lvl_dn, d, &lead_d, &tail_d))
        return false;
    int64_t top0 = u[2] + (int64_t)(tail_u * 1e6f), top1 = d[0] - (int64_t)(lead_d * 1e6f);
    out->t_start_us = u[0] - (int64_t)(lead_u * 1e6f);
    out->t_end_us = d[2] + (int64_t)(tail_d * 1e6f);
    out->t_peak_us = top0;
    out->up_s = (float)(u[2] - u[0]) * 1e-6f + lead_u + tail_u;
    out->down_s = (float)(d[2] - d[0]) * 1e-6f + lead_d + tail_d;
    out->top_s = top1 > top0 ? (float)(top1 - top0) * 1e-6f : 0.0f;
    return true;
}

/* The phases of a movement whose rise was not seen (it began on the toes): held from its
 * start to the lowering, found from the way down alone (crossings of 90/50/10 % of lvl). */
static bool phases_down(const ct_held *h, const float *td, const float *xd, int nd, float lvl,
                        ct_held_hold *out)
{
    int64_t d[3];
    float lead_d, tail_d;
    if (!way_down(h, td, xd, nd, lvl, d, &lead_d, &tail_d))
        return false;
    int64_t top1 = d[0] - (int64_t)(lead_d * 1e6f);
    if (top1 <= h->t0_us)
        return false;
    out->t_start_us = out->t_peak_us = h->t0_us;
    out->t_end_us = d[2] + (int64_t)(tail_d * 1e6f);
    out->up_s = 0.0f;
    out->down_s = (float)(d[2] - d[0]) * 1e-6f + lead_d + tail_d;
    out->top_s = (float)(top1 - h->t0_us) * 1e-6f;
    return true;
}

/* The phases of a movement whose lowering was not seen in the fit: from the way up
 * (crossings of 10/50/90 % of lvl), the way down taken as long as the way up and ending
 * where the movement did (T s after it began). */
static bool phases_up(const ct_held *h, const float *tu, const float *xu, int nu, float lvl,
                      float T, ct_held_hold *out)
{
    int64_t u[3];
    float lead_u, tail_u;
    if (!way_up(h, tu, xu, nu, lvl, u, &lead_u, &tail_u))
        return false;
    float up = (float)(u[2] - u[0]) * 1e-6f + lead_u + tail_u;
    int64_t top0 = u[2] + (int64_t)(tail_u * 1e6f);
    int64_t t_end = h->t0_us + (int64_t)(T * 1e6f), top1 = t_end - (int64_t)(up * 1e6f);
    if (top1 <= top0)
        return false;
    out->t_start_us = u[0] - (int64_t)(lead_u * 1e6f);
    out->t_peak_us = top0;
    out->t_end_us = t_end;
    out->up_s = out->down_s = up;
    out->top_s = (float)(top1 - top0) * 1e-6f;
    return true;
}

/* No hold to average over: the velocity and the height are zero at both ends on the
 * floor; a bias and its slope are taken out (all of it is in the first slots). */
static bool finish_short(const ct_held *h, ct_held_hold *out)
{
    int n = h->n_rise;
    float T = h->t;
    if (n < 3 || h->ring_n > h->n_rise || T <= 0.0f)
        return false;
    float t[HELD_SLOTS], x[HELD_SLOTS];
    float b1 = (h->p - 0.5f * h->v * T) * -12.0f / (T * T * T);
    float b0 = (h->v - 0.5f * b1 * T * T) / T;
    int ipk = 0;
    for (int i = 0; i < n; i++) {
        float ti = h->rise[i].t_s;
        t[i] = ti;
        x[i] = h->rise[i].p - (0.5f * b0 + b1 * ti / 6.0f) * ti * ti;
        if (x[i] > x[ipk])
            ipk = i;
    }
    float pk = x[ipk];
    if (!(pk > 0.0f))
        return false;
    out->peak_cm = pk * 100.0f;
    return phases(h, t, x, ipk + 1, pk, t + ipk, x + ipk, n - ipk, pk, out);
}

/* A hold on the toes: the error of the force at the top (E, g) from the drift of the
 * velocity between the two ends of the top, where it averages zero; the error grows
 * with the shank's lean (w: 0 standing, 1 at the top's mean lean) plus an offset fitted
 * for each of the rise and the lowering, so that the velocity averages zero over the
 * top's 2 s next to it. The rise is integrated forward from the floor, the lowering
 * backward from the floor. `down`: back on the floor by the lean or by a lowering seen
 * (not on steadiness alone). */
static bool finish_long(const ct_held *h, bool down, ct_held_hold *out)
{
    ct_held_slot lo[HELD_SLOTS]; /* (on the stack: ~50 kB in all, once per hold) */
    float tr[HELD_SLOTS], wr[HELD_SLOTS], vf[HELD_SLOTS], pf[HELD_SLOTS];
    float tl[HELD_SLOTS], wl[HELD_SLOTS], vb[HELD_SLOTS], pb[HELD_SLOTS];
    int nr = h->n_rise, nl = h->ring_n;
    float T = h->t, v_end = h->v;
    if (nr < 10 || nl < 10)
        return false;
    for (int j = 0; j < nl; j++) {
        lo[j] = *ring_at(h, j);
        tl[j] = lo[j].t_s;
    }
    for (int i = 0; i < nr; i++)
        tr[i] = h->rise[i].t_s;
    float rise_end = tr[nr - 1], low_start = tl[0];
    float ta = GUESS_S, tb = T - GUESS_S, h1 = 0.0f, h2 = 0.0f;
    bool ok = false;
    for (int iter = 0; iter < 3; iter++) {
        float d = WIN_S;
        if (d > 0.5f * (tb - ta))
            d = 0.5f * (tb - ta);
        if (ta + d > rise_end)
            ta = rise_end - d;
        if (tb - d < low_start)
            tb = low_start + d;
        if (d < MIN_WIN_S || tb - ta < 2.0f * MIN_WIN_S)
            break;
        /* the lean at the top, and the velocity's mean over each end of it */
        ct_vec3 du = v3(0.0f, 0.0f, 0.0f);
        float va = 0.0f, ma = 0.0f, vbm = 0.0f, mb = 0.0f;
        int na = 0, nb = 0;
        for (int i = 0; i < nr; i++)
            if (tr[i] >= ta && tr[i] <= ta + d) {
                du = v3_add(du, h->rise[i].du);
                va += h->rise[i].v;
                ma += tr[i];
                na++;
            }
        for (int j = 0; j < nl; j++)
            if (tl[j] >= tb - d && tl[j] <= tb) {
                du = v3_add(du, lo[j].du);
                vbm += lo[j].v;
                mb += tl[j];
                nb++;
            }
        if (na == 0 || nb == 0)
            break;
        va /= (float)na;
        ma /= (float)na;
        vbm /= (float)nb;
        mb /= (float)nb;
        du = v3_scale(du, 1.0f / (float)(na + nb));
        float L = v3_norm(du);
        ct_vec3 u = L > MIN_LEAN_RAD ? v3_scale(du, 1.0f / (L * L)) : v3(0.0f, 0.0f, 0.0f);
        float E = (vbm - va) / (G_MPS2 * (mb - ma));
        /* the rise: forward from the floor */
        float W1 = 0.0f, mW1 = 0.0f;
        for (int i = 0; i < nr; i++) {
            wr[i] = v3_dot(h->rise[i].du, u);
            float dt = i ? tr[i] - tr[i - 1] : tr[0];
            W1 += i ? 0.5f * (wr[i] + wr[i - 1]) * dt : wr[0] * dt;
            vf[i] = W1; /* (the integral of w for now) */
            if (tr[i] >= ta && tr[i] <= ta + d)
                mW1 += W1;
        }
        mW1 /= (float)na;
        /* den is the time the lean fell short of the top's before the window (about half
         * the rise: 0.25 s for the quickest rise, 0.5 s). Under 0.2 s no rise shows in the
         * lean (it leans at the window as much as on average, or more: sway, a lean eased
         * off later), and its shape cannot part the error into a tilt part and an
         * offset: the error is then one constant over the rise, fitted so that the
         * velocity still averages zero over the window (the tilt part left in, the rise's
         * trace climbed on through the top). */
        float den = ma - mW1, Er = E;
        float cr = den > 0.2f ? (va / G_MPS2 - E * mW1) / den : va / (G_MPS2 * ma);
        if (!(den > 0.2f))
            Er = cr;
        h1 = 0.0f;
        for (int i = 0; i < nr; i++) {
            vf[i] = h->rise[i].v - G_MPS2 * (cr * tr[i] + (Er - cr) * vf[i]);
            pf[i] = i ? pf[i - 1] + 0.5f * (vf[i] + vf[i - 1]) * (tr[i] - tr[i - 1]) : h->rise[0].p;
            if (tr[i] >= ta && tr[i] <= ta + d)
                h1 += pf[i];
        }
        h1 /= (float)na;
        /* the lowering: backward from the floor */
        float B1 = 0.0f, mB1 = 0.0f, vrel = 0.0f;
        for (int j = nl - 1; j >= 0; j--) {
            wl[j] = v3_dot(lo[j].du, u);
            B1 += j == nl - 1 ? wl[j] * (T - tl[j]) : 0.5f * (wl[j] + wl[j + 1]) * (tl[j + 1] - tl[j]);
            vb[j] = B1;
            if (tl[j] >= tb - d && tl[j] <= tb) {
                mB1 += B1;
                vrel += lo[j].v - v_end;
            }
        }
        mB1 /= (float)nb;
        vrel /= (float)nb;
        den = (T - mb) - mB1; /* (the same for the lowering) */
        float cl = den > 0.2f ? (-vrel / G_MPS2 - E * mB1) / den : -vrel / (G_MPS2 * (T - mb));
        float El = den > 0.2f ? E : cl;
        h2 = 0.0f;
        for (int j = nl - 1; j >= 0; j--) {
            vb[j] = lo[j].v - v_end + G_MPS2 * (cl * (T - tl[j]) + (El - cl) * vb[j]);
            pb[j] = j == nl - 1 ? -vb[j] * (T - tl[j])
                                : pb[j + 1] - 0.5f * (vb[j] + vb[j + 1]) * (tl[j + 1] - tl[j]);
            if (tl[j] >= tb - d && tl[j] <= tb)
                h2 += pb[j];
        }
        h2 /= (float)nb;
        ok = true;
        /* where each movement had slowed to a fifth of its top speed */
        int ipk = -1;
        for (int i = 0; i < nr && tr[i] <= ta + d; i++)
            if (ipk < 0 || vf[i] > vf[ipk])
                ipk = i;
        float ta2 = ta;
        for (int i = ipk; ipk >= 0 && i < nr; i++)
            if (vf[i] < EDGE_FRAC * vf[ipk]) {
                ta2 = tr[i] + EDGE_MARGIN_S;
                break;
            }
        int jpk = -1;
        for (int j = nl - 1; j >= 0 && tl[j] >= tb - d; j--)
            if (jpk < 0 || vb[j] < vb[jpk])
                jpk = j;
        float tb2 = tb;
        for (int j = jpk; jpk >= 0 && j >= 0; j--)
            if (vb[j] > EDGE_FRAC * vb[jpk]) {
                tb2 = tl[j] - EDGE_MARGIN_S;
                break;
            }
        if (tb2 - ta2 < 2.0f * MIN_WIN_S || (ta2 == ta && tb2 == tb))
            break;
        ta = ta2;
        tb = tb2;
    }
    int nu = 0, nd0 = nl;
    while (nu < nr && tr[nu] <= ta)
        nu++;
    while (nd0 > 0 && tl[nd0 - 1] >= tb)
        nd0--;
    if (!ok)
        return false;
    /* No rise seen in it (less than any heel rise) but a lowering back to the floor after
     * a top: the movement began on the toes (the rise went into a movement before it,
     * ended on a steady moment part way up or at the top); it is held from its start.
     * (Not on steadiness alone: a quiet top is no end.) */
    if (down && !(h1 >= LOWER_MIN_M) && h2 >= LOWER_MIN_M) {
        out->peak_cm = h2 * 100.0f;
        return phases_down(h, tl + nd0, pb + nd0, nl - nd0, h2, out);
    }
    /* A rise seen and back on the floor, but no lowering in the fit (its error at the top
     * read wrong): the way down is taken as long as the way up (people lower at about
     * the pace they rise), ending where the movement did. */
    if (down && h1 >= LOWER_MIN_M && !(h2 > 0.0f)) {
        out->peak_cm = h1 * 100.0f;
        return phases_up(h, tr, pf, nu, h1, T, out);
    }
    /* (ended on steadiness alone, a way down shallower than any heel rise is none: the
     * top's drift, still on the toes) */
    if (!(h1 > 0.0f) || !(h2 > 0.0f) || (!down && h2 < LOWER_MIN_M))
        return false;
    out->peak_cm = (h1 > h2 ? h1 : h2) * 100.0f;
    return phases(h, tr, pf, nu, h1, tl + nd0, pb + nd0, nl - nd0, h2, out);
}

/* Came down from the toes by LOWER_MIN_M (and half the rise) over the last LOWER_SPAN_S,
 * seen from now. */
static bool lowered(const ct_held *h)
{
    int n = h->ring_n;
    if (n < 2)
        return false;
    float t_now = h->t, v_now = h->v;
    /* the error at the top: the velocity's drift over the seconds before (none known
     * in a short movement) */
    float E = 0.0f;
    ct_vec3 u = v3(0.0f, 0.0f, 0.0f);
    bool tilt = false;
    float ref0 = t_now - LOWER_SPAN_S - LOWER_REF_S, ref1 = t_now - LOWER_SPAN_S;
    if (ref0 < GUESS_S)
        ref0 = GUESS_S; /* (read on the toes: the rise's own speed is no drift) */
    if (ref1 - ref0 >= 2.0f && ring_at(h, 0)->t_s < ref0 + 0.5f) {
        float v0 = 0.0f, v1 = 0.0f, m0 = 0.0f, m1 = 0.0f;
        int k0 = 0, k1 = 0;
        ct_vec3 du = v3(0.0f, 0.0f, 0.0f);
        for (int i = 0; i < n; i++) {
            const ct_held_slot *s = ring_at(h, i);
            if (s->t_s >= ref0 && s->t_s < ref0 + 1.0f) {
                v0 += s->v;
                m0 += s->t_s;
                k0++;
            } else if (s->t_s >= ref1 - 1.0f && s->t_s < ref1) {
                v1 += s->v;
                m1 += s->t_s;
                k1++;
            }
            if (s->t_s >= ref0 && s->t_s < ref1)
                du = v3_add(du, s->du);
        }
        if (k0 > 0 && k1 > 0 && m1 / (float)k1 > m0 / (float)k0) {
            E = (v1 / (float)k1 - v0 / (float)k0) / (G_MPS2 * (m1 / (float)k1 - m0 / (float)k0));
            float L = v3_norm(du) / (float)(k0 + k1 > 0 ? k0 + k1 : 1);
            du = v3_unit(du);
            if (L > MIN_LEAN_RAD) {
                u = v3_scale(du, 1.0f / L);
                tilt = true;
            }
        }
    }
    float B1 = 0.0f, p = 0.0f, vprev = 0.0f, tprev = t_now;
    for (int i = n - 1; i >= 0; i--) {
        const ct_held_slot *s = ring_at(h, i);
        if (t_now - s->t_s > LOWER_SPAN_S)
            break;
        float w = tilt ? v3_dot(s->du, u) : 1.0f;
        B1 += w * (tprev - s->t_s);
        float v = s->v - v_now + G_MPS2 * E * B1;
        p -= 0.5f * (v + vprev) * (tprev - s->t_s);
        vprev = v;
        tprev = s->t_s;
        if (p >= LOWER_MIN_M && p >= LOWER_RISE_FRAC * h->p_rise)
            return true;
    }
    return false;
}

/* Still up on the toes a few seconds into a movement, the shank leaning little: the
 * accelerometer's error is then about the same on the toes as on the floor (its
 * tilt-dependent part is small), one constant over these seconds, read from the speed
 * now (none on the toes or on the floor: steady); with it taken out the height now is
 * still half the rise or more (and 1.5 cm), and level over the steady spell (within
 * half of 1.5 cm): a rise onto a top as still as the floor, not an attempt back down. */
static bool still_up(const ct_held *h)
{
    float T = h->t;
    if (T <= 0.0f)
        return false;
    float E = h->v / T, pk = 0.0f, lo = 1e9f, hi = -1e9f, t_st = T - h->steady_s;
    for (int i = 0; i < h->n_rise; i++) {
        float ti = h->rise[i].t_s, x = h->rise[i].p - h->p_rest_start - 0.5f * E * ti * ti;
        if (x > pk)
            pk = x;
        if (ti >= t_st) {
            lo = x < lo ? x : lo;
            hi = x > hi ? x : hi;
        }
    }
    float now = h->p - h->p_rest_start - 0.5f * E * T * T;
    /* (and level over the steady spell: a movement begun in a landing, its speed left
     * constant since, climbs on through it) */
    return now >= LOWER_MIN_M && now >= LOWER_RISE_FRAC * pk && hi - lo < 0.5f * LOWER_MIN_M;
}

static void rest(ct_held *h)
{
    h->moving = false;
    h->v_rest = h->p_rest = 0.0f;
    h->live_cm = 0.0f;
}

bool held_update(ct_held *h, const ct_vec3 *acc_p, const ct_vec3 *up_p, const ct_vec3 *gyr_p,
                 bool still, int64_t t_us, float dt_s, ct_held_hold *out)
{
    ct_vec3 acc_g = *acc_p, up_s = *up_p, gyr_dps = *gyr_p;
    float f = v3_dot(acc_g, up_s);
    noise_levels(h, dt_s);
    h->f_smooth += (f - h->f_smooth) * (dt_s / (F_SMOOTH_S + dt_s));
    float df = h->f_smooth - h->g_ref;
    bool no_turn = v3_norm2(gyr_dps) < FLOOR_DPS * FLOOR_DPS;
    bool c = no_turn && (h->g_ref_valid ? df < h->floor_g && df > -h->floor_g : still);
    h->zv_s = c ? h->zv_s + dt_s : 0.0f;
    h->dv_cand = c && h->g_ref_valid ? h->dv_cand + df * G_MPS2 * dt_s : 0.0f;
    /* steady whatever its level (the floor's force learnt in another stance) */
    float dm = h->f_smooth - h->f_mean;
    h->f_mean += dm * (dt_s / (STEADY_TAU_S + dt_s));
    bool st = dm < h->steady_g && dm > -h->steady_g && no_turn;
    h->steady_s = st ? h->steady_s + dt_s : 0.0f;
    bool quiet = h->steady_s >= STEADY_S || (h->zv_s >= FLOOR_S && h->dv_cand < FLOOR_MAX_DV && h->dv_cand > -FLOOR_MAX_DV);
    if (!h->moving) {
        if (quiet) {
            h->wait_quiet = false;
            if (!h->g_ref_valid) {
                h->g_ref = f;
                h->g_ref_valid = true;
            }
            /* a movement starts before it is told: what it built up meanwhile is
             * carried into it; at rest this leaks away */
            float k = dt_s / (LEAK_S + dt_s);
            h->v_rest += (f - h->g_ref) * G_MPS2 * dt_s - k * h->v_rest;
            h->p_rest += h->v_rest * dt_s - k * h->p_rest;
            if (h->zv_s > FLOOR_LEARN_S || h->steady_s > STEADY_S)
                h->g_ref += (f - h->g_ref) * (dt_s / (FLOOR_LEARN_S + dt_s));
            return false;
        }
        if (!h->g_ref_valid || h->wait_quiet)
            return false;
        h->moving = true;
        h->t0_us = t_us;
        h->t = 0.0f;
        h->v = h->v_rest;
        h->p = h->p_rest;
        h->p_rest_start = h->p_rest;
        h->p_rise = 0.0f;
        h->v_top = 0.0f;
        h->stopped = false;
        h->kept = false;
        h->lean = h->lean_max = 0.0f;
        h->up0 = up_s;
        h->n_rise = h->ring_n = h->ring_head = 0;
        h->s_t = h->s_v = h->s_p = h->s_dt = 0.0f;
        h->s_du = v3(0.0f, 0.0f, 0.0f);
        h->s_k = 0;
    }
    h->v += (f - h->g_ref) * G_MPS2 * dt_s;
    h->p += h->v * dt_s;
    h->t += dt_s;
    h->s_t += h->t - 0.5f * dt_s;
    h->s_v += h->v;
    h->s_p += h->p;
    h->s_du = v3_add(h->s_du, v3_sub(up_s, h->up0));
    h->s_k++;
    h->s_dt += dt_s;
    if (h->s_dt >= HELD_SLOT_S)
        slot_close(h);
    float c_up = v3_dot(up_s, h->up0);
    float lean = acosf(c_up > 1.0f ? 1.0f : c_up);
    h->lean += (lean - h->lean) * (dt_s / (LEAN_TAU_S + dt_s));
    if (h->lean > h->lean_max) {
        h->lean_max = h->lean;
        h->t_lean_max = h->t;
    }
    if (h->t < LIVE_RISE_S && h->p > h->p_rise)
        h->p_rise = h->p;
    /* (the rise's top speed in its first seconds, and whether it slowed after it) */
    if (h->t < LIVE_RISE_S && h->v > h->v_top)
        h->v_top = h->v;
    else if (h->v < EDGE_FRAC * h->v_top && h->p_rise >= LOWER_MIN_M)
        h->stopped = true;
    h->live_cm = h->p_rise * 100.0f;
    /* a heel strike (|a| off 1 g by half a g) or a turn faster than any raise (a walking
     * step swings the shank at hundreds of deg/s) */
    float an = v3_norm(acc_g) - 1.0f;
    bool step = an > STEP_G || an < -STEP_G || v3_norm2(gyr_dps) > STEP_DPS * STEP_DPS;
    if (step || v3_dot(up_s, h->up0) < MAX_TILT_COS || h->t > MAX_SEG_S) {
        /* walking, sitting down: no hold; and the next movement starts from the floor
         * (begun at once, it would start mid-step: in the swing that lands the foot, whose
         * lean then stands for standing, or half way up a rise that follows) */
        rest(h);
        h->wait_quiet = true;
        return false;
    }
    /* (the quiet middle of a steady lowering lasts a moment only) */
    if (!quiet || (h->zv_s < FLOOR_END_S && h->steady_s < STEADY_S))
        return false;
    bool back;
    if (h->lean_max >= LEAN_TELLS_RAD) {
        back = h->lean <= LEAN_BACK_FRAC * h->lean_max && h->t - h->t_lean_max >= LEAN_TOP_S;
    } else {
        bool slow = h->t >= FRESH_S || (h->v < FLOOR_MAX_V && h->v > -FLOOR_MAX_V);
        /* (went nowhere: quiet by the floor's own test, the speed gained since the force
         * came within 4 mg of the floor's under the floor's 8 mm/s; a slow rise's steady
         * push is as steady as the floor, its force within those 4 mg, but it gains speed:
         * ended there, the rise went on as a new movement begun mid-way with no speed) */
        back = slow && (lowered(h) || (h->t < NOWHERE_S && h->zv_s >= NOWHERE_QUIET_S &&
                                       h->dv_cand < FLOOR_MAX_DV && h->dv_cand > -FLOOR_MAX_DV &&
                                       h->p - h->p_rest < LOWER_MIN_M));
    }
    /* (the lean counted from a stance left since: steady this long is standing) */
    if (!back && h->steady_s < STANDING_S)
        return false;
    /* Risen, and the shank still leans as it did at the top (the knee over the toes
     * until the heels come down), clear of sway: on the toes, however still (a top can
     * be as still as the floor from its first seconds, whatever the time held); one hold
     * until the lean goes back. (Not when it leaned more than any heel raise does: a
     * seated leg swung, a lunge.) Once kept after a rise seen to come to a stop (its
     * speed down to a fifth of its most: onto the toes, not a fidget whose drift only
     * grows), the lean easing off by a degree or two at the top (sway, settling on the
     * toes) is no way down: only back within 40 % of it tells the floor. */
    float sway = h->kept && h->stopped ? 0.0f : LEAN_SWAY_RAD;
    if (!back && h->lean_max >= LEAN_TELLS_RAD && h->lean_max <= LEAN_RAISE_MAX_RAD &&
        h->lean > LEAN_BACK_FRAC * h->lean_max + sway && h->p_rise >= LOWER_MIN_M) {
        h->kept = true;
        return false;
    }
    /* Risen, the shank leaning under 3 deg (its tilt-dependent error under ~1 mg) and no
     * lean back to tell the floor by, steady a second a few seconds in, and still up
     * with the accelerometer's error taken out: on a top as still as the floor, not back
     * on it (a rise and a fall would be fitted through it, the time on the toes lost);
     * the movement stays open for its lowering. */
    if (!back && h->lean < LEAN_TELLS_RAD && h->t < HOLD_MIN_S && h->p_rise >= LOWER_MIN_M &&
        still_up(h))
        return false;
    slot_close(h);
    bool got = h->t >= HOLD_MIN_S ? finish_long(h, back || lowered(h), out) : false;
    /* Ended on steadiness alone, the lowering the fit found must be over before the
     * steady spell began (the quiet is the floor after it): one that ends within the
     * quiet spell was read from the drift of a still top, taken for a way down, and the
     * person is still on the toes. (The end is placed to within a few tenths of a second:
     * half a second is allowed.) */
    if (got && !back &&
        out->t_end_us - h->t0_us > (int64_t)((h->t - h->steady_s + QUIET_END_MARGIN_S) * 1e6f))
        got = false;
    /* Told by the lean gone back, the lowering the fit found must be over by now: a slow
     * lowering (2-4 cm in 2 s) is steady for half a second in its middle, where the lean
     * has mostly gone back already, and the fit over a lowering seen in part put its end
     * in the future, the hold seconds short. Still coming down: the movement stays open
     * for the floor. */
    if (got && back && h->lean_max >= LEAN_TELLS_RAD &&
        out->t_end_us - h->t0_us > (int64_t)((h->t + QUIET_END_MARGIN_S) * 1e6f))
        return false;
    /* steady only, after a rise, and no lowering found on the way down: still on the toes
     * (a quiet top, or the slow start of the lowering) */
    if (!got && !back && h->t >= HOLD_MIN_S && h->p_rise >= LOWER_MIN_M) {
        h->kept = true;
        return false;
    }
    /* (kept open as a hold on the toes, it is one or none: no short movement) */
    if (got) {
        out->turned = false;
    } else if (!h->kept) {
        got = finish_short(h, out);
        /* too short to hold anything and back on the floor it left: turned back (a
         * movement that ends standing elsewhere is a step into place) */
        out->turned = got && back;
    }
    rest(h);
    return got;
}
