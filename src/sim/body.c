/*
 * body.c - recursive forward kinematics of the pod: each joint adds its axis times the
 * joint rate to the angular velocity, and the rate-of-axis term to the angular
 * acceleration; each offset adds the rigid-body transport terms to the linear motion.
 */
#include "body.h"

#include <math.h>
#include <string.h>

typedef struct {
    double R[3][3];    /* columns... stored as R[row][col]: frame axes are the columns */
    double w[3], al[3];/* angular velocity and acceleration, world, rad/s, rad/s^2 */
    double p[3], v[3], a[3];
} frame;

static inline void cross(const double a[3], const double b[3], double o[3])
{
    o[0] = a[1] * b[2] - a[2] * b[1];
    o[1] = a[2] * b[0] - a[0] * b[2];
    o[2] = a[0] * b[1] - a[1] * b[0];
}

/* Rotation by q about the frame's own axis ax (0 x, 1 y, 2 z). */
static void frame_rot(frame *f, int ax, jet q)
{
    double e[3] = {f->R[0][ax], f->R[1][ax], f->R[2][ax]};
    if (q.d != 0.0 || q.dd != 0.0) {
        double we[3];
        cross(f->w, e, we);
        for (int i = 0; i < 3; i++) {
            f->al[i] += q.dd * e[i] + q.d * we[i];
            f->w[i] += q.d * e[i];
        }
    }
    if (q.v == 0.0)
        return;
    double c = cos(q.v), s = sin(q.v);
    int i = (ax + 1) % 3, j = (ax + 2) % 3; /* R * Rot: col i' = c i + s j, col j' = -s i + c j */
    for (int r = 0; r < 3; r++) {
        double ci = f->R[r][i], cj = f->R[r][j];
        f->R[r][i] = c * ci + s * cj;
        f->R[r][j] = -s * ci + c * cj;
    }
}

/* Moves the frame origin by d (frame axes). */
static void frame_trans(frame *f, const double d[3])
{
    double r[3], wr[3], wwr[3], ar[3];
    for (int i = 0; i < 3; i++)
        r[i] = f->R[i][0] * d[0] + f->R[i][1] * d[1] + f->R[i][2] * d[2];
    cross(f->w, r, wr);
    cross(f->w, wr, wwr);
    cross(f->al, r, ar);
    for (int i = 0; i < 3; i++) {
        f->p[i] += r[i];
        f->v[i] += wr[i];
        f->a[i] += ar[i] + wwr[i];
    }
}

/* R = R * M for a constant rotation M (row-major, 9 values). */
static void frame_fixed(frame *f, const double *M)
{
    double o[3][3];
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < 3; c++)
            o[r][c] = f->R[r][0] * M[c] + f->R[r][1] * M[3 + c] + f->R[r][2] * M[6 + c];
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < 3; c++)
            f->R[r][c] = o[r][c];
}

/* Ankle displacement (heading frame x forward, z up) when the foot pitches by b about
 * its metatarsal heads or its heel, relative to the foot-flat position. */
static void pivot_offset(const sim_person *p, body_pivot pivot, jet b, jet *ox, jet *oz)
{
    double s = sin(b.v), c = cos(b.v), h = p->ankle_height_m;
    double lx = pivot == PIVOT_MTP ? -p->foot_lever_m : p->heel_lever_m;
    /* ankle relative to the pivot: (lx c + h s, -lx s + h c) */
    double x = lx * c + h * s, x1 = -lx * s + h * c, x2 = -x;
    double z = -lx * s + h * c, z1 = -lx * c - h * s, z2 = -z;
    *ox = jet_apply(b, x - lx, x1, x2);
    *oz = jet_apply(b, z - h, z1, z2);
}

/* The mounting of the pod from the segment frame: offset (segment axes) and rotation. */
static void mount(const sim_person *person, ct_placement placement, const body_pose *in,
                  double R[3][3], double d[3])
{
    frame f = {.R = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};
    if (placement == PLACE_FOOT) {
        /* dorsum: ahead of and a little below the ankle, surface sloping down to the toes */
        double at[3] = {0.4 * person->foot_lever_m, 0.0, -0.3 * person->ankle_height_m};
        frame_trans(&f, at);
        frame_rot(&f, 1, jet_c(person->dorsum_slope_deg * SIM_DEG));
        frame_rot(&f, 2, jet_c(in->strap.v));
    } else {
        /* sensor x up the shank, z out of the skin, y = z x x */
        static const double M[3][3] = {{0, 0, 1}, {0, -1, 0}, {1, 0, 0}};
        double up[3] = {0.0, 0.0, person->pod_height_m};
        double out_r[3] = {person->shank_radius_m, 0.0, 0.0};
        frame_trans(&f, up);
        frame_rot(&f, 2, jet_c(in->strap.v));
        frame_trans(&f, out_r);
        frame_fixed(&f, &M[0][0]);
    }
    frame_rot(&f, 0, jet_c(in->tilt_a.v));
    frame_rot(&f, 1, jet_c(in->tilt_b.v));
    memcpy(R, f.R, sizeof f.R);
    memcpy(d, f.p, sizeof f.p);
}

void body_eval(const sim_person *person, ct_placement placement, int side_sign,
               body_pivot pivot, const body_pose *in, body_tail *tail, body_out *out)
{
    const jet *q = in->q;
    double sg = side_sign < 0 ? -1.0 : 1.0;
    jet ax = q[Q_AX], ay = q[Q_AY], az = q[Q_AZ];

    if (pivot != PIVOT_NONE && (q[Q_PITCH].v != 0.0 || q[Q_PITCH].d != 0.0)) {
        jet ox, oz;
        pivot_offset(person, pivot, q[Q_PITCH], &ox, &oz);
        jet cy = jet_cos(q[Q_YAW]), sy = jet_sin(q[Q_YAW]);
        ax = jet_add(ax, jet_mul(cy, ox));
        ay = jet_add(ay, jet_mul(sy, ox));
        az = jet_add(az, oz);
    }

    frame f = {.R = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
               .p = {ax.v, ay.v, az.v},
               .v = {ax.d, ay.d, az.d},
               .a = {ax.dd, ay.dd, az.dd}};

    if (placement == PLACE_FOOT) {
        frame_rot(&f, 2, q[Q_YAW]);
        jet fax = q[Q_FAX];
        if (fax.v != 0.0 || fax.d != 0.0 || fax.dd != 0.0) {
            frame_rot(&f, 1, q[Q_INCL]);
            frame_rot(&f, 2, jet_scale(fax, -sg));
            frame_rot(&f, 1, jet_sub(q[Q_PITCH], q[Q_INCL]));
        } else {
            frame_rot(&f, 1, q[Q_PITCH]);
        }
        frame_rot(&f, 0, jet_scale(q[Q_FROLL], sg));
    } else {
        frame_rot(&f, 2, jet_axpy(q[Q_YAW], -sg, q[Q_SYAW]));
        frame_rot(&f, 1, q[Q_INCL]);
        frame_rot(&f, 0, jet_scale(q[Q_ROLL], sg));
        frame_rot(&f, 2, jet_scale(q[Q_AXIAL], -sg));
    }

    bool strap_moving = in->strap.d != 0.0 || in->strap.dd != 0.0 || in->tilt_a.d != 0.0 ||
                        in->tilt_a.dd != 0.0 || in->tilt_b.d != 0.0 || in->tilt_b.dd != 0.0;
    if (strap_moving || tail == NULL) {
        /* the full chain, with the strap's own rotation rate */
        if (placement == PLACE_FOOT) {
            double at[3] = {0.4 * person->foot_lever_m, 0.0, -0.3 * person->ankle_height_m};
            frame_trans(&f, at);
            frame_rot(&f, 1, jet_c(person->dorsum_slope_deg * SIM_DEG));
            frame_rot(&f, 2, in->strap);
        } else {
            static const double M[3][3] = {{0, 0, 1}, {0, -1, 0}, {1, 0, 0}};
            double up[3] = {0.0, 0.0, person->pod_height_m};
            double out_r[3] = {person->shank_radius_m, 0.0, 0.0};
            frame_trans(&f, up);
            frame_rot(&f, 2, in->strap);
            frame_trans(&f, out_r);
            frame_fixed(&f, &M[0][0]);
        }
        frame_rot(&f, 0, in->tilt_a);
        frame_rot(&f, 1, in->tilt_b);
    } else {
        double key[4] = {in->strap.v, in->tilt_a.v, in->tilt_b.v, (double)placement};
        if (memcmp(key, tail->key, sizeof key) != 0) {
            double R[3][3];
            mount(person, placement, in, R, tail->d);
            memcpy(tail->R, R, sizeof R);
            memcpy(tail->key, key, sizeof key);
        }
        frame_trans(&f, tail->d);
        frame_fixed(&f, tail->R);
    }

    double fw[3] = {f.a[0], f.a[1], f.a[2] + SIM_G};
    for (int c = 0; c < 3; c++) {
        out->acc_g[c] = (f.R[0][c] * fw[0] + f.R[1][c] * fw[1] + f.R[2][c] * fw[2]) / SIM_G;
        out->gyr_dps[c] = (f.R[0][c] * f.w[0] + f.R[1][c] * f.w[1] + f.R[2][c] * f.w[2]) / SIM_DEG;
    }
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < 3; c++)
            out->R[3 * r + c] = f.R[r][c];
    for (int i = 0; i < 3; i++) {
        out->p[i] = f.p[i];
        out->v[i] = f.v[i];
    }
    out->ankle_z = az.v;
}

void body_quat(const double R[9], double q[4])
{
    double tr = R[0] + R[4] + R[8];
    if (tr > 0.0) {
        double s = 2.0 * sqrt(1.0 + tr);
        q[0] = 0.25 * s;
        q[1] = (R[7] - R[5]) / s;
        q[2] = (R[2] - R[6]) / s;
        q[3] = (R[3] - R[1]) / s;
    } else if (R[0] > R[4] && R[0] > R[8]) {
        double s = 2.0 * sqrt(1.0 + R[0] - R[4] - R[8]);
        q[0] = (R[7] - R[5]) / s;
        q[1] = 0.25 * s;
        q[2] = (R[1] + R[3]) / s;
        q[3] = (R[2] + R[6]) / s;
    } else if (R[4] > R[8]) {
        double s = 2.0 * sqrt(1.0 + R[4] - R[0] - R[8]);
        q[0] = (R[2] - R[6]) / s;
        q[1] = (R[1] + R[3]) / s;
        q[2] = 0.25 * s;
        q[3] = (R[5] + R[7]) / s;
    } else {
        double s = 2.0 * sqrt(1.0 + R[8] - R[0] - R[4]);
        q[0] = (R[3] - R[1]) / s;
        q[1] = (R[2] + R[6]) / s;
        q[2] = (R[5] + R[7]) / s;
        q[3] = 0.25 * s;
    }
    if (q[0] < 0.0)
        for (int i = 0; i < 4; i++)
            q[i] = -q[i];
}
