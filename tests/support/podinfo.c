/* podinfo.c - the GET_INFO of a virtual pod at 833 Hz, for tests. */
#include "support/podinfo.h"

#include <string.h>

wire_info test_info833(void)
{
    wire_info in;
    memset(&in, 0, sizeof in);
    in.protocol = WIRE_PROTOCOL_VERSION;
    in.odr_hz = 833;
    in.acc_range_g = 16;
    in.gyr_range_dps = 2000;
    in.acc_ug_per_lsb = 488;
    in.gyr_udps_per_lsb = 70000;
    in.period_ns = 1200000;
    in.max_samples = 4;
    in.board = WIRE_BOARD_VIRTUAL;
    return in;
}
