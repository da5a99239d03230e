/* test_fw_usb.c - the pod core's USB side: descriptors parse as valid USB descriptors,
 * enumeration, vendor requests, endpoint halt, bus reset, and hostile setup packets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "calftrack/wire.h"
#include "pod.h"
#include "usb_desc.h"

static pod P;

static void fresh(void)
{
    pod_params prm = pod_default_params;
    prm.serial = "CT-0042";
    prm.board = WIRE_BOARD_VIRTUAL;
    pod_init(&P, &prm);
}

static pod_ctrl_reply req(uint8_t bm, uint8_t br, uint16_t wv, uint16_t wi, uint16_t wl,
                          const uint8_t *out, uint8_t *in)
{
    uint8_t s[8] = {bm, br, (uint8_t)wv, (uint8_t)(wv >> 8), (uint8_t)wi, (uint8_t)(wi >> 8),
                    (uint8_t)wl, (uint8_t)(wl >> 8)};
    return pod_control(&P, s, out, out ? wl : 0, in, POD_CTRL_MAX_IN);
}

static void configure(void)
{
    uint8_t in[POD_CTRL_MAX_IN];
    pod_ctrl_reply r = req(0x00, 5, 7, 0, 0, NULL, in);
    assert_int_equal(r.kind, POD_CTRL_OK);
    r = req(0x00, 9, 1, 0, 0, NULL, in);
    assert_int_equal(r.kind, POD_CTRL_OK);
    assert_int_equal(r.changed & POD_CHG_CONFIG, POD_CHG_CONFIG);
}

static void device_descriptor_is_valid(void **state)
{
    (void)state;
    const uint8_t *d = usb_device_desc;
    assert_int_equal(d[0], 18);
    assert_int_equal(d[1], USB_DESC_DEVICE);
    assert_int_equal(wire_get16(d + 2), 0x0200);
    assert_int_equal(d[4], 0); /* class per interface */
    assert_int_equal(d[7], 64);
    assert_int_equal(wire_get16(d + 8), WIRE_USB_VID);
    assert_int_equal(wire_get16(d + 10), WIRE_USB_PID);
    assert_int_equal(d[14], USB_STR_MANUFACTURER);
    assert_int_equal(d[15], USB_STR_PRODUCT);
    assert_int_equal(d[16], USB_STR_SERIAL);
    assert_int_equal(d[17], 1);
}

/* Walks the configuration the way a host's parser does. */
static void config_descriptor_walks_cleanly(void **state)
{
    (void)state;
    const uint8_t *c = usb_config_desc;
    size_t total = wire_get16(c + 2);
    assert_int_equal(total, sizeof usb_config_desc);
    assert_int_equal(c[0], 9);
    assert_int_equal(c[1], USB_DESC_CONFIGURATION);
    assert_int_equal(c[5], 1);          /* bConfigurationValue */
    assert_true((c[7] & 0x80) != 0);    /* reserved bit 7 set */
    assert_true(c[8] <= 250);           /* at most 500 mA */
    int interfaces = 0, endpoints = 0, declared_eps = 0;
    size_t off = 0;
    while (off < total) {
        assert_true(c[off] >= 2);
        assert_true(off + c[off] <= total);
        if (c[off + 1] == USB_DESC_INTERFACE) {
            assert_int_equal(c[off], 9);
            interfaces++;
            declared_eps += c[off + 4];
            assert_int_equal(c[off + 5], 0xFF); /* vendor class */
        } else if (c[off + 1] == USB_DESC_ENDPOINT) {
            assert_int_equal(c[off], 7);
            endpoints++;
            assert_int_equal(c[off + 2], WIRE_EP_STREAM);
            assert_int_equal(c[off + 3] & 3, 2); /* bulk */
            assert_int_equal(wire_get16(c + off + 4), 64);
        }
        off += c[off];
    }
    assert_int_equal(off, total);
    assert_int_equal(interfaces, c[4]);
    assert_int_equal(endpoints, declared_eps);
    assert_int_equal(endpoints, 1);
}

static void string_descriptors_are_valid(void **state)
{
    (void)state;
    uint8_t buf[256];
    size_t n = usb_string_desc(0, "X", buf, sizeof buf);
    assert_int_equal(n, 4);
    assert_int_equal(wire_get16(buf + 2), USB_LANGID_EN_US);
    for (uint8_t i = 1; i < USB_STR_COUNT; i++) {
        n = usb_string_desc(i, "SERIAL01", buf, sizeof buf);
        assert_true(n >= 4 && n % 2 == 0);
        assert_int_equal(buf[0], n);
        assert_int_equal(buf[1], USB_DESC_STRING);
    }
    n = usb_string_desc(USB_STR_SERIAL, "SERIAL01", buf, sizeof buf);
    assert_int_equal(n, 2 + 2 * 8);
    assert_int_equal(buf[2], 'S');
    assert_int_equal(buf[3], 0);
    for (unsigned i = USB_STR_COUNT; i < 256; i++)
        assert_int_equal(usb_string_desc((uint8_t)i, "x", buf, sizeof buf), 0);
    /* A small buffer is never overrun; the full length is still reported. */
    uint8_t small[3] = {0xAA, 0xAA, 0xAA};
    assert_int_equal(usb_string_desc(USB_STR_PRODUCT, "x", small, 2), 2 + 2 * strlen("calftrack ankle IMU pod"));
    assert_int_equal(small[2], 0xAA);
}

static void enumeration_like_a_host(void **state)
{
    (void)state;
    fresh();
    uint8_t in[POD_CTRL_MAX_IN];
    pod_ctrl_reply r = req(0x80, 6, 0x0100, 0, 8, NULL, in); /* first 8 bytes, as Linux does */
    assert_int_equal(r.kind, POD_CTRL_OK);
    assert_int_equal(r.len, 8);
    assert_int_equal(in[7], 64);
    r = req(0x00, 9, 1, 0, 0, NULL, in); /* SET_CONFIGURATION before an address: refused */
    assert_int_equal(r.kind, POD_CTRL_STALL);
    r = req(0x00, 5, 42, 0, 0, NULL, in);
    assert_int_equal(r.kind, POD_CTRL_OK);
    assert_true(r.set_address);
    assert_int_equal(r.address, 42);
    r = req(0x80, 6, 0x0200, 0, 0xFFFF, NULL, in);
    assert_int_equal(r.len, sizeof usb_config_desc);
    r = req(0x80, 6, 0x0303, 0x0409, 0xFF, NULL, in);
    assert_int_equal(r.len, 2 + 2 * 7);
    assert_memory_equal(in + 2, "C\0T\0-\0" "0\0" "0\0" "4\0" "2\0", 14);
    r = req(0x00, 9, 1, 0, 0, NULL, in);
    assert_int_equal(r.kind, POD_CTRL_OK);
    assert_int_equal(P.usb.configuration, 1);
    r = req(0x80, 8, 0, 0, 1, NULL, in);
    assert_int_equal(r.len, 1);
    assert_int_equal(in[0], 1);
    r = req(0x81, 10, 0, 0, 1, NULL, in); /* GET_INTERFACE */
    assert_int_equal(r.len, 1);
    assert_int_equal(in[0], 0);
    r = req(0x00, 5, 43, 0, 0, NULL, in); /* SET_ADDRESS once configured: refused */
    assert_int_equal(r.kind, POD_CTRL_STALL);
    r = req(0x00, 9, 0, 0, 0, NULL, in); /* back to addressed */
    assert_int_equal(r.kind, POD_CTRL_OK);
    assert_int_equal(P.usb.configuration, 0);
}

static void vendor_requests(void **state)
{
    (void)state;
    fresh();
    uint8_t in[POD_CTRL_MAX_IN];
    pod_ctrl_reply r = req(0x40, WIRE_REQ_START, 0, 0, 0, NULL, in);
    assert_int_equal(r.kind, POD_CTRL_STALL); /* not configured */
    configure();

    r = req(0xC0, WIRE_REQ_GET_INFO, 0, 0, 64, NULL, in);
    assert_int_equal(r.kind, POD_CTRL_OK);
    assert_int_equal(r.len, WIRE_INFO_SIZE);
    wire_info info;
    assert_true(wire_decode_info(in, r.len, &info));
    assert_int_equal(info.imu_id, 0x6C);
    assert_int_equal(info.status, WIRE_STATUS_IMU_OK);
    assert_int_equal(info.odr_hz, 833);
    assert_int_equal(info.acc_ug_per_lsb, 488);
    assert_int_equal(info.gyr_udps_per_lsb, 70000);
    assert_int_equal(info.period_ns, 1200000);
    assert_int_equal(info.board, WIRE_BOARD_VIRTUAL);
    assert_int_equal(info.max_samples, 4);

    r = req(0xC0, WIRE_REQ_GET_SERIAL, 0, 0, 3, NULL, in);
    assert_int_equal(r.len, 3);
    assert_memory_equal(in, "CT-", 3);

    uint8_t cfg[6];
    wire_config c = {208, 8, 1000};
    wire_encode_config(&c, cfg);
    r = req(0x40, WIRE_REQ_SET_CONFIG, 0, 0, 6, cfg, in);
    assert_int_equal(r.kind, POD_CTRL_OK);
    assert_int_equal(pod_config(&P).odr_hz, 208);
    assert_int_equal(pod_config(&P).acc_range_g, 8);
    c.gyr_range_dps = 300;
    wire_encode_config(&c, cfg);
    r = req(0x40, WIRE_REQ_SET_CONFIG, 0, 0, 6, cfg, in);
    assert_int_equal(r.kind, POD_CTRL_STALL);
    assert_int_equal(pod_config(&P).gyr_range_dps, 1000); /* unchanged */

    r = req(0x40, WIRE_REQ_START, 0, 0, 0, NULL, in);
    assert_int_equal(r.kind, POD_CTRL_OK);
    assert_int_equal(r.changed, POD_CHG_STREAM);
    assert_true(pod_streaming(&P));
    c.gyr_range_dps = 2000;
    wire_encode_config(&c, cfg);
    r = req(0x40, WIRE_REQ_SET_CONFIG, 0, 0, 6, cfg, in);
    assert_int_equal(r.kind, POD_CTRL_STALL); /* not while streaming */
    r = req(0xC0, WIRE_REQ_GET_INFO, 0, 0, 32, NULL, in);
    assert_int_equal(in[5], WIRE_STATUS_IMU_OK | WIRE_STATUS_STREAMING);
    r = req(0x40, WIRE_REQ_STOP, 0, 0, 0, NULL, in);
    assert_int_equal(r.kind, POD_CTRL_OK);
    assert_false(pod_streaming(&P));
    r = req(0x40, WIRE_REQ_STOP, 0, 0, 0, NULL, in); /* idempotent */
    assert_int_equal(r.kind, POD_CTRL_OK);
    assert_int_equal(r.changed, 0);
}

static void two_phase_out_request(void **state)
{
    (void)state;
    fresh();
    configure();
    uint8_t in[POD_CTRL_MAX_IN];
    uint8_t s[8] = {0x40, WIRE_REQ_SET_CONFIG, 0, 0, 0, 0, 6, 0};
    pod_ctrl_reply r = pod_ctrl_setup(&P, s, in, sizeof in);
    assert_int_equal(r.kind, POD_CTRL_NEED_DATA);
    uint8_t cfg[6];
    wire_config c = {416, 2, 125};
    wire_encode_config(&c, cfg);
    r = pod_ctrl_data(&P, cfg, 5); /* short data stage */
    assert_int_equal(r.kind, POD_CTRL_STALL);
    r = pod_ctrl_data(&P, cfg, 6); /* nothing pending any more */
    assert_int_equal(r.kind, POD_CTRL_STALL);
    r = pod_ctrl_setup(&P, s, in, sizeof in);
    r = pod_ctrl_data(&P, cfg, 6);
    assert_int_equal(r.kind, POD_CTRL_OK);
    assert_int_equal(pod_config(&P).gyr_range_dps, 125);
    /* A new SETUP abandons a pending data stage. */
    r = pod_ctrl_setup(&P, s, in, sizeof in);
    uint8_t get_status[8] = {0x80, 0, 0, 0, 0, 0, 2, 0};
    r = pod_ctrl_setup(&P, get_status, in, sizeof in);
    assert_int_equal(r.kind, POD_CTRL_OK);
    r = pod_ctrl_data(&P, cfg, 6);
    assert_int_equal(r.kind, POD_CTRL_STALL);
}

static void endpoint_halt(void **state)
{
    (void)state;
    fresh();
    uint8_t in[POD_CTRL_MAX_IN];
    pod_ctrl_reply r = req(0x82, 0, 0, 0x81, 2, NULL, in);
    assert_int_equal(r.kind, POD_CTRL_STALL); /* 0x81 does not exist until configured */
    configure();
    r = req(0x02, 3, 0, 0x81, 0, NULL, in);
    assert_int_equal(r.kind, POD_CTRL_OK);
    assert_int_equal(r.changed, POD_CHG_HALT);
    assert_true(P.usb.halted);
    r = req(0x82, 0, 0, 0x81, 2, NULL, in);
    assert_int_equal(r.len, 2);
    assert_int_equal(in[0], 1);
    r = req(0x02, 1, 0, 0x81, 0, NULL, in);
    assert_int_equal(r.kind, POD_CTRL_OK);
    assert_false(P.usb.halted);
    r = req(0x82, 0, 0, 0x80, 2, NULL, in); /* EP0 is never halted */
    assert_int_equal(in[0], 0);
    r = req(0x02, 3, 0, 0x00, 0, NULL, in);
    assert_int_equal(r.kind, POD_CTRL_STALL);
}

static void bus_reset_forgets_everything(void **state)
{
    (void)state;
    fresh();
    configure();
    uint8_t in[POD_CTRL_MAX_IN];
    req(0x40, WIRE_REQ_START, 0, 0, 0, NULL, in);
    wire_sample s = {{1, 2, 3}, {4, 5, 6}};
    for (int i = 0; i < 8; i++)
        pod_feed(&P, &s, (uint32_t)(i * 1200));
    assert_int_equal(pod_packets_queued(&P), 2);
    pod_usb_reset(&P);
    assert_false(pod_streaming(&P));
    assert_int_equal(P.usb.configuration, 0);
    assert_int_equal(P.usb.address, 0);
    assert_int_equal(pod_packets_queued(&P), 0);
}

/* Hand-picked malformed requests, each of which must STALL. */
static void hostile_setups_stall(void **state)
{
    (void)state;
    static const uint8_t bad[][8] = {
        {0x80, 6, 4, 3, 0x09, 0x04, 0xFF, 0},    /* string index 4 */
        {0x80, 6, 1, 3, 0x07, 0x04, 0xFF, 0},    /* foreign language */
        {0x80, 6, 0, 3, 0x09, 0x04, 0xFF, 0},    /* index 0 must have wIndex 0 */
        {0x80, 6, 1, 2, 0, 0, 0xFF, 0},          /* configuration 1 */
        {0x80, 6, 0, 6, 0, 0, 10, 0},            /* device qualifier */
        {0x80, 6, 0, 1, 1, 0, 18, 0},            /* device descriptor with wIndex */
        {0x81, 6, 0, 0x22, 0, 0, 0xFF, 0},       /* class (HID report) descriptor */
        {0x00, 6, 0, 1, 0, 0, 0, 0},             /* GET_DESCRIPTOR as OUT */
        {0x80, 0, 0, 0, 0, 0, 0xFF, 0xFF},       /* GET_STATUS wLength 0xFFFF */
        {0x80, 0, 1, 0, 0, 0, 2, 0},             /* GET_STATUS wValue 1 */
        {0x82, 0, 0, 0, 0x82, 0, 2, 0},          /* missing endpoint */
        {0x83, 0, 0, 0, 0, 0, 2, 0},             /* recipient "other" */
        {0x00, 5, 0x80, 0, 0, 0, 0, 0},          /* address 128 */
        {0x00, 5, 1, 0, 1, 0, 0, 0},             /* SET_ADDRESS with wIndex */
        {0x00, 9, 2, 0, 0, 0, 0, 0},             /* configuration 2 */
        {0x00, 3, 1, 0, 0, 0, 0, 0},             /* DEVICE_REMOTE_WAKEUP: not offered */
        {0x00, 3, 2, 0, 0, 4, 0, 0},             /* TEST_MODE */
        {0x00, 7, 0, 1, 0, 0, 18, 0},            /* SET_DESCRIPTOR */
        {0x82, 12, 0, 0, 0x81, 0, 2, 0},         /* SYNCH_FRAME */
        {0x00, 0xFF, 0, 0, 0, 0, 0, 0},          /* unknown standard request */
        {0x21, 0x22, 3, 0, 0, 0, 0, 0},          /* class request */
        {0x60, 1, 0, 0, 0, 0, 0, 0},             /* reserved type */
        {0xC0, WIRE_REQ_GET_INFO, 0, 0, 0, 0, 31, 0},
        {0xC0, WIRE_REQ_GET_INFO, 0, 0, 1, 0, 32, 0},
        {0xC0, WIRE_REQ_GET_INFO, 1, 0, 0, 0, 32, 0},
        {0xC1, WIRE_REQ_GET_INFO, 0, 0, 0, 0, 32, 0},
        {0x40, WIRE_REQ_GET_INFO, 0, 0, 0, 0, 0, 0},
        {0xC0, WIRE_REQ_START, 0, 0, 0, 0, 1, 0},
        {0x40, WIRE_REQ_START, 0, 0, 0, 0, 4, 0},
        {0x40, WIRE_REQ_STOP, 0, 0, 0, 0, 1, 0},
        {0x40, WIRE_REQ_SET_CONFIG, 0, 0, 0, 0, 5, 0},
        {0x40, WIRE_REQ_SET_CONFIG, 0, 0, 0, 0, 0, 0x10},
        {0xC0, WIRE_REQ_SET_CONFIG, 0, 0, 0, 0, 6, 0},
        {0xC0, WIRE_REQ_GET_SERIAL, 0, 0, 0, 0, 0, 0},
        {0xC0, 0x00, 0, 0, 0, 0, 64, 0},
        {0xC0, 0x77, 0, 0, 0, 0, 64, 0},
    };
    uint8_t in[POD_CTRL_MAX_IN];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fresh();
        configure();
        pod_ctrl_reply r = pod_control(&P, bad[i], NULL, 0, in, sizeof in);
        if (r.kind != POD_CTRL_STALL)
            fail_msg("hostile setup %zu (%02x %02x ...) was not stalled", i, bad[i][0], bad[i][1]);
    }
}

/* Every bmRequestType x bRequest with awkward wValue/wIndex/wLength, then a random
 * stream: never a reply longer than wLength or the buffer, never a broken state. */
static void setup_space_sweep(void **state)
{
    (void)state;
    static const uint16_t vals[] = {0, 1, 0x81, 0x0100, 0x0200, 0x0303, 0x0409, 0x7FFF, 0xFFFF};
    uint8_t in[POD_CTRL_MAX_IN + 16];
    uint8_t out[64];
    memset(out, 0x5A, sizeof out);
    unsigned ok = 0, stalls = 0;
    for (unsigned bm = 0; bm < 256; bm++) {
        fresh();
        configure();
        for (unsigned br = 0; br < 256; br++) {
            for (size_t v = 0; v < sizeof vals / sizeof vals[0]; v++) {
                uint16_t wl = vals[(v + br) % (sizeof vals / sizeof vals[0])];
                uint8_t s[8] = {(uint8_t)bm, (uint8_t)br, (uint8_t)vals[v], (uint8_t)(vals[v] >> 8),
                                (uint8_t)vals[(v * 7) % 9], (uint8_t)(vals[(v * 7) % 9] >> 8),
                                (uint8_t)wl, (uint8_t)(wl >> 8)};
                memset(in + POD_CTRL_MAX_IN, 0xEE, 16);
                pod_ctrl_reply r = pod_control(&P, s, out, wl <= sizeof out ? wl : 0, in, POD_CTRL_MAX_IN);
                for (int k = 0; k < 16; k++)
                    assert_int_equal(in[POD_CTRL_MAX_IN + k], 0xEE);
                if (r.kind == POD_CTRL_STALL) {
                    stalls++;
                    continue;
                }
                ok++;
                assert_true(r.len <= wl);
                if (!(bm & 0x80))
                    assert_int_equal(r.len, 0);
                assert_true(P.usb.configuration <= 1);
                assert_true(P.usb.address <= 127);
            }
        }
    }
    assert_true(stalls > 500000); /* nearly everything in this space is malformed */
    assert_true(ok > 0);

    uint32_t x = 12345;
    fresh();
    for (int i = 0; i < 200000; i++) {
        uint8_t s[8];
        for (int k = 0; k < 8; k++) {
            x = x * 1103515245u + 12345u;
            s[k] = (uint8_t)(x >> 16);
        }
        uint16_t wl = (uint16_t)(s[6] | (s[7] << 8));
        pod_ctrl_reply r = pod_control(&P, s, out, wl <= sizeof out ? wl : 0, in, POD_CTRL_MAX_IN);
        if (r.kind == POD_CTRL_OK)
            assert_true(r.len <= wl && r.len <= POD_CTRL_MAX_IN);
    }
}

static void led_patterns(void **state)
{
    (void)state;
    fresh();
    assert_true(pod_led(&P, 0));     /* unconfigured: 50 ms flash every 2 s */
    assert_false(pod_led(&P, 100));
    assert_true(pod_led(&P, 2010));
    configure();
    assert_true(pod_led(&P, 100));   /* configured, idle: 1 Hz */
    assert_false(pod_led(&P, 600));
    uint8_t in[POD_CTRL_MAX_IN];
    req(0x40, WIRE_REQ_START, 0, 0, 0, NULL, in);
    for (uint32_t t = 0; t < 2000; t += 7)
        assert_true(pod_led(&P, t)); /* streaming: on */
    pod_usb_suspend(&P, true);
    assert_false(pod_led(&P, 0));    /* suspended: off */
    P.imu_ok = false;
    pod_usb_suspend(&P, false);
    int changes = 0;
    bool last = pod_led(&P, 0);
    for (uint32_t t = 1; t < 1000; t++) {
        bool now = pod_led(&P, t);
        changes += now != last;
        last = now;
    }
    assert_in_range(changes, 15, 17); /* 8 Hz: 16 edges a second */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(device_descriptor_is_valid),
        cmocka_unit_test(config_descriptor_walks_cleanly),
        cmocka_unit_test(string_descriptors_are_valid),
        cmocka_unit_test(enumeration_like_a_host),
        cmocka_unit_test(vendor_requests),
        cmocka_unit_test(two_phase_out_request),
        cmocka_unit_test(endpoint_halt),
        cmocka_unit_test(bus_reset_forgets_everything),
        cmocka_unit_test(hostile_setups_stall),
        cmocka_unit_test(setup_space_sweep),
        cmocka_unit_test(led_patterns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
