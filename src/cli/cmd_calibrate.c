/* cmd_calibrate.c - `calftrack calibrate`: the still stand and the one slow gesture that
 * teach the analysis how the pod sits on the leg, run on their own so a person can check
 * the strap and the pod before a session. The session repeats them at the start of every
 * exercise, so nothing is stored here. */
#include "cli.h"

#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calftrack/analysis.h"
#include "calftrack/err.h"
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
    printf("Usage: calftrack calibrate [options]\n"
           "\n"
           "Checks the pod and how it sits on your leg: stand still for a few seconds, then\n"
           "sway the knee forward once, slowly, and back (pod on the shin), or point and\n"
           "flex the foot once (pod on the foot). It reports\n"
           "where the pod is, the gyroscope bias it measured and whether the gesture was\n"
           "clear enough. Every session does this again at the start of each exercise;\n"
           "the pod may sit at any rotation around the leg.\n"
           "\n"
           "  -p, --placement P   shin (default) or foot: where you strapped the pod\n"
           "  -s, --serial S      the pod with this serial (default: the only one)\n"
           "      --replay FILE   a recording instead of the pod\n"
           "  -t, --timeout S     give up after S seconds, 10..600 (default 60)\n"
           "  -h, --help          this help\n"
           "\n"
           "Exit status: 0 calibrated, 1 not calibrated in time or no pod, 2 usage error.\n");
}

static float norm3(ct_vec3 v)
{
    return sqrtf(v.x * v.x + v.y * v.y + v.z * v.z);
}

int cmd_calibrate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"placement", required_argument, NULL, 'p'}, {"serial", required_argument, NULL, 's'},
        {"replay", required_argument, NULL, 'r'},    {"timeout", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},            {NULL, 0, NULL, 0},
    };
    int placement = PLACE_SHIN;
    const char *serial = NULL, *replay = NULL;
    double timeout_s = 60;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "p:s:t:h", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            placement = ct_placement_parse(optarg);
            if (placement != PLACE_SHIN && placement != PLACE_FOOT)
                return cli_usage_error("calibrate", "--placement must be shin or foot, not '%s'",
                                       optarg);
            break;
        case 's': serial = optarg; break;
        case 'r': replay = optarg; break;
        case 't':
            if (cli_parse_double(optarg, 10, 600, &timeout_s))
                return cli_usage_error("calibrate", "--timeout must be 10..600 seconds");
            break;
        case 'h': help(); return 0;
        default: return cli_usage_error("calibrate", "unknown option");
        }
    }
    if (optind < argc)
        return cli_usage_error("calibrate", "unexpected argument '%s'", argv[optind]);

    ct_source *src = NULL;
    int rc;
    if (replay) {
        rc = ct_source_open_recording(&src, replay);
        if (rc != CT_OK)
            return cli_fail("calibrate", "%s: %s", replay, ct_strerror(rc));
    } else {
        ct_pod_options po;
        memset(&po, 0, sizeof po);
        po.serial = serial;
        po.reconnect_wait_s = 10;
        if ((rc = ct_source_open_pod(&src, &po)) != CT_OK)
            return pod_error("calibrate", rc, serial, NULL);
    }
    /* A hold exercise of the placement: its alignment is the calibration. */
    ct_rx_item item;
    memset(&item, 0, sizeof item);
    item.exercise = placement == PLACE_FOOT ? EX_BAND_STRETCH : EX_LUNGE_STRETCH;
    item.side = SIDE_LEFT;
    const wire_info *info = ct_source_info(src);
    float rate = info && info->period_ns ? 1e9f / (float)info->period_ns : 104.0f;
    ct_analysis *a = malloc(sizeof *a);
    if (!a || analysis_init(a, &item, rate) != CT_OK) {
        free(a);
        ct_source_close(src);
        return cli_fail("calibrate", "out of memory");
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    printf("Stand still on both feet.\n");
    fflush(stdout);

    ct_sample buf[128];
    ct_event ev[8];
    int64_t t0 = -1, t_ref = -1, t_done = -1, t_last = 0;
    bool told = false;
    ct_placement seen = PLACE_UNKNOWN;
    bool wrong = false;
    while (!interrupted && t_done < 0) {
        int n = ct_source_read(src, buf, 128, 200);
        if (n < 0) {
            rc = n;
            break;
        }
        if (n == 0 && ct_source_get_state(src) == SRC_ENDED)
            break;
        for (int i = 0; i < n && t_done < 0; i++) {
            if (t0 < 0)
                t0 = buf[i].t_us;
            t_last = buf[i].t_us;
            int k = analysis_update(a, &buf[i], ev, 8);
            for (int j = 0; j < k; j++) {
                if (ev[j].kind == EV_PLACEMENT)
                    seen = ev[j].placement;
                else if (ev[j].kind == EV_WRONG_PLACEMENT) {
                    seen = ev[j].placement;
                    wrong = true;
                }
            }
            ct_live lv = analysis_live(a);
            if (lv.state == LIVE_CALIBRATING && !told) {
                told = true;
                t_ref = buf[i].t_us;
                printf("%s\n", placement == PLACE_FOOT
                                   ? "Good. Now point and flex the foot once, slowly."
                                   : "Good. Now sway the knee forward once, slowly, and back.");
                fflush(stdout);
            }
            if (a->align.stage == ALIGN_DONE)
                t_done = buf[i].t_us;
        }
        if (t0 >= 0 && t_last - t0 > (int64_t)(timeout_s * 1e6))
            break;
    }
    ct_source_close(src);
    if (rc < 0) {
        free(a);
        return cli_fail("calibrate", "the pod stopped answering: %s", ct_strerror(rc));
    }
    if (wrong)
        printf("The pod seems to be on your %s, not on the %s: check the strap or use "
               "--placement %s.\n",
               ct_placement_name(seen), ct_placement_name((ct_placement)placement),
               ct_placement_name(seen));
    if (t_done < 0) {
        free(a);
        if (interrupted)
            return cli_fail("calibrate", "stopped before the calibration was complete");
        if (t_ref < 0)
            return cli_fail("calibrate", "no still moment in %.0f s: stand (or sit) still for "
                            "3 seconds, then try again", timeout_s);
        return cli_fail("calibrate", "the %s was not clear in %.0f s: make one slow, "
                        "wide movement forward and back", placement == PLACE_FOOT
                        ? "foot movement" : "knee sway", timeout_s);
    }
    ct_vec3 b = a->gofs.bias_dps;
    printf("Calibrated in %.1f s.\n", (double)(t_done - t0) / 1e6);
    printf("  placement: %s%s\n", ct_placement_name(a->placement),
           a->placement == (ct_placement)placement ? "" : " (not where you said)");
    printf("  gyroscope bias: %.2f %.2f %.2f deg/s (%.2f deg/s in all)%s\n", (double)b.x,
           (double)b.y, (double)b.z, (double)norm3(b),
           norm3(b) > 10.0f ? " - unusually large: keep the pod still at power-up" : "");
    bool right_place = a->placement == (ct_placement)placement;
    free(a);
    if (!right_place)
        return cli_fail("calibrate", "move the pod to your %s (or say --placement %s) and "
                        "calibrate again", ct_placement_name((ct_placement)placement),
                        ct_placement_name(seen));
    printf("  the leg's forward direction was learnt from the gesture: any rotation of the\n"
           "  pod around the leg is fine. Ready for 'calftrack session'.\n");
    return 0;
}
