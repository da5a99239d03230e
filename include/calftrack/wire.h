/*
 * wire.h - the pod's USB wire protocol, compiled by both the firmware and the host.
 *
 * Everything here is byte-exact and endianness-independent: fields are assembled
 * byte by byte, little-endian on the wire. No allocation, no libc beyond <stdint.h>.
 * The byte tables, vendor requests and error behaviour are in docs/protocol.md.
 */
#ifndef CALFTRACK_WIRE_H
#define CALFTRACK_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- USB identity ------------------------------------------------------- */

#define WIRE_USB_VID 0x1209u /* open-source test VID range */
#define WIRE_USB_PID 0x0001u
#define WIRE_EP_STREAM 0x81u /* bulk IN, 64-byte packets */
#define WIRE_EP_STREAM_SIZE 64u

#define WIRE_PROTOCOL_VERSION 1u

/* ---- Stream packet (bulk IN 0x81) ---------------------------------------
 *
 *  off size field
 *   0   1   version           WIRE_PROTOCOL_VERSION
 *   1   1   flags             bits 0-1: sample count - 1 (1..4 samples)
 *                             bit 2 FIFO overrun before this packet (device lost samples)
 *                             bit 3 accelerometer clipped in this packet
 *                             bit 4 gyroscope clipped in this packet
 *                             bit 5 first packet after START
 *                             bits 6-7 zero
 *   2   2   seq               packet sequence number, +1 per packet, wraps at 65536
 *   4   4   sample_index      running index of the first sample, wraps at 2^32
 *   8   4   t_us              device time of the first sample, microseconds, wraps
 *  12   2   period_qus        sample period in quarter microseconds
 *  14   2   crc               CRC-16/CCITT-FALSE over bytes 0..13 and 16..end
 *  16  12n  samples           n x { ax, ay, az, gx, gy, gz } int16, raw LSB
 *
 *  Sample k of a packet was taken at t_us + k * period_qus / 4.
 */
#define WIRE_PKT_HEADER 16u
#define WIRE_SAMPLE_BYTES 12u
#define WIRE_MAX_SAMPLES 4u
#define WIRE_PKT_MAX (WIRE_PKT_HEADER + WIRE_MAX_SAMPLES * WIRE_SAMPLE_BYTES)

#define WIRE_FLAG_COUNT_MASK 0x03u
#define WIRE_FLAG_OVERRUN 0x04u
#define WIRE_FLAG_ACC_CLIP 0x08u
#define WIRE_FLAG_GYR_CLIP 0x10u
#define WIRE_FLAG_START 0x20u
#define WIRE_FLAG_RESERVED 0xC0u

_Static_assert(WIRE_PKT_MAX == 64, "a full packet must fill one full-speed bulk packet");

/* One raw IMU sample as the LSM6DSOX reports it (LSB, sensor axes). */
typedef struct {
    int16_t acc[3];
    int16_t gyr[3];
} wire_sample;

/* A decoded stream packet. */
typedef struct {
    uint8_t version;
    uint8_t flags;     /* WIRE_FLAG_* without the count bits */
    uint8_t count;     /* 1..WIRE_MAX_SAMPLES */
    uint16_t seq;
    uint32_t sample_index;
    uint32_t t_us;
    uint16_t period_qus;
    wire_sample s[WIRE_MAX_SAMPLES];
} wire_packet;

/* Why a packet was refused. Zero means accepted. */
typedef enum {
    WIRE_OK = 0,
    WIRE_ESHORT = -1,   /* fewer bytes than the header and its samples need */
    WIRE_EVERSION = -2, /* unknown protocol version */
    WIRE_ELENGTH = -3,  /* length does not match the sample count */
    WIRE_ECRC = -4,     /* checksum mismatch: corrupted in transit */
    WIRE_EFLAGS = -5,   /* reserved bits set or zero period */
} wire_status;

/* ---- Vendor control requests on EP0 ------------------------------------
 * bmRequestType: vendor, recipient device (0xC0 IN / 0x40 OUT).
 * Anything else (wrong direction, wrong length, unknown bRequest) is STALLed.
 */
#define WIRE_REQ_GET_INFO 0x01u   /* IN, wValue 0, wIndex 0, wLength >= 32: wire_info */
#define WIRE_REQ_START 0x02u      /* OUT, no data: start streaming (resets seq, not index) */
#define WIRE_REQ_STOP 0x03u       /* OUT, no data: stop streaming */
#define WIRE_REQ_SET_CONFIG 0x04u /* OUT, wLength 6: u16 odr_hz, u16 acc_g, u16 gyr_dps */
#define WIRE_REQ_GET_SERIAL 0x05u /* IN, wLength >= 1: ASCII serial, up to 16 bytes */

#define WIRE_INFO_SIZE 32u
#define WIRE_CONFIG_SIZE 6u
#define WIRE_SERIAL_MAX 16u

#define WIRE_STATUS_IMU_OK 0x01u    /* WHO_AM_I answered and configuration took */
#define WIRE_STATUS_STREAMING 0x02u
#define WIRE_STATUS_IMU_ERROR 0x04u /* bus errors since power-up */

#define WIRE_BOARD_NANO_RP2040 1u
#define WIRE_BOARD_PICO_BREAKOUT 2u
#define WIRE_BOARD_VIRTUAL 3u

/* GET_INFO reply.
 *  off size field
 *   0   1   protocol        WIRE_PROTOCOL_VERSION
 *   1   3   fw major, minor, patch
 *   4   1   imu_id          WHO_AM_I (0x6C for LSM6DSOX), 0 when absent
 *   5   1   status          WIRE_STATUS_*
 *   6   2   odr_hz          104, 208, 416 or 833
 *   8   2   acc_range_g     2, 4, 8 or 16
 *  10   2   gyr_range_dps   125, 250, 500, 1000 or 2000
 *  12   4   acc_ug_per_lsb  accelerometer scale, micro-g per LSB
 *  16   4   gyr_udps_per_lsb gyroscope scale, micro-degrees/s per LSB
 *  20   4   period_ns       nominal sample period
 *  24   1   board           WIRE_BOARD_*
 *  25   1   max_samples     samples per packet at most (4)
 *  26   2   reserved        zero
 *  28   4   overruns        FIFO overruns since power-up
 */
typedef struct {
    uint8_t protocol;
    uint8_t fw_major, fw_minor, fw_patch;
    uint8_t imu_id;
    uint8_t status;
    uint16_t odr_hz;
    uint16_t acc_range_g;
    uint16_t gyr_range_dps;
    uint32_t acc_ug_per_lsb;
    uint32_t gyr_udps_per_lsb;
    uint32_t period_ns;
    uint8_t board;
    uint8_t max_samples;
    uint32_t overruns;
} wire_info;

typedef struct {
    uint16_t odr_hz;
    uint16_t acc_range_g;
    uint16_t gyr_range_dps;
} wire_config;

/* ---- Little-endian helpers ---------------------------------------------- */

static inline void wire_put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v & 0xFFu);
    p[1] = (uint8_t)(v >> 8);
}

static inline void wire_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v & 0xFFu);
    p[1] = (uint8_t)((v >> 8) & 0xFFu);
    p[2] = (uint8_t)((v >> 16) & 0xFFu);
    p[3] = (uint8_t)(v >> 24);
}

static inline uint16_t wire_get16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t wire_get32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

/* CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection. Check "123456789" = 0x29B1.
 * Table k holds the register after byte i and k zero bytes, so four bytes are folded in
 * at once (2 KiB of tables): the host checks millions of packets a second. */
static const uint16_t wire_crc16_table[4][256] = {
    {
        0x0000, 0x1021, 0x2042, 0x3063, 0x4084, 0x50A5, 0x60C6, 0x70E7,
        0x8108, 0x9129, 0xA14A, 0xB16B, 0xC18C, 0xD1AD, 0xE1CE, 0xF1EF,
        0x1231, 0x0210, 0x3273, 0x2252, 0x52B5, 0x4294, 0x72F7, 0x62D6,
        0x9339, 0x8318, 0xB37B, 0xA35A, 0xD3BD, 0xC39C, 0xF3FF, 0xE3DE,
        0x2462, 0x3443, 0x0420, 0x1401, 0x64E6, 0x74C7, 0x44A4, 0x5485,
        0xA56A, 0xB54B, 0x8528, 0x9509, 0xE5EE, 0xF5CF, 0xC5AC, 0xD58D,
        0x3653, 0x2672, 0x1611, 0x0630, 0x76D7, 0x66F6, 0x5695, 0x46B4,
        0xB75B, 0xA77A, 0x9719, 0x8738, 0xF7DF, 0xE7FE, 0xD79D, 0xC7BC,
        0x48C4, 0x58E5, 0x6886, 0x78A7, 0x0840, 0x1861, 0x2802, 0x3823,
        0xC9CC, 0xD9ED, 0xE98E, 0xF9AF, 0x8948, 0x9969, 0xA90A, 0xB92B,
        0x5AF5, 0x4AD4, 0x7AB7, 0x6A96, 0x1A71, 0x0A50, 0x3A33, 0x2A12,
        0xDBFD, 0xCBDC, 0xFBBF, 0xEB9E, 0x9B79, 0x8B58, 0xBB3B, 0xAB1A,
        0x6CA6, 0x7C87, 0x4CE4, 0x5CC5, 0x2C22, 0x3C03, 0x0C60, 0x1C41,
        0xEDAE, 0xFD8F, 0xCDEC, 0xDDCD, 0xAD2A, 0xBD0B, 0x8D68, 0x9D49,
        0x7E97, 0x6EB6, 0x5ED5, 0x4EF4, 0x3E13, 0x2E32, 0x1E51, 0x0E70,
        0xFF9F, 0xEFBE, 0xDFDD, 0xCFFC, 0xBF1B, 0xAF3A, 0x9F59, 0x8F78,
        0x9188, 0x81A9, 0xB1CA, 0xA1EB, 0xD10C, 0xC12D, 0xF14E, 0xE16F,
        0x1080, 0x00A1, 0x30C2, 0x20E3, 0x5004, 0x4025, 0x7046, 0x6067,
        0x83B9, 0x9398, 0xA3FB, 0xB3DA, 0xC33D, 0xD31C, 0xE37F, 0xF35E,
        0x02B1, 0x1290, 0x22F3, 0x32D2, 0x4235, 0x5214, 0x6277, 0x7256,
        0xB5EA, 0xA5CB, 0x95A8, 0x8589, 0xF56E, 0xE54F, 0xD52C, 0xC50D,
        0x34E2, 0x24C3, 0x14A0, 0x0481, 0x7466, 0x6447, 0x5424, 0x4405,
        0xA7DB, 0xB7FA, 0x8799, 0x97B8, 0xE75F, 0xF77E, 0xC71D, 0xD73C,
        0x26D3, 0x36F2, 0x0691, 0x16B0, 0x6657, 0x7676, 0x4615, 0x5634,
        0xD94C, 0xC96D, 0xF90E, 0xE92F, 0x99C8, 0x89E9, 0xB98A, 0xA9AB,
        0x5844, 0x4865, 0x7806, 0x6827, 0x18C0, 0x08E1, 0x3882, 0x28A3,
        0xCB7D, 0xDB5C, 0xEB3F, 0xFB1E, 0x8BF9, 0x9BD8, 0xABBB, 0xBB9A,
        0x4A75, 0x5A54, 0x6A37, 0x7A16, 0x0AF1, 0x1AD0, 0x2AB3, 0x3A92,
        0xFD2E, 0xED0F, 0xDD6C, 0xCD4D, 0xBDAA, 0xAD8B, 0x9DE8, 0x8DC9,
        0x7C26, 0x6C07, 0x5C64, 0x4C45, 0x3CA2, 0x2C83, 0x1CE0, 0x0CC1,
        0xEF1F, 0xFF3E, 0xCF5D, 0xDF7C, 0xAF9B, 0xBFBA, 0x8FD9, 0x9FF8,
        0x6E17, 0x7E36, 0x4E55, 0x5E74, 0x2E93, 0x3EB2, 0x0ED1, 0x1EF0,
    },
    {
        0x0000, 0x3331, 0x6662, 0x5553, 0xCCC4, 0xFFF5, 0xAAA6, 0x9997,
        0x89A9, 0xBA98, 0xEFCB, 0xDCFA, 0x456D, 0x765C, 0x230F, 0x103E,
        0x0373, 0x3042, 0x6511, 0x5620, 0xCFB7, 0xFC86, 0xA9D5, 0x9AE4,
        0x8ADA, 0xB9EB, 0xECB8, 0xDF89, 0x461E, 0x752F, 0x207C, 0x134D,
        0x06E6, 0x35D7, 0x6084, 0x53B5, 0xCA22, 0xF913, 0xAC40, 0x9F71,
        0x8F4F, 0xBC7E, 0xE92D, 0xDA1C, 0x438B, 0x70BA, 0x25E9, 0x16D8,
        0x0595, 0x36A4, 0x63F7, 0x50C6, 0xC951, 0xFA60, 0xAF33, 0x9C02,
        0x8C3C, 0xBF0D, 0xEA5E, 0xD96F, 0x40F8, 0x73C9, 0x269A, 0x15AB,
        0x0DCC, 0x3EFD, 0x6BAE, 0x589F, 0xC108, 0xF239, 0xA76A, 0x945B,
        0x8465, 0xB754, 0xE207, 0xD136, 0x48A1, 0x7B90, 0x2EC3, 0x1DF2,
        0x0EBF, 0x3D8E, 0x68DD, 0x5BEC, 0xC27B, 0xF14A, 0xA419, 0x9728,
        0x8716, 0xB427, 0xE174, 0xD245, 0x4BD2, 0x78E3, 0x2DB0, 0x1E81,
        0x0B2A, 0x381B, 0x6D48, 0x5E79, 0xC7EE, 0xF4DF, 0xA18C, 0x92BD,
        0x8283, 0xB1B2, 0xE4E1, 0xD7D0, 0x4E47, 0x7D76, 0x2825, 0x1B14,
        0x0859, 0x3B68, 0x6E3B, 0x5D0A, 0xC49D, 0xF7AC, 0xA2FF, 0x91CE,
        0x81F0, 0xB2C1, 0xE792, 0xD4A3, 0x4D34, 0x7E05, 0x2B56, 0x1867,
        0x1B98, 0x28A9, 0x7DFA, 0x4ECB, 0xD75C, 0xE46D, 0xB13E, 0x820F,
        0x9231, 0xA100, 0xF453, 0xC762, 0x5EF5, 0x6DC4, 0x3897, 0x0BA6,
        0x18EB, 0x2BDA, 0x7E89, 0x4DB8, 0xD42F, 0xE71E, 0xB24D, 0x817C,
        0x9142, 0xA273, 0xF720, 0xC411, 0x5D86, 0x6EB7, 0x3BE4, 0x08D5,
        0x1D7E, 0x2E4F, 0x7B1C, 0x482D, 0xD1BA, 0xE28B, 0xB7D8, 0x84E9,
        0x94D7, 0xA7E6, 0xF2B5, 0xC184, 0x5813, 0x6B22, 0x3E71, 0x0D40,
        0x1E0D, 0x2D3C, 0x786F, 0x4B5E, 0xD2C9, 0xE1F8, 0xB4AB, 0x879A,
        0x97A4, 0xA495, 0xF1C6, 0xC2F7, 0x5B60, 0x6851, 0x3D02, 0x0E33,
        0x1654, 0x2565, 0x7036, 0x4307, 0xDA90, 0xE9A1, 0xBCF2, 0x8FC3,
        0x9FFD, 0xACCC, 0xF99F, 0xCAAE, 0x5339, 0x6008, 0x355B, 0x066A,
        0x1527, 0x2616, 0x7345, 0x4074, 0xD9E3, 0xEAD2, 0xBF81, 0x8CB0,
        0x9C8E, 0xAFBF, 0xFAEC, 0xC9DD, 0x504A, 0x637B, 0x3628, 0x0519,
        0x10B2, 0x2383, 0x76D0, 0x45E1, 0xDC76, 0xEF47, 0xBA14, 0x8925,
        0x991B, 0xAA2A, 0xFF79, 0xCC48, 0x55DF, 0x66EE, 0x33BD, 0x008C,
        0x13C1, 0x20F0, 0x75A3, 0x4692, 0xDF05, 0xEC34, 0xB967, 0x8A56,
        0x9A68, 0xA959, 0xFC0A, 0xCF3B, 0x56AC, 0x659D, 0x30CE, 0x03FF,
    },
    {
        0x0000, 0x3730, 0x6E60, 0x5950, 0xDCC0, 0xEBF0, 0xB2A0, 0x8590,
        0xA9A1, 0x9E91, 0xC7C1, 0xF0F1, 0x7561, 0x4251, 0x1B01, 0x2C31,
        0x4363, 0x7453, 0x2D03, 0x1A33, 0x9FA3, 0xA893, 0xF1C3, 0xC6F3,
        0xEAC2, 0xDDF2, 0x84A2, 0xB392, 0x3602, 0x0132, 0x5862, 0x6F52,
        0x86C6, 0xB1F6, 0xE8A6, 0xDF96, 0x5A06, 0x6D36, 0x3466, 0x0356,
        0x2F67, 0x1857, 0x4107, 0x7637, 0xF3A7, 0xC497, 0x9DC7, 0xAAF7,
        0xC5A5, 0xF295, 0xABC5, 0x9CF5, 0x1965, 0x2E55, 0x7705, 0x4035,
        0x6C04, 0x5B34, 0x0264, 0x3554, 0xB0C4, 0x87F4, 0xDEA4, 0xE994,
        0x1DAD, 0x2A9D, 0x73CD, 0x44FD, 0xC16D, 0xF65D, 0xAF0D, 0x983D,
        0xB40C, 0x833C, 0xDA6C, 0xED5C, 0x68CC, 0x5FFC, 0x06AC, 0x319C,
        0x5ECE, 0x69FE, 0x30AE, 0x079E, 0x820E, 0xB53E, 0xEC6E, 0xDB5E,
        0xF76F, 0xC05F, 0x990F, 0xAE3F, 0x2BAF, 0x1C9F, 0x45CF, 0x72FF,
        0x9B6B, 0xAC5B, 0xF50B, 0xC23B, 0x47AB, 0x709B, 0x29CB, 0x1EFB,
        0x32CA, 0x05FA, 0x5CAA, 0x6B9A, 0xEE0A, 0xD93A, 0x806A, 0xB75A,
        0xD808, 0xEF38, 0xB668, 0x8158, 0x04C8, 0x33F8, 0x6AA8, 0x5D98,
        0x71A9, 0x4699, 0x1FC9, 0x28F9, 0xAD69, 0x9A59, 0xC309, 0xF439,
        0x3B5A, 0x0C6A, 0x553A, 0x620A, 0xE79A, 0xD0AA, 0x89FA, 0xBECA,
        0x92FB, 0xA5CB, 0xFC9B, 0xCBAB, 0x4E3B, 0x790B, 0x205B, 0x176B,
        0x7839, 0x4F09, 0x1659, 0x2169, 0xA4F9, 0x93C9, 0xCA99, 0xFDA9,
        0xD198, 0xE6A8, 0xBFF8, 0x88C8, 0x0D58, 0x3A68, 0x6338, 0x5408,
        0xBD9C, 0x8AAC, 0xD3FC, 0xE4CC, 0x615C, 0x566C, 0x0F3C, 0x380C,
        0x143D, 0x230D, 0x7A5D, 0x4D6D, 0xC8FD, 0xFFCD, 0xA69D, 0x91AD,
        0xFEFF, 0xC9CF, 0x909F, 0xA7AF, 0x223F, 0x150F, 0x4C5F, 0x7B6F,
        0x575E, 0x606E, 0x393E, 0x0E0E, 0x8B9E, 0xBCAE, 0xE5FE, 0xD2CE,
        0x26F7, 0x11C7, 0x4897, 0x7FA7, 0xFA37, 0xCD07, 0x9457, 0xA367,
        0x8F56, 0xB866, 0xE136, 0xD606, 0x5396, 0x64A6, 0x3DF6, 0x0AC6,
        0x6594, 0x52A4, 0x0BF4, 0x3CC4, 0xB954, 0x8E64, 0xD734, 0xE004,
        0xCC35, 0xFB05, 0xA255, 0x9565, 0x10F5, 0x27C5, 0x7E95, 0x49A5,
        0xA031, 0x9701, 0xCE51, 0xF961, 0x7CF1, 0x4BC1, 0x1291, 0x25A1,
        0x0990, 0x3EA0, 0x67F0, 0x50C0, 0xD550, 0xE260, 0xBB30, 0x8C00,
        0xE352, 0xD462, 0x8D32, 0xBA02, 0x3F92, 0x08A2, 0x51F2, 0x66C2,
        0x4AF3, 0x7DC3, 0x2493, 0x13A3, 0x9633, 0xA103, 0xF853, 0xCF63,
    },
    {
        0x0000, 0x76B4, 0xED68, 0x9BDC, 0xCAF1, 0xBC45, 0x2799, 0x512D,
        0x85C3, 0xF377, 0x68AB, 0x1E1F, 0x4F32, 0x3986, 0xA25A, 0xD4EE,
        0x1BA7, 0x6D13, 0xF6CF, 0x807B, 0xD156, 0xA7E2, 0x3C3E, 0x4A8A,
        0x9E64, 0xE8D0, 0x730C, 0x05B8, 0x5495, 0x2221, 0xB9FD, 0xCF49,
        0x374E, 0x41FA, 0xDA26, 0xAC92, 0xFDBF, 0x8B0B, 0x10D7, 0x6663,
        0xB28D, 0xC439, 0x5FE5, 0x2951, 0x787C, 0x0EC8, 0x9514, 0xE3A0,
        0x2CE9, 0x5A5D, 0xC181, 0xB735, 0xE618, 0x90AC, 0x0B70, 0x7DC4,
        0xA92A, 0xDF9E, 0x4442, 0x32F6, 0x63DB, 0x156F, 0x8EB3, 0xF807,
        0x6E9C, 0x1828, 0x83F4, 0xF540, 0xA46D, 0xD2D9, 0x4905, 0x3FB1,
        0xEB5F, 0x9DEB, 0x0637, 0x7083, 0x21AE, 0x571A, 0xCCC6, 0xBA72,
        0x753B, 0x038F, 0x9853, 0xEEE7, 0xBFCA, 0xC97E, 0x52A2, 0x2416,
        0xF0F8, 0x864C, 0x1D90, 0x6B24, 0x3A09, 0x4CBD, 0xD761, 0xA1D5,
        0x59D2, 0x2F66, 0xB4BA, 0xC20E, 0x9323, 0xE597, 0x7E4B, 0x08FF,
        0xDC11, 0xAAA5, 0x3179, 0x47CD, 0x16E0, 0x6054, 0xFB88, 0x8D3C,
        0x4275, 0x34C1, 0xAF1D, 0xD9A9, 0x8884, 0xFE30, 0x65EC, 0x1358,
        0xC7B6, 0xB102, 0x2ADE, 0x5C6A, 0x0D47, 0x7BF3, 0xE02F, 0x969B,
        0xDD38, 0xAB8C, 0x3050, 0x46E4, 0x17C9, 0x617D, 0xFAA1, 0x8C15,
        0x58FB, 0x2E4F, 0xB593, 0xC327, 0x920A, 0xE4BE, 0x7F62, 0x09D6,
        0xC69F, 0xB02B, 0x2BF7, 0x5D43, 0x0C6E, 0x7ADA, 0xE106, 0x97B2,
        0x435C, 0x35E8, 0xAE34, 0xD880, 0x89AD, 0xFF19, 0x64C5, 0x1271,
        0xEA76, 0x9CC2, 0x071E, 0x71AA, 0x2087, 0x5633, 0xCDEF, 0xBB5B,
        0x6FB5, 0x1901, 0x82DD, 0xF469, 0xA544, 0xD3F0, 0x482C, 0x3E98,
        0xF1D1, 0x8765, 0x1CB9, 0x6A0D, 0x3B20, 0x4D94, 0xD648, 0xA0FC,
        0x7412, 0x02A6, 0x997A, 0xEFCE, 0xBEE3, 0xC857, 0x538B, 0x253F,
        0xB3A4, 0xC510, 0x5ECC, 0x2878, 0x7955, 0x0FE1, 0x943D, 0xE289,
        0x3667, 0x40D3, 0xDB0F, 0xADBB, 0xFC96, 0x8A22, 0x11FE, 0x674A,
        0xA803, 0xDEB7, 0x456B, 0x33DF, 0x62F2, 0x1446, 0x8F9A, 0xF92E,
        0x2DC0, 0x5B74, 0xC0A8, 0xB61C, 0xE731, 0x9185, 0x0A59, 0x7CED,
        0x84EA, 0xF25E, 0x6982, 0x1F36, 0x4E1B, 0x38AF, 0xA373, 0xD5C7,
        0x0129, 0x779D, 0xEC41, 0x9AF5, 0xCBD8, 0xBD6C, 0x26B0, 0x5004,
        0x9F4D, 0xE9F9, 0x7225, 0x0491, 0x55BC, 0x2308, 0xB8D4, 0xCE60,
        0x1A8E, 0x6C3A, 0xF7E6, 0x8152, 0xD07F, 0xA6CB, 0x3D17, 0x4BA3,
    },
};

static inline uint16_t wire_crc16(uint16_t crc, const uint8_t *p, size_t n)
{
    const uint16_t(*t)[256] = wire_crc16_table;
    while (n >= 4) {
        crc = (uint16_t)(t[3][(crc >> 8) ^ p[0]] ^ t[2][(crc & 0xFFu) ^ p[1]] ^ t[1][p[2]] ^
                         t[0][p[3]]);
        p += 4;
        n -= 4;
    }
    while (n--)
        crc = (uint16_t)((crc << 8) ^ t[0][((crc >> 8) ^ *p++) & 0xFFu]);
    return crc;
}

static inline uint16_t wire_packet_crc(const uint8_t *buf, size_t len)
{
    uint16_t crc = wire_crc16(0xFFFFu, buf, 14);
    return wire_crc16(crc, buf + WIRE_PKT_HEADER, len - WIRE_PKT_HEADER);
}

/* ---- Stream packet encode / decode -------------------------------------- */

/* Encodes p into buf (at least WIRE_PKT_MAX bytes). Returns the packet length,
 * or 0 when p->count is out of range. */
static inline size_t wire_encode_packet(const wire_packet *p, uint8_t *buf)
{
    if (p->count < 1 || p->count > WIRE_MAX_SAMPLES)
        return 0;
    size_t len = WIRE_PKT_HEADER + (size_t)p->count * WIRE_SAMPLE_BYTES;
    buf[0] = WIRE_PROTOCOL_VERSION;
    buf[1] = (uint8_t)(((unsigned)p->flags & ~(WIRE_FLAG_COUNT_MASK | WIRE_FLAG_RESERVED)) |
                       ((unsigned)(p->count - 1) & WIRE_FLAG_COUNT_MASK));
    wire_put16(buf + 2, p->seq);
    wire_put32(buf + 4, p->sample_index);
    wire_put32(buf + 8, p->t_us);
    wire_put16(buf + 12, p->period_qus);
    uint8_t *s = buf + WIRE_PKT_HEADER;
    for (unsigned k = 0; k < p->count; k++) {
        for (int a = 0; a < 3; a++)
            wire_put16(s + 2 * a, (uint16_t)p->s[k].acc[a]);
        for (int a = 0; a < 3; a++)
            wire_put16(s + 6 + 2 * a, (uint16_t)p->s[k].gyr[a]);
        s += WIRE_SAMPLE_BYTES;
    }
    wire_put16(buf + 14, wire_packet_crc(buf, len));
    return len;
}

/* Decodes len bytes of untrusted input. On WIRE_OK *p holds the packet. */
static inline wire_status wire_decode_packet(const uint8_t *buf, size_t len, wire_packet *p)
{
    if (len < WIRE_PKT_HEADER + WIRE_SAMPLE_BYTES)
        return WIRE_ESHORT;
    if (buf[0] != WIRE_PROTOCOL_VERSION)
        return WIRE_EVERSION;
    unsigned count = (unsigned)(buf[1] & WIRE_FLAG_COUNT_MASK) + 1u;
    if (len != WIRE_PKT_HEADER + count * WIRE_SAMPLE_BYTES)
        return len < WIRE_PKT_HEADER + count * WIRE_SAMPLE_BYTES ? WIRE_ESHORT : WIRE_ELENGTH;
    if (wire_get16(buf + 14) != wire_packet_crc(buf, len))
        return WIRE_ECRC;
    if ((buf[1] & WIRE_FLAG_RESERVED) != 0 || wire_get16(buf + 12) == 0)
        return WIRE_EFLAGS;
    p->version = buf[0];
    p->flags = (uint8_t)(buf[1] & ~WIRE_FLAG_COUNT_MASK);
    p->count = (uint8_t)count;
    p->seq = wire_get16(buf + 2);
    p->sample_index = wire_get32(buf + 4);
    p->t_us = wire_get32(buf + 8);
    p->period_qus = wire_get16(buf + 12);
    const uint8_t *s = buf + WIRE_PKT_HEADER;
    for (unsigned k = 0; k < count; k++) {
        for (int a = 0; a < 3; a++)
            p->s[k].acc[a] = (int16_t)wire_get16(s + 2 * a);
        for (int a = 0; a < 3; a++)
            p->s[k].gyr[a] = (int16_t)wire_get16(s + 6 + 2 * a);
        s += WIRE_SAMPLE_BYTES;
    }
    return WIRE_OK;
}

/* ---- GET_INFO / SET_CONFIG payloads -------------------------------------- */

static inline void wire_encode_info(const wire_info *in, uint8_t buf[WIRE_INFO_SIZE])
{
    buf[0] = in->protocol;
    buf[1] = in->fw_major;
    buf[2] = in->fw_minor;
    buf[3] = in->fw_patch;
    buf[4] = in->imu_id;
    buf[5] = in->status;
    wire_put16(buf + 6, in->odr_hz);
    wire_put16(buf + 8, in->acc_range_g);
    wire_put16(buf + 10, in->gyr_range_dps);
    wire_put32(buf + 12, in->acc_ug_per_lsb);
    wire_put32(buf + 16, in->gyr_udps_per_lsb);
    wire_put32(buf + 20, in->period_ns);
    buf[24] = in->board;
    buf[25] = in->max_samples;
    buf[26] = 0;
    buf[27] = 0;
    wire_put32(buf + 28, in->overruns);
}

/* Decodes a GET_INFO reply; false when it is short or from another protocol version. */
static inline bool wire_decode_info(const uint8_t *buf, size_t len, wire_info *out)
{
    if (len < WIRE_INFO_SIZE || buf[0] != WIRE_PROTOCOL_VERSION)
        return false;
    out->protocol = buf[0];
    out->fw_major = buf[1];
    out->fw_minor = buf[2];
    out->fw_patch = buf[3];
    out->imu_id = buf[4];
    out->status = buf[5];
    out->odr_hz = wire_get16(buf + 6);
    out->acc_range_g = wire_get16(buf + 8);
    out->gyr_range_dps = wire_get16(buf + 10);
    out->acc_ug_per_lsb = wire_get32(buf + 12);
    out->gyr_udps_per_lsb = wire_get32(buf + 16);
    out->period_ns = wire_get32(buf + 20);
    out->board = buf[24];
    out->max_samples = buf[25];
    out->overruns = wire_get32(buf + 28);
    return out->acc_ug_per_lsb != 0 && out->gyr_udps_per_lsb != 0 && out->period_ns != 0;
}

static inline void wire_encode_config(const wire_config *c, uint8_t buf[WIRE_CONFIG_SIZE])
{
    wire_put16(buf, c->odr_hz);
    wire_put16(buf + 2, c->acc_range_g);
    wire_put16(buf + 4, c->gyr_range_dps);
}

/* True when the values are ones the LSM6DSOX supports and the pod accepts. */
static inline bool wire_config_valid(const wire_config *c)
{
    bool odr = c->odr_hz == 104 || c->odr_hz == 208 || c->odr_hz == 416 || c->odr_hz == 833;
    bool acc = c->acc_range_g == 2 || c->acc_range_g == 4 || c->acc_range_g == 8 ||
               c->acc_range_g == 16;
    bool gyr = c->gyr_range_dps == 125 || c->gyr_range_dps == 250 || c->gyr_range_dps == 500 ||
               c->gyr_range_dps == 1000 || c->gyr_range_dps == 2000;
    return odr && acc && gyr;
}

static inline bool wire_decode_config(const uint8_t *buf, size_t len, wire_config *out)
{
    if (len != WIRE_CONFIG_SIZE)
        return false;
    out->odr_hz = wire_get16(buf);
    out->acc_range_g = wire_get16(buf + 2);
    out->gyr_range_dps = wire_get16(buf + 4);
    return wire_config_valid(out);
}

/* LSM6DSOX sensitivities (datasheet table 2): accelerometer in micro-g per LSB,
 * gyroscope in micro-dps per LSB. Zero for an unsupported range. */
static inline uint32_t wire_acc_ug_per_lsb(uint16_t range_g)
{
    switch (range_g) {
    case 2: return 61;
    case 4: return 122;
    case 8: return 244;
    case 16: return 488;
    default: return 0;
    }
}

static inline uint32_t wire_gyr_udps_per_lsb(uint16_t range_dps)
{
    switch (range_dps) {
    case 125: return 4375;
    case 250: return 8750;
    case 500: return 17500;
    case 1000: return 35000;
    case 2000: return 70000;
    default: return 0;
    }
}

/* Nominal LSM6DSOX output data rates are 12.5 * 2^k Hz: 104 is really 104.167 Hz,
 * 833 is 833.333 Hz. Period in nanoseconds for a supported rate, 0 otherwise. */
static inline uint32_t wire_period_ns(uint16_t odr_hz)
{
    switch (odr_hz) {
    case 104: return 9600000;
    case 208: return 4800000;
    case 416: return 2400000;
    case 833: return 1200000;
    default: return 0;
    }
}

#endif
