/* cmd_export.c - `calftrack export KIND`: CSV for the physiotherapist. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "calftrack/err.h"
#include "cli.h"
#include "cmd_data.h"

static void help(void)
{
    printf("Usage: calftrack export detail|summary|progress|symmetry [options]\n"
           "\n"
           "Writes CSV (RFC 4180, UTC ISO-8601 times, units in the column names) that a\n"
           "spreadsheet opens directly:\n"
           "  detail    a row per rep or hold: angles, heel rise, work, hold, tempo, grade\n"
           "  summary   a row per session, exercise and side: prescribed vs done, best values\n"
           "  progress  a row per day, side and sensor site: best weight-bearing and band\n"
           "            dorsiflexion, best heel rise, work, prescribed vs done, pain\n"
           "  symmetry  a row per session: left, right and the limb symmetry index\n"
           "Columns: docs/export.md.\n"
           "\n"
           "Options:\n"
           "  -o, --output FILE      write FILE (created 0600, replaced atomically);\n"
           "                         default: standard output\n"
           "%s"
           "  -h, --help             this help\n",
           cmd_filter_help);
}

typedef struct {
    const store *st;
    export_kind kind;
    const export_filter *flt;
} job;

static int write_job(FILE *f, void *user)
{
    const job *j = user;
    return export_write(f, j->st, j->kind, j->flt);
}

int cmd_export(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'}, {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},     {"side", required_argument, NULL, 's'},
        {"session", required_argument, NULL, 'i'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    export_filter flt = {.side = SIDE_BOTH};
    const char *out = NULL;
    int c, idx = -1;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "ho:", opts, &idx)) != -1) {
        if (c == 'h') {
            help();
            return 0;
        }
        if (c == 'o') {
            out = optarg;
            continue;
        }
        if (c == '?' || c == ':')
            return cli_usage_error("export", "unknown option or missing value: '%s'",
                                   argv[optind - 1]);
        if (cmd_filter_option("export", opts[idx].name, optarg, &flt))
            return EXIT_USAGE;
    }
    if (optind >= argc)
        return cli_usage_error("export", "say what to export: detail, summary, progress or "
                                         "symmetry");
    int kind = export_kind_parse(argv[optind]);
    if (kind < 0)
        return cli_usage_error("export", "'%s' is not an export; detail, summary, progress or "
                                         "symmetry", argv[optind]);
    if (optind + 1 < argc)
        return cli_usage_error("export", "unexpected argument '%s'", argv[optind + 1]);
    store st;
    if (cmd_open_store("export", &st))
        return 1;
    job j = {&st, (export_kind)kind, &flt};
    int rc;
    if (out && strcmp(out, "-") != 0)
        rc = store_write_atomic(out, write_job, &j);
    else {
        rc = write_job(stdout, &j);
        if (!rc && fflush(stdout) != 0)
            rc = CT_EIO;
    }
    if (rc == CT_ENOENT && flt.session)
        return cli_fail("export", "no session '%s' (see 'calftrack history')", flt.session);
    if (rc)
        return cli_fail("export", "cannot write %s: %s", out ? out : "the export",
                        ct_strerror(rc));
    return 0;
}
