/*
 * boot2crc - pads a raw second-stage boot loader to 252 bytes and appends the
 * CRC-32/MPEG-2 the RP2040 boot ROM checks (poly 0x04C11DB7, init 0xFFFFFFFF,
 * not reflected, no final XOR), little-endian, giving the 256-byte boot2 block.
 *
 *   boot2crc IN.bin OUT.bin
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define BODY 252u

static uint32_t crc32_mpeg2(const uint8_t *p, size_t n)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        crc ^= (uint32_t)p[i] << 24;
        for (int b = 0; b < 8; b++)
            crc = (crc & 0x80000000u) ? (crc << 1) ^ 0x04C11DB7u : crc << 1;
    }
    return crc;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: boot2crc IN.bin OUT.bin\n");
        return 2;
    }
    /* Self-check against the catalogue's check value for "123456789". */
    if (crc32_mpeg2((const uint8_t *)"123456789", 9) != 0x0376E6E7u) {
        fprintf(stderr, "boot2crc: CRC self-check failed\n");
        return 1;
    }
    uint8_t buf[BODY + 4] = {0};
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    size_t n = fread(buf, 1, BODY + 1, f);
    fclose(f);
    if (n > BODY) {
        fprintf(stderr, "boot2crc: %s: more than %u bytes\n", argv[1], BODY);
        return 1;
    }
    uint32_t crc = crc32_mpeg2(buf, BODY);
    for (int i = 0; i < 4; i++)
        buf[BODY + i] = (uint8_t)(crc >> (8 * i));
    f = fopen(argv[2], "wb");
    if (!f || fwrite(buf, 1, sizeof buf, f) != sizeof buf || fclose(f) != 0) {
        perror(argv[2]);
        return 1;
    }
    printf("boot2: %zu bytes of code, CRC-32/MPEG-2 0x%08X\n", n, (unsigned)crc);
    return 0;
}
