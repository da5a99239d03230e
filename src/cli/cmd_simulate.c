/* cmd_simulate.c - `calftrack simulate`: a simulated patient written as a recording,
 * with the ground truth as CSV, for trying calftrack without a pod. */
#include "cli.h"

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calftrack/err.h"
#include "calftrack/presc.h"
#include "calftrack/simprog.h"
#include "calftrack/store.h"
#include "calftrack/sim.h"
#include "calftrack/simrec.h"

#define MAX_STEPS 2048

static void help(void)
{
    printf("Usage: calftrack simulate -o FILE [options]\n"
           "\n"
           "Writes a simulated patient doing an exercise (with walking, sitting, fidgeting\n"
           "and strap adjusting between sets) as a new recording FILE, exactly as a pod\n"
           "would have sent it. Analyse it with 'calftrack analyze FILE' or replay it in\n"
           "'calftrack session --replay FILE'.\n"
           "\n"
           "  -o, --output FILE        the recording to create (never overwritten)\n"
           "  -e, --exercise NAME      calf_raise, isometric_raise, lunge_stretch,\n"
           "                           band_stretch or downward_dog (default calf_raise)\n"
           "  -n, --sets N             sets to do, 1..200 (default 3)\n"
           "      --side S             left or right (default left)\n"
           "      --placement P        shin or foot (default: where the exercise is measured)\n"
           "      --seed N             person, plan and sensor errors (default 1)\n"
           "  -r, --rate HZ            104, 208, 416 or 833 (default 104)\n"
           "      --dorsiflexion DEG   the person's weight-bearing dorsiflexion limit, 10..60\n"
           "      --distractors S      only walking, sitting, fidgeting for S seconds\n"
           "  -P, --prescription FILE  the whole prescription instead: every exercise on every\n"
           "                           prescribed side, the pod moved between them\n"
           "      --deficit F          with --prescription: the injured side reaches F (0.3..1)\n"
           "                           of the other side's range (default 1)\n"
           "      --injured S          left or right: the side with the deficit (default left)\n"
           "      --start DATE         when it happened, YYYY-MM-DD[Thh:mm] UTC, stored in\n"
           "                           the recording (default: now)\n"
           "  -t, --truth FILE         write the true reps and holds as CSV\n"
           "  -h, --help               this text\n");
}

/* YYYY-MM-DD, optionally followed by Thh:mm (UTC). */
static int parse_start(const char *s, int64_t *out)
{
    char date[11];
    int hh = 0, mm = 0;
    char extra;
    if (strlen(s) < 10)
        return -1;
    memcpy(date, s, 10);
    date[10] = '\0';
    if (store_parse_date(date, out) != 0)
        return -1;
    if (s[10] != '\0') {
        if (s[10] != 'T' || sscanf(s + 11, "%2d:%2d%c", &hh, &mm, &extra) != 2 || hh < 0 ||
            hh > 23 || mm < 0 || mm > 59)
            return -1;
    }
    *out += ((int64_t)hh * 3600 + mm * 60) * 1000000;
    return 0;
}

static int report(const char *out, const char *truth_path, int rc, const simrec_stats *st,
                  long rate)
{
    if (rc != CT_OK)
        return cli_fail("simulate", "cannot write %s%s%s: %s%s", out, truth_path ? " or " : "",
                        truth_path ? truth_path : "", ct_strerror(rc),
                        rc == CT_EEXIST ? " (choose another name; recordings are never "
                                          "overwritten)"
                                        : "");
    printf("%s: %.1f s simulated, %llu samples at %ld Hz, %llu true reps/holds%s%s\n", out,
           st->seconds, (unsigned long long)st->samples, rate, (unsigned long long)st->events,
           truth_path ? ", truth in " : "", truth_path ? truth_path : "");
    return 0;
}

/* The whole prescription, every side, one stream. */
static int simulate_programme(const char *out, const char *truth_path, const char *presc_path,
                              uint64_t seed, uint16_t rate, double dorsiflexion, double deficit,
                              ct_side injured, int64_t start_us)
{
    presc *rx = malloc(sizeof *rx);
    simprog *p = malloc(sizeof *p);
    if (!rx || !p) {
        free(rx);
        free(p);
        return cli_fail("simulate", "out of memory");
    }
    presc_error err;
    int rc = presc_load(presc_path, rx, &err);
    if (rc != CT_OK) {
        char msg[600];
        presc_error_format(&err, msg, sizeof msg);
        free(rx);
        free(p);
        fprintf(stderr, "calftrack simulate: %s\n", msg);
        return 1;
    }
    sim_person person;
    sim_person_random(&person, seed);
    if (dorsiflexion > 0) {
        float k = (float)dorsiflexion / person.max_dorsiflex_deg;
        person.max_dorsiflex_deg = (float)dorsiflexion;
        person.max_band_df_deg *= k;
    }
    simprog_config cfg = {.seed = seed, .person = &person, .sensor = sim_sensor_default,
                          .injured = injured, .deficit = (float)deficit};
    cfg.sensor.odr_hz = rate;
    rc = simprog_init(p, rx, &cfg);
    FILE *truth = NULL;
    if (rc == CT_OK && truth_path && !(truth = fopen(truth_path, "w")))
        rc = CT_EIO;
    rec_header meta;
    memset(&meta, 0, sizeof meta);
    meta.side = SIDE_BOTH;
    meta.site_mm = 300;
    meta.start_unix_us = start_us;
    snprintf(meta.label, sizeof meta.label, "simulated programme seed %llu",
             (unsigned long long)seed);
    simrec_stats st;
    memset(&st, 0, sizeof st);
    if (rc == CT_OK)
        rc = simrec_write_prog(p, out, &meta, truth, &st);
    if (truth && fclose(truth) != 0 && rc == CT_OK)
        rc = CT_EIO;
    free(rx);
    free(p);
    return report(out, truth_path, rc, &st, rate);
}

int cmd_simulate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'}, {"exercise", required_argument, NULL, 'e'},
        {"sets", required_argument, NULL, 'n'},   {"side", required_argument, NULL, 's'},
        {"placement", required_argument, NULL, 'p'}, {"seed", required_argument, NULL, 'S'},
        {"rate", required_argument, NULL, 'r'},   {"dorsiflexion", required_argument, NULL, 'd'},
        {"distractors", required_argument, NULL, 'D'}, {"truth", required_argument, NULL, 't'},
        {"prescription", required_argument, NULL, 'P'}, {"deficit", required_argument, NULL, 'F'},
        {"injured", required_argument, NULL, 'I'}, {"start", required_argument, NULL, 'W'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    const char *out = NULL, *truth_path = NULL;
    int exercise = EX_CALF_RAISE, side = SIDE_LEFT, placement = -1;
    long sets = 3, seed = 1, rate = 104;
    double dorsiflexion = 0, distractors = 0, deficit = 1;
    const char *presc_path = NULL;
    int injured = SIDE_LEFT;
    int64_t start_us = cli_realtime_us();
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:e:n:r:t:P:h", opts, NULL)) != -1) {
        switch (c) {
        case 'P': presc_path = optarg; break;
        case 'W':
            if (parse_start(optarg, &start_us))
                return cli_usage_error("simulate", "--start must look like 2026-11-25 or "
                                       "2026-11-25T18:30, not '%s'", optarg);
            break;
        case 'F':
            if (cli_parse_double(optarg, 0.3, 1.0, &deficit))
                return cli_usage_error("simulate", "--deficit must be 0.3..1, not '%s'", optarg);
            break;
        case 'I':
            injured = ct_side_parse(optarg);
            if (injured != SIDE_LEFT && injured != SIDE_RIGHT)
                return cli_usage_error("simulate", "--injured must be left or right");
            break;
        case 'o': out = optarg; break;
        case 't': truth_path = optarg; break;
        case 'e':
            if ((exercise = ct_exercise_parse(optarg)) < 0)
                return cli_usage_error("simulate", "unknown exercise '%s'", optarg);
            break;
        case 's':
            side = ct_side_parse(optarg);
            if (side != SIDE_LEFT && side != SIDE_RIGHT)
                return cli_usage_error("simulate", "--side must be left or right, not '%s'",
                                       optarg);
            break;
        case 'p':
            placement = ct_placement_parse(optarg);
            if (placement != PLACE_SHIN && placement != PLACE_FOOT)
                return cli_usage_error("simulate", "--placement must be shin or foot, not '%s'",
                                       optarg);
            break;
        case 'n':
            if (cli_parse_long(optarg, 1, 200, &sets))
                return cli_usage_error("simulate", "--sets must be 1..200, not '%s'", optarg);
            break;
        case 'S':
            if (cli_parse_long(optarg, 0, 0x7FFFFFFFL, &seed))
                return cli_usage_error("simulate", "--seed must be a whole number, not '%s'",
                                       optarg);
            break;
        case 'r':
            if (cli_parse_long(optarg, 104, 833, &rate) || wire_period_ns((uint16_t)rate) == 0)
                return cli_usage_error("simulate", "--rate must be 104, 208, 416 or 833");
            break;
        case 'd':
            if (cli_parse_double(optarg, 10, 60, &dorsiflexion))
                return cli_usage_error("simulate", "--dorsiflexion must be 10..60 deg");
            break;
        case 'D':
            if (cli_parse_double(optarg, 1, 36000, &distractors))
                return cli_usage_error("simulate", "--distractors must be 1..36000 s");
            break;
        case 'h': help(); return 0;
        default: return cli_usage_error("simulate", "unknown option");
        }
    }
    if (optind < argc)
        return cli_usage_error("simulate", "unexpected argument '%s'", argv[optind]);
    if (!out)
        return cli_usage_error("simulate", "say where to write the recording with -o FILE");

    if (presc_path)
        return simulate_programme(out, truth_path, presc_path, (uint64_t)seed, (uint16_t)rate,
                                  dorsiflexion, deficit, (ct_side)injured, start_us);

    sim_step *plan = calloc(MAX_STEPS, sizeof *plan);
    sim *s = malloc(sizeof *s);
    if (!plan || !s) {
        free(plan);
        free(s);
        return cli_fail("simulate", "out of memory");
    }
    size_t nsteps = distractors > 0
                        ? sim_plan_distractors(plan, MAX_STEPS, (float)distractors, (uint64_t)seed)
                        : sim_plan_random(plan, MAX_STEPS, (ct_exercise)exercise, (int)sets,
                                          (uint64_t)seed);
    sim_person person;
    sim_person_random(&person, (uint64_t)seed);
    if (dorsiflexion > 0) {
        float k = (float)dorsiflexion / person.max_dorsiflex_deg;
        person.max_dorsiflex_deg = (float)dorsiflexion;
        person.max_band_df_deg *= k;
    }
    sim_sensor sensor = sim_sensor_default;
    sensor.odr_hz = (uint16_t)rate;
    if (placement < 0)
        placement = sim_placement_for((ct_exercise)exercise);
    int rc = sim_init(s, &person, &sensor, plan, nsteps, (ct_placement)placement,
                      (ct_side)side, (uint64_t)seed);
    FILE *truth = NULL;
    if (rc == CT_OK && truth_path && !(truth = fopen(truth_path, "w")))
        rc = CT_EIO;
    rec_header meta;
    memset(&meta, 0, sizeof meta);
    meta.placement = (uint8_t)placement;
    meta.side = (uint8_t)side;
    meta.site_mm = placement == PLACE_SHIN ? 300 : 0;
    meta.start_unix_us = start_us;
    snprintf(meta.label, sizeof meta.label, "simulated %s seed %ld",
             distractors > 0 ? "distractors" : ct_exercise_name((ct_exercise)exercise), seed);
    simrec_stats st;
    if (rc == CT_OK)
        rc = simrec_write(s, out, &meta, truth, &st);
    if (truth && fclose(truth) != 0 && rc == CT_OK)
        rc = CT_EIO;
    free(plan);
    free(s);
    return report(out, truth_path, rc, &st, rate);
}
