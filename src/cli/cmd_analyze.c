/* cmd_analyze.c - `calftrack analyze FILE`: a recording replayed through the receive
 * path and the analysis that a live session uses, every rep and hold printed. */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calftrack/analysis.h"
#include "calftrack/err.h"
#include "calftrack/source.h"

static void help(void)
{
    printf("Usage: calftrack analyze FILE --exercise NAME [options]\n"
           "\n"
           "Replays the recording FILE (from 'calftrack record', a session, 'import' or\n"
           "'simulate') through the same receive path and analysis as a live session and\n"
           "prints every repetition and hold with its numbers and grade.\n"
           "\n"
           "  -e, --exercise NAME   calf_raise, isometric_raise, lunge_stretch, band_stretch,\n"
           "                        downward_dog\n"
           "      --side S          left or right (default: from the recording)\n"
           "      --reps N          reps or holds per set, for grading (default: open)\n"
           "      --hold S          prescribed hold, seconds (default: none). A hold under a\n"
           "                        quarter of it is an attempt (counted once the set is\n"
           "                        under way) or a lean; with none, under 2 s is a lean\n"
           "      --target X        prescribed target, deg (or cm with --unit cm)\n"
           "      --unit U          deg or cm (default deg)\n"
           "      --tempo U-T-D     prescribed seconds up, top, down, e.g. 2-1-2\n"
           "      --json            one JSON object per event and a summary object\n"
           "  -h, --help            this text\n"
           "\n"
           "Exit status: 0 analysed (damage in the file is reported and skipped),\n"
           "1 the file cannot be read, 2 usage error.\n");
}

/* idle this long after a rep or hold: the set is over (the session's rule, runner.c) */
#define SET_REST_US 10000000

typedef struct {
    int json;
    int reps, holds, by_grade[4];
    int placement; /* as the analysis told it (ct_placement; 0 not yet) */
} printer;

static void print_event(printer *p, const ct_event *e)
{
    switch (e->kind) {
    case EV_REP:
    case EV_HOLD:
        if (e->kind == EV_REP)
            p->reps++;
        else
            p->holds++;
        if (e->grade >= GRADE_FULL && e->grade <= GRADE_TOO_FAST)
            p->by_grade[e->grade]++;
        if (p->json)
            printf("{\"event\":\"%s\",\"exercise\":\"%s\",\"number\":%d,\"t_start_s\":%.3f,"
                   "\"t_end_s\":%.3f,\"peak_deg\":%.2f,\"height_cm\":%.2f,\"hold_s\":%.2f,"
                   "\"up_s\":%.2f,\"top_s\":%.2f,\"down_s\":%.2f,\"grade\":\"%s\"}\n",
                   ct_event_kind_name(e->kind), ct_exercise_name(e->exercise),
                   e->kind == EV_REP ? p->reps : p->holds, (double)e->t_start_us / 1e6,
                   (double)e->t_end_us / 1e6, (double)e->peak_deg, (double)e->height_cm,
                   (double)e->hold_s, (double)e->up_s, (double)e->top_s, (double)e->down_s,
                   ct_grade_name(e->grade));
        else if (e->kind == EV_REP)
            printf("%8.2f s  rep %3d  peak %5.1f deg  height %4.1f cm  up %.1f s  top %.1f s"
                   "  down %.1f s  %s\n",
                   (double)e->t_start_us / 1e6, p->reps, (double)e->peak_deg,
                   (double)e->height_cm, (double)e->up_s, (double)e->top_s, (double)e->down_s,
                   ct_grade_name(e->grade));
        else
            printf("%8.2f s  hold %2d  peak %5.1f deg  held %5.1f s  %s\n",
                   (double)e->t_start_us / 1e6, p->holds, (double)e->peak_deg,
                   (double)e->hold_s, ct_grade_name(e->grade));
        break;
    case EV_PLACEMENT:
        p->placement = (int)e->placement;
        if (!p->json)
            printf("%8.2f s  placement: %s\n", (double)e->t_start_us / 1e6,
                   ct_placement_name(e->placement));
        break;
    case EV_WRONG_PLACEMENT:
        if (p->json)
            printf("{\"event\":\"wrong_placement\",\"placement\":\"%s\"}\n",
                   ct_placement_name(e->placement));
        else
            printf("%8.2f s  WRONG PLACEMENT: the pod is on the %s; %s is measured with the "
                   "pod on the %s\n",
                   (double)e->t_start_us / 1e6, ct_placement_name(e->placement),
                   ct_exercise_name(e->exercise),
                   e->exercise == EX_BAND_STRETCH ? "foot" : "shin (or foot for raises)");
        break;
    case EV_GAP:
        if (!p->json)
            printf("%8.2f s  gap: %llu samples lost\n", (double)e->t_start_us / 1e6,
                   (unsigned long long)e->lost_samples);
        break;
    }
}

static void print_events(printer *p, const ct_event *ev, int k)
{
    for (int j = 0; j < k; j++)
        print_event(p, &ev[j]);
}

static int parse_tempo(const char *s, ct_rx_item *it)
{
    double u, t, d;
    char extra;
    if (sscanf(s, "%lf-%lf-%lf%c", &u, &t, &d, &extra) != 3 || u < 0 || t < 0 || d < 0 ||
        u > 30 || t > 120 || d > 30)
        return -1;
    it->up_s = (float)u;
    it->top_s = (float)t;
    it->down_s = (float)d;
    return 0;
}

int cmd_analyze(int argc, char **argv)
{
    static const struct option opts[] = {
        {"exercise", required_argument, NULL, 'e'}, {"side", required_argument, NULL, 's'},
        {"reps", required_argument, NULL, 'n'},     {"hold", required_argument, NULL, 'H'},
        {"target", required_argument, NULL, 'T'},   {"unit", required_argument, NULL, 'u'},
        {"tempo", required_argument, NULL, 'p'},    {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0},
    };
    ct_rx_item item;
    memset(&item, 0, sizeof item);
    item.exercise = EX_COUNT;
    int side = -1;
    printer pr;
    memset(&pr, 0, sizeof pr);
    int c;
    long l;
    double d;
    optind = 1;
    while ((c = getopt_long(argc, argv, "e:h", opts, NULL)) != -1) {
        switch (c) {
        case 'e': {
            int ex = ct_exercise_parse(optarg);
            if (ex < 0)
                return cli_usage_error("analyze", "unknown exercise '%s' (calf_raise, "
                                       "isometric_raise, lunge_stretch, band_stretch, "
                                       "downward_dog)", optarg);
            item.exercise = (ct_exercise)ex;
            break;
        }
        case 's':
            side = ct_side_parse(optarg);
            if (side != SIDE_LEFT && side != SIDE_RIGHT)
                return cli_usage_error("analyze", "--side must be left or right");
            break;
        case 'n':
            if (cli_parse_long(optarg, 0, 1000, &l))
                return cli_usage_error("analyze", "--reps must be 0..1000");
            item.reps = (int)l;
            break;
        case 'H':
            if (cli_parse_double(optarg, 0, 600, &d))
                return cli_usage_error("analyze", "--hold must be 0..600 seconds");
            item.hold_s = (float)d;
            break;
        case 'T':
            if (cli_parse_double(optarg, 0, 90, &d))
                return cli_usage_error("analyze", "--target must be 0..90");
            item.target = (float)d;
            break;
        case 'u':
            if (!strcmp(optarg, "deg"))
                item.unit = RX_UNIT_DEG;
            else if (!strcmp(optarg, "cm"))
                item.unit = RX_UNIT_CM;
            else
                return cli_usage_error("analyze", "--unit must be deg or cm");
            break;
        case 'p':
            if (parse_tempo(optarg, &item))
                return cli_usage_error("analyze", "--tempo must look like 2-1-2 (seconds up, "
                                       "top, down)");
            break;
        case 'j': pr.json = 1; break;
        case 'h': help(); return 0;
        default: return cli_usage_error("analyze", "unknown option");
        }
    }
    if (optind >= argc)
        return cli_usage_error("analyze", "name the recording to analyse");
    if (optind + 1 < argc)
        return cli_usage_error("analyze", "one recording at a time ('%s' is extra)",
                               argv[optind + 1]);
    if (item.exercise == EX_COUNT)
        return cli_usage_error("analyze", "say which exercise the recording holds with "
                               "--exercise NAME");
    const char *path = argv[optind];

    ct_source *src;
    int rc = ct_source_open_recording(&src, path);
    if (rc == CT_EFORMAT || rc == CT_ETRUNC)
        return cli_fail("analyze", "%s is not a calftrack recording (%s); data from other "
                        "sensors comes in with 'calftrack import'", path, ct_strerror(rc));
    if (rc != CT_OK)
        return cli_fail("analyze", "%s: %s", path, ct_strerror(rc));
    const rec_header *h = ct_source_header(src);
    item.side = side >= 0 ? (ct_side)side : (h->side <= SIDE_RIGHT ? (ct_side)h->side : SIDE_LEFT);
    float rate = h->info.period_ns ? 1e9f / (float)h->info.period_ns : 104.0f;

    ct_analysis *a = malloc(sizeof *a);
    if (!a) {
        ct_source_close(src);
        return cli_fail("analyze", "out of memory");
    }
    rc = analysis_init(a, &item, rate);
    if (rc != CT_OK) {
        free(a);
        ct_source_close(src);
        return cli_fail("analyze", "cannot analyse this prescription: %s", ct_strerror(rc));
    }
    int set = 1;
    analysis_begin_set(a, set);
    ct_sample buf[256];
    ct_event ev[8];
    /* A recording holds sets with rests (walking, sitting) between them, as a session
     * does: once something was counted, a rest as long as the session takes for the end
     * of a set (SET_REST_US idle) closes it and the next one opens, so that each set
     * starts afresh (its detector, its grading reference, the foot's sign), as in a
     * session. */
    int told_before_set = 0; /* reps and holds told before this set opened */
    int64_t idle_since = -1;
    for (;;) {
        int n = ct_source_read(src, buf, 256, 0);
        if (n < 0) {
            rc = n;
            break;
        }
        if (n == 0 && ct_source_get_state(src) == SRC_ENDED)
            break;
        for (int i = 0; i < n; i++) {
            print_events(&pr, ev, analysis_update(a, &buf[i], ev, 8));
            ct_live lv = analysis_live(a);
            if (lv.state == LIVE_IN_REP || lv.state == LIVE_HOLDING)
                idle_since = -1;
            else if (idle_since < 0)
                idle_since = buf[i].t_us;
            if (pr.reps + pr.holds > told_before_set && idle_since >= 0 &&
                buf[i].t_us - idle_since >= SET_REST_US) {
                print_events(&pr, ev, analysis_end_set(a, ev, 8));
                analysis_begin_set(a, ++set);
                told_before_set = pr.reps + pr.holds;
            }
        }
    }
    print_events(&pr, ev, analysis_end_set(a, ev, 8));

    const rx_stats *st = ct_source_stats(src);
    const rec_damage *dm = ct_source_damage(src);
    if (pr.json)
        printf("{\"summary\":true,\"reps\":%d,\"holds\":%d,\"full\":%d,\"partial\":%d,"
               "\"short_hold\":%d,\"too_fast\":%d,\"samples\":%llu,\"lost_samples\":%llu,"
               "\"bad_packets\":%llu,\"damaged_blocks\":%llu}\n",
               pr.reps, pr.holds, pr.by_grade[0], pr.by_grade[1], pr.by_grade[2],
               pr.by_grade[3], (unsigned long long)st->samples,
               (unsigned long long)st->lost_samples, (unsigned long long)st->bad_packets,
               (unsigned long long)dm->bad_blocks);
    else
        printf("%s: %d reps, %d holds (full %d, partial %d, short hold %d, too fast %d); "
               "%llu samples, %llu lost, %llu bad packets, %llu damaged blocks\n",
               path, pr.reps, pr.holds, pr.by_grade[0], pr.by_grade[1], pr.by_grade[2],
               pr.by_grade[3], (unsigned long long)st->samples,
               (unsigned long long)st->lost_samples, (unsigned long long)st->bad_packets,
               (unsigned long long)dm->bad_blocks);
    if (rc >= 0 && a->align.stage != ALIGN_DONE)
        fprintf(stderr, "calftrack analyze: %s: nothing could be measured: the recording never "
                        "%s; the analysis needs a second or two still, then one slow knee sway "
                        "(or ankle pump), before the exercise\n", path,
                a->align.ref_valid ? "had the slow knee sway or ankle pump that gives the leg's axis"
                                   : "had the sensor still, reading gravity, for its reference");
    /* Another sensor's axes may not be the pod's (x up the shank, z out of the foot): one
     * on the shin with its x across the leg reads as on the foot, and nothing counts. */
    if (h->source == REC_SOURCE_IMPORT && pr.placement != 0) {
        if (h->placement != PLACE_UNKNOWN && pr.placement != h->placement)
            fprintf(stderr, "calftrack analyze: note: %s: imported as on the %s, but its axes "
                            "read as on the %s: the analysis takes the pod's axes (on the shin "
                            "x up the shank, on the foot z out of the skin)\n",
                    path, ct_placement_name((ct_placement)h->placement),
                    ct_placement_name((ct_placement)pr.placement));
        else if (h->placement == PLACE_UNKNOWN && pr.placement == PLACE_FOOT &&
                 item.exercise != EX_BAND_STRETCH && pr.reps + pr.holds == 0)
            fprintf(stderr, "calftrack analyze: note: %s: the sensor's axes read as on the "
                            "foot (the analysis takes the pod's: on the shin x up the shank); "
                            "if it was on the shin, import the CSV again with --placement "
                            "shin and its axes are turned to match\n", path);
    }
    free(a);
    ct_source_close(src);
    if (rc < 0)
        return cli_fail("analyze", "%s: %s", path, ct_strerror(rc));
    return 0;
}
