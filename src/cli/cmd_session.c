/* cmd_session.c - `calftrack session`: a guided session from a prescription, with the
 * pod (default) or a replayed recording, stored as it happens. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "calftrack/err.h"
#include "calftrack/session_analysis.h"
#include "calftrack/session_display.h"
#include "calftrack/source.h"
#include "cli.h"
#include "cmd_data.h"
#include "cmd_session_io.h"
#include "pod_errors.h"

static void help(void)
{
    printf("Usage: calftrack session [options]\n"
           "\n"
           "Walks you through your prescription: where to strap the pod, a still\n"
           "reference, then every set with a live count, a bar against the target, hold\n"
           "countdowns, a bell when a hold or set is done, and rest timers. Everything\n"
           "counted is stored at once; quitting keeps what was done.\n"
           "Keys: p pause/resume, s skip the set, q quit (Ctrl-C too).\n"
           "\n"
           "Options:\n"
           "  -p, --prescription FILE  the prescription CSV (default: prescription.csv in\n"
           "                           the data folder, else the shipped calf programme)\n"
           "      --replay FILE        a recording instead of the pod (same analysis)\n"
           "      --fast               no real-time waits: replays run at full speed, rest\n"
           "                           timers and get-ready countdowns are skipped\n"
           "  -s, --serial S           the pod with this serial (default: the only one)\n"
           "      --pain-before N      pain now, 0-10 (asked when interactive)\n"
           "      --pain-after N       pain after, 0-10 (asked when interactive)\n"
           "      --site-mm MM         the pod's distance below the knee this time\n"
           "      --json               one JSON object per line (for programs)\n"
           "  -h, --help               this help\n"
           "\n"
           "Without a terminal it prints one event per line. Sessions are stored under\n"
           "$XDG_DATA_HOME/calftrack/sessions; see 'calftrack history'.\n");
}

typedef struct {
    const char *presc_path, *replay, *serial;
    bool fast, json;
    long pain_before, pain_after, site_mm;
} args;

static int parse(int argc, char **argv, args *a)
{
    static const struct option opts[] = {
        {"prescription", required_argument, NULL, 'p'}, {"replay", required_argument, NULL, 'r'},
        {"fast", no_argument, NULL, 'f'},               {"serial", required_argument, NULL, 's'},
        {"pain-before", required_argument, NULL, 'B'},  {"pain-after", required_argument, NULL, 'A'},
        {"site-mm", required_argument, NULL, 'S'},      {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},               {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    a->pain_before = a->pain_after = a->site_mm = -1;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "hp:s:", opts, NULL)) != -1) {
        switch (c) {
        case 'h': help(); return -1;
        case 'p': a->presc_path = optarg; break;
        case 'r': a->replay = optarg; break;
        case 'f': a->fast = true; break;
        case 's': a->serial = optarg; break;
        case 'j': a->json = true; break;
        case 'B':
        case 'A':
            if (cli_parse_long(optarg, 0, 10, c == 'B' ? &a->pain_before : &a->pain_after))
                return cli_usage_error("session", "--pain-%s '%s': a whole number from 0 to 10",
                                       c == 'B' ? "before" : "after", optarg);
            break;
        case 'S':
            if (cli_parse_long(optarg, 30, 500, &a->site_mm))
                return cli_usage_error("session", "--site-mm '%s': mm from 30 to 500", optarg);
            break;
        default:
            return cli_usage_error("session", "unknown option or missing value: '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("session", "unexpected argument '%s'", argv[optind]);
    return 0;
}

/* The prescription: given, the patient's own, or the shipped programme. */
static int load_presc(const store *st, const char *given, presc *rx, char *name, size_t cap)
{
    char path[STORE_PATH_MAX], shipped[1024];
    presc_error err;
    const char *use = given;
    if (!use) {
        store_path(st, NULL, "prescription.csv", path, sizeof path);
        if (access(path, R_OK) == 0)
            use = path;
        else if (session_find_shipped("calf-programme.csv", shipped, sizeof shipped) == 0)
            use = shipped;
        else
            return cli_fail("session", "no prescription: give one with --prescription FILE "
                                       "(see docs/prescription.md)");
    }
    int rc = presc_load(use, rx, &err);
    if (rc) {
        char msg[800];
        presc_error_format(&err, msg, sizeof msg);
        return cli_fail("session", "%s", msg);
    }
    const char *slash = strrchr(use, '/');
    snprintf(name, cap, "%.63s", slash ? slash + 1 : use);
    return 0;
}

static bool is_disk_error(int rc)
{
    return rc == CT_ENOSPC || rc == CT_EROFS || rc == CT_EACCESS || rc == CT_EIO;
}

/* What a person can do about a write the disk refused (text after a sentence). */
static const char *disk_advice(int rc, const char *root)
{
    static char buf[STORE_PATH_MAX + 200];
    if (rc == CT_ENOSPC)
        snprintf(buf, sizeof buf, " Free some space on the disk holding %s.", root);
    else if (rc == CT_EROFS || rc == CT_EACCESS)
        snprintf(buf, sizeof buf, " Make %s writable (or set XDG_DATA_HOME to a writable "
                 "folder).", root);
    else if (rc == CT_EIO)
        snprintf(buf, sizeof buf, " Check the disk holding %s.", root);
    else
        buf[0] = '\0';
    return buf;
}

int cmd_session(int argc, char **argv)
{
    args a;
    int rc = parse(argc, argv, &a);
    if (rc)
        return rc < 0 ? 0 : rc;
    store st;
    if (cmd_open_store("session", &st))
        return 1;
    store_settings set;
    if ((rc = store_settings_read(&st, &set)) != 0)
        return cli_fail("session", "%s/settings.csv is damaged: fix it with 'calftrack "
                                   "settings'", st.root);
    presc rx;
    store_meta m;
    memset(&m, 0, sizeof m);
    if (load_presc(&st, a.presc_path, &rx, m.prescription, sizeof m.prescription))
        return 1;

    bool interactive = !a.json && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    session_io io;
    session_io_init(&io, interactive);
    if (a.pain_before < 0 && interactive)
        a.pain_before = session_ask_number("Pain in the calf now, 0-10 (Enter to skip): ", 0, 10);
    if (!(set.body_mass_kg > 0)) {
        if (interactive) {
            long kg = session_ask_number("Your body mass in kg, for heel-rise work (Enter to "
                                         "skip): ", 20, 300);
            if (kg > 0) {
                set.body_mass_kg = (float)kg;
                store_settings_write(&st, &set);
            }
        } else if (!a.json) {
            printf("note: heel-rise work needs your body mass: calftrack settings --body-mass KG\n");
        }
    }
    if (a.site_mm > 0)
        set.shin_site_mm = (int)a.site_mm;

    m.pain_before = (int)a.pain_before;
    m.pain_after = -1;
    m.settings = set;
    ct_source *src = NULL;
    if (a.replay) {
        if ((rc = ct_source_open_recording(&src, a.replay)) != 0)
            return cli_fail("session", "cannot replay %s: %s", a.replay, ct_strerror(rc));
        const rec_header *h = ct_source_header(src);
        m.start_unix_us = h->start_unix_us > 0 ? h->start_unix_us : cli_realtime_us();
        snprintf(m.source, sizeof m.source, "replay");
    } else {
        m.start_unix_us = cli_realtime_us();
        snprintf(m.source, sizeof m.source, "pod");
    }
    journal j;
    if ((rc = journal_begin(&j, &st, &rx, &m)) != 0) {
        ct_source_close(src);
        return cli_fail("session", "cannot create the session in %s/sessions: %s.%s", st.root,
                        ct_strerror(rc), disk_advice(rc, st.root));
    }
    char rec_path[STORE_PATH_MAX];
    journal_path(&j, "recording.ctrec", rec_path, sizeof rec_path);
    if (a.replay) {
        if ((rc = session_copy_file(a.replay, rec_path)) != 0)
            fprintf(stderr, "calftrack session: warning: could not keep a copy of the "
                            "recording (%s); 'recover' will not work for this session\n",
                    ct_strerror(rc));
    } else {
        ct_pod_options po;
        memset(&po, 0, sizeof po);
        po.serial = a.serial;
        po.record_path = rec_path;
        po.meta.side = (uint8_t)rx.item[0].side;
        po.meta.placement = (uint8_t)(rx.item[0].exercise == EX_BAND_STRETCH ? PLACE_FOOT : PLACE_SHIN);
        po.meta.site_mm = (uint16_t)(set.shin_site_mm > 0 ? set.shin_site_mm : 0);
        po.meta.source = REC_SOURCE_POD;
        po.meta.start_unix_us = m.start_unix_us;
        snprintf(po.meta.label, sizeof po.meta.label, "session %s", j.meta.id);
        if ((rc = ct_source_open_pod(&src, &po)) != 0) {
            journal_discard(&j); /* nothing happened: no empty session in the history */
            return pod_error("session", rc, a.serial, NULL);
        }
        if (ct_source_info(src)->board == WIRE_BOARD_VIRTUAL)
            snprintf(j.meta.source, sizeof j.meta.source, "virtual");
    }

    session_display disp;
    session_display_init(&disp, stdout, a.json ? DISPLAY_JSON : interactive ? DISPLAY_TTY
                                                                            : DISPLAY_LINES,
                         interactive ? STDIN_FILENO : -1);
    session_feed feed;
    session_source ss;
    session_feed_init(&feed, src, &j, a.replay && !a.fast, &ss);
    session_ui ui;
    session_io_ui(&io, &disp, &ui);
    ui.wait_for_ready = interactive && !a.replay; /* a recording was strapped on long ago */
    static session_analysis sa; /* large: off the stack */
    session_analyzer an;
    const wire_info *info = ct_source_info(src);
    float rate = info->odr_hz ? (float)info->odr_hz
                 : info->period_ns ? 1e9f / (float)info->period_ns : 104.0f;
    session_analysis_bind(&sa, rate, &an);
    session_options opt;
    session_options_default(&opt);
    opt.skip_waits = a.fast && !a.replay;
    opt.site_mm = set.shin_site_mm;

    session_io_raw(&io, true);
    int status = session_run(&j, &ss, &an, &ui, &opt);
    session_io_raw(&io, false);
    ct_source_close(src);

    if (status < 0) {
        const char *first_failed = j.failed; /* journal_end may fail on another file */
        int end_rc = journal_end(&j, STATUS_STOPPED);
        j.failed = first_failed;
        session_io_restore(&io);
        if (!is_disk_error(status))
            return cli_fail("session", "stopped: %s. What was counted is kept in session %s.",
                            ct_strerror(status), j.meta.id);
        /* The disk refused a write: say which file, that nothing before is lost, and how
         * to get the session back once the disk takes writes again. */
        char failed[STORE_PATH_MAX];
        const char *file = feed.read_err == status && !a.replay ? "recording.ctrec"
                           : j.failed                                   ? j.failed
                                                                        : "";
        journal_path(&j, file, failed, sizeof failed);
        return cli_fail("session", "stopped: writing %s failed: %s. Everything written "
                        "before is kept.%s Then 'calftrack recover %s%s' rebuilds the "
                        "session from its recording.",
                        failed, ct_strerror(status), disk_advice(status, st.root),
                        end_rc ? "" : "--force ", j.meta.id);
    }
    if (a.pain_after >= 0)
        j.meta.pain_after = (int)a.pain_after;
    else if (interactive)
        j.meta.pain_after = (int)session_ask_number("Pain in the calf now, 0-10 (Enter to skip): ",
                                                    0, 10);
    rc = journal_end(&j, (store_status)status);
    session_io_restore(&io);
    session_display_summary(&disp, &j.sum, set.injured_side, set.body_mass_kg);
    if (rc)
        return cli_fail("session", "could not write the session summary: %s", ct_strerror(rc));
    if (!a.json)
        printf("Stored as session %s.\n", j.meta.id);
    return 0;
}
