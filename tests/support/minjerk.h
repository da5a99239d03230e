/* minjerk.h - the minimum-jerk movement people make when they move smoothly from one
 * position to another (Flash & Hogan's profile), for the tests' synthetic motion. */
#ifndef CALFTRACK_TEST_MINJERK_H
#define CALFTRACK_TEST_MINJERK_H

/* Fraction of the way covered at u = t / T (0..1). */
static inline float mj_frac(float u)
{
    return u * u * u * (10.0f - 15.0f * u + 6.0f * u * u);
}

/* Acceleration at u = t / T of a move by d over T seconds (units of d per s^2). */
static inline float mj_acc(float d, float T, float u)
{
    return d / (T * T) * (60.0f * u - 180.0f * u * u + 120.0f * u * u * u);
}

#endif
