/* orient.c - complementary quaternion filter with gated gravity correction. */
#include "calftrack/analysis/orient.h"

const ct_orient_settings ct_orient_defaults = {
    .gain_still = 4.0f,
    .gain_moving = 1.0f,
    .acc_tol_g = 0.1f,
};

void orient_init(ct_orient *o, const ct_orient_settings *cfg)
{
    *o = (ct_orient){0};
    o->cfg = cfg ? *cfg : ct_orient_defaults;
    o->q = q_identity();
    o->up = v3(0.0f, 0.0f, 1.0f);
}

void orient_reset(ct_orient *o, ct_vec3 acc_g)
{
    /* the rotation taking the measured up onto earth z */
    o->q = q_between(v3_unit(acc_g), v3(0.0f, 0.0f, 1.0f));
    o->up = q_up_in_sensor(o->q);
    o->aligned = true;
}

void orient_update(ct_orient *o, const ct_vec3 *gyr_p, const ct_vec3 *acc_p, bool still,
                   float dt_s)
{
    ct_orient_acc g = orient_acc(o, acc_p);
    orient_update_acc(o, gyr_p, &g, still, dt_s);
}

void orient_update_acc(ct_orient *o, const ct_vec3 *gyr_p, const ct_orient_acc *g, bool still,
                       float dt_s)
{
    ct_vec3 w = v3_scale(*gyr_p, CT_DEG2RAD_F);
    if (g->used) {
        float gain = (still ? o->cfg.gain_still : o->cfg.gain_moving) * g->share;
        /* rotating the frame by e turns the estimated up toward the measured one */
        ct_vec3 e = v3_cross(g->dir, o->up);
        w = v3_add(w, v3_scale(e, gain));
    }
    float h = 0.5f * dt_s;
    ct_quat q = o->q;
    ct_quat r = {
        q.w - h * (q.x * w.x + q.y * w.y + q.z * w.z),
        q.x + h * (q.w * w.x + q.y * w.z - q.z * w.y),
        q.y + h * (q.w * w.y - q.x * w.z + q.z * w.x),
        q.z + h * (q.w * w.z + q.x * w.y - q.y * w.x),
    };
    /* renormalise with one Newton step of 1/sqrt (the norm stays within 1e-6 of 1) */
    float n2q = r.w * r.w + r.x * r.x + r.y * r.y + r.z * r.z;
    float k = 1.5f - 0.5f * n2q;
    ct_quat u = {r.w * k, r.x * k, r.y * k, r.z * k};
    o->q = u;
    o->up = q_up_in_sensor(o->q);
}
