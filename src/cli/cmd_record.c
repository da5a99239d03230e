/* cmd_record.c - `calftrack record`: raw data from the pod into a recording file, and
 * `--verify FILE`: a recording read back through the same receive path. */
#include "cli.h"

#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "calftrack/err.h"
#include "calftrack/rec.h"
#include "calftrack/source.h"
#include "pod_errors.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

static void help(void)
{
    printf("Usage: calftrack record -o FILE [options]\n"
           "       calftrack record --verify FILE\n"
           "\n"
           "Captures the pod's raw stream into a new recording FILE (never overwritten).\n"
           "Ctrl-C stops cleanly and keeps everything received. If the pod is unplugged,\n"
           "recording waits for it and goes on; the gap is marked in the file.\n"
           "\n"
           "  -o, --output FILE   the recording to create\n"
           "  -n, --seconds N     stop after N seconds of data (default: until Ctrl-C)\n"
           "  -s, --serial S      the pod with this serial (default: the only one)\n"
           "  -r, --rate HZ       sample rate: 104, 208, 416 or 833 (default: the pod's)\n"
           "      --placement P   shin or foot (stored in the recording)\n"
           "      --side S        left or right (stored in the recording)\n"
           "      --label TEXT    free text stored in the recording (up to 48 bytes)\n"
           "      --wait S        give up when an unplugged pod is not back after S\n"
           "                      seconds (default: wait until Ctrl-C)\n"
           "      --verify FILE   read FILE back and print the same summary\n"
           "  -q, --quiet         no live status line\n"
           "  -h, --help          this text\n"
           "\n"
           "The summary on stdout has one 'name: value' per line: samples, lost_packets,\n"
           "lost_samples, bad_packets, duplicates, overruns, disconnects, stalls, a digest\n"
           "of every sample. Exit status: 0 done, 1 failure, 2 usage error.\n");
}

/* What the samples looked like, on the way through. */
typedef struct {
    uint64_t samples, gaps, non_monotonic;
    int64_t first_t, last_t;
    uint64_t first_index, last_index;
    uint32_t digest;
} tally;

static void tally_add(tally *t, const ct_sample *s)
{
    if (t->samples > 0 && (s->t_us <= t->last_t || s->index <= t->last_index))
        t->non_monotonic++;
    if (t->samples == 0) {
        t->first_t = s->t_us;
        t->first_index = s->index;
    }
    t->last_t = s->t_us;
    t->last_index = s->index;
    t->samples++;
    if (s->flags & CT_SAMPLE_GAP)
        t->gaps++;
    uint8_t b[8 + 8 + 24 + 1];
    uint64_t tu = (uint64_t)s->t_us;
    for (int i = 0; i < 8; i++) {
        b[i] = (uint8_t)(tu >> (8 * i));
        b[8 + i] = (uint8_t)(s->index >> (8 * i));
    }
    for (int a = 0; a < 3; a++) {
        uint32_t u, v;
        memcpy(&u, &s->acc_g[a], 4);
        memcpy(&v, &s->gyr_dps[a], 4);
        wire_put32(b + 16 + 4 * a, u);
        wire_put32(b + 28 + 4 * a, v);
    }
    b[40] = s->flags;
    t->digest = rec_crc32(t->digest, b, sizeof b);
}

static void summary(const char *path, const tally *t, const rx_stats *st,
                    const rec_damage *dmg)
{
    printf("recording: %s\n", path);
    printf("samples: %llu\n", (unsigned long long)t->samples);
    printf("duration_s: %.3f\n", t->samples ? (double)(t->last_t - t->first_t) * 1e-6 : 0.0);
    printf("first_index: %llu\n", (unsigned long long)t->first_index);
    printf("last_index: %llu\n", (unsigned long long)t->last_index);
    printf("packets: %llu\n", (unsigned long long)st->packets);
    printf("lost_packets: %llu\n", (unsigned long long)st->lost_packets);
    printf("lost_samples: %llu\n", (unsigned long long)st->lost_samples);
    printf("lost_in_gaps: %llu\n", (unsigned long long)st->lost_in_gaps);
    printf("bad_packets: %llu\n", (unsigned long long)st->bad_packets);
    printf("duplicates: %llu\n", (unsigned long long)st->duplicates);
    printf("overruns: %llu\n", (unsigned long long)st->overruns);
    printf("clipped: %llu\n", (unsigned long long)st->clipped);
    printf("restarts: %llu\n", (unsigned long long)st->restarts);
    printf("disconnects: %llu\n", (unsigned long long)st->disconnects);
    printf("stalls: %llu\n", (unsigned long long)st->stalls);
    printf("gaps_marked: %llu\n", (unsigned long long)t->gaps);
    printf("non_monotonic: %llu\n", (unsigned long long)t->non_monotonic);
    if (dmg) {
        printf("damaged_blocks: %llu\n", (unsigned long long)dmg->bad_blocks);
        printf("skipped_bytes: %llu\n", (unsigned long long)dmg->skipped_bytes);
        printf("truncated_bytes: %llu\n", (unsigned long long)dmg->truncated_bytes);
        printf("missing_blocks: %llu\n", (unsigned long long)dmg->block_seq_gaps);
    }
    printf("digest: %08x\n", (unsigned)t->digest);
}

static int verify(const char *path)
{
    ct_source *s;
    int r = ct_source_open_recording(&s, path);
    if (r != CT_OK)
        return cli_fail("record", "%s: %s%s", path, ct_strerror(r),
                        r == CT_EFORMAT ? " (not a calftrack recording)" : "");
    tally t = {0};
    ct_sample buf[512];
    int n;
    while ((n = ct_source_read(s, buf, 512, 0)) > 0)
        for (int i = 0; i < n; i++)
            tally_add(&t, &buf[i]);
    summary(path, &t, ct_source_stats(s), ct_source_damage(s));
    ct_source_close(s);
    if (n < 0)
        return cli_fail("record", "%s: %s", path, ct_strerror(n));
    return 0;
}

int cmd_record(int argc, char **argv)
{
    enum { OPT_PLACEMENT = 256, OPT_SIDE, OPT_LABEL, OPT_WAIT, OPT_VERIFY };
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"seconds", required_argument, NULL, 'n'},
        {"serial", required_argument, NULL, 's'},
        {"rate", required_argument, NULL, 'r'},
        {"placement", required_argument, NULL, OPT_PLACEMENT},
        {"side", required_argument, NULL, OPT_SIDE},
        {"label", required_argument, NULL, OPT_LABEL},
        {"wait", required_argument, NULL, OPT_WAIT},
        {"verify", required_argument, NULL, OPT_VERIFY},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL, *verify_path = NULL;
    double seconds = 0;
    long v;
    int quiet = 0;
    ct_pod_options po;
    memset(&po, 0, sizeof po);
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "o:n:s:r:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case 'n':
            if (cli_parse_double(optarg, 0.001, 1e7, &seconds))
                return cli_usage_error("record", "--seconds wants a positive number, not '%s'", optarg);
            break;
        case 's':
            if (strlen(optarg) == 0 || strlen(optarg) > WIRE_SERIAL_MAX)
                return cli_usage_error("record", "--serial wants 1 to %u characters", WIRE_SERIAL_MAX);
            po.serial = optarg;
            break;
        case 'r':
            if (cli_parse_long(optarg, 1, 65535, &v) || wire_period_ns((uint16_t)v) == 0)
                return cli_usage_error("record", "--rate must be 104, 208, 416 or 833, not '%s'", optarg);
            po.config.odr_hz = (uint16_t)v;
            po.config.acc_range_g = 16;
            po.config.gyr_range_dps = 2000;
            break;
        case OPT_PLACEMENT: {
            int p = ct_placement_parse(optarg);
            if (p < 0)
                return cli_usage_error("record", "--placement is shin or foot, not '%s'", optarg);
            po.meta.placement = (uint8_t)p;
            break;
        }
        case OPT_SIDE: {
            int sd = ct_side_parse(optarg);
            if (sd < 0 || sd == SIDE_BOTH)
                return cli_usage_error("record", "--side is left or right, not '%s'", optarg);
            po.meta.side = (uint8_t)sd;
            break;
        }
        case OPT_LABEL:
            snprintf(po.meta.label, sizeof po.meta.label, "%s", optarg);
            break;
        case OPT_WAIT:
            if (cli_parse_long(optarg, 1, 86400, &v))
                return cli_usage_error("record", "--wait wants seconds (1 to 86400), not '%s'", optarg);
            po.reconnect_wait_s = (int)v;
            break;
        case OPT_VERIFY:
            verify_path = optarg;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            help();
            return 0;
        default:
            return cli_usage_error("record", "unknown option");
        }
    }
    if (optind < argc)
        return cli_usage_error("record", "unexpected argument '%s'", argv[optind]);
    if (verify_path)
        return verify(verify_path);
    if (!out)
        return cli_usage_error("record", "say where to record with -o FILE");
    if (access(out, F_OK) == 0)
        return cli_fail("record", "%s already exists; recordings are never overwritten: "
                                  "choose another name", out);

    po.record_path = out;
    ct_source *s;
    int r = ct_source_open_pod(&s, &po);
    if (r != CT_OK)
        return pod_error("record", r, po.serial, out);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    const wire_info *info = ct_source_info(s);
    fprintf(stderr, "Recording pod %s (firmware %u.%u.%u, %u Hz) to %s. Ctrl-C stops.\n",
            ct_source_header(s)->serial, info->fw_major, info->fw_minor, info->fw_patch,
            info->odr_hz, out);
    int live = !quiet && isatty(STDERR_FILENO);
    tally t = {0};
    ct_sample buf[512];
    int stopping = 0, was_waiting = 0, failed = 0;
    uint64_t shown = 0;
    for (;;) {
        if ((interrupted || (seconds > 0 && t.samples > 0 &&
                             (double)(t.last_t - t.first_t) >= seconds * 1e6)) &&
            !stopping) {
            stopping = 1;
            ct_source_stop(s);
        }
        int n = ct_source_read(s, buf, 512, 100);
        if (n < 0) {
            if (n == CT_EPIPE)
                cli_fail("record", "the pod was unplugged and did not come back within %d s; "
                                   "everything received until then is in %s.",
                         po.reconnect_wait_s, out);
            else
                cli_fail("record", "%s: %s", out, ct_strerror(n));
            if (n == CT_ENOSPC || n == CT_EIO || n == CT_EROFS)
                fprintf(stderr, "calftrack record: the recording ends at the last block "
                                "written; free some space and record again.\n");
            failed = 1;
            break;
        }
        for (int i = 0; i < n; i++)
            tally_add(&t, &buf[i]);
        ct_source_state st = ct_source_get_state(s);
        if (st == SRC_ENDED)
            break;
        if (st == SRC_WAITING && !was_waiting)
            fprintf(stderr, "%sThe pod is not sending (unplugged?). Waiting for it; "
                            "recording goes on when it is back. Ctrl-C stops.\n",
                    live ? "\n" : "");
        if (st == SRC_STREAMING && was_waiting)
            fprintf(stderr, "The pod is back; recording goes on.\n");
        was_waiting = st == SRC_WAITING;
        if (live && t.samples - shown >= info->odr_hz / 2u) {
            shown = t.samples;
            const rx_stats *rs = ct_source_stats(s);
            fprintf(stderr, "\r%8.1f s  %10llu samples  lost %llu  ",
                    (double)(t.last_t - t.first_t) * 1e-6, (unsigned long long)t.samples,
                    (unsigned long long)rs->lost_samples);
        }
    }
    if (live)
        fputc('\n', stderr);
    ct_source_stop(s);
    summary(out, &t, ct_source_stats(s), NULL);
    ct_source_close(s);
    return failed;
}
