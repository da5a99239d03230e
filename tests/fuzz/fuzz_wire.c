/* fuzz_wire.c - libFuzzer target: the stream packet, GET_INFO and SET_CONFIG decoders.
 * Invariant: whatever decodes re-encodes to the same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "calftrack/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wire_packet p;
    if (wire_decode_packet(data, size, &p) == WIRE_OK) {
        uint8_t out[WIRE_PKT_MAX];
        size_t n = wire_encode_packet(&p, out);
        if (n != size || memcmp(out, data, n) != 0)
            abort();
    }
    wire_info info;
    (void)wire_decode_info(data, size, &info);
    wire_config cfg;
    if (wire_decode_config(data, size, &cfg) && !wire_config_valid(&cfg))
        abort();
    return 0;
}
