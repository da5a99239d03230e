/* pod_errors.c - messages for a pod that cannot be used (see pod_errors.h). */
#include "pod_errors.h"

#include <stdio.h>

#include "calftrack/err.h"
#include "calftrack/source.h"
#include "cli.h"

int pod_error(const char *cmd, int err, const char *serial, const char *file)
{
    switch (err) {
    case CT_ENODEV:
        if (serial)
            return cli_fail(cmd, "no pod with serial %s is plugged in. Plug it in (the LED "
                                 "blinks), or run 'calftrack devices' to see the serials.",
                            serial);
        return cli_fail(cmd, "no pod found. Plug the pod in by USB (its LED blinks once it "
                             "is powered) and try again.");
    case CT_EACCESS:
        return cli_fail(cmd, "permission denied opening the pod's USB device. Install the "
                             "udev rule docs/70-calftrack.rules: 'sudo make install', or "
                             "'sudo cp docs/70-calftrack.rules /etc/udev/rules.d/ && sudo "
                             "udevadm control --reload && sudo udevadm trigger', then "
                             "unplug and replug the pod.");
    case CT_EBUSY:
        return cli_fail(cmd, "the pod is in use by another program (another calftrack?). "
                             "Close it and try again.");
    case CT_EVERSION: {
        ct_pod_desc d[8];
        int n = ct_pod_list(d, 8);
        for (int i = 0; i < n && i < 8; i++)
            if (d[i].status == CT_EVERSION)
                return cli_fail(cmd, "the pod %s runs firmware %u.%u.%u speaking protocol %u; "
                                     "this calftrack speaks protocol %u. Update the pod's "
                                     "firmware (or calftrack) so that they match.",
                                d[i].serial[0] ? d[i].serial : "?", d[i].info.fw_major,
                                d[i].info.fw_minor, d[i].info.fw_patch, d[i].info.protocol,
                                WIRE_PROTOCOL_VERSION);
        return cli_fail(cmd, "the pod's firmware is not supported by this calftrack (protocol "
                             "%u expected). Update the firmware or calftrack.",
                        WIRE_PROTOCOL_VERSION);
    }
    case CT_EARG:
        return cli_fail(cmd, "the pod refused the requested rate or range.");
    case CT_EEXIST:
        return cli_fail(cmd, "%s already exists; recordings are never overwritten: choose "
                             "another name.", file ? file : "the file");
    case CT_ENOENT:
    case CT_EROFS:
    case CT_ENOSPC:
        return cli_fail(cmd, "cannot create %s: %s.", file ? file : "the recording",
                        ct_strerror(err));
    case CT_EUNSUPPORTED:
        return cli_fail(cmd, "USB cannot be used on this system (libusb failed to start).");
    default:
        return cli_fail(cmd, "cannot use the pod: %s. Unplug it, plug it back in and try "
                             "again.", ct_strerror(err));
    }
}
