/* fuzz_rec.c - libFuzzer target: the recording parser, fed in chunks whose sizes come
 * from the input itself, and the packet lists inside blocks. */
#include <stdint.h>
#include <stdlib.h>

#include "calftrack/rec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_packet(const uint8_t *pkt, size_t len, void *user)
{
    wire_packet p;
    (void)wire_decode_packet(pkt, len, &p);
    (*(size_t *)user)++;
    return 0;
}

static int on_block(uint8_t type, uint32_t seq, const uint8_t *payload, size_t len, void *user)
{
    (void)seq;
    if (len > REC_BLOCK_MAX_PAYLOAD)
        abort();
    if (type == REC_BLOCK_PACKETS)
        (void)rec_each_packet(payload, len, on_packet, user);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static rec_parser p;
    size_t packets = 0;
    size_t chunk = size ? (size_t)data[0] % 97 + 1 : 1;
    rec_parser_init(&p, NULL, on_block, &packets);
    for (size_t off = 0; off < size; off += chunk)
        if (rec_parser_feed(&p, data + off, off + chunk > size ? size - off : chunk) < 0)
            break;
    (void)rec_parser_finish(&p);
    if (p.damage.skipped_bytes + p.damage.truncated_bytes > size)
        abort();
    return 0;
}
