/* clinical.c - the clinical measures of issue 9 through the whole chain: simulated
 * patients with a known deficit on one side play both-sides programmes, replayed through
 * the session runner and the motion analysis, stored, exported; the limb symmetry index,
 * heel-rise work and tempo compared with the simulator's truth (tests/clinical_run.h).
 *
 *   build/bench/clinical [SEEDS [DEFICIT]]   default 12 seeds x both injured sides, 0.70
 *                    (SEEDS 1..1000, DEFICIT in (0, 1]; anything else: the usage, exit 2)
 *   CLIN_VERBOSE=1   a line per session          CLIN_SEED=N   only that seed
 *   CLIN_REPS=1      every true rep and the stored rep matched to it, and stored reps
 *                    matched to none
 *   CLIN_SHOW=1      what the session shows (lines), live line left out
 *   CLIN_REPLAY=1    as `session --replay`: nobody presses Enter after moving the pod, the
 *                    runner goes on at once (by default the person presses Enter once the
 *                    pod is on the leg asked for, as in a live session)
 *   CLIN_KEEP=1      keep the recordings and the store
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <errno.h>
#include <ftw.h>
#include <stdlib.h>
#include <unistd.h>

#include "../tests/clinical_run.h"

typedef struct {
    double sum, sq, max;
    long n, in;
} cstat;

static void add(cstat *s, double d, double limit)
{
    if (isnan(d))
        return;
    s->sum += d;
    s->sq += d * d;
    if (fabs(d) > s->max)
        s->max = fabs(d);
    s->n++;
    s->in += fabs(d) <= limit;
}

static void row(const char *name, const cstat *s, const char *unit, double limit)
{
    printf("  %-30s mean %+7.2f  rms %6.2f  worst %6.2f %-3s  within %.1f: %ld/%ld\n", name,
           s->n ? s->sum / (double)s->n : 0.0, s->n ? sqrt(s->sq / (double)s->n) : 0.0, s->max,
           unit, limit, s->in, s->n);
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

static int usage(FILE *f)
{
    fprintf(f, "usage: clinical [SEEDS [DEFICIT]]   SEEDS 1..1000 (default 12), DEFICIT in "
               "(0, 1] (default 0.70); CLIN_SEED=N (1..SEEDS) runs that seed only\n");
    return f == stdout ? 0 : 2;
}

/* A whole number in lo..hi, or false (anything else: text, a fraction, nothing). */
static bool whole(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

int main(int argc, char **argv)
{
    long seeds = 12, only = 0;
    float deficit = 0.70f;
    if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))
        return usage(stdout);
    if (argc > 3 || (argc > 1 && !whole(argv[1], 1, 1000, &seeds)))
        return usage(stderr);
    if (argc > 2) {
        char *end;
        double d = strtod(argv[2], &end);
        if (end == argv[2] || *end || !(d > 0.0 && d <= 1.0))
            return usage(stderr);
        deficit = (float)d;
    }
    if (getenv("CLIN_SEED") && !whole(getenv("CLIN_SEED"), 1, seeds, &only))
        return usage(stderr);
    bool verbose = getenv("CLIN_VERBOSE") != NULL;
    char dir[] = "/tmp/calftrack-bench-clinical-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char root[256];
    snprintf(root, sizeof root, "%s/store", dir);
    store st;
    if (store_open(&st, root) != 0) {
        fprintf(stderr, "cannot open a store in %s\n", root);
        return 1;
    }
    cstat lsi_reps = {0}, lsi_h = {0}, lsi_w = {0}, lsi_l = {0}, lsi_labs = {0}, lsi_mean_h = {0};
    cstat lsi_w_matched = {0}, work_set = {0}, work_matched = {0}, tempo[3] = {{0}}, h = {0};
    cstat tempo_mean[3] = {{0}}, lsi_full_h = {0};
    long t_reps = 0, matched = 0, sessions = 0, failed = 0;
    double mass = 72.0;
    for (int s = 1; s <= (int)seeds; s++)
        for (int inj = 0; inj < 2; inj++) {
            if (only && only != s)
                continue;
            cr_config cfg = {.seed = (uint64_t)s, .injured = inj ? SIDE_RIGHT : SIDE_LEFT,
                             .deficit = deficit, .body_mass_kg = (float)mass,
                             .day = (int)sessions, .strap_random = true,
                             .press_enter = getenv("CLIN_REPLAY") == NULL};
            cr_result r;
            int rc = cr_run(&st, dir, &cfg, &r);
            if (rc) {
                printf("seed %d injured %s: %s\n", s, ct_side_name(cfg.injured), ct_strerror(rc));
                failed++;
                continue;
            }
            sessions++;
            int a = (int)cfg.injured, b = 1 - a;
            float tl_reps = cr_lsi_reps_true(&r), tl_h = cr_lsi(&r, r.t_best_h);
            float tl_w = cr_lsi(&r, r.t_sum_h), tl_l = cr_lsi(&r, r.t_lunge);
            float tl_labs = cr_lsi(&r, r.t_lunge_abs);
            float ml = clin_lsi_pct(r.mean_h[a], r.mean_h[b]);
            float tml = cr_lsi(&r, r.t_mean_h);
            add(&lsi_reps, r.y.lsi_reps_pct - tl_reps, 3);
            add(&lsi_h, r.y.lsi_height_pct - tl_h, 3);
            add(&lsi_w, r.y.lsi_work_pct - tl_w, 3);
            add(&lsi_l, r.y.lsi_lunge_pct - tl_l, 3);
            add(&lsi_labs, r.y.lsi_lunge_pct - tl_labs, 3);
            add(&lsi_mean_h, ml - tml, 3);
            add(&lsi_full_h, cr_lsi(&r, r.full_h) - cr_lsi(&r, r.t_full_h), 3);
            /* work over the matched reps: the index of the measured against the true */
            add(&lsi_w_matched, clin_lsi_pct(r.m_meas_h[a], r.m_meas_h[b]) -
                                    clin_lsi_pct(r.m_true_h[a], r.m_true_h[b]), 3);
            for (int k = 0; k < 2; k++) {
                double w_true = clin_work_j((float)mass, r.t_sum_h[k]);
                add(&work_set, 100.0 * ((double)r.y.work_j[k] - w_true) / w_true, 5);
                add(&work_matched, 100.0 * ((double)r.m_meas_h[k] - r.m_true_h[k]) / r.m_true_h[k],
                    5);
                for (int p = 0; p < 3; p++)
                    if (r.matched[k])
                        add(&tempo_mean[p], (double)(r.m_tempo_sum[k][p] - r.t_tempo_sum[k][p]) /
                                                r.matched[k], 0.2);
                t_reps += r.t_reps[k];
                matched += r.matched[k];
            }
            for (int p = 0; p < 3; p++) {
                tempo[p].sum += r.tempo_sum[p];
                tempo[p].sq += r.tempo_sq[p];
                tempo[p].max = fmax(tempo[p].max, r.tempo_worst[p]);
                tempo[p].n += r.n_tempo;
                tempo[p].in += r.tempo_in[p];
            }
            h.sum += r.h_err_sum;
            h.sq += r.h_err_sq;
            h.n += r.n_tempo;
            if (verbose)
                printf("seed %2d inj %-5s reps L %2d/%2d R %2d/%2d  LSI reps %5.1f/%5.1f  "
                       "height %5.1f/%5.1f  work %5.1f/%5.1f  lunge %5.1f/%5.1f (abs %5.1f)  "
                       "mean h %5.1f/%5.1f  %s\n",
                       s, ct_side_name(cfg.injured), (int)r.y.reps[0], r.t_reps[0],
                       (int)r.y.reps[1], r.t_reps[1], (double)r.y.lsi_reps_pct, (double)tl_reps,
                       (double)r.y.lsi_height_pct, (double)tl_h, (double)r.y.lsi_work_pct,
                       (double)tl_w, (double)r.y.lsi_lunge_pct, (double)tl_l, (double)tl_labs,
                       (double)ml, (double)tml, store_status_name((store_status)r.status));
        }
    printf("clinical measures through the session and the analysis: %ld sessions (%ld seeds x "
           "injured left/right, deficit %.2f, random strap), %ld failed\n", sessions, seeds,
           (double)deficit, failed);
    printf("  calf raises: %ld true reps, %ld matched to a stored rep (%.1f%%); height error "
           "per matched rep mean %+.2f rms %.2f cm\n", t_reps, matched,
           t_reps ? 100.0 * (double)matched / (double)t_reps : 0.0, h.n ? h.sum / (double)h.n : 0.0,
           h.n ? sqrt(h.sq / (double)h.n) : 0.0);
    printf(" LSI error, points (exported - true):\n");
    row("reps", &lsi_reps, "pt", 3);
    row("best heel rise", &lsi_h, "pt", 3);
    row("work (all reps)", &lsi_w, "pt", 3);
    row("work (matched reps)", &lsi_w_matched, "pt", 3);
    row("mean heel rise", &lsi_mean_h, "pt", 3);
    row("mean heel rise, full reps", &lsi_full_h, "pt", 3);
    row("lunge (specified measure)", &lsi_l, "pt", 3);
    row("lunge (absolute inclination)", &lsi_labs, "pt", 3);
    printf(" work error per side, %% (vs mass x g x true heights):\n");
    row("over the set (exported)", &work_set, "%", 5);
    row("over the matched reps", &work_matched, "%", 5);
    printf(" tempo error, s (measured - true):\n");
    static const char *const ph[3] = {"up", "top", "down"};
    for (int p = 0; p < 3; p++) {
        char name[40];
        snprintf(name, sizeof name, "%s, per matched rep", ph[p]);
        row(name, &tempo[p], "s", 0.2);
    }
    for (int p = 0; p < 3; p++) {
        char name[40];
        snprintf(name, sizeof name, "%s, side mean (matched)", ph[p]);
        row(name, &tempo_mean[p], "s", 0.2);
    }
    if (!getenv("CLIN_KEEP"))
        nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    else
        printf("kept %s\n", dir);
    return failed ? 1 : 0;
}
