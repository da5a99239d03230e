/* motion.c - a small deterministic leg-at-rest motion with sensor noise (see vpod.h). */
#include "vpod.h"

#include <math.h>

static double gauss(motion *m)
{
    /* sum of four uniforms: cheap, bounded, close enough to normal for sensor noise */
    double s = 0;
    for (int i = 0; i < 4; i++) {
        m->rng ^= m->rng << 13;
        m->rng ^= m->rng >> 7;
        m->rng ^= m->rng << 17;
        s += (double)(m->rng >> 11) / 9007199254740992.0 - 0.5;
    }
    return s * 1.7320508;
}

static int16_t lsb(double v, double per_lsb)
{
    double r = v / per_lsb;
    if (r >= 32767.0)
        return INT16_MAX;
    if (r <= -32768.0)
        return INT16_MIN;
    return (int16_t)lrint(r);
}

void motion_init(motion *m, uint64_t seed, uint16_t odr_hz)
{
    m->rng = seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
    if (m->rng == 0)
        m->rng = 1;
    m->n = 0;
    uint32_t ns = wire_period_ns(odr_hz);
    m->dt_s = (ns ? ns : 1200000u) * 1e-9;
}

void motion_next(motion *m, wire_sample *out)
{
    double t = (double)m->n++ * m->dt_s;
    /* a shank swinging slowly about the medio-lateral axis, up to 30 deg */
    double w = 2 * M_PI * 0.25;
    double ang = 0.5236 * sin(w * t);
    double rate_dps = 30.0 * w * cos(w * t);
    double ax = cos(ang), az = sin(ang);
    const double g_lsb = 488e-6, dps_lsb = 70e-3;
    out->acc[0] = lsb(ax + 0.002 * gauss(m), g_lsb);
    out->acc[1] = lsb(0.002 * gauss(m), g_lsb);
    out->acc[2] = lsb(az + 0.002 * gauss(m), g_lsb);
    out->gyr[0] = lsb(0.1 * gauss(m), dps_lsb);
    out->gyr[1] = lsb(rate_dps + 0.1 * gauss(m), dps_lsb);
    out->gyr[2] = lsb(0.1 * gauss(m), dps_lsb);
}
