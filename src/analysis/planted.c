/* planted.c - net horizontal shift and turn of the pod between two instants. */
#include "calftrack/analysis/planted.h"

#define G_MPS2 9.80665f

void planted_init(ct_planted *p)
{
    *p = (ct_planted){0};
}

void planted_update(ct_planted *p, const ct_vec3 *acc_p, float yaw_rate_dps, int64_t t_us,
                    float dt_s)
{
    ct_vec3 acc_earth_g = *acc_p;
    p->sx += acc_earth_g.x * G_MPS2 * dt_s;
    p->sy += acc_earth_g.y * G_MPS2 * dt_s;
    p->syaw += yaw_rate_dps * dt_s;
    p->st += dt_s;
    if (p->st < PLANTED_SLOT_S)
        return;
    int i = p->head;
    p->t_us[i] = t_us;
    p->dt_s[i] = p->st;
    p->ax[i] = p->sx / p->st;
    p->ay[i] = p->sy / p->st;
    p->yaw[i] = p->syaw;
    p->head = (i + 1) % PLANTED_SLOTS;
    if (p->n < PLANTED_SLOTS)
        p->n++;
    p->sx = p->sy = p->syaw = p->st = 0.0f;
}

bool planted_move(const ct_planted *p, int64_t t0_us, int64_t t1_us, ct_planted_move *m)
{
    return planted_move_via(p, t0_us, t1_us, t1_us, m);
}

bool planted_move_via(const ct_planted *p, int64_t t0_us, int64_t t_via_us, int64_t t1_us,
                      ct_planted_move *m)
{
    if (p->n == 0 || t1_us <= t0_us)
        return false;
    /* the oldest slot must end at or before t0: the history covers the whole span */
    int oldest = (p->head - p->n + PLANTED_SLOTS) % PLANTED_SLOTS;
    if (p->t_us[oldest] > t0_us)
        return false;
    float vx = 0.0f, vy = 0.0f, x = 0.0f, y = 0.0f, yaw = 0.0f, T = 0.0f;
    float mx = 0.0f, my = 0.0f, mt = 0.0f;
    for (int k = 0; k < p->n; k++) {
        int i = (oldest + k) % PLANTED_SLOTS;
        int64_t t = p->t_us[i];
        if (t <= t0_us)
            continue;
        if (t > t1_us)
            break;
        float dt = p->dt_s[i];
        /* (trapezoids: a constant error then fits c T^2 / 2 exactly) */
        float vx1 = vx + p->ax[i] * dt, vy1 = vy + p->ay[i] * dt;
        x += 0.5f * (vx + vx1) * dt;
        y += 0.5f * (vy + vy1) * dt;
        vx = vx1;
        vy = vy1;
        yaw += p->yaw[i];
        T += dt;
        if (t <= t_via_us) { /* (the last slot ending by then) */
            mx = x;
            my = y;
            mt = T;
        }
    }
    if (!(T > 0.0f))
        return false;
    /* a constant error c gives v(T) = c T and x(T) = c T^2 / 2: what the end velocity
     * says of it is taken out */
    x -= 0.5f * vx * T;
    y -= 0.5f * vy * T;
    m->via_x_m = mx - 0.5f * vx / T * mt * mt;
    m->via_y_m = my - 0.5f * vy / T * mt * mt;
    m->shift_m = sqrtf(x * x + y * y);
    m->x_m = x;
    m->y_m = y;
    m->yaw_deg = yaw;
    m->span_s = T;
    return true;
}
