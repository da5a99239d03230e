/* usb_desc.c - descriptor tables, see usb_desc.h. */
#include "usb_desc.h"

#include "calftrack/wire.h"

#define LO(x) ((uint8_t)((x) & 0xFFu))
#define HI(x) ((uint8_t)(((x) >> 8) & 0xFFu))

const uint8_t usb_device_desc[USB_DEVICE_DESC_LEN] = {
    USB_DEVICE_DESC_LEN, USB_DESC_DEVICE,
    LO(0x0200), HI(0x0200),       /* bcdUSB 2.0 (full speed) */
    0x00, 0x00, 0x00,             /* class per interface */
    USB_EP0_SIZE,
    LO(WIRE_USB_VID), HI(WIRE_USB_VID),
    LO(WIRE_USB_PID), HI(WIRE_USB_PID),
    LO(USB_BCD_DEVICE), HI(USB_BCD_DEVICE),
    USB_STR_MANUFACTURER, USB_STR_PRODUCT, USB_STR_SERIAL,
    1,                            /* one configuration */
};

const uint8_t usb_config_desc[USB_CONFIG_DESC_LEN] = {
    9, USB_DESC_CONFIGURATION, LO(USB_CONFIG_DESC_LEN), HI(USB_CONFIG_DESC_LEN),
    1,    /* bNumInterfaces */
    1,    /* bConfigurationValue */
    0,    /* iConfiguration */
    0x80, /* bus powered, no remote wakeup */
    50,   /* 100 mA */
    9, USB_DESC_INTERFACE, 0, 0, 1, 0xFF, 0x00, 0x00, 0,
    7, USB_DESC_ENDPOINT, WIRE_EP_STREAM, 0x02 /* bulk */,
    LO(WIRE_EP_STREAM_SIZE), HI(WIRE_EP_STREAM_SIZE), 0,
};

_Static_assert(sizeof usb_device_desc == 18, "device descriptor is 18 bytes");
_Static_assert(sizeof usb_config_desc == 9 + 9 + 7, "configuration + interface + endpoint");
_Static_assert(WIRE_EP_STREAM_SIZE == 64, "full-speed bulk packets are 64 bytes");

static const char *const strings[USB_STR_COUNT] = {
    0, "calftrack", "calftrack ankle IMU pod", 0,
};

size_t usb_string_desc(uint8_t index, const char *serial, uint8_t *buf, size_t cap)
{
    if (index >= USB_STR_COUNT)
        return 0;
    if (index == 0) {
        const uint8_t langs[4] = {4, USB_DESC_STRING, LO(USB_LANGID_EN_US), HI(USB_LANGID_EN_US)};
        for (size_t i = 0; i < sizeof langs && i < cap; i++)
            buf[i] = langs[i];
        return sizeof langs;
    }
    const char *s = index == USB_STR_SERIAL ? serial : strings[index];
    size_t n = 0;
    while (s[n] != '\0' && n < 126) /* bLength is one byte: at most 126 UTF-16 units */
        n++;
    size_t len = 2 + 2 * n;
    if (cap > 0)
        buf[0] = (uint8_t)len;
    if (cap > 1)
        buf[1] = USB_DESC_STRING;
    for (size_t i = 0; i < n; i++) {
        if (2 + 2 * i < cap)
            buf[2 + 2 * i] = (uint8_t)s[i];
        if (3 + 2 * i < cap)
            buf[3 + 2 * i] = 0;
    }
    return len;
}
