/* podinfo.h - the GET_INFO of a virtual pod at 833 Hz, +-16 g, +-2000 dps, for tests. */
#ifndef CALFTRACK_TEST_PODINFO_H
#define CALFTRACK_TEST_PODINFO_H

#include "calftrack/wire.h"

wire_info test_info833(void);

#endif
