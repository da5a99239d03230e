/* led.c - the status LED on a plain GPIO. */
#include "port.h"
#include "regs.h"

void led_init(void)
{
    REG(PADS_GPIO(BOARD_LED_PIN)) = PADS_DRIVE_4MA;
    REG(GPIO_CTRL(BOARD_LED_PIN)) = GPIO_FUNC_SIO;
    REG(SIO_GPIO_OUT_CLR) = 1u << BOARD_LED_PIN;
    REG(SIO_GPIO_OE_SET) = 1u << BOARD_LED_PIN;
}

void led_set(bool on)
{
    if (on)
        REG(SIO_GPIO_OUT_SET) = 1u << BOARD_LED_PIN;
    else
        REG(SIO_GPIO_OUT_CLR) = 1u << BOARD_LED_PIN;
}
