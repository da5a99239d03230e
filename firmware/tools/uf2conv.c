/*
 * uf2conv - wraps a flat flash image into UF2 for drag-and-drop flashing: one
 * 512-byte block per 256 bytes of image, with the RP2040 family ID, addressed from
 * the given base (the start of XIP flash, 0x10000000).
 *
 *   uf2conv IN.bin OUT.uf2 [BASE]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UF2_MAGIC0 0x0A324655u
#define UF2_MAGIC1 0x9E5D5157u
#define UF2_MAGIC_END 0x0AB16F30u
#define UF2_FLAG_FAMILY 0x00002000u
#define RP2040_FAMILY 0xE48BFF56u
#define PAYLOAD 256u
#define MAX_IMAGE (16u * 1024u * 1024u)

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: uf2conv IN.bin OUT.uf2 [BASE]\n");
        return 2;
    }
    uint32_t base = argc == 4 ? (uint32_t)strtoul(argv[3], NULL, 0) : 0x10000000u;
    FILE *in = fopen(argv[1], "rb");
    if (!in) {
        perror(argv[1]);
        return 1;
    }
    static uint8_t image[MAX_IMAGE];
    size_t len = fread(image, 1, sizeof image, in);
    fclose(in);
    if (len == 0) {
        fprintf(stderr, "uf2conv: %s: empty image\n", argv[1]);
        return 1;
    }
    FILE *out = fopen(argv[2], "wb");
    if (!out) {
        perror(argv[2]);
        return 1;
    }
    uint32_t blocks = (uint32_t)((len + PAYLOAD - 1) / PAYLOAD);
    for (uint32_t b = 0; b < blocks; b++) {
        uint8_t blk[512];
        memset(blk, 0, sizeof blk);
        put32(blk + 0, UF2_MAGIC0);
        put32(blk + 4, UF2_MAGIC1);
        put32(blk + 8, UF2_FLAG_FAMILY);
        put32(blk + 12, base + b * PAYLOAD);
        put32(blk + 16, PAYLOAD);
        put32(blk + 20, b);
        put32(blk + 24, blocks);
        put32(blk + 28, RP2040_FAMILY);
        size_t off = (size_t)b * PAYLOAD, n = len - off < PAYLOAD ? len - off : PAYLOAD;
        memcpy(blk + 32, image + off, n);
        put32(blk + 508, UF2_MAGIC_END);
        if (fwrite(blk, 1, sizeof blk, out) != sizeof blk) {
            perror(argv[2]);
            fclose(out);
            return 1;
        }
    }
    if (fclose(out) != 0) {
        perror(argv[2]);
        return 1;
    }
    printf("uf2: %u blocks, %zu bytes at 0x%08X\n", (unsigned)blocks, len, (unsigned)base);
    return 0;
}
