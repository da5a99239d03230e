/* cmd_devices.c - `calftrack devices`: the pods on USB, and whether each can be used. */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "calftrack/err.h"
#include "calftrack/source.h"
#include "pod_errors.h"

#define MAX_PODS 32

static const char *board_name(uint8_t b)
{
    switch (b) {
    case WIRE_BOARD_NANO_RP2040: return "nano-rp2040";
    case WIRE_BOARD_PICO_BREAKOUT: return "pico";
    case WIRE_BOARD_VIRTUAL: return "virtual";
    default: return "unknown";
    }
}

int cmd_devices(int argc, char **argv)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            printf("Usage: calftrack devices\n"
                   "\n"
                   "Lists the pods plugged in by USB: serial, firmware, sample rate, ranges,\n"
                   "board and state (idle, streaming, busy, no access, unsupported firmware).\n"
                   "Exit status: 0 at least one pod listed, 1 none found or an error,\n"
                   "2 usage error.\n");
            return 0;
        }
        return cli_usage_error("devices", "unknown option");
    }
    if (optind < argc)
        return cli_usage_error("devices", "unexpected argument '%s'", argv[optind]);

    ct_pod_desc d[MAX_PODS];
    int n = ct_pod_list(d, MAX_PODS);
    if (n < 0)
        return pod_error("devices", n, NULL, NULL);
    if (n == 0)
        return pod_error("devices", CT_ENODEV, NULL, NULL);
    printf("%-16s %-8s %-6s %-6s %-8s %-8s %-11s %s\n", "SERIAL", "FIRMWARE", "RATE", "ACC",
           "GYRO", "USB", "BOARD", "STATE");
    int access_denied = 0;
    for (int i = 0; i < n && i < MAX_PODS; i++) {
        const wire_info *in = &d[i].info;
        char fw[16] = "-", rate[16] = "-", acc[16] = "-", gyr[16] = "-", usb[16];
        const char *state;
        snprintf(usb, sizeof usb, "%03u/%03u", d[i].bus, d[i].address);
        if (d[i].status == CT_OK || d[i].status == CT_EBUSY || d[i].status == CT_EVERSION)
            snprintf(fw, sizeof fw, "%u.%u.%u", in->fw_major, in->fw_minor, in->fw_patch);
        if (d[i].status == CT_OK || d[i].status == CT_EBUSY) {
            snprintf(rate, sizeof rate, "%uHz", in->odr_hz);
            snprintf(acc, sizeof acc, "%ug", in->acc_range_g);
            snprintf(gyr, sizeof gyr, "%udps", in->gyr_range_dps);
        }
        switch (d[i].status) {
        case CT_OK: state = (in->status & WIRE_STATUS_STREAMING) ? "streaming" : "idle"; break;
        case CT_EBUSY: state = "busy (another program)"; break;
        case CT_EACCESS: state = "no access (udev rule)"; access_denied = 1; break;
        case CT_EVERSION: state = "unsupported firmware"; break;
        default: state = "not answering"; break;
        }
        if (d[i].status == CT_OK && (in->status & WIRE_STATUS_IMU_ERROR))
            state = "IMU error";
        printf("%-16s %-8s %-6s %-6s %-8s %-8s %-11s %s\n",
               d[i].serial[0] ? d[i].serial : "?", fw, rate, acc, gyr, usb,
               d[i].status == CT_OK ? board_name(in->board) : "-", state);
    }
    if (access_denied)
        pod_error("devices", CT_EACCESS, NULL, NULL);
    return 0;
}
