/*
 * port.h - the RP2040 port: the few hardware services the pod's main loop uses.
 * Interrupt handlers only record what happened; everything else runs in main().
 */
#ifndef RP2040_PORT_H
#define RP2040_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pod.h"

/* Board: the status LED pin. Arduino Nano RP2040 Connect by default, Pico with
 * -DFW_BOARD_PICO. Both have the LSM6DSOX on I2C0, SDA GPIO12, SCL GPIO13. */
#ifdef FW_BOARD_PICO
#define BOARD_LED_PIN 25u
#define BOARD_ID WIRE_BOARD_PICO_BREAKOUT
#else
#define BOARD_LED_PIN 6u
#define BOARD_ID WIRE_BOARD_NANO_RP2040
#endif
#define BOARD_I2C_SDA 12u
#define BOARD_I2C_SCL 13u

#define TICK_US 1000u /* main-loop tick: IMU FIFO poll and LED */

void clocks_init(void);               /* XOSC 12 MHz, clk_sys 125 MHz, clk_usb 48 MHz */
void unreset(uint32_t mask);          /* take peripherals out of reset, wait until done */

void timer_init(void);                /* starts the TICK_US alarm interrupt */
uint64_t timer_us(void);
bool timer_take_tick(void);           /* true once per elapsed tick (set by the IRQ) */
bool timer_take_tick_peek(void);      /* a tick is pending; does not consume it */

void i2c_init(uint8_t addr7);         /* I2C0 master, 400 kHz, on the board's pins */
int i2c_read_reg(void *user, uint8_t reg, uint8_t *buf, size_t len);
int i2c_write_reg(void *user, uint8_t reg, const uint8_t *buf, size_t len);

void led_init(void);
void led_set(bool on);

void flash_serial(char out[17]);      /* 16 hex digits of the flash's 64-bit unique ID */

void usb_init(pod *p);                /* enables the controller and connects */
bool usb_pending(void);               /* an interrupt left work for usb_task() */
void usb_task(void);                  /* control transfers, bus events, bulk IN */

void isr_timer0(void);
void isr_usbctrl(void);

#endif
