/* cmd_session.c - `calftrack session`. */
#include "cli.h"

#include <string.h>

int cmd_session(int argc, char **argv)
{
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("Usage: calftrack session [options]\n\nThis command is not available in this version yet.\n");
        return 0;
    }
    return cli_unavailable("session", "'calftrack session'");
}
