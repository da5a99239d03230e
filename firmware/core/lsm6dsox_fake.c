/* lsm6dsox_fake.c - register-level LSM6DSOX on the host, see lsm6dsox_fake.h. */
#include "lsm6dsox_fake.h"

#include <string.h>

static void reset_regs(lsmfake *f)
{
    memset(f->regs, 0, sizeof f->regs);
    f->regs[LSM_REG_WHO_AM_I] = LSM_WHO_AM_I_VALUE;
    f->regs[LSM_REG_CTRL3_C] = LSM_CTRL3_IF_INC;
    f->running = false;
    f->words_read = 0;
    f->run_first = f->produced;
}

void lsmfake_init(lsmfake *f, lsmfake_gen gen, void *user)
{
    memset(f, 0, sizeof *f);
    f->capacity_words = 512;
    f->gen = gen;
    f->gen_user = user;
    reset_regs(f);
}

static uint32_t code_period_ns(uint8_t code)
{
    switch (code) {
    case 0x4: return 9600000;
    case 0x5: return 4800000;
    case 0x6: return 2400000;
    case 0x7: return 1200000;
    default: return 0;
    }
}

uint32_t lsmfake_period_ns(const lsmfake *f)
{
    return code_period_ns((uint8_t)(f->regs[LSM_REG_CTRL1_XL] >> 4));
}

static bool should_run(const lsmfake *f)
{
    uint8_t xl = (uint8_t)(f->regs[LSM_REG_CTRL1_XL] >> 4), g = (uint8_t)(f->regs[LSM_REG_CTRL2_G] >> 4);
    uint8_t bdr = f->regs[LSM_REG_FIFO_CTRL3];
    return (f->regs[LSM_REG_FIFO_CTRL4] & 7u) == LSM_FIFO_MODE_CONTINUOUS && xl != 0 && xl == g &&
           code_period_ns(xl) != 0 && (bdr & 0x0Fu) == xl && (bdr >> 4) == g;
}

static void update(lsmfake *f)
{
    if (!f->running)
        return;
    uint64_t n = (f->now_ns - f->run_start_ns) / f->run_period_ns;
    f->produced = f->run_first + (uint32_t)n;
    uint32_t total = 2u * (f->produced - f->run_first);
    if (total - f->words_read > f->capacity_words) {
        f->words_read = total - f->capacity_words; /* continuous mode drops the oldest */
        f->overrun = true;
        f->ever_overrun = true;
    }
}

static uint32_t level(lsmfake *f)
{
    update(f);
    return f->running ? 2u * (f->produced - f->run_first) - f->words_read : 0u;
}

void lsmfake_advance(lsmfake *f, uint64_t ns)
{
    f->now_ns += ns;
    update(f);
}

static void after_write(lsmfake *f, uint8_t reg)
{
    if (reg == LSM_REG_CTRL3_C && (f->regs[reg] & LSM_CTRL3_SW_RESET))
        f->reset_pending = true;
    bool on = should_run(f);
    if (on && !f->running) {
        f->running = true;
        f->run_start_ns = f->now_ns;
        f->run_period_ns = lsmfake_period_ns(f);
        f->run_first = f->produced;
        f->words_read = 0;
        f->overrun = false;
    } else if (!on && f->running) {
        update(f);
        f->running = false; /* bypass or power-down: the FIFO empties */
    }
}

static uint8_t read_one(lsmfake *f, uint8_t reg)
{
    if (reg == LSM_REG_CTRL3_C && f->reset_pending) {
        uint8_t v = f->regs[reg];
        f->reset_pending = false;
        reset_regs(f);
        return v; /* SW_RESET still reads set once, then it is clear */
    }
    if (reg == LSM_REG_FIFO_STATUS1)
        return (uint8_t)(level(f) & 0xFFu);
    if (reg == LSM_REG_FIFO_STATUS2) {
        uint32_t lvl = level(f);
        uint8_t v = (uint8_t)(((lvl >> 8) & LSM_FIFO_STATUS2_DIFF_HI) |
                              (f->overrun ? LSM_FIFO_STATUS2_OVR | LSM_FIFO_STATUS2_OVR_LATCHED : 0u) |
                              (lvl >= f->regs[LSM_REG_FIFO_CTRL1] && lvl > 0 ? 0x80u : 0u));
        f->overrun = false;
        return v;
    }
    if (reg >= LSM_REG_FIFO_DATA_OUT_TAG && reg <= LSM_REG_FIFO_DATA_OUT_TAG + 6u) {
        if (level(f) == 0)
            return 0;
        uint32_t k = f->run_first + f->words_read / 2u;
        bool gyro = (f->words_read & 1u) == 0;
        if (reg == LSM_REG_FIFO_DATA_OUT_TAG)
            return (uint8_t)(((gyro ? LSM_TAG_GYRO : LSM_TAG_ACCEL) << 3) | ((k & 3u) << 1));
        wire_sample s;
        memset(&s, 0, sizeof s);
        if (f->gen)
            f->gen(f->gen_user, k, &s);
        unsigned i = (unsigned)(reg - LSM_REG_FIFO_DATA_OUT_TAG - 1u);
        uint16_t v = (uint16_t)(gyro ? s.gyr[i / 2u] : s.acc[i / 2u]);
        if (reg == LSM_REG_FIFO_DATA_OUT_TAG + 6u)
            f->words_read++;
        return (uint8_t)(i % 2u ? v >> 8 : v & 0xFFu);
    }
    return f->regs[reg & 0x7Fu];
}

static bool transaction_fails(lsmfake *f)
{
    f->transactions++;
    if (f->absent)
        return true;
    if (f->fail_in > 0 && --f->fail_in == 0)
        return true;
    return false;
}

static uint8_t next_ptr(uint8_t reg)
{
    if (reg == LSM_REG_FIFO_DATA_OUT_TAG + 6u)
        return LSM_REG_FIFO_DATA_OUT_TAG;
    return (uint8_t)((reg + 1u) & 0x7Fu);
}

int lsmfake_read(void *user, uint8_t reg, uint8_t *buf, size_t len)
{
    lsmfake *f = user;
    if (transaction_fails(f))
        return -1;
    f->ptr = (uint8_t)(reg & 0x7Fu);
    for (size_t i = 0; i < len; i++) {
        buf[i] = read_one(f, f->ptr);
        if (f->regs[LSM_REG_CTRL3_C] & LSM_CTRL3_IF_INC)
            f->ptr = next_ptr(f->ptr);
    }
    return 0;
}

int lsmfake_write(void *user, uint8_t reg, const uint8_t *buf, size_t len)
{
    lsmfake *f = user;
    if (transaction_fails(f))
        return -1;
    f->ptr = (uint8_t)(reg & 0x7Fu);
    for (size_t i = 0; i < len; i++) {
        uint8_t r = f->ptr;
        if (r != LSM_REG_WHO_AM_I && r != LSM_REG_FIFO_STATUS1 && r != LSM_REG_FIFO_STATUS2)
            f->regs[r] = buf[i];
        after_write(f, r);
        if (f->regs[LSM_REG_CTRL3_C] & LSM_CTRL3_IF_INC)
            f->ptr = next_ptr(f->ptr);
    }
    return 0;
}

lsm_bus lsmfake_bus(lsmfake *f)
{
    lsm_bus b = {lsmfake_read, lsmfake_write, f};
    return b;
}
