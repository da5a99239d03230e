/* rss.c - peak resident memory of calftrack on simulated calf-raise sessions of about
 * 10 and 60 minutes at 833 Hz, through 'analyze' and through the real session path with
 * storage ('session --replay --fast': analysis, events synced as counted, recording
 * copied, summary): it must stay under 8 MiB and not grow with the session's length.
 * Runs build/calftrack (or $CALFTRACK) as a child and reads its peak RSS from wait4(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static long run(char *const argv[], int quiet)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (quiet && !freopen("/dev/null", "w", stdout))
            _exit(127);
        execv(argv[0], argv);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "rss: %s %s failed\n", argv[0], argv[1]);
        return -1;
    }
    return ru.ru_maxrss; /* KiB */
}

int main(void)
{
    const char *bin = getenv("CALFTRACK") ? getenv("CALFTRACK") : "build/calftrack";
    char dir[] = "/tmp/calftrack-rss-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    static const struct {
        const char *sets;
        const char *name;
    } runs[] = {{"7", "short"}, {"42", "long"}};
    long rss[2], srss[2];
    double mins[2];
    setenv("XDG_DATA_HOME", dir, 1); /* the sessions are stored here */
    printf("peak RSS of 'calftrack analyze' on simulated calf-raise sessions at 833 Hz\n");
    for (int i = 0; i < 2; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/s%d.ctr", dir, i);
        char *sim_argv[] = {(char *)bin, "simulate", "-o", path, "--sets", (char *)runs[i].sets,
                            "--rate", "833", "--seed", "5", NULL};
        if (run(sim_argv, 1) < 0)
            return 1;
        char *an_argv[] = {(char *)bin, "analyze", path, "--exercise", "calf_raise", NULL};
        rss[i] = run(an_argv, 1);
        if (rss[i] < 0)
            return 1;
        char rx[256];
        snprintf(rx, sizeof rx, "%s/rx%d.csv", dir, i);
        FILE *pf = fopen(rx, "w");
        if (!pf)
            return 1;
        /* the same sets as simulated, in rows of at most 14 (a row allows 20) */
        fprintf(pf, "exercise,side,sets,reps,hold_s,target,target_unit,rest_s,tempo,notes\n");
        for (int left = atoi(runs[i].sets); left > 0; left -= 14)
            fprintf(pf, "calf_raise,left,%d,15,1,,,60,2-1-2,rss bench\n", left < 14 ? left : 14);
        fclose(pf);
        char *se_argv[] = {(char *)bin, "session", "--replay", path, "-p", rx, "--fast", NULL};
        srss[i] = run(se_argv, 1);
        if (srss[i] < 0)
            return 1;
        FILE *f = fopen(path, "rb");
        long size = 0;
        if (f) {
            fseek(f, 0, SEEK_END);
            size = ftell(f);
            fclose(f);
        }
        /* 4 samples per 65 recorded bytes, plus 16 bytes per 4 KiB block */
        double minutes = (double)size / (65.0 / 4.0 * (1.0 + 16.0 / 4096.0)) / 833.0 / 60.0;
        mins[i] = minutes;
        printf("  %-8s session (%4.1f min, %5.1f MB recording): peak RSS %6.2f MiB\n",
               runs[i].name, minutes, (double)size / 1e6, (double)rss[i] / 1024.0);
        remove(path);
        remove(rx);
    }
    printf("  target <= 8 MiB and flat: %s (long / short = %.2f)\n",
           rss[1] <= 8 * 1024 && rss[1] <= rss[0] * 11 / 10 ? "met" : "NOT MET",
           (double)rss[1] / (double)rss[0]);
    printf("peak RSS of 'calftrack session --replay --fast' (stored) on the same recordings\n");
    for (int i = 0; i < 2; i++)
        printf("  %-8s session (%4.1f min): peak RSS %6.2f MiB\n", runs[i].name, mins[i],
               (double)srss[i] / 1024.0);
    printf("  target <= 8 MiB and flat: %s (long / short = %.2f)\n",
           srss[1] <= 8 * 1024 && srss[1] <= srss[0] * 11 / 10 ? "met" : "NOT MET",
           (double)srss[1] / (double)srss[0]);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}
