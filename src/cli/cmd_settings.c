/* cmd_settings.c - `calftrack settings`: body mass, injured side, sensor site. */
#include <getopt.h>
#include <string.h>

#include "calftrack/err.h"
#include "cli.h"
#include "cmd_data.h"

static void help(void)
{
    printf("Usage: calftrack settings [options]\n"
           "\n"
           "Shows or changes what calftrack knows about you. Every session stores the\n"
           "settings it ran with.\n"
           "\n"
           "Options:\n"
           "      --body-mass KG       body mass (20-300 kg): heel-rise work is\n"
           "                           mass x 9.81 x rise height\n"
           "      --injured-side SIDE  left, right, or none: the limb symmetry index is\n"
           "                           injured side / other side\n"
           "      --site-mm MM         where the pod sits on the shin: mm below the knee\n"
           "                           joint line (30-500; 0 = not measured). Readings from\n"
           "                           different sites are never mixed in one trend line\n"
           "  -h, --help               this help\n");
}

static void show(const store *st, const store_settings *s)
{
    printf("data folder:     %s\n", st->root);
    if (s->body_mass_kg > 0)
        printf("body mass:       %.1f kg\n", (double)s->body_mass_kg);
    else
        printf("body mass:       not set (calftrack settings --body-mass KG)\n");
    printf("injured side:    %s\n", s->injured_side == SIDE_BOTH
                                        ? "not set (calftrack settings --injured-side left|right)"
                                        : ct_side_name(s->injured_side));
    if (s->shin_site_mm > 0)
        printf("sensor site:     shin, %d mm below the knee joint line\n", s->shin_site_mm);
    else
        printf("sensor site:     shin, distance not set (calftrack settings --site-mm MM)\n");
}

int cmd_settings(int argc, char **argv)
{
    static const struct option opts[] = {
        {"body-mass", required_argument, NULL, 'm'}, {"injured-side", required_argument, NULL, 'i'},
        {"site-mm", required_argument, NULL, 's'},   {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    store st;
    store_settings s, want;
    int changed = 0, c;
    double d;
    long l;
    memset(&want, 0, sizeof want);
    int set_mass = 0, set_side = 0, set_site = 0;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            help();
            return 0;
        case 'm':
            if (cli_parse_double(optarg, 20, 300, &d))
                return cli_usage_error("settings", "--body-mass '%s': kilograms from 20 to 300",
                                       optarg);
            want.body_mass_kg = (float)d;
            set_mass = 1;
            break;
        case 'i':
            if (!strcmp(optarg, "none"))
                want.injured_side = SIDE_BOTH;
            else if (!strcmp(optarg, "left") || !strcmp(optarg, "right"))
                want.injured_side = (ct_side)ct_side_parse(optarg);
            else
                return cli_usage_error("settings", "--injured-side '%s': left, right or none",
                                       optarg);
            set_side = 1;
            break;
        case 's':
            if (cli_parse_long(optarg, 0, 500, &l) || (l > 0 && l < 30))
                return cli_usage_error("settings", "--site-mm '%s': mm from 30 to 500, or 0",
                                       optarg);
            want.shin_site_mm = (int)l;
            set_site = 1;
            break;
        default:
            return cli_usage_error("settings", "unknown option or missing value: '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("settings", "unexpected argument '%s'", argv[optind]);
    if (cmd_open_store("settings", &st))
        return 1;
    int rc = store_settings_read(&st, &s);
    if (rc)
        return cli_fail("settings", "%s/settings.csv is damaged (%s); set the values again "
                        "or remove the file", st.root, ct_strerror(rc));
    if (set_mass)
        s.body_mass_kg = want.body_mass_kg;
    if (set_side)
        s.injured_side = want.injured_side;
    if (set_site)
        s.shin_site_mm = want.shin_site_mm;
    changed = set_mass || set_side || set_site;
    if (changed && (rc = store_settings_write(&st, &s)) != 0)
        return cli_fail("settings", "cannot write %s/settings.csv: %s", st.root, ct_strerror(rc));
    show(&st, &s);
    return 0;
}
