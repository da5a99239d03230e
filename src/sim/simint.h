/*
 * simint.h - how the simulator's modules talk to each other (not part of the API).
 */
#ifndef SIM_SIMINT_H
#define SIM_SIMINT_H

#include "body.h"
#include "calftrack/sim.h"
#include "rng.h"

/* ---- motion.c: the movement layers summed into the leg's coordinates ---- */

void wobble_init(sim_wobble *w, sim_rng *r, double dt_s, const double lo_hz[3],
                 const double hi_hz[3], const double amp[3]);
void wobble_step(sim_wobble *w);
jet wobble_value(const sim_wobble *w);

/* Current rest pose (where the last movement ends). */
const double *move_pose(const sim *s);
/* The next movement starts at t0 from the current rest pose. */
void move_to(sim *s, double t0, double dur, const double to[SIM_NQ], double skew);
void move_hold(sim *s, double t0, double dur);
void move_walk(sim *s, double t0, double distance_m);
/* Rep layer: a delta pose from `from` to `to` over [t0, t0 + dur]. */
void rep_move(sim *s, double t0, double dur, const double from[SIM_NQ],
              const double to[SIM_NQ], double skew);
void sway_set(sim *s, double t0, double amp_deg);
void strap_set(sim *s, double t0, double dur, double strap_rad, double tilt_a, double tilt_b);
/* Only switches while the foot is flat and at rest. */
void pivot_set(sim *s, body_pivot p);

/* Sums every layer at t into the pose jets. */
void motion_eval(sim *s, double t, body_pose *pose);
/* Advances the per-sample oscillators. */
void motion_tick(sim *s);

/* ---- steps.c: plan steps as sequences of movements ---- */

/* Called when the current movement ended at t0: starts the next one of the current
 * step; false when the step is over. */
bool step_next(sim *s, double t0);
/* The whole posture change as successive movements; false when there is no more. */
bool posture_next(sim *s, double t0, sim_posture to, int k);
void pose_standing(const sim *s, const double cur[SIM_NQ], double out[SIM_NQ]);
double jitter(sim *s, double x, double rel);

/* ---- exercise.c: one set ---- */

void ex_begin(sim *s);
bool ex_next(sim *s, double t0);
/* Runs the rep track up to t (emits events, starts the exit). */
void ex_advance(sim *s, double t);
/* Per-sample truth bookkeeping of the current rep. */
void ex_track(sim *s, double t, float angle_deg, float height_cm);
/* The exercise's angle and height from the coordinates. */
void ex_truth_angle(const sim *s, ct_exercise ex, const body_pose *pose, double ankle_z,
                    float *angle_deg, float *height_cm);

/* ---- position.c: into and out of position ---- */

sim_posture ex_posture(ct_exercise e);
/* k-th movement into position; false when in position. */
bool ex_entry_next(sim *s, double t0, int k);
/* The last small movement into the ready pose; schedules the first rep. */
void ex_settle(sim *s, double t0);
/* k-th movement out of position after the set; false when done. */
bool ex_exit_next(sim *s, double t0, int k);

/* ---- sensor.c ---- */

int sensor_init(sim *s);
void sensor_apply(sim *s, const double acc_g[3], const double gyr_dps[3], wire_sample *raw,
                  ct_sample *phys);

/* ---- sim.c ---- */

void event_push(sim *s, const sim_event *ev);
/* Device time of the current sample, us. */
int64_t sample_t_us(const sim *s);
int64_t sim_us(double t_s);

#endif
