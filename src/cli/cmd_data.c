/* cmd_data.c - the store and the session filters at the command-line edge. */
#include "cmd_data.h"

#include <string.h>

#include "calftrack/err.h"
#include "cli.h"

const char cmd_filter_help[] =
    "      --from DATE        sessions on or after DATE (YYYY-MM-DD, UTC)\n"
    "      --to DATE          sessions on or before DATE\n"
    "      --side SIDE        left, right or both (default both)\n"
    "      --session ID       one session (see 'calftrack history')\n";

int cmd_open_store(const char *cmd, store *st)
{
    int rc = store_open(st, NULL);
    if (rc == 0)
        return 0;
    if (rc == CT_ENOENT)
        return cli_fail(cmd, "no data folder: set HOME or XDG_DATA_HOME");
    return cli_fail(cmd, "cannot open the data folder %s: %s", st->root[0] ? st->root : "(unset)",
                    ct_strerror(rc));
}

int cmd_filter_option(const char *cmd, const char *name, const char *value, export_filter *flt)
{
    int64_t t;
    if (!strcmp(name, "from") || !strcmp(name, "to")) {
        if (store_parse_date(value, &t) != 0) {
            cli_usage_error(cmd, "--%s '%s': a date like 2026-11-25 is expected", name, value);
            return 2;
        }
        if (name[0] == 'f')
            flt->from_unix_us = t;
        else
            flt->to_unix_us = t + INT64_C(86400000000); /* the whole day */
        return 0;
    }
    if (!strcmp(name, "side")) {
        int s = ct_side_parse(value);
        if (s < 0) {
            cli_usage_error(cmd, "--side '%s': left, right or both", value);
            return 2;
        }
        flt->side = (ct_side)s;
        return 0;
    }
    if (!strcmp(name, "session")) {
        if (!store_id_valid(value)) {
            cli_usage_error(cmd, "--session '%s' is not a session id (see 'calftrack history')",
                            value);
            return 2;
        }
        flt->session = value;
        return 0;
    }
    return 1;
}
