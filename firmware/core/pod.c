/*
 * pod.c - pod state: vendor requests, START/STOP/SET_CONFIG, timestamps, the LED
 * pattern. Standard USB requests live in usb_ctrl.c.
 */
#include <string.h>

#include "pod_internal.h"

_Static_assert(WIRE_INFO_SIZE == 32 && WIRE_CONFIG_SIZE == 6, "wire payload sizes");
_Static_assert(POD_CTRL_MAX_IN >= WIRE_INFO_SIZE && POD_CTRL_MAX_IN >= WIRE_SERIAL_MAX,
               "IN buffer holds every vendor reply");
_Static_assert(POD_CTRL_MAX_OUT >= WIRE_CONFIG_SIZE, "OUT buffer holds SET_CONFIG");
_Static_assert(WIRE_PKT_HEADER + WIRE_MAX_SAMPLES * WIRE_SAMPLE_BYTES == WIRE_EP_STREAM_SIZE,
               "a full stream packet is one bulk packet");

const pod_params pod_default_params = {
    .serial = NULL,
    .board = WIRE_BOARD_VIRTUAL,
    .imu = NULL,
    .imu_ok = false,
    .config = {.odr_hz = 833, .acc_range_g = 16, .gyr_range_dps = 2000},
    .clock_us = NULL,
    .clock_user = NULL,
};

void pod_init(pod *p, const pod_params *prm)
{
    memset(p, 0, sizeof *p);
    const char *s = prm->serial ? prm->serial : "0000000000000000";
    size_t n = 0;
    /* Printable ASCII only: it becomes a USB string and a file name on the host. */
    for (; s[n] != '\0' && n < WIRE_SERIAL_MAX; n++)
        p->serial[n] = (s[n] > 0x20 && s[n] < 0x7F) ? s[n] : '_';
    p->serial[n] = '\0';
    p->board = prm->board;
    p->clock_us = prm->clock_us;
    p->clock_user = prm->clock_user;
    p->imu = prm->imu;
    p->imu_ok = prm->imu == NULL || prm->imu_ok;
    p->cfg = wire_config_valid(&prm->config) ? prm->config : pod_default_params.config;
    ring_init(&p->tx);
    pktz_init(&p->pz, &p->tx, wire_period_ns(p->cfg.odr_hz));
    if (p->imu && p->imu_ok &&
        lsm_configure(p->imu, p->cfg.odr_hz, p->cfg.acc_range_g, p->cfg.gyr_range_dps) != LSM_OK)
        p->imu_ok = false;
}

void pod_set_time(pod *p, uint64_t now_us)
{
    p->now_us = now_us;
}

bool pod_streaming(const pod *p)
{
    return p->streaming;
}

wire_config pod_config(const pod *p)
{
    return p->cfg;
}

wire_info pod_info(const pod *p)
{
    wire_info i;
    memset(&i, 0, sizeof i);
    i.protocol = WIRE_PROTOCOL_VERSION;
    i.fw_major = POD_FW_MAJOR;
    i.fw_minor = POD_FW_MINOR;
    i.fw_patch = POD_FW_PATCH;
    if (p->imu == NULL)
        i.imu_id = LSM_WHO_AM_I_VALUE; /* external samples stand in for an LSM6DSOX */
    else
        i.imu_id = p->imu->who_am_i == LSM_WHO_AM_I_VALUE ? LSM_WHO_AM_I_VALUE : 0;
    i.status = (uint8_t)((p->imu_ok ? WIRE_STATUS_IMU_OK : 0) |
                         (p->streaming ? WIRE_STATUS_STREAMING : 0));
    if (p->imu && (p->imu->bus_errors > 0 || !p->imu_ok))
        i.status |= WIRE_STATUS_IMU_ERROR;
    i.odr_hz = p->cfg.odr_hz;
    i.acc_range_g = p->cfg.acc_range_g;
    i.gyr_range_dps = p->cfg.gyr_range_dps;
    i.acc_ug_per_lsb = wire_acc_ug_per_lsb(p->cfg.acc_range_g);
    i.gyr_udps_per_lsb = wire_gyr_udps_per_lsb(p->cfg.gyr_range_dps);
    i.period_ns = wire_period_ns(p->cfg.odr_hz);
    i.board = p->board;
    i.max_samples = WIRE_MAX_SAMPLES;
    i.overruns = p->overruns;
    return i;
}

void pod_usb_reset(pod *p)
{
    if (p->streaming)
        pod_stop_stream(p);
    p->usb.address = 0;
    p->usb.configuration = 0;
    p->usb.halted = false;
    p->usb.suspended = false;
    p->pending_valid = false;
    ring_init(&p->tx); /* the host forgot everything; so do we */
}

void pod_usb_suspend(pod *p, bool suspended)
{
    p->usb.suspended = suspended;
}

/* ---- streaming ---------------------------------------------------------- */

static uint64_t now(pod *p)
{
    if (p->clock_us)
        p->now_us = p->clock_us(p->clock_user);
    return p->now_us;
}

static uint32_t sample_time_us(const pod *p, uint64_t n)
{
    uint64_t period_ns = wire_period_ns(p->cfg.odr_hz);
    return (uint32_t)(p->t0_us + ((n + 1u) * period_ns) / 1000u);
}

static bool start_stream(pod *p)
{
    if (p->imu && (!p->imu_ok || lsm_fifo_start(p->imu) != LSM_OK))
        return false;
    p->streaming = true;
    p->t0_us = now(p); /* after the FIFO start: the sensor's first period begins here */
    p->n_read = 0;
    pktz_start(&p->pz, wire_period_ns(p->cfg.odr_hz));
    return true;
}

static void read_fifo(pod *p)
{
    size_t n = 0;
    bool overrun = false;
    uint64_t t = now(p); /* just before the FIFO level is taken */
    if (lsm_fifo_read(p->imu, p->scratch, POD_POLL_MAX, &n, &overrun) != LSM_OK)
        return; /* counted in imu->bus_errors; GET_INFO and the LED show it */
    if (overrun) {
        /* Continuous mode overwrote the oldest samples; what the FIFO held when we
         * looked were the newest ones. By the nominal rate, the first of them is
         * (exact with a sensor on its nominal rate; off by the sensor's rate error
         * times the gap otherwise, about 1 % of it for the LSM6DSOX): */
        p->overruns++;
        uint64_t period_ns = wire_period_ns(p->cfg.odr_hz);
        uint64_t produced = ((t - p->t0_us) * 1000u) / period_ns;
        uint64_t in_fifo = p->imu->fifo_words / 2u;
        uint64_t first = produced > in_fifo ? produced - in_fifo : 0;
        if (first > p->n_read) {
            pod_feed_gap(p, (uint32_t)(first - p->n_read));
        } else {
            pktz_flush(&p->pz);
            p->pz.pending_flags |= WIRE_FLAG_OVERRUN; /* lost some; count unknown */
        }
    }
    for (size_t i = 0; i < n; i++)
        pod_feed(p, &p->scratch[i], sample_time_us(p, p->n_read));
}

void pod_stop_stream(pod *p)
{
    if (p->imu && p->imu_ok) {
        read_fifo(p); /* samples taken before STOP still go out */
        lsm_fifo_stop(p->imu);
    }
    pktz_flush(&p->pz);
    p->streaming = false;
}

void pod_poll(pod *p, uint64_t now_us)
{
    p->now_us = now_us;
    if (p->streaming && p->imu && p->imu_ok)
        read_fifo(p);
}

void pod_feed(pod *p, const wire_sample *s, uint32_t t_us)
{
    if (!p->streaming)
        return;
    pktz_push(&p->pz, s, t_us);
    p->n_read++;
}

void pod_feed_gap(pod *p, uint32_t lost)
{
    if (!p->streaming || lost == 0)
        return;
    pktz_gap(&p->pz, lost);
    p->n_read += lost;
}

size_t pod_take_packet(pod *p, uint8_t buf[WIRE_PKT_MAX])
{
    return ring_pop(&p->tx, buf);
}

size_t pod_packets_queued(const pod *p)
{
    return ring_count(&p->tx);
}

/* ---- vendor requests ---------------------------------------------------- */

pod_ctrl_reply pod_vendor_setup(pod *p, const usb_setup *s, uint8_t *in, size_t in_cap)
{
    bool dir_in = (s->bmRequestType & USB_DIR_IN) != 0;
    /* Vendor requests go to the device, with wValue and wIndex zero. */
    if ((s->bmRequestType & USB_RECIP_MASK) != USB_RECIP_DEVICE || s->wValue != 0 ||
        s->wIndex != 0)
        return pod_stall();
    pod_ctrl_reply r;
    switch (s->bRequest) {
    case WIRE_REQ_GET_INFO: {
        if (!dir_in || s->wLength < WIRE_INFO_SIZE || in_cap < WIRE_INFO_SIZE)
            return pod_stall();
        wire_info info = pod_info(p);
        wire_encode_info(&info, in);
        return pod_ok(WIRE_INFO_SIZE);
    }
    case WIRE_REQ_GET_SERIAL: {
        size_t n = strlen(p->serial);
        if (!dir_in || s->wLength < 1)
            return pod_stall();
        if (n > s->wLength)
            n = s->wLength;
        if (n > in_cap)
            return pod_stall();
        memcpy(in, p->serial, n);
        return pod_ok((uint16_t)n);
    }
    case WIRE_REQ_START:
        if (dir_in || s->wLength != 0 || p->usb.configuration == 0)
            return pod_stall();
        if (p->streaming)
            pod_stop_stream(p);
        if (!start_stream(p))
            return pod_stall();
        r = pod_ok(0);
        r.changed = POD_CHG_STREAM;
        return r;
    case WIRE_REQ_STOP:
        if (dir_in || s->wLength != 0)
            return pod_stall();
        r = pod_ok(0);
        if (p->streaming) {
            pod_stop_stream(p);
            r.changed = POD_CHG_STREAM;
        }
        return r;
    case WIRE_REQ_SET_CONFIG:
        if (dir_in || s->wLength != WIRE_CONFIG_SIZE || p->streaming)
            return pod_stall();
        r.kind = POD_CTRL_NEED_DATA;
        r.len = 0;
        r.set_address = false;
        r.address = 0;
        r.changed = 0;
        return r;
    default:
        return pod_stall();
    }
}

pod_ctrl_reply pod_vendor_data(pod *p, const usb_setup *s, const uint8_t *out, size_t out_len)
{
    if (s->bRequest != WIRE_REQ_SET_CONFIG || p->streaming)
        return pod_stall();
    wire_config c;
    if (!wire_decode_config(out, out_len, &c))
        return pod_stall();
    if (p->imu && p->imu_ok &&
        lsm_configure(p->imu, c.odr_hz, c.acc_range_g, c.gyr_range_dps) != LSM_OK)
        return pod_stall();
    p->cfg = c;
    return pod_ok(0);
}

/* ---- LED ---------------------------------------------------------------- */

bool pod_led(const pod *p, uint32_t t_ms)
{
    if (p->usb.suspended)
        return false;
    if (!p->imu_ok || (p->imu && p->imu->bus_errors > 0 && !p->streaming))
        return (t_ms / 62u) % 2u == 0;
    if (p->streaming)
        return true;
    if (p->usb.configuration != 0)
        return (t_ms / 500u) % 2u == 0;
    return t_ms % 2000u < 50u;
}
