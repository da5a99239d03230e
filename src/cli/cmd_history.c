/* cmd_history.c - `calftrack history`: the stored sessions, oldest first. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "calftrack/err.h"
#include "cli.h"
#include "cmd_data.h"

static void help(void)
{
    printf("Usage: calftrack history [options]\n"
           "\n"
           "Lists the stored sessions, oldest first: id, start (UTC), how it ended, the\n"
           "prescription, reps and holds counted, pain before and after (0-10).\n"
           "A session shown as 'running' that is not running any more was interrupted:\n"
           "'calftrack recover ID' rebuilds it from its raw recording.\n"
           "\n"
           "Options:\n"
           "%s"
           "      --rebuild          rebuild the index from the session folders first\n"
           "  -h, --help             this help\n",
           cmd_filter_help);
}

int cmd_history(int argc, char **argv)
{
    static const struct option opts[] = {
        {"from", required_argument, NULL, 'f'}, {"to", required_argument, NULL, 't'},
        {"side", required_argument, NULL, 's'}, {"session", required_argument, NULL, 'i'},
        {"rebuild", no_argument, NULL, 'r'},    {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    export_filter flt = {.side = SIDE_BOTH};
    int rebuild = 0, c, idx;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, &idx)) != -1) {
        if (c == 'h') {
            help();
            return 0;
        }
        if (c == 'r') {
            rebuild = 1;
            continue;
        }
        if (c == '?' || c == ':')
            return cli_usage_error("history", "unknown option or missing value: '%s'",
                                   argv[optind - 1]);
        int r = cmd_filter_option("history", opts[idx].name, optarg, &flt);
        if (r)
            return EXIT_USAGE;
    }
    if (optind < argc)
        return cli_usage_error("history", "unexpected argument '%s'", argv[optind]);
    store st;
    if (cmd_open_store("history", &st))
        return 1;
    int rc = rebuild ? store_index_rebuild(&st) : 0;
    if (rc)
        return cli_fail("history", "cannot rebuild the index in %s: %s", st.root, ct_strerror(rc));
    store_meta *list = calloc(10000, sizeof *list);
    if (!list)
        return cli_fail("history", "out of memory");
    int n = store_list(&st, list, 10000);
    if (n < 0) {
        free(list);
        return cli_fail("history", "cannot read %s/sessions: %s", st.root, ct_strerror(n));
    }
    int shown = 0;
    for (int i = 0; i < n && i < 10000; i++) {
        const store_meta *m = &list[i];
        if (flt.session && strcmp(m->id, flt.session))
            continue;
        if ((flt.from_unix_us && m->start_unix_us < flt.from_unix_us) ||
            (flt.to_unix_us && m->start_unix_us >= flt.to_unix_us))
            continue;
        if (!shown++)
            printf("%-20s %-20s %-10s %-24s %6s %5s %5s\n", "session", "start (UTC)", "status",
                   "prescription", "counted", "pain<", "pain>");
        char iso[40], pb[16] = "-", pa[16] = "-";
        store_iso8601(m->start_unix_us, iso, sizeof iso);
        iso[19] = '\0';
        iso[10] = ' ';
        if (m->pain_before >= 0)
            snprintf(pb, sizeof pb, "%d", m->pain_before);
        if (m->pain_after >= 0)
            snprintf(pa, sizeof pa, "%d", m->pain_after);
        printf("%-20s %-20s %-10s %-24.24s %6d %5s %5s\n", m->id, iso,
               store_status_name(m->status), m->prescription, m->events, pb, pa);
    }
    if (!shown)
        printf("No sessions stored yet in %s.\n", st.root);
    free(list);
    return 0;
}
