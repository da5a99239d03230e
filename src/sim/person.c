/*
 * person.c - the people the simulator plays, and the sensor configurations it ships.
 * Ranges follow published norms: weight-bearing lunge ~35 deg (SD ~3-6, less after
 * injury), heel-rise plantarflexion 30-50 deg, non-weight-bearing dorsiflexion past
 * neutral 5-25 deg; habits (hurrying, short holds, bouncing) as physiotherapists
 * describe home exercisers.
 */
#include "simint.h"

#include <math.h>

const sim_sensor sim_sensor_default = {
    .odr_hz = 104,
    .acc_range_g = 16,
    .gyr_range_dps = 2000,
    .acc_noise_ug_rthz = 90.0f,
    .gyr_noise_mdps_rthz = 4.0f,
    .acc_bias_mg = 20.0f,
    .gyr_bias_dps = 1.0f,
    .acc_drift_mg_per_rtmin = 0.3f,
    .gyr_drift_dps_per_rtmin = 0.05f,
    .scale_err_pct = 1.0f,
    .cross_axis_pct = 1.0f,
    .strap_deg = 0.0f,
    .strap_random = true,
    .tilt_deg = 5.0f,
    .quantise = true,
    .gyr_warmup_dps = 0.3f,
};

const sim_sensor sim_sensor_ideal = {
    .odr_hz = 833,
    .acc_range_g = 16,
    .gyr_range_dps = 2000,
    .strap_random = false,
    .quantise = false,
};

/* Consumer-grade IMUs' datasheets (phones, hobby boards) give accelerometer noise of
 * 150-400 ug/rtHz, gyro noise of 5-10 mdps/rtHz, zero-rate offsets of several dps and
 * zero-g offsets of tens of mg, 3% sensitivity and 2% cross-axis tolerances; their data
 * are often logged at 50 Hz. The worse end of each. */
const sim_sensor sim_sensor_other = {
    .odr_hz = 50,
    .acc_range_g = 8,
    .gyr_range_dps = 1000,
    .acc_noise_ug_rthz = 400.0f,
    .gyr_noise_mdps_rthz = 7.0f,
    .acc_bias_mg = 60.0f,
    .gyr_bias_dps = 3.0f,
    .acc_drift_mg_per_rtmin = 1.0f,
    .gyr_drift_dps_per_rtmin = 0.2f,
    .scale_err_pct = 3.0f,
    .cross_axis_pct = 2.0f,
    .strap_deg = 0.0f,
    .strap_random = true,
    .tilt_deg = 8.0f,
    .quantise = true,
    .gyr_warmup_dps = 1.0f,
};

void sim_person_default(sim_person *p)
{
    *p = (sim_person){
        .height_m = 1.72f,
        .mass_kg = 72.0f,
        .foot_lever_m = 0.15f,
        .heel_lever_m = 0.055f,
        .ankle_height_m = 0.08f,
        .shank_radius_m = 0.045f,
        .pod_height_m = 0.07f,
        .stance_incl_deg = 3.0f,
        .max_plantarflex_deg = 42.0f,
        .max_dorsiflex_deg = 38.0f,
        .max_band_df_deg = 15.0f,
        .relaxed_pf_deg = 20.0f,
        .tempo_scale = 1.0f,
        .tempo_jitter = 0.1f,
        .hold_discipline = 0.95f,
        .fatigue = 0.005f,
        .tremor_deg = 0.4f,
        .sway_deg = 0.8f,
        .knee_bend_deg = 3.0f,
        .bounce_deg = 0.0f,
        .undershoot_deg = 1.0f,
        .p_partial = 0.05f,
        .p_abandon = 0.02f,
        .p_pause = 0.03f,
        .p_early_start = 0.2f,
        .dorsum_slope_deg = 22.0f,
    };
}

static float clampf(double v, double lo, double hi)
{
    return (float)(v < lo ? lo : v > hi ? hi : v);
}

void sim_person_random(sim_person *p, uint64_t seed)
{
    sim_rng r;
    rng_seed(&r, seed, 0x5045u);
    double h = clampf(1.72 + 0.09 * rng_gauss(&r), 1.50, 1.98);
    double k = h / 1.72;
    double bmi = clampf(25.0 + 4.0 * rng_gauss(&r), 18.0, 38.0);
    p->height_m = (float)h;
    p->mass_kg = (float)(bmi * h * h);
    p->foot_lever_m = (float)(k * rng_range(&r, 0.13, 0.17));
    p->heel_lever_m = (float)(k * rng_range(&r, 0.045, 0.065));
    p->ankle_height_m = (float)(k * rng_range(&r, 0.07, 0.09));
    p->shank_radius_m = (float)(rng_range(&r, 0.035, 0.06) * sqrt(bmi / 25.0));
    p->pod_height_m = (float)(k * rng_range(&r, 0.04, 0.12));
    p->stance_incl_deg = (float)rng_range(&r, -2.0, 6.0);
    p->max_plantarflex_deg = clampf(40.0 + 6.0 * rng_gauss(&r), 25.0, 55.0);
    p->max_dorsiflex_deg = clampf(33.0 + 6.0 * rng_gauss(&r), 18.0, 50.0);
    p->max_band_df_deg = (float)rng_range(&r, 5.0, 25.0);
    p->relaxed_pf_deg = (float)rng_range(&r, 10.0, 35.0);
    p->tempo_scale = (float)rng_range(&r, 0.55, 1.25);
    p->tempo_jitter = (float)rng_range(&r, 0.05, 0.25);
    p->hold_discipline = (float)rng_range(&r, 0.7, 1.0);
    p->fatigue = (float)rng_range(&r, 0.0, 0.015);
    p->tremor_deg = (float)rng_range(&r, 0.1, 1.0);
    p->sway_deg = (float)rng_range(&r, 0.3, 1.5);
    p->knee_bend_deg = (float)rng_range(&r, 0.0, 8.0);
    p->bounce_deg = rng_unit(&r) < 0.3 ? (float)rng_range(&r, 1.0, 5.0) : 0.0f;
    p->undershoot_deg = (float)rng_range(&r, 0.0, 4.0);
    p->p_partial = (float)rng_range(&r, 0.0, 0.15);
    p->p_abandon = (float)rng_range(&r, 0.0, 0.06);
    p->p_pause = (float)rng_range(&r, 0.0, 0.08);
    p->p_early_start = (float)rng_range(&r, 0.0, 0.5);
    p->dorsum_slope_deg = (float)rng_range(&r, 12.0, 30.0);
}

void sim_person_injured(sim_person *p, float severity)
{
    double s = severity < 0.0f ? 0.0 : severity > 1.0f ? 1.0 : severity;
    /* after a rupture heel-rise height is ~75 % of the other side, lunge 5-10 deg less */
    p->max_plantarflex_deg *= (float)(1.0 - 0.3 * s);
    p->max_dorsiflex_deg -= (float)(8.0 * s);
    p->max_band_df_deg *= (float)(1.0 - 0.4 * s);
    p->fatigue += (float)(0.015 * s);
    p->tremor_deg *= (float)(1.0 + s);
    p->hold_discipline *= (float)(1.0 - 0.2 * s);
    p->p_partial += (float)(0.15 * s);
    p->p_abandon += (float)(0.05 * s);
    p->tempo_scale *= (float)(1.0 - 0.15 * s);
}
