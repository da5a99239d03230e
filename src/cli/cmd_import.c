/* cmd_import.c - `calftrack import`: a CSV recording from another IMU becomes one of our
 * recordings, so that it runs through the same pipeline as the pod's data. */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "calftrack/err.h"
#include "calftrack/import.h"
#include "calftrack/types.h"

static void help(void)
{
    printf("Usage: calftrack import -o OUT --acc COLS --gyro COLS --acc-unit U --gyro-unit U\n"
           "                        (--time COL [--time-unit s|ms|us|ns] | --rate HZ) [options] FILE.csv\n"
           "\n"
           "Turns a CSV recording from another IMU into a calftrack recording OUT (never\n"
           "overwritten), sample by sample with exact timestamps, at +-16 g / +-2000 dps;\n"
           "values beyond that are clipped and flagged. Every bad line is reported as\n"
           "FILE:LINE: what was wrong, counted and skipped. The accelerometer must be the\n"
           "raw one, gravity included (not a phone's 'linear acceleration'): what it reads\n"
           "while the sensor is not turning is printed as acc_rest_g, with a warning when it\n"
           "is far from 1 g (a unit off by 9.81, or gravity taken out). The gyroscope's\n"
           "turns are fitted to the accelerometer's tilts (gyro_fit: gain about 1), with a\n"
           "warning for a rad/s-deg/s mix-up, a mirrored sensor or axes in different orders.\n"
           "The analysis takes the pod's axes: on the shin x up the shank, on the foot z out\n"
           "of the skin (any turn about that axis is fine). Give --placement shin for a\n"
           "sensor on the shin and its axes are turned to match.\n"
           "\n"
           "  -o, --output OUT        the recording to create\n"
           "      --acc X,Y,Z         accelerometer columns: header names or numbers (1 = first);\n"
           "                          a '-' before one turns that axis's sign (ax,-ay,az)\n"
           "      --gyro X,Y,Z        gyroscope columns, likewise\n"
           "      --acc-unit U        g or m/s2\n"
           "      --gyro-unit U       dps (deg/s) or rad/s\n"
           "      --time COL          the time column (name or number) ...\n"
           "      --time-unit U       ... in s (default), ms, us or ns (phones and loggers often\n"
           "                          stamp samples in nanoseconds)\n"
           "      --rate HZ           ... or no time column: samples at this fixed rate\n"
           "      --delimiter C       field separator: ',' (default), ';' or 'tab'\n"
           "      --placement P       shin or foot (stored in the recording). On the shin\n"
           "                          the sensor's axis along the shank (gravity's at rest)\n"
           "                          is stored as x, as on the pod, whichever it was\n"
           "      --side S            left or right (stored in the recording)\n"
           "      --label TEXT        free text stored in the recording\n"
           "  -h, --help              this text\n"
           "\n"
           "Example: calftrack import -o lunge.rec --time t --time-unit ms --acc ax,ay,az \\\n"
           "           --acc-unit m/s2 --gyro gx,gy,gz --gyro-unit rad/s phone.csv\n"
           "\n"
           "The summary on stdout has one 'name: value' per line. Exit status: 0 imported\n"
           "(bad lines skipped), 1 nothing usable or a file error, 2 usage error.\n");
}

typedef struct {
    const char *path;
    unsigned long long shown;
} reporter;

static void report(void *user, uint64_t line, const char *what)
{
    reporter *r = user;
    fprintf(stderr, "%s:%llu: %s\n", r->path, (unsigned long long)line, what);
    r->shown++;
}

int cmd_import(int argc, char **argv)
{
    enum { OPT_ACC = 256, OPT_GYRO, OPT_ACC_UNIT, OPT_GYRO_UNIT, OPT_TIME, OPT_TIME_UNIT,
           OPT_RATE, OPT_DELIM, OPT_PLACEMENT, OPT_SIDE, OPT_LABEL };
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"acc", required_argument, NULL, OPT_ACC},
        {"gyro", required_argument, NULL, OPT_GYRO},
        {"acc-unit", required_argument, NULL, OPT_ACC_UNIT},
        {"gyro-unit", required_argument, NULL, OPT_GYRO_UNIT},
        {"time", required_argument, NULL, OPT_TIME},
        {"time-unit", required_argument, NULL, OPT_TIME_UNIT},
        {"rate", required_argument, NULL, OPT_RATE},
        {"delimiter", required_argument, NULL, OPT_DELIM},
        {"placement", required_argument, NULL, OPT_PLACEMENT},
        {"side", required_argument, NULL, OPT_SIDE},
        {"label", required_argument, NULL, OPT_LABEL},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    import_options o;
    memset(&o, 0, sizeof o);
    o.time_unit_s = 1;
    const char *out = NULL;
    int have_acc = 0, have_gyro = 0, have_au = 0, have_gu = 0, have_time = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case OPT_ACC:
            if (import_parse_columns(optarg, o.acc, 3))
                return cli_usage_error("import", "--acc wants three columns like ax,ay,az or 2,3,4, not '%s'", optarg);
            have_acc = 1;
            break;
        case OPT_GYRO:
            if (import_parse_columns(optarg, o.gyr, 3))
                return cli_usage_error("import", "--gyro wants three columns like gx,gy,gz or 5,6,7, not '%s'", optarg);
            have_gyro = 1;
            break;
        case OPT_ACC_UNIT:
            if (!strcmp(optarg, "g"))
                o.acc_unit = IMPORT_ACC_G;
            else if (!strcmp(optarg, "m/s2") || !strcmp(optarg, "m/s^2"))
                o.acc_unit = IMPORT_ACC_MS2;
            else
                return cli_usage_error("import", "--acc-unit is g or m/s2, not '%s'", optarg);
            have_au = 1;
            break;
        case OPT_GYRO_UNIT:
            if (!strcmp(optarg, "dps") || !strcmp(optarg, "deg/s"))
                o.gyr_unit = IMPORT_GYR_DPS;
            else if (!strcmp(optarg, "rad/s"))
                o.gyr_unit = IMPORT_GYR_RADS;
            else
                return cli_usage_error("import", "--gyro-unit is dps or rad/s, not '%s'", optarg);
            have_gu = 1;
            break;
        case OPT_TIME:
            if (import_parse_columns(optarg, &o.time, 1) || o.time.negate)
                return cli_usage_error("import", "--time wants one column (a name or a number), not '%s'", optarg);
            have_time = 1;
            break;
        case OPT_TIME_UNIT:
            if (!strcmp(optarg, "s"))
                o.time_unit_s = 1;
            else if (!strcmp(optarg, "ms"))
                o.time_unit_s = 1e-3;
            else if (!strcmp(optarg, "us"))
                o.time_unit_s = 1e-6;
            else if (!strcmp(optarg, "ns"))
                o.time_unit_s = 1e-9;
            else
                return cli_usage_error("import", "--time-unit is s, ms, us or ns, not '%s'", optarg);
            break;
        case OPT_RATE:
            if (cli_parse_double(optarg, 1, 10000, &o.rate_hz))
                return cli_usage_error("import", "--rate wants a rate in Hz (1 to 10000), not '%s'", optarg);
            break;
        case OPT_DELIM:
            if (!strcmp(optarg, "tab") || !strcmp(optarg, "\\t"))
                o.delimiter = '\t';
            else if (strlen(optarg) == 1 && strchr(",;|\t ", optarg[0]))
                o.delimiter = optarg[0];
            else
                return cli_usage_error("import", "--delimiter is one of , ; | tab, not '%s'", optarg);
            break;
        case OPT_PLACEMENT: {
            int p = ct_placement_parse(optarg);
            if (p < 0)
                return cli_usage_error("import", "--placement is shin or foot, not '%s'", optarg);
            o.meta.placement = (uint8_t)p;
            break;
        }
        case OPT_SIDE: {
            int sd = ct_side_parse(optarg);
            if (sd < 0 || sd == SIDE_BOTH)
                return cli_usage_error("import", "--side is left or right, not '%s'", optarg);
            o.meta.side = (uint8_t)sd;
            break;
        }
        case OPT_LABEL:
            snprintf(o.meta.label, sizeof o.meta.label, "%s", optarg);
            break;
        case 'h':
            help();
            return 0;
        default:
            return cli_usage_error("import", "unknown option");
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("import", optind >= argc ? "name the CSV file to import"
                                                        : "import takes one CSV file");
    const char *in = argv[optind];
    if (!out)
        return cli_usage_error("import", "say where the recording goes with -o OUT");
    if (!have_acc || !have_gyro)
        return cli_usage_error("import", "say which columns hold the accelerometer (--acc) and gyroscope (--gyro)");
    if (!have_au || !have_gu)
        return cli_usage_error("import", "say the units: --acc-unit g|m/s2 and --gyro-unit dps|rad/s");
    if (have_time == (o.rate_hz > 0))
        return cli_usage_error("import", "give either a time column (--time) or a fixed rate (--rate), one of them");
    if (access(in, R_OK) != 0)
        return cli_fail("import", "cannot read %s: %s", in, strerror(errno));
    if (access(out, F_OK) == 0)
        return cli_fail("import", "%s already exists; recordings are never overwritten: choose another name", out);
    if (!o.meta.label[0]) {
        const char *base = strrchr(in, '/');
        snprintf(o.meta.label, sizeof o.meta.label, "import %s", base ? base + 1 : in);
    }

    reporter rep = {in, 0};
    import_result res;
    int r = import_csv(in, out, &o, report, &rep, &res);
    if (r == CT_EFORMAT)
        return cli_fail("import", "%s: no usable samples in %llu lines (%llu bad row%s listed above): "
                                  "check the column names or numbers, --delimiter and the units; "
                                  "a time column needs two good rows in a row to give the rate "
                                  "(or give --rate HZ)",
                        in, (unsigned long long)res.lines, (unsigned long long)res.bad_rows,
                        res.bad_rows == 1 ? "" : "s");
    if (r == CT_ENOENT)
        return cli_fail("import", "cannot create %s: its directory does not exist", out);
    if (r == CT_EEXIST)
        return cli_fail("import", "%s already exists; choose another name", out);
    if (r != CT_OK)
        return cli_fail("import", "%s -> %s: %s", in, out, ct_strerror(r));
    if (res.bad_rows)
        fprintf(stderr, "calftrack import: %s: %llu bad rows skipped (listed above)\n", in,
                (unsigned long long)res.bad_rows);
    printf("imported: %s\n", out);
    printf("lines: %llu\n", (unsigned long long)res.lines);
    printf("rows: %llu\n", (unsigned long long)res.rows);
    printf("samples: %llu\n", (unsigned long long)res.samples);
    printf("bad_rows: %llu\n", (unsigned long long)res.bad_rows);
    printf("clipped: %llu\n", (unsigned long long)res.clipped);
    printf("time_gaps: %llu\n", (unsigned long long)res.time_gaps);
    printf("rate_hz: %.3f\n", res.rate_hz);
    printf("duration_s: %.6f\n", res.duration_s);
    printf("acc_rest_g: %.2f\n", res.acc_rest_g);
    if (res.rest_axis >= 0)
        printf("rest_axis: %s%c (%.0f deg from gravity)\n", res.rest_sign < 0 ? "-" : "",
               "xyz"[res.rest_axis], res.rest_tilt_deg);
    if (res.axis_from[0] != 0 || res.axis_sign[0] != 1) {
        char d[3][4];
        for (int k = 0; k < 3; k++)
            snprintf(d[k], sizeof d[k], "%s%c", res.axis_sign[k] < 0 ? "-" : "",
                     "xyz"[res.axis_from[k]]);
        printf("axes: x=%s y=%s z=%s (the sensor's %s runs up the shank: it is stored as x, "
               "as on the pod)\n", d[0], d[1], d[2], d[0]);
    }
    if (o.meta.placement == PLACE_SHIN && res.rest_axis >= 0 && res.rest_tilt_deg > 26.0)
        fprintf(stderr, "calftrack import: warning: %s: at rest gravity is %.0f deg from the "
                        "sensor's nearest axis: the analysis takes the shin for upright within "
                        "26 deg of x, so strap the sensor with one axis along the shank\n",
                in, res.rest_tilt_deg);
    const char *ah = import_axes_hint(&res, &o);
    if (ah)
        fprintf(stderr, "calftrack import: note: %s: %s\n", in, ah);
    const char *hint = import_gravity_hint(&res, &o);
    if (hint)
        fprintf(stderr, "calftrack import: warning: %s: %s; a recording whose accelerometer "
                        "does not read 1 g at rest cannot be measured\n", in, hint);
    if (res.axes_turn_rad >= 4.0 && res.axes_pp > 0.0 && res.axes_aa > 0.0)
        printf("gyro_fit: gain %.2f r %.2f over %.0f deg of turning\n", res.axes_dp / res.axes_pp,
               res.axes_dp / sqrt(res.axes_pp * res.axes_aa), res.axes_turn_rad * 180.0 / M_PI);
    hint = import_gyro_hint(&res, &o);
    if (hint)
        fprintf(stderr, "calftrack import: warning: %s: %s; angles cannot be measured with "
                        "them as they are\n", in, hint);
    return 0;
}
