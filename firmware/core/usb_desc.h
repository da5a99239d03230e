/*
 * usb_desc.h - the pod's USB descriptors: one configuration, one vendor-class
 * interface (0xFF) with one bulk IN endpoint (WIRE_EP_STREAM, 64 bytes), and
 * strings for manufacturer, product and the per-board serial number.
 */
#ifndef POD_USB_DESC_H
#define POD_USB_DESC_H

#include <stddef.h>
#include <stdint.h>

#define USB_DESC_DEVICE 1u
#define USB_DESC_CONFIGURATION 2u
#define USB_DESC_STRING 3u
#define USB_DESC_INTERFACE 4u
#define USB_DESC_ENDPOINT 5u
#define USB_DESC_DEVICE_QUALIFIER 6u

#define USB_EP0_SIZE 64u
#define USB_LANGID_EN_US 0x0409u
#define USB_STR_MANUFACTURER 1u
#define USB_STR_PRODUCT 2u
#define USB_STR_SERIAL 3u
#define USB_STR_COUNT 4u /* index 0 (language list) .. 3 */
#define USB_DEVICE_DESC_LEN 18u
#define USB_CONFIG_DESC_LEN (9u + 9u + 7u)
#define USB_BCD_DEVICE 0x0100u /* firmware 1.0 */

extern const uint8_t usb_device_desc[USB_DEVICE_DESC_LEN];
extern const uint8_t usb_config_desc[USB_CONFIG_DESC_LEN];

/* Builds string descriptor index (0 = supported languages) into buf (cap bytes).
 * serial is ASCII, NUL-terminated. Returns the full descriptor length (which may
 * exceed cap: the caller truncates to wLength), or 0 for an unknown index. */
size_t usb_string_desc(uint8_t index, const char *serial, uint8_t *buf, size_t cap);

#endif
