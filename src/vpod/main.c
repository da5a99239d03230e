/*
 * main.c - `calftrack-vpod [options] -- COMMAND [ARGS...]`: sets up a umockdev testbed
 * holding one virtual pod, runs COMMAND in it (its libusb sees the pod), serves the
 * pod's USB traffic until COMMAND exits, and exits with COMMAND's status.
 */
#include "vpod.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "calftrack/err.h"
#include "calftrack/rec.h"

static void usage(FILE *f)
{
    fputs("Usage: calftrack-vpod [options] -- COMMAND [ARGS...]\n"
          "Runs COMMAND with a virtual calftrack pod on an emulated USB bus.\n"
          "\n"
          "  --seed N          the simulated person, their movement and fault randomness\n"
          "                    (default 1)\n"
          "  --plan FILE       the person follows this prescription (CSV, as 'session')\n"
          "  --demo            the person follows a short built-in programme\n"
          "                    (neither: two hours of everyday movement, no exercise)\n"
          "  --rate HZ         the pod's default rate: 104, 208, 416 or 833 (default 833)\n"
          "  --serial S        the pod's serial number (default VPOD0001)\n"
          "  --speed X         1 = real time, 0 = as fast as the host reads (default 0)\n"
          "  --fault LIST      comma-separated: unplug@T, replug@T, stall@T, overrun@T,\n"
          "                    reset@T (the firmware restarts on the bus: clock, index\n"
          "                    and queue start again, streaming resumes unannounced)\n"
          "                    (each up to 64 times, in order; --fault may be repeated),\n"
          "                    drop=P, corrupt=P, wrap   (T in stream seconds, P in 0..1),\n"
          "                    busy (claimed elsewhere), noaccess (no udev rule),\n"
          "                    protocol=N (GET_INFO says protocol N)\n"
          "  --truth FILE      write the true reps and holds as CSV to FILE\n"
          "  --sample-log FILE for every sample fed to the pod: its device time (us) and\n"
          "                    the wall time (CLOCK_REALTIME, us) the sensor made it\n"
          "  --stats FILE      write what the pod did (counts, 'name value' lines) to FILE\n"
          "  --verify FILE     after COMMAND: check that recording FILE holds exactly the\n"
          "                    packets the pod sent, byte for byte (a folder: the one\n"
          "                    */recording.ctrec in it, e.g. a data folder's sessions)\n"
          "  -h, --help        this text\n",
          f);
}

static int parse_num(const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double d = strtod(s, &end);
    if (errno || end == s || *end || !(d >= lo && d <= hi))
        return -1;
    *out = d;
    return 0;
}

static int parse_faults(char *list, vpod_faults *f)
{
    for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
        char *at = strchr(tok, '@'), *eq = strchr(tok, '=');
        double d;
        if (strcmp(tok, "wrap") == 0) {
            f->wrap = true;
        } else if (strcmp(tok, "busy") == 0) {
            f->busy = true;
        } else if (strcmp(tok, "noaccess") == 0) {
            f->noaccess = true;
        } else if (strncmp(tok, "protocol=", 9) == 0) {
            if (parse_num(tok + 9, 0, 255, &d))
                return -1;
            f->protocol = (int)d;
        } else if (at) {
            *at = '\0';
            if (parse_num(at + 1, 0, 1e7, &d))
                return -1;
            vp_times *e = !strcmp(tok, "unplug")    ? &f->unplug
                          : !strcmp(tok, "replug")  ? &f->replug
                          : !strcmp(tok, "stall")   ? &f->stall
                          : !strcmp(tok, "overrun") ? &f->overrun
                          : !strcmp(tok, "reset")   ? &f->reset
                                                    : NULL;
            if (!e || e->n == VPOD_MAX_EVENTS || (e->n > 0 && d <= e->t[e->n - 1]))
                return -1;
            e->t[e->n++] = d;
        } else if (eq) {
            *eq = '\0';
            if (parse_num(eq + 1, 0, 1, &d))
                return -1;
            if (!strcmp(tok, "drop"))
                f->drop_p = d;
            else if (!strcmp(tok, "corrupt"))
                f->corrupt_p = d;
            else
                return -1;
        } else {
            return -1;
        }
    }
    /* unplug, replug, unplug, replug...: each replug after its unplug, before the next */
    if (f->replug.n > f->unplug.n)
        return -1;
    for (int k = 0; k < f->replug.n; k++)
        if (f->replug.t[k] <= f->unplug.t[k] ||
            (k + 1 < f->unplug.n && f->unplug.t[k + 1] <= f->replug.t[k]))
            return -1;
    if (f->unplug.n > f->replug.n + 1 ||
        (f->unplug.n == f->replug.n + 1 && f->replug.n > 0 &&
         f->unplug.t[f->unplug.n - 1] <= f->replug.t[f->replug.n - 1]))
        return -1;
    return 0;
}

/* ---- running the command ------------------------------------------------------------ */

typedef struct {
    vpod *v;
    GMainLoop *loop;
    int status;
    bool replug_scheduled;
} runner;

static gboolean do_replug(gpointer data)
{
    runner *r = data;
    vpod *v = r->v;
    g_mutex_lock(&v->lock);
    vpod_skip_to(v, v->f.replug.t[v->f.replug.next++]);
    vpod_plug(v);
    v->st.replugs++;
    r->replug_scheduled = false;
    g_mutex_unlock(&v->lock);
    return G_SOURCE_REMOVE;
}

static gboolean tick(gpointer data)
{
    runner *r = data;
    vpod *v = r->v;
    g_mutex_lock(&v->lock);
    int k = v->f.replug.next;
    bool due = !v->plugged && k < v->f.replug.n && k < v->f.unplug.next && !r->replug_scheduled;
    double gap_s = due ? v->f.replug.t[k] - v->f.unplug.t[k] : 0;
    g_mutex_unlock(&v->lock);
    if (due) {
        r->replug_scheduled = true;
        guint ms = v->speed > 0 ? (guint)(gap_s / v->speed * 1000.0) : 300u;
        g_timeout_add(ms, do_replug, r);
    }
    vpod_serve(v);
    return G_SOURCE_CONTINUE;
}

static void child_done(GPid pid, gint status, gpointer data)
{
    runner *r = data;
    g_spawn_close_pid(pid);
    if (WIFEXITED(status))
        r->status = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        r->status = 128 + WTERMSIG(status);
    else
        r->status = 1;
    g_main_loop_quit(r->loop);
}

/* ---- verification --------------------------------------------------------------------- */

typedef struct {
    const uint8_t *log;
    size_t len, pos;
    uint64_t packets, mismatches, gaps;
    const wire_sample *fed;   /* what the simulator produced, in order */
    size_t nfed, next;
    uint64_t samples_same, samples_differ;
} checker;

static int check_packet(const uint8_t *pkt, size_t len, void *user)
{
    checker *c = user;
    if (c->pos + 1 + len > c->len || c->log[c->pos] != len ||
        memcmp(c->log + c->pos + 1, pkt, len) != 0) {
        c->mismatches++;
        return 1;
    }
    c->pos += 1 + len;
    c->packets++;
    /* and sample by sample against the simulator's output */
    wire_packet p;
    if (wire_decode_packet(pkt, len, &p) == WIRE_OK)
        for (unsigned k = 0; k < p.count; k++) {
            if (c->next < c->nfed && memcmp(&p.s[k], &c->fed[c->next], sizeof p.s[k]) == 0)
                c->samples_same++;
            else
                c->samples_differ++;
            c->next++;
        }
    return 0;
}

static int check_block(uint8_t type, uint32_t seq, const uint8_t *payload, size_t len, void *user)
{
    (void)seq;
    checker *c = user;
    if (type == REC_BLOCK_GAP)
        c->gaps++;
    if (type != REC_BLOCK_PACKETS)
        return 0;
    return rec_each_packet(payload, len, check_packet, c) != 0;
}

/* --verify DIR: the one recording.ctrec in a folder below DIR (a session's, whose id
 * is only known once it ran). */
static int find_recording(const char *dir, char *out, size_t cap)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int found = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char p[4096];
        snprintf(p, sizeof p, "%s/%s/recording.ctrec", dir, e->d_name);
        if (access(p, F_OK) == 0) {
            snprintf(out, cap, "%s", p);
            found++;
        }
    }
    closedir(d);
    return found == 1 ? 0 : -1;
}

static int verify(const vpod *v, const char *given)
{
    char found[4096];
    const char *path = given;
    struct stat sb;
    if (stat(given, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        if (find_recording(given, found, sizeof found) != 0) {
            fprintf(stderr, "calftrack-vpod: verify: not exactly one */recording.ctrec in %s\n",
                    given);
            printf("verify: different\n");
            return 1;
        }
        path = found;
    }
    if (!v->log_on) {
        fprintf(stderr, "calftrack-vpod: verify: out of memory for the packet log\n");
        return 1;
    }
    checker c = {v->log, v->log_len, 0, 0, 0, 0, v->fed, v->fed_len, 0, 0, 0};
    rec_parser *p = malloc(sizeof *p);
    if (!p)
        return 1;
    rec_parser_init(p, NULL, check_block, &c);
    int rc = rec_read_file(path, p);
    rec_damage dmg = p->damage;
    free(p);
    if (rc < 0) {
        fprintf(stderr, "calftrack-vpod: verify: %s: %s\n", path, ct_strerror(rc));
        return 1;
    }
    bool ok = c.mismatches == 0 && c.pos == c.len && dmg.bad_blocks == 0 &&
              dmg.truncated_bytes == 0 && dmg.skipped_bytes == 0;
    fprintf(stderr,
            "calftrack-vpod: verify: %s: %llu packets (%zu bytes) identical to what the pod "
            "sent, %s; %llu gap blocks; %llu damaged blocks\n",
            path, (unsigned long long)c.packets, c.pos,
            ok ? "nothing missing" : (c.mismatches ? "MISMATCH" : "RECORDING INCOMPLETE"),
            (unsigned long long)c.gaps, (unsigned long long)dmg.bad_blocks);
    /* Without link faults, every sample the simulator made reaches the file unchanged. */
    bool faults = v->f.drop_p > 0 || v->f.corrupt_p > 0 || v->f.overrun.n > 0 ||
                  v->f.unplug.n > 0 || v->f.reset.n > 0;
    if (!faults) {
        bool same = c.samples_differ == 0 && c.samples_same == c.nfed;
        fprintf(stderr, "calftrack-vpod: verify: %llu samples in the file, %zu made by the "
                        "simulator: %s\n",
                (unsigned long long)(c.samples_same + c.samples_differ), c.nfed,
                same ? "identical" : "DIFFERENT");
        printf("verify_samples: %s\n", same ? "identical" : "different");
        ok = ok && same;
    }
    printf("verify: %s\n", ok ? "identical" : "different");
    return ok ? 0 : 1;
}

/* Peak resident memory of this process in KiB (VmHWM), 0 when unknown. */
static long peak_rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = 0;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0)
            kb = strtol(line + 6, NULL, 10);
    if (f)
        fclose(f);
    return kb;
}

static void write_stats(const vpod *v, const char *path, double wall_s)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "calftrack-vpod: cannot write %s: %s\n", path, strerror(errno));
        return;
    }
    const vpod_stats *s = &v->st;
    fprintf(f, "samples_made %llu\nsamples_fed %llu\nsamples_sent %llu\nsamples_dropped %llu\n"
               "samples_damaged %llu\nsamples_unseen %llu\nsamples_unsent %llu\nresets %llu\n",
            (unsigned long long)s->samples_made, (unsigned long long)s->samples_fed,
            (unsigned long long)s->samples_sent, (unsigned long long)s->samples_dropped,
            (unsigned long long)s->samples_damaged, (unsigned long long)s->samples_unseen,
            (unsigned long long)(s->samples_fed - s->samples_sent),
            (unsigned long long)s->resets);
    fprintf(f, "packets_sent %llu\npackets_dropped %llu\n"
               "packets_corrupted %llu\npackets_truncated %llu\nurbs %llu\nstalls %llu\n"
               "unplugs %llu\nreplugs %llu\noverruns %llu\noverrun_samples %u\n"
               "truth_events %llu\nstream_s %.3f\nwall_s %.3f\npeak_rss_kb %ld\n"
               "verify_log_kb %zu\n",
            (unsigned long long)s->packets_sent, (unsigned long long)s->packets_dropped,
            (unsigned long long)s->packets_corrupted, (unsigned long long)s->packets_truncated,
            (unsigned long long)s->urbs, (unsigned long long)s->stalls,
            (unsigned long long)s->unplugs, (unsigned long long)s->replugs,
            (unsigned long long)s->overruns, s->overruns ? v->f.overrun_samples : 0u,
            (unsigned long long)v->m.events, (double)v->n_sim * v->period_us * 1e-6, wall_s, peak_rss_kb(),
            (v->log_len + v->fed_len * sizeof *v->fed) / 1024);
    fclose(f);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"seed", required_argument, NULL, 's'},  {"plan", required_argument, NULL, 'p'},
        {"demo", no_argument, NULL, 'd'},        {"rate", required_argument, NULL, 'r'},
        {"serial", required_argument, NULL, 'S'}, {"speed", required_argument, NULL, 'x'},
        {"fault", required_argument, NULL, 'f'}, {"truth", required_argument, NULL, 't'},
        {"stats", required_argument, NULL, 'T'},
        {"sample-log", required_argument, NULL, 'L'},
        {"verify", required_argument, NULL, 'v'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    static vpod v; /* the pod core is a few KiB; keep it off the stack */
    double seed = 1, rate = 833;
    const char *sample_log = NULL;
    const char *truth = NULL, *stats = NULL, *verify_path = NULL, *plan = NULL;
    bool demo = false;
    memset(&v, 0, sizeof v);
    v.f.overrun_samples = 100;
    snprintf(v.serial, sizeof v.serial, "VPOD0001");

    int c;
    while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            if (parse_num(optarg, 0, 1e15, &seed))
                goto bad;
            break;
        case 'p':
            plan = optarg;
            break;
        case 'd':
            demo = true;
            break;
        case 'r':
            if (parse_num(optarg, 1, 1000, &rate) || wire_period_ns((uint16_t)rate) == 0)
                goto bad;
            break;
        case 'S':
            if (strlen(optarg) < 1 || strlen(optarg) > WIRE_SERIAL_MAX)
                goto bad;
            snprintf(v.serial, sizeof v.serial, "%s", optarg);
            break;
        case 'x':
            if (parse_num(optarg, 0, 1000, &v.speed))
                goto bad;
            break;
        case 'f': {
            char *copy = strdup(optarg); /* strtok writes; argv must stay intact (re-exec) */
            int bad = !copy || parse_faults(copy, &v.f);
            free(copy);
            if (bad) {
                fprintf(stderr, "calftrack-vpod: bad --fault list\n");
                return 2;
            }
            break;
        }
        case 't':
            truth = optarg;
            break;
        case 'T':
            stats = optarg;
            break;
        case 'L':
            sample_log = optarg;
            break;
        case 'v':
            verify_path = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            goto bad;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "calftrack-vpod: no command given (after --)\n");
        usage(stderr);
        return 2;
    }

    /* The testbed only works inside the preload library's world; enter it once. */
    const char *preload = getenv("LD_PRELOAD");
    if (!preload || !strstr(preload, "libumockdev-preload")) {
        if (getenv("CALFTRACK_VPOD_WRAPPED")) {
            fprintf(stderr, "calftrack-vpod: umockdev-wrapper did not set up the mock "
                            "environment (is the umockdev package installed?)\n");
            return 1;
        }
        setenv("CALFTRACK_VPOD_WRAPPED", "1", 1);
        char **nargv = calloc((size_t)argc + 2, sizeof *nargv);
        if (!nargv)
            return 1;
        nargv[0] = "umockdev-wrapper";
        nargv[1] = "/proc/self/exe";
        for (int i = 1; i < argc; i++)
            nargv[i + 1] = argv[i];
        char self[4096];
        ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        if (n > 0) {
            self[n] = '\0';
            nargv[1] = self;
        }
        execvp("umockdev-wrapper", nargv);
        fprintf(stderr, "calftrack-vpod: cannot run umockdev-wrapper: %s\n", strerror(errno));
        return 1;
    }

    v.config.odr_hz = (uint16_t)rate;
    v.config.acc_range_g = 16;
    v.config.gyr_range_dps = 2000;
    v.rng ^= (uint64_t)seed * 0x2545F4914F6CDD1Dull;
    v.log_on = verify_path != NULL;
    if (plan && demo) {
        fprintf(stderr, "calftrack-vpod: --plan or --demo, not both\n");
        return 2;
    }
    FILE *truth_f = NULL;
    if (truth && !(truth_f = fopen(truth, "w"))) {
        fprintf(stderr, "calftrack-vpod: cannot write %s: %s\n", truth, strerror(errno));
        return 1;
    }
    if (sample_log && !(v.sample_log = fopen(sample_log, "w"))) {
        fprintf(stderr, "calftrack-vpod: cannot write %s: %s\n", sample_log, strerror(errno));
        return 1;
    }
    {
        struct timespec rt, mt;
        clock_gettime(CLOCK_REALTIME, &rt);
        clock_gettime(CLOCK_MONOTONIC, &mt);
        v.real_minus_mono_us = ((int64_t)rt.tv_sec - (int64_t)mt.tv_sec) * 1000000 +
                               (rt.tv_nsec - mt.tv_nsec) / 1000;
    }
    char err[512];
    if (motion_init(&v.m, plan, demo, (uint64_t)seed, v.config.odr_hz, truth_f, err,
                    sizeof err) != 0) {
        fprintf(stderr, "calftrack-vpod: %s\n", err);
        return 1;
    }
    if (vpod_setup(&v) != 0) {
        fprintf(stderr, "calftrack-vpod: cannot create the umockdev testbed\n");
        return 1;
    }
    v.rng ^= (uint64_t)seed * 0x2545F4914F6CDD1Dull;
    vpod_plug(&v);

    /* As fast as the host reads, latency means nothing and every URB costs a round trip
     * through the emulation: let the host use long transfers (see src/acq/usb.h). */
    if (v.speed == 0)
        setenv("CALFTRACK_USB_XFER_MS", "75", 0);
    runner r = {&v, g_main_loop_new(NULL, FALSE), 1, false};
    GPid pid;
    GError *e = NULL;
    int64_t t0 = vpod_now_us();
    if (!g_spawn_async(NULL, argv + optind, NULL,
                       G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_CHILD_INHERITS_STDIN,
                       NULL, NULL, &pid, &e)) {
        fprintf(stderr, "calftrack-vpod: cannot run %s: %s\n", argv[optind], e->message);
        g_clear_error(&e);
        vpod_teardown(&v);
        return 127;
    }
    signal(SIGINT, SIG_IGN); /* Ctrl-C is for the command; we end when it ends */
    g_child_watch_add(pid, child_done, &r);
    g_timeout_add(5, tick, &r);
    g_main_loop_run(r.loop);
    g_main_loop_unref(r.loop);
    double wall_s = (double)(vpod_now_us() - t0) * 1e-6;

    double stream_s = (double)v.n_sim * v.period_us * 1e-6;
    fprintf(stderr,
            "calftrack-vpod: %llu samples (%.1f s of stream) in %.2f s wall (%.1fx real time); "
            "%llu packets in %llu URBs (%.3f ms per URB); dropped %llu, corrupted %llu, "
            "truncated %llu; stalls %llu, unplugs %llu, replugs %llu, overruns %llu\n",
            (unsigned long long)v.st.samples_made, stream_s, wall_s,
            wall_s > 0 ? stream_s / wall_s : 0.0, (unsigned long long)v.st.packets_sent,
            (unsigned long long)v.st.urbs, v.st.urbs ? wall_s * 1000.0 / (double)v.st.urbs : 0.0,
            (unsigned long long)v.st.packets_dropped, (unsigned long long)v.st.packets_corrupted,
            (unsigned long long)v.st.packets_truncated, (unsigned long long)v.st.stalls,
            (unsigned long long)v.st.unplugs, (unsigned long long)v.st.replugs,
            (unsigned long long)v.st.overruns);
    vpod_epoch_end(&v);
    if (stats)
        write_stats(&v, stats, wall_s);
    if (v.sample_log && fclose(v.sample_log) != 0)
        fprintf(stderr, "calftrack-vpod: writing %s failed\n", sample_log);
    v.sample_log = NULL;
    if (truth_f && fclose(truth_f) != 0)
        fprintf(stderr, "calftrack-vpod: writing %s failed\n", truth);
    motion_free(&v.m);
    int status = r.status;
    if (verify_path && verify(&v, verify_path) != 0 && status == 0)
        status = 1;
    vpod_teardown(&v);
    return status;

bad:
    fprintf(stderr, "calftrack-vpod: bad option value\n");
    usage(stderr);
    return 2;
}
