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
 *  20   4   period_ns       sample period: the nominal one, corrected by the IMU's own
 *                           rate deviation (LSM6DSOX INTERNAL_FREQ_FINE) when it has one
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

/* CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection. Check "123456789" = 0x29B1. */
static inline uint16_t wire_crc16(uint16_t crc, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        crc = (uint16_t)(crc ^ ((uint16_t)p[i] << 8));
        for (int b = 0; b < 8; b++)
            crc = (crc & 0x8000u) ? (uint16_t)((crc << 1) ^ 0x1021u) : (uint16_t)(crc << 1);
    }
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
