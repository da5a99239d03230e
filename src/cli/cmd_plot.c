/* cmd_plot.c - `calftrack plot KIND`: charts through gnuplot. */
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "calftrack/err.h"
#include "calftrack/plot.h"
#include "cli.h"
#include "cmd_data.h"

static void help(void)
{
    printf("Usage: calftrack plot progress|session|adherence|symmetry [options]\n"
           "\n"
           "Draws a chart with gnuplot:\n"
           "  progress   ankle dorsiflexion per side over days (weight-bearing lunge and\n"
           "             band stretch), the target line and the minimal-detectable-change\n"
           "             band (+-4.6 deg); each sensor site is its own line\n"
           "  session    one session (--session ID, default the latest): each rep's height\n"
           "             and each hold over time\n"
           "  adherence  per day: reps and holds prescribed vs done\n"
           "  symmetry   limb symmetry index per session (reps, height, work, lunge)\n"
           "Left is blue, right is red.\n"
           "\n"
           "Options:\n"
           "  -o, --output FILE      write FILE: .png, .svg or .pdf; without it a window\n"
           "                         opens when a display is available\n"
           "      --target DEG       progress: the target line (default: the prescribed\n"
           "                         lunge target, else 35 deg)\n"
           "      --size WxH         PNG/SVG size in pixels (default 1024x640)\n"
           "%s"
           "  -h, --help             this help\n"
           "\n"
           "Needs the gnuplot program (Debian: gnuplot-nox). Scripts: plots/*.gp, found\n"
           "beside the program or in $CALFTRACK_PLOTS.\n",
           cmd_filter_help);
}

int cmd_plot(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},  {"target", required_argument, NULL, 'T'},
        {"size", required_argument, NULL, 'S'},    {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},      {"side", required_argument, NULL, 's'},
        {"session", required_argument, NULL, 'i'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    plot_request req;
    memset(&req, 0, sizeof req);
    req.flt.side = SIDE_BOTH;
    int c, idx = -1;
    double d;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "ho:", opts, &idx)) != -1) {
        switch (c) {
        case 'h':
            help();
            return 0;
        case 'o':
            req.out_path = optarg;
            break;
        case 'T':
            if (cli_parse_double(optarg, 1, 90, &d))
                return cli_usage_error("plot", "--target '%s': degrees from 1 to 90", optarg);
            req.target_deg = (float)d;
            break;
        case 'S': {
            int w, h;
            char x;
            if (sscanf(optarg, "%dx%d%c", &w, &h, &x) != 2 || w < 200 || h < 150 || w > 8000 ||
                h > 8000)
                return cli_usage_error("plot", "--size '%s': like 1024x640 (200x150 to 8000x8000)",
                                       optarg);
            req.width = w;
            req.height = h;
            break;
        }
        case '?':
        case ':':
            return cli_usage_error("plot", "unknown option or missing value: '%s'",
                                   argv[optind - 1]);
        default:
            if (cmd_filter_option("plot", opts[idx].name, optarg, &req.flt))
                return EXIT_USAGE;
        }
    }
    if (optind >= argc)
        return cli_usage_error("plot", "say which chart: progress, session, adherence or symmetry");
    int kind = plot_kind_parse(argv[optind]);
    if (kind < 0)
        return cli_usage_error("plot", "'%s' is not a chart; progress, session, adherence or "
                                       "symmetry", argv[optind]);
    if (optind + 1 < argc)
        return cli_usage_error("plot", "unexpected argument '%s'", argv[optind + 1]);
    req.kind = (plot_kind)kind;
    plot_format fmt;
    if (req.out_path && plot_format_of(req.out_path, &fmt) != 0)
        return cli_usage_error("plot", "'%s': the file name must end in .png, .svg or .pdf",
                               req.out_path);
    const char *display = getenv("DISPLAY");
    if (!req.out_path && !(display && *display))
        return cli_usage_error("plot", "no display here: write a file with -o chart.png "
                                       "(or .svg, .pdf)");
    req.persist = !req.out_path;
    char gp[1024], scripts[1024];
    if (plot_find_gnuplot(getenv("CALFTRACK_GNUPLOT"), gp, sizeof gp) != 0)
        return cli_fail("plot", "gnuplot is not installed, so no chart can be drawn. Install "
                                "it (Debian: apt-get install gnuplot-nox); sessions, history "
                                "and 'calftrack export' work without it.");
    req.gnuplot = gp;
    if (plot_find_scripts(scripts, sizeof scripts) != 0)
        return cli_fail("plot", "the chart scripts (plots/*.gp) are not installed; set "
                                "CALFTRACK_PLOTS to their folder");
    req.scripts_dir = scripts;
    store st;
    if (cmd_open_store("plot", &st))
        return 1;
    signal(SIGPIPE, SIG_IGN); /* a gnuplot that dies is reported, not fatal */
    int rc = plot_run(&st, &req);
    if (rc == CT_ENOENT) {
        if (req.flt.session)
            return cli_fail("plot", "nothing to draw for session '%s' (see 'calftrack history')",
                            req.flt.session);
        return cli_fail("plot", "nothing to draw yet: no stored session has what the %s chart "
                                "shows", plot_kind_name(req.kind));
    }
    if (rc == CT_EIO && !req.out_path)
        return cli_fail("plot", "gnuplot could not open a window (its message is above; "
                                "gnuplot-nox has none): write a file with -o chart.png");
    if (rc == CT_EIO)
        return cli_fail("plot", "gnuplot failed (its message is above)");
    if (rc)
        return cli_fail("plot", "%s", ct_strerror(rc));
    if (req.out_path)
        fprintf(stderr, "calftrack plot: wrote %s\n", req.out_path);
    return 0;
}
