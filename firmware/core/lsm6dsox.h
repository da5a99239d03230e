/*
 * lsm6dsox.h - LSM6DSOX accelerometer + gyroscope driver over an abstract register bus.
 *
 * The driver never touches hardware: the platform supplies read_reg/write_reg in
 * lsm_bus (I2C on the pod, a register-level fake in the tests). It checks WHO_AM_I,
 * resets the chip, sets block data update and register auto-increment, programs ODR
 * and full scale, and streams through the FIFO (continuous mode, accelerometer and
 * gyroscope batched at the ODR, watermark set) pairing the tagged FIFO words back into
 * six-axis samples. Every bus error is counted and returned; nothing here waits forever.
 */
#ifndef POD_LSM6DSOX_H
#define POD_LSM6DSOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calftrack/wire.h"

/* Register map (datasheet section 8), only what the driver uses. */
#define LSM_REG_FIFO_CTRL1 0x07u /* watermark [7:0] */
#define LSM_REG_FIFO_CTRL2 0x08u /* bit 0: watermark bit 8 */
#define LSM_REG_FIFO_CTRL3 0x09u /* BDR_GY [7:4], BDR_XL [3:0] */
#define LSM_REG_FIFO_CTRL4 0x0Au /* FIFO_MODE [2:0] */
#define LSM_REG_INT1_CTRL 0x0Du  /* bit 3: FIFO threshold on INT1 */
#define LSM_REG_WHO_AM_I 0x0Fu
#define LSM_REG_CTRL1_XL 0x10u   /* ODR_XL [7:4], FS_XL [3:2] */
#define LSM_REG_CTRL2_G 0x11u    /* ODR_G [7:4], FS_G [3:2], FS_125 bit 1 */
#define LSM_REG_CTRL3_C 0x12u    /* BDU bit 6, IF_INC bit 2, SW_RESET bit 0 */
#define LSM_REG_FIFO_STATUS1 0x3Au /* DIFF_FIFO [7:0] */
#define LSM_REG_FIFO_STATUS2 0x3Bu /* WTM_IA 7, OVR_IA 6, FULL_IA 5, OVR_LATCHED 3, DIFF_FIFO [9:8] */
#define LSM_REG_FIFO_DATA_OUT_TAG 0x78u /* tag, then X_L..Z_H at 0x79..0x7E */

#define LSM_WHO_AM_I_VALUE 0x6Cu
#define LSM_I2C_ADDR 0x6Au

#define LSM_CTRL3_BDU 0x40u
#define LSM_CTRL3_IF_INC 0x04u
#define LSM_CTRL3_SW_RESET 0x01u
#define LSM_FIFO_MODE_BYPASS 0x00u
#define LSM_FIFO_MODE_CONTINUOUS 0x06u
#define LSM_FIFO_STATUS2_OVR 0x40u
#define LSM_FIFO_STATUS2_OVR_LATCHED 0x08u
#define LSM_FIFO_STATUS2_DIFF_HI 0x03u
#define LSM_TAG_GYRO 0x01u  /* TAG_SENSOR = tag >> 3 */
#define LSM_TAG_ACCEL 0x02u
#define LSM_FIFO_WORD 7u    /* tag + 6 data bytes */
#define LSM_WATERMARK_WORDS 8u /* 4 samples of accelerometer + gyroscope */

/* Bus access; both return 0 on success and a negative value on any bus error. */
typedef struct {
    int (*read_reg)(void *user, uint8_t reg, uint8_t *buf, size_t len);
    int (*write_reg)(void *user, uint8_t reg, const uint8_t *buf, size_t len);
    void *user;
} lsm_bus;

typedef enum {
    LSM_OK = 0,
    LSM_EBUS = -1,   /* the bus reported an error (NACK, timeout) */
    LSM_EID = -2,    /* WHO_AM_I is not an LSM6DSOX */
    LSM_ERESET = -3, /* software reset never completed */
    LSM_EARG = -4,   /* unsupported ODR or range */
    LSM_ESTATE = -5, /* not initialised */
} lsm_status;

const char *lsm_strerror(lsm_status s);

typedef struct {
    lsm_bus bus;
    bool ready;          /* init succeeded */
    uint8_t who_am_i;    /* last WHO_AM_I read, 0 if none */
    uint32_t bus_errors; /* since init */
    uint16_t odr_hz, acc_g, gyr_dps;
    /* FIFO word pairing: half a sample waiting for its other sensor. */
    uint8_t half_mask;   /* bit 0 gyro present, bit 1 accel present */
    uint8_t half_cnt;    /* TAG_CNT of the waiting half */
    wire_sample half;
    uint32_t unpaired;   /* FIFO words dropped because their partner never came */
    uint16_t fifo_words; /* FIFO level at the last lsm_fifo_read(), before reading */
} lsm6dsox;

/* Probes and resets the chip, then sets BDU and auto-increment. Sensors stay off. */
lsm_status lsm_init(lsm6dsox *d, const lsm_bus *bus);
/* Remembers ODR and full scale; written to the chip by lsm_fifo_start (the full scale
 * is written at once). Values as in wire_config_valid. */
lsm_status lsm_configure(lsm6dsox *d, uint16_t odr_hz, uint16_t acc_g, uint16_t gyr_dps);
/* Empties the FIFO, then turns both sensors on at the ODR with the FIFO in continuous mode. */
lsm_status lsm_fifo_start(lsm6dsox *d);
/* Sensors to power-down, FIFO to bypass (which empties it). */
lsm_status lsm_fifo_stop(lsm6dsox *d);
/* Reads up to max complete samples from the FIFO into out. *n gets the count,
 * *overrun whether the FIFO overflowed (older samples lost) since the last call. */
lsm_status lsm_fifo_read(lsm6dsox *d, wire_sample *out, size_t max, size_t *n, bool *overrun);

/* Register encodings, exposed for the tests and the fakes. 0xFF when unsupported. */
uint8_t lsm_odr_code(uint16_t odr_hz);
uint8_t lsm_fs_xl_code(uint16_t acc_g);
uint8_t lsm_fs_g_code(uint16_t gyr_dps); /* FS_G [3:2] | FS_125 bit 1, already shifted */

#endif
