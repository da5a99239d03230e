/*
 * main.c - the pod firmware: bring the chip up, probe the IMU, then serve USB and
 * stream. Interrupts only record events; this loop does the work and sleeps (WFI)
 * whenever nothing is pending.
 */
#include "port.h"
#include "regs.h"

static pod the_pod;
static lsm6dsox imu;
static char serial[17];

static uint64_t clock_us(void *user)
{
    (void)user;
    return timer_us();
}

int main(void)
{
    clocks_init();
    unreset(RESET_IO_BANK0 | RESET_PADS_BANK0);
    led_init();
    timer_init();
    flash_serial(serial);
    i2c_init(LSM_I2C_ADDR);

    static const lsm_bus bus = {i2c_read_reg, i2c_write_reg, 0};
    pod_params prm = pod_default_params;
    prm.serial = serial;
    prm.board = BOARD_ID;
    prm.imu = &imu;
    prm.clock_us = clock_us;
    prm.imu_ok = lsm_init(&imu, &bus) == LSM_OK; /* a missing IMU is reported, not fatal */
    pod_init(&the_pod, &prm);

    usb_init(&the_pod);

    for (;;) {
        irq_disable();
        if (!usb_pending() && !timer_take_tick_peek())
            wait_for_interrupt(); /* wakes on a pending interrupt even with PRIMASK set */
        irq_enable();

        usb_task();
        if (timer_take_tick()) {
            uint64_t now = timer_us();
            pod_poll(&the_pod, now);
            led_set(pod_led(&the_pod, (uint32_t)(now / 1000u)));
            usb_task(); /* send what the poll produced */
        }
    }
}
