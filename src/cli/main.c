/* main.c - `calftrack <command> [options]`: finds the command and runs it. */
#include "cli.h"

#include <string.h>

static const cli_command commands[] = {
    {"devices", cmd_devices, "list connected pods (serial, firmware, rate, state)"},
    {"calibrate", cmd_calibrate, "stand still and sway once so the pod learns your leg"},
    {"session", cmd_session, "guided session: follow a prescription live, count and grade"},
    {"record", cmd_record, "capture raw data from the pod to a recording file"},
    {"analyze", cmd_analyze, "replay a recording through the analysis, print reps and holds"},
    {"history", cmd_history, "list stored sessions"},
    {"export", cmd_export, "write CSV for the physiotherapist (detail, summary, progress)"},
    {"plot", cmd_plot, "chart progress, a session or adherence with gnuplot"},
    {"import", cmd_import, "turn a CSV recording from another IMU into a recording"},
    {"recover", cmd_recover, "rebuild a session that was killed from its raw recording"},
    {"demo", cmd_demo, "a simulated patient on a virtual pod, end to end"},
    {"simulate", cmd_simulate, "write a simulated patient's recording and its true reps"},
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
    fputs("Usage: calftrack <command> [options]\n"
          "       calftrack <command> --help\n"
          "       calftrack --version\n"
          "\n"
          "Guides prescribed calf exercises with the ankle IMU pod, counts and grades\n"
          "every repetition and hold, keeps every session, exports CSV and charts.\n"
          "\n"
          "Commands:\n",
          f);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("\nData lives in $XDG_DATA_HOME/calftrack (default ~/.local/share/calftrack).\n"
          "Exit status: 0 success, 1 failure, 2 usage error.\n",
          f);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
        if (argc > 2 && strcmp(name, "help") == 0) {
            char *help_argv[] = {argv[2], "--help", NULL};
            for (size_t i = 0; i < NCOMMANDS; i++)
                if (!strcmp(commands[i].name, argv[2]))
                    return commands[i].run(2, help_argv);
        }
        usage(stdout);
        return 0;
    }
    if (!strcmp(name, "--version") || !strcmp(name, "-V")) {
        printf("calftrack %s\n", cli_program_version);
        return 0;
    }
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (!strcmp(commands[i].name, name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "calftrack: '%s' is not a command.\n\n", name);
    usage(stderr);
    return EXIT_USAGE;
}
