/*
 * lsm6dsox_fake.h - a register-level LSM6DSOX that lives on the host, for the unit
 * tests and for a virtual pod that wants the firmware's real driver path.
 *
 * It answers lsm_bus read_reg/write_reg as the chip does over I2C: WHO_AM_I, SW_RESET
 * (self-clearing after one read), CTRL1_XL/CTRL2_G, FIFO_CTRL1..4, FIFO_STATUS1/2 and
 * the tagged FIFO output (gyroscope word, then accelerometer word, per sample; the
 * read address wraps from 0x7E to 0x78). While both sensors run and the FIFO is in
 * continuous mode it produces sample k at run start + (k + 1) periods of the nominal
 * ODR, with values from the caller's generator; when more than capacity_words are
 * waiting the oldest are dropped and FIFO_OVR is flagged, as on the chip.
 * Time moves only when the caller says: lsmfake_advance().
 */
#ifndef POD_LSM6DSOX_FAKE_H
#define POD_LSM6DSOX_FAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calftrack/wire.h"
#include "lsm6dsox.h"

/* Fills *out with global sample number k (counted over every run since init). */
typedef void (*lsmfake_gen)(void *user, uint32_t k, wire_sample *out);

typedef struct {
    uint8_t regs[128];
    uint8_t ptr;             /* register address auto-increment pointer */
    uint64_t now_ns;
    bool running;
    uint64_t run_start_ns;
    uint32_t run_period_ns;  /* ODR period of the current run */
    uint32_t produced;       /* samples ever produced: the next sample's global number */
    uint32_t run_first;      /* global number of the current run's first sample */
    uint32_t words_read;     /* words of the current run taken out or dropped */
    bool overrun;            /* latched until FIFO_STATUS2 is read */
    bool ever_overrun;
    bool reset_pending;
    uint32_t capacity_words; /* 512 by default (the chip holds more; smaller shows overruns sooner) */
    bool absent;             /* NACK everything: no chip on the bus */
    int32_t fail_in;         /* > 0: the fail_in-th transaction from now fails (one-shot) */
    uint32_t transactions;
    lsmfake_gen gen;
    void *gen_user;
} lsmfake;

void lsmfake_init(lsmfake *f, lsmfake_gen gen, void *user);
void lsmfake_advance(lsmfake *f, uint64_t ns);
uint32_t lsmfake_period_ns(const lsmfake *f); /* of the current ODR; 0 when off */
int lsmfake_read(void *f, uint8_t reg, uint8_t *buf, size_t len);
int lsmfake_write(void *f, uint8_t reg, const uint8_t *buf, size_t len);
lsm_bus lsmfake_bus(lsmfake *f);

#endif
