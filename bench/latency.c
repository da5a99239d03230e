/* latency.c - sample-to-event latency through the virtual USB path at real-time pace.
 *
 * The virtual pod runs at --speed 1 (the sensor makes each sample when it is due) and
 * writes, per sample, its device time and the wall time (CLOCK_REALTIME) the sensor made
 * it (--sample-log). `calftrack session --json` runs on it through libusb and the usbfs
 * emulation; every rep line carries the device time of the sample whose arrival
 * completed it (t_sample_us) and the wall time the line was written (wall_us), and every
 * live line (one a second in JSON) its sample's device time (t_us) and wall_us. Joining
 * the two on device time gives, per line, how long after the sensor made the sample the
 * person was shown what it meant: packetizing (4 samples), the USB transfer, rx,
 * analysis, storing the rep (appended and synced) and printing.
 *
 * Environment: CALFTRACK, CALFTRACK_VPOD (default build/...). About 45 s of real time.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
    long long t_dev, wall;
} made;

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

static int cmp_made(const void *a, const void *b)
{
    return cmp_ll(&((const made *)a)->t_dev, &((const made *)b)->t_dev);
}

/* The wall time the sample at device time t was made, or -1. */
static long long made_at(const made *m, size_t n, long long t)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m[mid].t_dev < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < n && m[lo].t_dev == t)
        return m[lo].wall;
    return -1;
}

static long long field(const char *line, const char *key)
{
    const char *p = strstr(line, key);
    return p ? strtoll(p + strlen(key), NULL, 10) : -1;
}

static void report(const char *what, long long *lat, size_t n)
{
    if (n == 0) {
        printf("  %-34s none measured\n", what);
        return;
    }
    qsort(lat, n, sizeof *lat, cmp_ll);
    size_t p99 = (size_t)((double)(n - 1) * 0.99 + 0.5);
    printf("  %-34s n=%3zu  median %6.2f ms  p99 %6.2f ms  max %6.2f ms\n", what, n,
           (double)lat[(n - 1) / 2] / 1000.0, (double)lat[p99] / 1000.0,
           (double)lat[n - 1] / 1000.0);
}

int main(void)
{
    const char *bin = getenv("CALFTRACK") ? getenv("CALFTRACK") : "build/calftrack";
    const char *vpod = getenv("CALFTRACK_VPOD") ? getenv("CALFTRACK_VPOD") : "build/calftrack-vpod";
    char dir[] = "/tmp/calftrack-latency-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char rx[256], log[256], out[256];
    snprintf(rx, sizeof rx, "%s/rx.csv", dir);
    snprintf(log, sizeof log, "%s/samples.txt", dir);
    snprintf(out, sizeof out, "%s/session.jsonl", dir);
    FILE *f = fopen(rx, "w");
    if (!f)
        return 1;
    fputs("exercise,side,sets,reps,hold_s,target,target_unit,rest_s,tempo,notes\n"
          "calf_raise,left,1,6,1,,,5,2-1-2,latency bench\n", f);
    fclose(f);

    printf("sample-to-event latency, virtual pod at real time (--speed 1, 833 Hz), "
           "one set of 6 calf raises\n");
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        return 1;
    if (pid == 0) {
        setenv("XDG_DATA_HOME", dir, 1);
        int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int nul = open("/dev/null", O_WRONLY);
        if (fd < 0 || nul < 0 || dup2(fd, 1) < 0 || dup2(nul, 2) < 0)
            _exit(127);
        execl(vpod, vpod, "--seed", "2", "--speed", "1", "--plan", rx, "--sample-log", log,
              "--", bin, "session", "--fast", "-p", rx, "--json", (char *)NULL);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "latency: the session on the virtual pod failed\n");
        return 1;
    }

    size_t n = 0, cap = 1 << 16;
    made *m = malloc(cap * sizeof *m);
    f = fopen(log, "r");
    if (!m || !f)
        return 1;
    long long a, b;
    while (fscanf(f, "%lld %lld", &a, &b) == 2) {
        if (n == cap) {
            made *q = realloc(m, (cap *= 2) * sizeof *m);
            if (!q)
                return 1;
            m = q;
        }
        m[n++] = (made){a, b};
    }
    fclose(f);
    qsort(m, n, sizeof *m, cmp_made);

    long long ev[256], live[1024];
    size_t nev = 0, nlive = 0, unmatched = 0;
    char line[4096];
    f = fopen(out, "r");
    if (!f)
        return 1;
    while (fgets(line, sizeof line, f)) {
        int is_rep = strstr(line, "\"type\":\"rep\"") || strstr(line, "\"type\":\"hold\"");
        int is_live = strstr(line, "\"type\":\"live\"") != NULL;
        if (!is_rep && !is_live)
            continue;
        long long t = field(line, is_rep ? "\"t_sample_us\":" : "\"t_us\":");
        long long w = field(line, "\"wall_us\":");
        long long at = made_at(m, n, t);
        if (t < 0 || w < 0 || at < 0) {
            unmatched++;
            continue;
        }
        if (is_rep && nev < 256)
            ev[nev++] = w - at;
        else if (is_live && nlive < 1024)
            live[nlive++] = w - at;
    }
    fclose(f);
    printf("  %zu samples made; %zu lines not matched to a sample\n", n, unmatched);
    report("rep counted -> line written", ev, nev);
    report("live line (1/s) -> line written", live, nlive);
    long long all[1280];
    memcpy(all, ev, nev * sizeof *ev);
    memcpy(all + nev, live, nlive * sizeof *live);
    report("all lines", all, nev + nlive);
    size_t na = nev + nlive;
    long long p99 = na ? all[(size_t)((double)(na - 1) * 0.99 + 0.5)] : -1;
    printf("  target p99 <= 20 ms: %s\n", na && nev > 0 && p99 <= 20000 ? "met" : "NOT MET");
    free(m);
    /* the session's files and the logs */
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}
