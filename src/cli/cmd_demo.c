/* cmd_demo.c - `calftrack demo`: a simulated patient through the whole product, in a
 * folder of its own: six weeks of history, today's session live on the virtual pod,
 * then history, CSV exports and charts. Every step runs this same program's commands. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <signal.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MARKER ".calftrack-demo"
#define STEP_LIMIT_S 120

static void help(void)
{
    printf("Usage: calftrack demo [options]\n"
           "\n"
           "Shows calftrack end to end without a pod: a simulated patient with a weaker\n"
           "left calf does the shipped calf programme three times a week for six weeks,\n"
           "then today's session runs live on the virtual pod (the pod's own firmware\n"
           "core behind an emulated USB device, read through libusb), and the history,\n"
           "the CSV exports and the progress charts are written. Everything goes into\n"
           "one folder; your own data is not touched.\n"
           "\n"
           "  -d, --dir DIR       the demo folder (default ./calftrack-demo; a previous\n"
           "                      demo there is replaced, any other folder is refused)\n"
           "  -w, --weeks N       weeks of history, 0..12 (default 6)\n"
           "      --seed N        the simulated patient (default 7)\n"
           "      --no-live       replay today's session instead of the virtual pod\n"
           "  -h, --help          this help\n");
}

typedef struct {
    char self[PATH_MAX];
    char vpod[PATH_MAX];
    char dir[PATH_MAX];
    char presc[PATH_MAX];
    char today[PATH_MAX];
    const char *log;
} demo;

/* Runs argv (argv[0] a path) with stdout/stderr to the terminal or to the log.
 * Returns the exit status, or -1 when it could not run. */
static int run(demo *d, char *const argv[], int quiet)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (quiet) {
            int fd = open(d->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
            if (fd >= 0) {
                dup2(fd, 1);
                dup2(fd, 2);
            }
        }
        int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (null >= 0)
            dup2(null, 0); /* no keys: nobody types in a demo */
        execv(argv[0], argv);
        fprintf(stderr, "calftrack demo: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    /* nothing in the demo may hang it: every step has a wall-clock limit */
    int st;
    for (int waited_ms = 0;; waited_ms += 20) {
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid)
            break;
        if (r < 0 && errno != EINTR)
            return -1;
        if (waited_ms > STEP_LIMIT_S * 1000) {
            kill(pid, SIGTERM);
            usleep(500000);
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            fprintf(stderr, "calftrack demo: %s %s took longer than %d s and was stopped\n",
                    argv[0], argv[1] ? argv[1] : "", STEP_LIMIT_S);
            return -1;
        }
        usleep(20000);
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* The folder is ours when it is new or holds a previous demo. */
static int prepare_dir(demo *d)
{
    char marker[PATH_MAX + 32];
    snprintf(marker, sizeof marker, "%s/" MARKER, d->dir);
    if (exists(d->dir)) {
        if (!exists(marker))
            return cli_fail("demo", "%s exists and is not a demo folder; choose another with "
                            "--dir", d->dir);
        char *rm[] = {"/bin/rm", "-rf", "--", d->dir, NULL};
        if (run(d, rm, 0) != 0)
            return cli_fail("demo", "cannot remove the previous demo in %s", d->dir);
    }
    if (mkdir(d->dir, 0700) != 0)
        return cli_fail("demo", "cannot create %s: %s", d->dir, strerror(errno));
    FILE *f = fopen(marker, "w");
    if (!f)
        return cli_fail("demo", "cannot write in %s: %s", d->dir, strerror(errno));
    fputs("A calftrack demo folder: 'calftrack demo' may replace it.\n", f);
    fclose(f);
    char sub[PATH_MAX + 32];
    const char *subs[] = {"recordings", "export", "plots"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(sub, sizeof sub, "%s/%s", d->dir, subs[i]);
        if (mkdir(sub, 0700) != 0)
            return cli_fail("demo", "cannot create %s: %s", sub, strerror(errno));
    }
    return 0;
}

/* Finds the virtual pod and the shipped prescription beside this program or installed. */
static int locate(demo *d)
{
    ssize_t n = readlink("/proc/self/exe", d->self, sizeof d->self - 1);
    if (n <= 0)
        return cli_fail("demo", "cannot find my own program file");
    d->self[n] = '\0';
    char bindir[PATH_MAX];
    snprintf(bindir, sizeof bindir, "%s", d->self);
    char *dir = dirname(bindir);
    const char *vp[] = {"%s/calftrack-vpod", "%s/../libexec/calftrack/calftrack-vpod"};
    const char *rx[] = {"%s/../prescriptions/calf-programme.csv",
                        "%s/../share/calftrack/prescriptions/calf-programme.csv",
                        "%s/prescriptions/calf-programme.csv"};
    d->vpod[0] = d->presc[0] = '\0';
    for (size_t i = 0; i < 2 && !d->vpod[0]; i++) {
        snprintf(d->vpod, sizeof d->vpod, vp[i], dir);
        if (access(d->vpod, X_OK) != 0)
            d->vpod[0] = '\0';
    }
    for (size_t i = 0; i < 3 && !d->presc[0]; i++) {
        snprintf(d->presc, sizeof d->presc, rx[i], dir);
        if (!exists(d->presc))
            d->presc[0] = '\0';
    }
    snprintf(d->today, sizeof d->today, "%s", d->presc);
    char *slash = strrchr(d->today, '/');
    if (slash)
        snprintf(slash + 1, sizeof d->today - (size_t)(slash + 1 - d->today), "demo-today.csv");
    if (d->presc[0] && !exists(d->today))
        snprintf(d->today, sizeof d->today, "%s", d->presc);
    if (!d->presc[0])
        return cli_fail("demo", "cannot find the shipped prescription calf-programme.csv "
                        "beside %s (run 'make install' or the program from its build folder)",
                        d->self);
    return 0;
}

static void date_of(time_t t, char *out, size_t cap, int with_time)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, cap, with_time ? "%Y-%m-%dT%H:%M" : "%Y-%m-%d", &tm);
}

/* Six weeks of sessions: dorsiflexion and the weak side improve week by week. */
static int history(demo *d, int weeks, long seed)
{
    static const int days[] = {0, 2, 4}; /* Monday, Wednesday, Friday */
    time_t now = time(NULL);
    int made = 0;
    for (int w = 0; w < weeks; w++) {
        for (int k = 0; k < 3; k++) {
            time_t t = now - (time_t)(weeks - w) * 7 * 86400 + (time_t)days[k] * 86400 -
                       3 * 86400 + 18 * 3600 - now % 86400;
            char start[32], rec[PATH_MAX + 64], seed_s[32], df[32], deficit[32], pb[16], pa[16];
            date_of(t, start, sizeof start, 1);
            snprintf(rec, sizeof rec, "%s/recordings/%s.ctr", d->dir, start);
            snprintf(seed_s, sizeof seed_s, "%ld", seed * 100 + w * 3 + k);
            double frac = weeks > 1 ? (double)w / (double)(weeks - 1) : 1.0;
            snprintf(df, sizeof df, "%.1f", 27.0 + 10.0 * frac);
            snprintf(deficit, sizeof deficit, "%.2f", 0.70 + 0.20 * frac);
            snprintf(pb, sizeof pb, "%d", 5 - (int)(4 * frac));
            snprintf(pa, sizeof pa, "%d", 4 - (int)(3 * frac));
            char *sim[] = {d->self, "simulate", "-P", (char *)d->presc, "-o", rec, "--start", start,
                           "--seed", seed_s, "--dorsiflexion", df, "--deficit", deficit,
                           "--injured", "left", NULL};
            if (run(d, sim, 1) != 0)
                return cli_fail("demo", "simulating the session of %s failed (see %s)", start,
                                d->log);
            char *ses[] = {d->self, "session", "--replay", rec, "-p", (char *)d->presc, "--fast",
                           "--pain-before", pb, "--pain-after", pa, NULL};
            if (run(d, ses, 1) != 0)
                return cli_fail("demo", "the session of %s failed (see %s)", start, d->log);
            made++;
        }
        printf("  week %d of %d: 3 sessions\n", w + 1, weeks);
    }
    return made >= 0 ? 0 : 1;
}

static int today(demo *d, long seed, int live)
{
    char seed_s[32], rec[PATH_MAX + 64];
    snprintf(seed_s, sizeof seed_s, "%ld", seed * 100 + 99);
    if (live && d->vpod[0]) {
        char truth[PATH_MAX + 64];
        snprintf(truth, sizeof truth, "%s/recordings/today-truth.csv", d->dir);
        char *argv[] = {(char *)d->vpod, "--seed", seed_s, "--plan", d->today,
                        "--truth", truth, "--", d->self, "session", "-p", d->today,
                        "--fast", "--pain-before", "1", "--pain-after", "1", NULL};
        int rc = run(d, argv, 0);
        if (rc == 0)
            return 0;
        printf("  (the virtual pod did not run here, exit %d: replaying today's session instead)\n",
               rc);
    }
    char start[32];
    date_of(time(NULL), start, sizeof start, 1);
    snprintf(rec, sizeof rec, "%s/recordings/today.ctr", d->dir);
    char *sim[] = {d->self, "simulate", "-P", d->today, "-o", rec, "--seed", seed_s,
                   "--dorsiflexion", "37", "--deficit", "0.9", "--injured", "left", NULL};
    if (run(d, sim, 1) != 0)
        return cli_fail("demo", "simulating today's session failed (see %s)", d->log);
    char *ses[] = {d->self, "session", "--replay", rec, "-p", d->today, "--fast",
                   "--pain-before", "1", "--pain-after", "1", NULL};
    return run(d, ses, 0) == 0 ? 0 : cli_fail("demo", "today's session failed");
}

static int outputs(demo *d)
{
    static const char *const exports[] = {"detail", "summary", "progress", "symmetry"};
    char out[PATH_MAX + 64];
    for (size_t i = 0; i < 4; i++) {
        snprintf(out, sizeof out, "%s/export/%s.csv", d->dir, exports[i]);
        char *argv[] = {d->self, "export", (char *)exports[i], "-o", out, NULL};
        if (run(d, argv, 1) != 0)
            return cli_fail("demo", "export %s failed (see %s)", exports[i], d->log);
        printf("  %s\n", out);
    }
    static const char *const plots[] = {"progress", "adherence", "symmetry", "session"};
    static const char *const ext[] = {"png", "svg"};
    int plotted = 0;
    for (size_t i = 0; i < 4; i++)
        for (size_t e = 0; e < 2; e++) {
            snprintf(out, sizeof out, "%s/plots/%s.%s", d->dir, plots[i], ext[e]);
            char *argv[] = {d->self, "plot", (char *)plots[i], "-o", out, NULL};
            if (run(d, argv, 1) == 0) {
                printf("  %s\n", out);
                plotted++;
            }
        }
    if (plotted == 0)
        printf("  (no charts: gnuplot is not installed; Debian: apt-get install gnuplot-nox)\n");
    return 0;
}

int cmd_demo(int argc, char **argv)
{
    static const struct option opts[] = {
        {"dir", required_argument, NULL, 'd'}, {"weeks", required_argument, NULL, 'w'},
        {"seed", required_argument, NULL, 's'}, {"no-live", no_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},      {NULL, 0, NULL, 0},
    };
    demo d;
    memset(&d, 0, sizeof d);
    const char *dir = "calftrack-demo";
    long weeks = 6, seed = 7;
    int live = 1, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:w:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': dir = optarg; break;
        case 'w':
            if (cli_parse_long(optarg, 0, 12, &weeks))
                return cli_usage_error("demo", "--weeks must be 0..12, not '%s'", optarg);
            break;
        case 's':
            if (cli_parse_long(optarg, 0, 1000000, &seed))
                return cli_usage_error("demo", "--seed must be 0..1000000, not '%s'", optarg);
            break;
        case 'n': live = 0; break;
        case 'h': help(); return 0;
        default: return cli_usage_error("demo", "unknown option");
        }
    }
    if (optind < argc)
        return cli_usage_error("demo", "unexpected argument '%s'", argv[optind]);
    if (!realpath(".", d.dir))
        return cli_fail("demo", "cannot resolve the current folder");
    if (dir[0] == '/')
        snprintf(d.dir, sizeof d.dir, "%s", dir);
    else {
        size_t n = strlen(d.dir);
        snprintf(d.dir + n, sizeof d.dir - n, "/%s", dir);
    }
    int rc = locate(&d);
    if (rc)
        return rc;
    if ((rc = prepare_dir(&d)) != 0)
        return rc;
    char log[PATH_MAX + 16];
    snprintf(log, sizeof log, "%s/demo.log", d.dir);
    d.log = log;
    if (setenv("XDG_DATA_HOME", d.dir, 1) != 0)
        return cli_fail("demo", "cannot set XDG_DATA_HOME");

    printf("calftrack demo in %s\n", d.dir);
    printf("1. settings: 72 kg, injured side left, pod 300 mm below the knee\n");
    char *set[] = {d.self, "settings", "--body-mass", "72", "--injured-side", "left",
                   "--site-mm", "300", NULL};
    if (run(&d, set, 1) != 0)
        return cli_fail("demo", "settings failed (see %s)", d.log);
    printf("2. %ld weeks of history (simulated, replayed through the session)\n", weeks);
    if ((rc = history(&d, (int)weeks, seed)) != 0)
        return rc;
    printf("3. today's session%s\n", live && d.vpod[0] ? " on the virtual pod" : " (replayed)");
    if ((rc = today(&d, seed, live)) != 0)
        return rc;
    printf("4. history\n");
    char *hist[] = {d.self, "history", NULL};
    if (run(&d, hist, 0) != 0)
        return cli_fail("demo", "history failed");
    printf("5. CSV for the physiotherapist and charts\n");
    if ((rc = outputs(&d)) != 0)
        return rc;
    printf("\nEverything is in %s:\n"
           "  calftrack/        sessions (raw recordings, events, summaries) as a patient's\n"
           "  recordings/       the simulated streams\n"
           "  export/, plots/   what a physiotherapist reads\n"
           "  demo.log          what each step printed\n"
           "Look around with: XDG_DATA_HOME=%s %s history\n",
           d.dir, d.dir, d.self);
    return 0;
}
