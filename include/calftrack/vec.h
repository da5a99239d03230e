/*
 * vec.h - small value types for 3-vectors and unit quaternions, with static inline
 * operations, plus the few cheap approximations the per-sample path needs (no libm
 * trig there). Quaternions are (w, x, y, z) and rotate sensor-frame vectors into the
 * earth frame (z up) unless a name says otherwise.
 */
#ifndef CALFTRACK_VEC_H
#define CALFTRACK_VEC_H

#include <math.h>

typedef struct {
    float x, y, z;
} ct_vec3;

typedef struct {
    float w, x, y, z;
} ct_quat;

#define CT_PI_F 3.14159265358979f
#define CT_DEG2RAD_F (CT_PI_F / 180.0f)
#define CT_RAD2DEG_F (180.0f / CT_PI_F)

static inline ct_vec3 v3(float x, float y, float z)
{
    ct_vec3 v = {x, y, z};
    return v;
}

static inline ct_vec3 v3_from(const float a[3]) { return v3(a[0], a[1], a[2]); }
static inline ct_vec3 v3_add(ct_vec3 a, ct_vec3 b) { return v3(a.x + b.x, a.y + b.y, a.z + b.z); }
static inline ct_vec3 v3_sub(ct_vec3 a, ct_vec3 b) { return v3(a.x - b.x, a.y - b.y, a.z - b.z); }
static inline ct_vec3 v3_scale(ct_vec3 a, float s) { return v3(a.x * s, a.y * s, a.z * s); }
static inline float v3_dot(ct_vec3 a, ct_vec3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
static inline float v3_norm2(ct_vec3 a) { return v3_dot(a, a); }
static inline float v3_norm(ct_vec3 a) { return sqrtf(v3_dot(a, a)); }

static inline ct_vec3 v3_cross(ct_vec3 a, ct_vec3 b)
{
    return v3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x);
}

/* a / |a|; the zero vector stays zero. */
static inline ct_vec3 v3_unit(ct_vec3 a)
{
    float n2 = v3_norm2(a);
    return n2 > 0.0f ? v3_scale(a, 1.0f / sqrtf(n2)) : a;
}

/* a without its component along the unit vector u. */
static inline ct_vec3 v3_reject(ct_vec3 a, ct_vec3 u) { return v3_sub(a, v3_scale(u, v3_dot(a, u))); }

static inline ct_quat q_identity(void)
{
    ct_quat q = {1.0f, 0.0f, 0.0f, 0.0f};
    return q;
}

static inline ct_quat q_mul(ct_quat a, ct_quat b)
{
    ct_quat r = {
        a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z,
        a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y,
        a.w * b.y - a.x * b.z + a.y * b.w + a.z * b.x,
        a.w * b.z + a.x * b.y - a.y * b.x + a.z * b.w,
    };
    return r;
}

static inline ct_quat q_conj(ct_quat q)
{
    ct_quat r = {q.w, -q.x, -q.y, -q.z};
    return r;
}

static inline ct_quat q_unit(ct_quat q)
{
    float n2 = q.w * q.w + q.x * q.x + q.y * q.y + q.z * q.z;
    float s = n2 > 0.0f ? 1.0f / sqrtf(n2) : 0.0f;
    ct_quat r = {q.w * s, q.x * s, q.y * s, q.z * s};
    return r;
}

/* Rotation by angle_rad about the unit axis. Setup code only (uses libm trig). */
static inline ct_quat q_axis_angle(ct_vec3 axis, float angle_rad)
{
    float s = sinf(0.5f * angle_rad);
    ct_quat q = {cosf(0.5f * angle_rad), axis.x * s, axis.y * s, axis.z * s};
    return q;
}

/* q v q*: rotates v by q. */
static inline ct_vec3 q_rotate(ct_quat q, ct_vec3 v)
{
    ct_vec3 u = v3(q.x, q.y, q.z);
    ct_vec3 t = v3_scale(v3_cross(u, v), 2.0f);
    return v3_add(v3_add(v, v3_scale(t, q.w)), v3_cross(u, t));
}

/* The earth's up axis (0,0,1) seen in the sensor frame: q* z q, i.e. the third row
 * of the sensor-to-earth rotation matrix. */
static inline ct_vec3 q_up_in_sensor(ct_quat q)
{
    return v3(2.0f * (q.x * q.z - q.w * q.y), 2.0f * (q.y * q.z + q.w * q.x),
              q.w * q.w - q.x * q.x - q.y * q.y + q.z * q.z);
}

/* The shortest rotation taking unit vector a onto unit vector b. */
static inline ct_quat q_between(ct_vec3 a, ct_vec3 b)
{
    ct_vec3 c = v3_cross(a, b);
    float d = v3_dot(a, b);
    ct_quat q = {1.0f + d, c.x, c.y, c.z};
    if (q.w < 1e-6f) { /* opposite vectors: any perpendicular axis, 180 deg */
        ct_vec3 p = fabsf(a.x) < 0.9f ? v3(1.0f, 0.0f, 0.0f) : v3(0.0f, 1.0f, 0.0f);
        p = v3_unit(v3_cross(a, p));
        ct_quat h = {0.0f, p.x, p.y, p.z};
        return h;
    }
    return q_unit(q);
}

/* atan2 in radians without libm: octant reduction and a minimax polynomial for
 * atan on [0, 1]; max error about 1e-5 rad (6e-4 deg). atan2(0, 0) = 0. */
static inline float ct_atan2f(float y, float x)
{
    float ax = fabsf(x), ay = fabsf(y);
    float mx = ax > ay ? ax : ay, mn = ax > ay ? ay : ax;
    if (mx == 0.0f)
        return 0.0f;
    float a = mn / mx, s = a * a;
    float r = ((((-0.0117212f * s + 0.05265332f) * s - 0.11643287f) * s + 0.19354346f) * s -
               0.33262347f) * s * a + 0.99997726f * a;
    if (ay > ax)
        r = 1.57079637f - r;
    if (x < 0.0f)
        r = 3.14159274f - r;
    return y < 0.0f ? -r : r;
}

/* Solves (N + ridge I) x = r for a symmetric 3 x 3 N given as its upper triangle
 * n = {xx, xy, xz, yy, yz, zz} (normal equations of a least-squares fit with a ridge
 * prior), by Cramer's rule; false, x untouched, when the determinant is not above
 * min_det. */
static inline int sym3_solve(const float n[6], float ridge, ct_vec3 r, float min_det,
                             ct_vec3 *x)
{
    float a = n[0] + ridge, b = n[1], c = n[2], d = n[3] + ridge, e = n[4], f = n[5] + ridge;
    float c00 = d * f - e * e, c01 = c * e - b * f, c02 = b * e - c * d;
    float det = a * c00 + b * c01 + c * c02;
    if (!(det > min_det))
        return 0;
    float c11 = a * f - c * c, c12 = b * c - a * e, c22 = a * d - b * b;
    *x = v3((c00 * r.x + c01 * r.y + c02 * r.z) / det, (c01 * r.x + c11 * r.y + c12 * r.z) / det,
            (c02 * r.x + c12 * r.y + c22 * r.z) / det);
    return 1;
}

#endif
