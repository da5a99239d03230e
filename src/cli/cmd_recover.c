/* cmd_recover.c - `calftrack recover ID`: a killed session rebuilt from its recording. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "calftrack/err.h"
#include "calftrack/recover.h"
#include "calftrack/session_display.h"
#include "cli.h"
#include "cmd_data.h"

static void help(void)
{
    printf("Usage: calftrack recover [ID | --all] [options]\n"
           "\n"
           "A session that was killed (power cut, crash, closed terminal) shows as\n"
           "'running' in 'calftrack history'. Its raw recording survives; recover runs it\n"
           "through the analysis again, rewrites its reps and holds (the old list is kept\n"
           "as events.csv.old), its summary and the index, and marks it 'recovered'.\n"
           "\n"
           "Options:\n"
           "      --all      every session still marked running\n"
           "      --force    also rebuild a session that ended normally\n"
           "  -v, --verbose  print the events as they are found again\n"
           "  -h, --help     this help\n");
}

static int recover_one(const store *st, const char *id, bool force, bool verbose)
{
    store_meta m;
    int rc = store_meta_read(st, id, &m);
    if (rc == CT_ENOENT || rc == CT_EARG)
        return cli_fail("recover", "no session '%s' (see 'calftrack history')", id);
    if (rc)
        return cli_fail("recover", "session %s: its meta.csv is damaged (%s)", id, ct_strerror(rc));
    if (m.status != STATUS_RUNNING && !force)
        return cli_fail("recover", "session %s ended normally (%s); use --force to rebuild it "
                        "anyway", id, store_status_name(m.status));
    session_display disp;
    session_ui ui;
    session_display_init(&disp, stdout, DISPLAY_LINES, -1);
    session_display_ui(&disp, &ui);
    int counted = 0;
    rc = session_recover(st, id, verbose ? &ui : NULL, &counted);
    if (rc == CT_ENOENT)
        return cli_fail("recover", "session %s has no raw recording (recording.ctrec): "
                        "nothing to rebuild from", id);
    if (rc == CT_EBUSY)
        return cli_fail("recover", "session %s is still running in another calftrack", id);
    if (rc)
        return cli_fail("recover", "session %s: %s", id, ct_strerror(rc));
    printf("Recovered session %s: %d reps and holds.\n", id, counted);
    return 0;
}

int cmd_recover(int argc, char **argv)
{
    static const struct option opts[] = {
        {"all", no_argument, NULL, 'a'},     {"force", no_argument, NULL, 'f'},
        {"verbose", no_argument, NULL, 'v'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool all = false, force = false, verbose = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "hv", opts, NULL)) != -1) {
        switch (c) {
        case 'h': help(); return 0;
        case 'a': all = true; break;
        case 'f': force = true; break;
        case 'v': verbose = true; break;
        default:
            return cli_usage_error("recover", "unknown option: '%s'", argv[optind - 1]);
        }
    }
    if (all == (optind < argc))
        return cli_usage_error("recover", "give one session ID, or --all");
    if (optind + 1 < argc)
        return cli_usage_error("recover", "unexpected argument '%s'", argv[optind + 1]);
    if (!all && !store_id_valid(argv[optind]))
        return cli_usage_error("recover", "'%s' is not a session id (see 'calftrack history')",
                               argv[optind]);
    store st;
    if (cmd_open_store("recover", &st))
        return 1;
    if (!all)
        return recover_one(&st, argv[optind], force, verbose);
    store_meta *list = calloc(10000, sizeof *list);
    if (!list)
        return cli_fail("recover", "out of memory");
    int n = store_list(&st, list, 10000), failed = 0, done = 0;
    for (int i = 0; i < n && i < 10000; i++)
        if (list[i].status == STATUS_RUNNING) {
            failed |= recover_one(&st, list[i].id, false, verbose);
            done++;
        }
    free(list);
    if (!done)
        printf("No interrupted session to recover.\n");
    return failed ? 1 : 0;
}
