/* gyro_offset.c - gyro bias from still periods. */
#include "calftrack/analysis/gyro_offset.h"

const ct_gyro_offset_settings ct_gyro_offset_defaults = {
    .settle_s = 0.25f,
    .acquire_s = 0.5f,
    .tau_s = 10.0f,
};

void gyro_offset_init(ct_gyro_offset *o, const ct_gyro_offset_settings *cfg)
{
    *o = (ct_gyro_offset){0};
    o->cfg = cfg ? *cfg : ct_gyro_offset_defaults;
}

ct_vec3 gyro_offset_update(ct_gyro_offset *o, const ct_vec3 *gyr_p, float still_s, float dt_s)
{
    ct_vec3 gyr_dps = *gyr_p;
    if (still_s > o->cfg.settle_s) {
        if (!o->known) {
            o->sum_dps = v3_add(o->sum_dps, gyr_dps);
            o->sum_s += dt_s;
            if (o->sum_s >= o->cfg.acquire_s) {
                o->bias_dps = v3_scale(o->sum_dps, dt_s / o->sum_s);
                o->known = true;
            }
        } else {
            float k = dt_s / o->cfg.tau_s;
            o->bias_dps = v3_add(o->bias_dps, v3_scale(v3_sub(gyr_dps, o->bias_dps), k));
        }
    } else if (!o->known) {
        o->sum_dps = v3(0.0f, 0.0f, 0.0f);
        o->sum_s = 0.0f;
    }
    return v3_sub(gyr_dps, o->bias_dps);
}
