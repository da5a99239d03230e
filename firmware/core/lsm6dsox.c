/* lsm6dsox.c - LSM6DSOX driver over an abstract bus, see lsm6dsox.h. */
#include "lsm6dsox.h"

#define RESET_POLLS 100 /* SW_RESET clears within ~50 us; one I2C read takes ~50 us */
#define READ_CHUNK_WORDS 8u

const char *lsm_strerror(lsm_status s)
{
    switch (s) {
    case LSM_OK: return "ok";
    case LSM_EBUS: return "bus error";
    case LSM_EID: return "WHO_AM_I mismatch: not an LSM6DSOX";
    case LSM_ERESET: return "software reset did not complete";
    case LSM_EARG: return "unsupported rate or range";
    case LSM_ESTATE: return "not initialised";
    }
    return "unknown";
}

uint8_t lsm_odr_code(uint16_t odr_hz)
{
    switch (odr_hz) {
    case 104: return 0x4;
    case 208: return 0x5;
    case 416: return 0x6;
    case 833: return 0x7;
    default: return 0xFF;
    }
}

uint8_t lsm_fs_xl_code(uint16_t acc_g)
{
    switch (acc_g) { /* FS_XL: 00 2 g, 01 16 g, 10 4 g, 11 8 g */
    case 2: return 0x0 << 2;
    case 16: return 0x1 << 2;
    case 4: return 0x2 << 2;
    case 8: return 0x3 << 2;
    default: return 0xFF;
    }
}

uint8_t lsm_fs_g_code(uint16_t gyr_dps)
{
    switch (gyr_dps) {
    case 125: return 0x02; /* FS_125 overrides FS_G */
    case 250: return 0x0 << 2;
    case 500: return 0x1 << 2;
    case 1000: return 0x2 << 2;
    case 2000: return 0x3 << 2;
    default: return 0xFF;
    }
}

static lsm_status rd(lsm6dsox *d, uint8_t reg, uint8_t *buf, size_t len)
{
    if (d->bus.read_reg(d->bus.user, reg, buf, len) != 0) {
        d->bus_errors++;
        return LSM_EBUS;
    }
    return LSM_OK;
}

static lsm_status wr(lsm6dsox *d, uint8_t reg, uint8_t v)
{
    if (d->bus.write_reg(d->bus.user, reg, &v, 1) != 0) {
        d->bus_errors++;
        return LSM_EBUS;
    }
    return LSM_OK;
}

lsm_status lsm_init(lsm6dsox *d, const lsm_bus *bus)
{
    d->bus = *bus;
    d->ready = false;
    d->who_am_i = 0;
    d->bus_errors = 0;
    d->half_mask = 0;
    d->unpaired = 0;
    d->fifo_words = 0;
    d->odr_hz = 833;
    d->acc_g = 16;
    d->gyr_dps = 2000;

    uint8_t v = 0;
    lsm_status st = rd(d, LSM_REG_WHO_AM_I, &v, 1);
    if (st != LSM_OK)
        return st;
    d->who_am_i = v;
    if (v != LSM_WHO_AM_I_VALUE)
        return LSM_EID;
    if ((st = wr(d, LSM_REG_CTRL3_C, LSM_CTRL3_SW_RESET)) != LSM_OK)
        return st;
    for (int i = 0;; i++) {
        if (i == RESET_POLLS)
            return LSM_ERESET;
        if ((st = rd(d, LSM_REG_CTRL3_C, &v, 1)) != LSM_OK)
            return st;
        if ((v & LSM_CTRL3_SW_RESET) == 0)
            break;
    }
    if ((st = wr(d, LSM_REG_CTRL3_C, LSM_CTRL3_BDU | LSM_CTRL3_IF_INC)) != LSM_OK)
        return st;
    d->ready = true;
    return lsm_configure(d, d->odr_hz, d->acc_g, d->gyr_dps);
}

lsm_status lsm_configure(lsm6dsox *d, uint16_t odr_hz, uint16_t acc_g, uint16_t gyr_dps)
{
    if (!d->ready)
        return LSM_ESTATE;
    uint8_t xl = lsm_fs_xl_code(acc_g), g = lsm_fs_g_code(gyr_dps);
    if (lsm_odr_code(odr_hz) == 0xFF || xl == 0xFF || g == 0xFF)
        return LSM_EARG;
    d->odr_hz = odr_hz;
    d->acc_g = acc_g;
    d->gyr_dps = gyr_dps;
    lsm_status st = wr(d, LSM_REG_CTRL1_XL, xl); /* ODR 0: power-down until start */
    if (st == LSM_OK)
        st = wr(d, LSM_REG_CTRL2_G, g);
    return st;
}

lsm_status lsm_fifo_start(lsm6dsox *d)
{
    if (!d->ready)
        return LSM_ESTATE;
    uint8_t odr = lsm_odr_code(d->odr_hz);
    d->half_mask = 0;
    lsm_status st;
    /* Bypass first: empties whatever an earlier run left behind. */
    if ((st = wr(d, LSM_REG_FIFO_CTRL4, LSM_FIFO_MODE_BYPASS)) != LSM_OK ||
        (st = wr(d, LSM_REG_FIFO_CTRL1, LSM_WATERMARK_WORDS)) != LSM_OK ||
        (st = wr(d, LSM_REG_FIFO_CTRL2, 0)) != LSM_OK ||
        (st = wr(d, LSM_REG_FIFO_CTRL3, (uint8_t)(odr << 4 | odr))) != LSM_OK ||
        (st = wr(d, LSM_REG_INT1_CTRL, 0x08)) != LSM_OK ||
        (st = wr(d, LSM_REG_FIFO_CTRL4, LSM_FIFO_MODE_CONTINUOUS)) != LSM_OK ||
        (st = wr(d, LSM_REG_CTRL1_XL, (uint8_t)(odr << 4 | lsm_fs_xl_code(d->acc_g)))) != LSM_OK ||
        (st = wr(d, LSM_REG_CTRL2_G, (uint8_t)(odr << 4 | lsm_fs_g_code(d->gyr_dps)))) != LSM_OK)
        return st;
    return LSM_OK;
}

lsm_status lsm_fifo_stop(lsm6dsox *d)
{
    if (!d->ready)
        return LSM_ESTATE;
    lsm_status st;
    if ((st = wr(d, LSM_REG_CTRL1_XL, lsm_fs_xl_code(d->acc_g))) != LSM_OK ||
        (st = wr(d, LSM_REG_CTRL2_G, lsm_fs_g_code(d->gyr_dps))) != LSM_OK ||
        (st = wr(d, LSM_REG_FIFO_CTRL4, LSM_FIFO_MODE_BYPASS)) != LSM_OK)
        return st;
    d->half_mask = 0;
    return LSM_OK;
}

/* Feeds one tagged FIFO word; returns true when it completed a sample in *out. */
static bool pair_word(lsm6dsox *d, const uint8_t *w, wire_sample *out)
{
    uint8_t sensor = (uint8_t)(w[0] >> 3), cnt = (uint8_t)((w[0] >> 1) & 3u);
    uint8_t bit;
    int16_t *dst;
    if (sensor == LSM_TAG_GYRO) {
        bit = 1;
        dst = d->half.gyr;
    } else if (sensor == LSM_TAG_ACCEL) {
        bit = 2;
        dst = d->half.acc;
    } else {
        return false; /* timestamp, temperature...: not batched by us, ignore */
    }
    if (d->half_mask != 0 && (cnt != d->half_cnt || (d->half_mask & bit))) {
        d->unpaired++; /* the waiting half's partner was lost (overrun) */
        d->half_mask = 0;
    }
    for (int a = 0; a < 3; a++)
        dst[a] = (int16_t)(uint16_t)(w[1 + 2 * a] | (w[2 + 2 * a] << 8));
    d->half_cnt = cnt;
    d->half_mask |= bit;
    if (d->half_mask != 3)
        return false;
    d->half_mask = 0;
    *out = d->half;
    return true;
}

lsm_status lsm_fifo_read(lsm6dsox *d, wire_sample *out, size_t max, size_t *n, bool *overrun)
{
    *n = 0;
    *overrun = false;
    if (!d->ready)
        return LSM_ESTATE;
    uint8_t st2[2];
    lsm_status st = rd(d, LSM_REG_FIFO_STATUS1, st2, 2);
    if (st != LSM_OK)
        return st;
    *overrun = (st2[1] & (LSM_FIFO_STATUS2_OVR | LSM_FIFO_STATUS2_OVR_LATCHED)) != 0;
    size_t words = (size_t)st2[0] | ((size_t)(st2[1] & LSM_FIFO_STATUS2_DIFF_HI) << 8);
    d->fifo_words = (uint16_t)words;
    /* Never read more words than the caller has room for: at most two per sample,
     * plus one to complete a waiting half. */
    size_t room = 2 * max + (d->half_mask ? 1u : 0u);
    if (words > room)
        words = room;
    uint8_t buf[READ_CHUNK_WORDS * LSM_FIFO_WORD];
    while (words > 0) {
        size_t k = words < READ_CHUNK_WORDS ? words : READ_CHUNK_WORDS;
        /* The FIFO output address wraps from 0x7E back to 0x78, so one burst reads k words. */
        if ((st = rd(d, LSM_REG_FIFO_DATA_OUT_TAG, buf, k * LSM_FIFO_WORD)) != LSM_OK)
            return st;
        for (size_t i = 0; i < k; i++)
            if (*n < max && pair_word(d, buf + i * LSM_FIFO_WORD, &out[*n]))
                (*n)++;
        words -= k;
    }
    return LSM_OK;
}
