/* clocks.c - XOSC, PLLs and clock generators (RP2040 datasheet section 2.15-2.18). */
#include "port.h"
#include "regs.h"

#define XOSC_MHZ 12u

void unreset(uint32_t mask)
{
    REG_CLR(RESETS_RESET) = mask;
    while ((REG(RESETS_RESET_DONE) & mask) != mask)
        ;
}

/* f_out = 12 MHz / refdiv(1) * fbdiv / (post1 * post2); the VCO stays in 750..1600 MHz. */
static void pll_start(uint32_t base, uint32_t fbdiv, uint32_t post1, uint32_t post2)
{
    uint32_t bit = base == PLL_SYS_BASE ? RESET_PLL_SYS : RESET_PLL_USB;
    REG_SET(RESETS_RESET) = bit;
    unreset(bit);
    REG(base + PLL_CS) = 1; /* refdiv */
    REG(base + PLL_FBDIV_INT) = fbdiv;
    REG_CLR(base + PLL_PWR) = PLL_PWR_PD | PLL_PWR_VCOPD;
    while ((REG(base + PLL_CS) & PLL_CS_LOCK) == 0)
        ;
    REG(base + PLL_PRIM) = PLL_PRIM_POSTDIV1(post1) | PLL_PRIM_POSTDIV2(post2);
    REG_CLR(base + PLL_PWR) = PLL_PWR_POSTDIVPD;
}

void clocks_init(void)
{
    REG(CLK_SYS_RESUS_CTRL) = 0;

    REG(XOSC_CTRL) = XOSC_CTRL_FREQ_1_15MHZ;
    REG(XOSC_STARTUP) = ((XOSC_MHZ * 1000u) + 128u) / 256u; /* ~1 ms */
    REG_SET(XOSC_CTRL) = XOSC_CTRL_ENABLE;
    while ((REG(XOSC_STATUS) & XOSC_STATUS_STABLE) == 0)
        ;

    /* Glitchless muxes: park clk_sys on clk_ref, move clk_ref to the crystal. */
    REG_CLR(CLK_SYS_CTRL) = CLK_SYS_SRC_AUX;
    while (REG(CLK_SYS_SELECTED) != 0x1u)
        ;
    REG(CLK_REF_CTRL) = CLK_REF_SRC_XOSC;
    while (REG(CLK_REF_SELECTED) != (1u << CLK_REF_SRC_XOSC))
        ;
    REG(CLK_REF_DIV) = CLK_DIV_INT(1);

    pll_start(PLL_SYS_BASE, 125, 6, 2); /* VCO 1500 MHz -> 125 MHz */
    pll_start(PLL_USB_BASE, 100, 5, 5); /* VCO 1200 MHz -> 48 MHz */

    /* clk_sys <- pll_sys (aux source 0), switched while clk_sys runs from clk_ref. */
    REG(CLK_SYS_DIV) = CLK_DIV_INT(1);
    REG(CLK_SYS_CTRL) = 0u << CLK_AUXSRC_SHIFT;
    REG_SET(CLK_SYS_CTRL) = CLK_SYS_SRC_AUX;
    while (REG(CLK_SYS_SELECTED) != 0x2u)
        ;

    /* clk_usb <- pll_usb (aux 0); clk_peri <- clk_sys (aux 0). */
    REG(CLK_USB_CTRL) = 0;
    REG(CLK_USB_DIV) = CLK_DIV_INT(1);
    REG(CLK_USB_CTRL) = CLK_CTRL_ENABLE | (0u << CLK_AUXSRC_SHIFT);
    REG(CLK_PERI_CTRL) = CLK_CTRL_ENABLE | (0u << CLK_AUXSRC_SHIFT);

    /* The timer counts watchdog ticks: one per microsecond of the 12 MHz clk_ref. */
    REG(WATCHDOG_TICK) = WATCHDOG_TICK_ENABLE | XOSC_MHZ;
}
