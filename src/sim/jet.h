/*
 * jet.h - second-order forward differentiation: a value with its first and second time
 * derivatives, carried exactly through the motion model so that the accelerometer and
 * gyroscope readings are derived without finite differences.
 */
#ifndef SIM_JET_H
#define SIM_JET_H

#include <math.h>

typedef struct {
    double v, d, dd; /* value, d/dt, d2/dt2 */
} jet;

static inline jet jet_c(double v)
{
    return (jet){v, 0.0, 0.0};
}

static inline jet jet_add(jet a, jet b)
{
    return (jet){a.v + b.v, a.d + b.d, a.dd + b.dd};
}

static inline jet jet_sub(jet a, jet b)
{
    return (jet){a.v - b.v, a.d - b.d, a.dd - b.dd};
}

static inline jet jet_scale(jet a, double k)
{
    return (jet){a.v * k, a.d * k, a.dd * k};
}

/* a + k * b */
static inline jet jet_axpy(jet a, double k, jet b)
{
    return (jet){a.v + k * b.v, a.d + k * b.d, a.dd + k * b.dd};
}

static inline jet jet_mul(jet a, jet b)
{
    return (jet){a.v * b.v, a.d * b.v + a.v * b.d, a.dd * b.v + 2.0 * a.d * b.d + a.v * b.dd};
}

/* f(a) given f, f' and f'' at a.v (chain rule). */
static inline jet jet_apply(jet a, double f, double f1, double f2)
{
    return (jet){f, f1 * a.d, f2 * a.d * a.d + f1 * a.dd};
}

static inline jet jet_sin(jet a)
{
    double s = sin(a.v), c = cos(a.v);
    return jet_apply(a, s, c, -s);
}

static inline jet jet_cos(jet a)
{
    double s = sin(a.v), c = cos(a.v);
    return jet_apply(a, c, -s, -c);
}

/* The minimum-jerk profile 10u^3 - 15u^4 + 6u^5 of u, clamped to 0..1 outside:
 * zero rate and zero acceleration at both ends. */
static inline jet jet_minjerk(jet u)
{
    if (u.v <= 0.0)
        return jet_c(0.0);
    if (u.v >= 1.0)
        return jet_c(1.0);
    double x = u.v, x2 = x * x;
    double f = x2 * x * (10.0 + x * (-15.0 + 6.0 * x));
    double f1 = 30.0 * x2 * (1.0 - x) * (1.0 - x);
    double f2 = 60.0 * x * (1.0 - x) * (1.0 - 2.0 * x);
    return jet_apply(u, f, f1, f2);
}

/* The 7th-order smooth step 35u^4 - 84u^5 + 70u^6 - 20u^7 of u, clamped to 0..1:
 * zero rate, acceleration and jerk at both ends (for fast, chained movements). */
static inline jet jet_smoothstep7(jet u)
{
    if (u.v <= 0.0)
        return jet_c(0.0);
    if (u.v >= 1.0)
        return jet_c(1.0);
    double x = u.v, y = 1.0 - x, x2 = x * x, y2 = y * y;
    double f = x2 * x2 * (35.0 + x * (-84.0 + x * (70.0 - 20.0 * x)));
    double f1 = 140.0 * x2 * x * y2 * y;
    double f2 = 420.0 * x2 * y2 * (1.0 - 2.0 * x);
    return jet_apply(u, f, f1, f2);
}

/* Minimum-jerk progress of the movement [t0, t0 + dur] at t; skew (-0.8..0.8) moves the
 * peak speed earlier (+) or later (-) while keeping the ends at rest. */
static inline jet jet_progress(double t, double t0, double dur, double skew)
{
    if (dur <= 0.0 || t >= t0 + dur)
        return jet_c(1.0);
    if (t <= t0)
        return jet_c(0.0);
    double u = (t - t0) / dur, k = 1.0 / dur;
    /* warp w = u + skew u (1 - u): monotone for |skew| < 1, w(0) = 0, w(1) = 1 */
    jet w = {u + skew * u * (1.0 - u), k * (1.0 + skew * (1.0 - 2.0 * u)), -2.0 * skew * k * k};
    return jet_minjerk(w);
}

#endif
