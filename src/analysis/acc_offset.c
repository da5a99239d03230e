/* acc_offset.c - the accelerometer's offset from pairs of still poses (see the header). */
#include "calftrack/analysis/acc_offset.h"

#include <math.h>

const ct_acc_offset_settings ct_acc_offset_defaults = {
    .settle_s = 0.6f,
    .min_turn_deg = 8.0f,
    .max_turn_deg = 150.0f,
    .max_gap_s = 10.0f, /* 0.05 deg/s of gyro bias left: 0.5 deg over 10 s */
    /* a pair's error is the gyro's sensitivity error (1-3 %) times the turn, against an
     * offset of a few tens of mg: a turn of 30 deg weighs |I - C|^2 = 0.54 (two axes of
     * 0.27); the prior weighs as a fifth of one such pair */
    .prior = 0.1f,
};

void acc_offset_init(ct_acc_offset *o, const ct_acc_offset_settings *cfg)
{
    *o = (ct_acc_offset){0};
    o->cfg = cfg ? *cfg : ct_acc_offset_defaults;
    o->turn = q_identity();
}

bool acc_offset_update(ct_acc_offset *o, const ct_vec3 *gyr_p, const ct_vec3 *acc_mean_p,
                       float still_s, float dt_s)
{
    bool updated = false;
    if (still_s < o->cfg.settle_s) {
        if (still_s == 0.0f)
            o->in_pose = false;
        /* the turn since the last pose: body-frame rates multiply on the right */
        ct_vec3 w = v3_scale(*gyr_p, CT_DEG2RAD_F * dt_s);
        float h = 0.5f;
        ct_quat d = {1.0f, h * w.x, h * w.y, h * w.z};
        /* its norm grows by |w dt|^2 / 8 a step, a thousandth over the longest gap at
         * 833 Hz: made a unit where it is used */
        o->turn = q_mul(o->turn, d);
        o->since_s += dt_s;
        return false;
    }
    ct_vec3 m = *acc_mean_p;
    if (!o->in_pose && o->anchored && o->since_s <= o->cfg.max_gap_s) {
        /* C v: a world-fixed vector seen in the first pose, seen now */
        o->turn = q_unit(o->turn);
        ct_quat ci = q_conj(o->turn);
        float ang = 2.0f * acosf(fminf(1.0f, fabsf(o->turn.w))) * CT_RAD2DEG_F;
        if (ang >= o->cfg.min_turn_deg && ang <= o->cfg.max_turn_deg) {
            ct_vec3 c0 = q_rotate(ci, v3(1.0f, 0.0f, 0.0f));
            ct_vec3 c1 = q_rotate(ci, v3(0.0f, 1.0f, 0.0f));
            ct_vec3 c2 = q_rotate(ci, v3(0.0f, 0.0f, 1.0f));
            /* A = I - C, columns */
            ct_vec3 a0 = v3(1.0f - c0.x, -c0.y, -c0.z);
            ct_vec3 a1 = v3(-c1.x, 1.0f - c1.y, -c1.z);
            ct_vec3 a2 = v3(-c2.x, -c2.y, 1.0f - c2.z);
            ct_vec3 y = v3_sub(m, q_rotate(ci, o->m_anchor));
            o->n[0] += v3_dot(a0, a0);
            o->n[1] += v3_dot(a0, a1);
            o->n[2] += v3_dot(a0, a2);
            o->n[3] += v3_dot(a1, a1);
            o->n[4] += v3_dot(a1, a2);
            o->n[5] += v3_dot(a2, a2);
            o->r = v3_add(o->r, v3(v3_dot(a0, y), v3_dot(a1, y), v3_dot(a2, y)));
            o->pairs++;
            if (!sym3_solve(o->n, o->cfg.prior, o->r, 1e-12f, &o->bias_g))
                o->bias_g = v3(0.0f, 0.0f, 0.0f);
            updated = true;
        }
    }
    /* the pose now is the next pair's first: kept fresh while still */
    o->in_pose = true;
    o->anchored = true;
    o->m_anchor = m;
    o->turn = q_identity();
    o->since_s = 0.0f;
    return updated;
}
