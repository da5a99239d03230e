/*
 * i2c.c - I2C0 master (DW_apb_i2c, RP2040 datasheet section 4.3), polled, 400 kHz.
 * Every wait is bounded by the microsecond timer: a missing or stuck sensor costs a
 * few milliseconds and an error code, never a hang.
 */
#include "port.h"
#include "regs.h"

#define CLK_SYS_HZ 125000000u
#define I2C_HZ 400000u
#define TIMEOUT_US 5000u

void i2c_init(uint8_t addr7)
{
    REG_SET(RESETS_RESET) = RESET_I2C0;
    unreset(RESET_I2C0);
    REG(IC_ENABLE) = 0;
    REG(IC_CON) = IC_CON_MASTER | IC_CON_SPEED_FAST | IC_CON_RESTART_EN | IC_CON_SLAVE_DISABLE |
                  IC_CON_TX_EMPTY_CTRL;
    REG(IC_TAR) = addr7;
    /* 400 kHz: 40 % high, 60 % low; hold SDA 300 ns after SCL falls. */
    uint32_t period = (CLK_SYS_HZ + I2C_HZ / 2u) / I2C_HZ;
    uint32_t lcnt = period * 3u / 5u, hcnt = period - lcnt;
    REG(IC_FS_SCL_HCNT) = hcnt;
    REG(IC_FS_SCL_LCNT) = lcnt;
    REG(IC_FS_SPKLEN) = lcnt < 16u ? 1u : lcnt / 16u;
    REG(IC_SDA_HOLD) = (CLK_SYS_HZ * 3u) / 10000000u + 1u;
    REG(IC_RX_TL) = 0;
    REG(IC_TX_TL) = 0;
    REG(IC_INTR_MASK) = 0; /* polled */
    REG(IC_ENABLE) = 1;

    /* Pads: input enabled, pull-up (the boards have external ones too), Schmitt. */
    for (uint32_t pin = BOARD_I2C_SDA; pin <= BOARD_I2C_SCL; pin++) {
        REG(PADS_GPIO(pin)) = PADS_IE | PADS_PUE | PADS_SCHMITT | PADS_DRIVE_4MA;
        REG(GPIO_CTRL(pin)) = GPIO_FUNC_I2C;
    }
}

/* Waits for the transfer's STOP; returns 0 or -1 when the target did not acknowledge. */
static int finish(uint64_t t0)
{
    for (;;) {
        uint32_t raw = REG(IC_RAW_INTR_STAT);
        if (raw & IC_INTR_TX_ABRT) {
            (void)REG(IC_CLR_TX_ABRT);
            (void)REG(IC_CLR_STOP_DET);
            return -1;
        }
        if (raw & IC_INTR_STOP_DET) {
            (void)REG(IC_CLR_STOP_DET);
            return 0;
        }
        if (timer_us() - t0 > TIMEOUT_US)
            return -2;
    }
}

int i2c_write_reg(void *user, uint8_t reg, const uint8_t *buf, size_t len)
{
    (void)user;
    uint64_t t0 = timer_us();
    (void)REG(IC_CLR_INTR);
    REG(IC_DATA_CMD) = reg | (len == 0 ? IC_DATA_CMD_STOP : 0u);
    for (size_t i = 0; i < len; i++) {
        while (REG(IC_TXFLR) >= IC_FIFO_DEPTH) {
            if (REG(IC_RAW_INTR_STAT) & IC_INTR_TX_ABRT)
                return finish(t0);
            if (timer_us() - t0 > TIMEOUT_US)
                return -2;
        }
        REG(IC_DATA_CMD) = buf[i] | (i + 1 == len ? IC_DATA_CMD_STOP : 0u);
    }
    return finish(t0);
}

int i2c_read_reg(void *user, uint8_t reg, uint8_t *buf, size_t len)
{
    (void)user;
    if (len == 0)
        return 0;
    uint64_t t0 = timer_us();
    (void)REG(IC_CLR_INTR);
    REG(IC_DATA_CMD) = reg;
    size_t sent = 0, got = 0;
    while (got < len) {
        /* Keep commands in flight without ever overfilling the RX FIFO. */
        while (sent < len && sent - got < IC_FIFO_DEPTH - 1u && REG(IC_TXFLR) < IC_FIFO_DEPTH) {
            REG(IC_DATA_CMD) = IC_DATA_CMD_READ | (sent == 0 ? IC_DATA_CMD_RESTART : 0u) |
                               (sent + 1 == len ? IC_DATA_CMD_STOP : 0u);
            sent++;
        }
        while (got < len && REG(IC_RXFLR) > 0)
            buf[got++] = (uint8_t)REG(IC_DATA_CMD);
        if (REG(IC_RAW_INTR_STAT) & IC_INTR_TX_ABRT)
            return finish(t0);
        if (got < len && timer_us() - t0 > TIMEOUT_US)
            return -2;
    }
    return finish(t0);
}
