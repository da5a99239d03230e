/*
 * regs.h - RP2040 register addresses and bits used by the pod, from the RP2040
 * datasheet. Our own definitions: only what the port touches.
 */
#ifndef RP2040_REGS_H
#define RP2040_REGS_H

#include <stdint.h>

#define REG(addr) (*(volatile uint32_t *)(uintptr_t)(addr))
/* Atomic register aliases of APB/AHB-lite peripherals (not SIO, not USB DPRAM). */
#define REG_XOR(addr) REG((addr) + 0x1000u)
#define REG_SET(addr) REG((addr) + 0x2000u)
#define REG_CLR(addr) REG((addr) + 0x3000u)

/* ---- resets ---- */
#define RESETS_BASE 0x4000C000u
#define RESETS_RESET (RESETS_BASE + 0x0u)
#define RESETS_RESET_DONE (RESETS_BASE + 0x8u)
#define RESET_I2C0 (1u << 3)
#define RESET_IO_BANK0 (1u << 5)
#define RESET_PADS_BANK0 (1u << 8)
#define RESET_PLL_SYS (1u << 12)
#define RESET_PLL_USB (1u << 13)
#define RESET_TIMER (1u << 21)
#define RESET_USBCTRL (1u << 24)

/* ---- crystal oscillator ---- */
#define XOSC_BASE 0x40024000u
#define XOSC_CTRL (XOSC_BASE + 0x00u)
#define XOSC_STATUS (XOSC_BASE + 0x04u)
#define XOSC_STARTUP (XOSC_BASE + 0x0Cu)
#define XOSC_CTRL_FREQ_1_15MHZ 0xAA0u
#define XOSC_CTRL_ENABLE (0xFABu << 12)
#define XOSC_STATUS_STABLE (1u << 31)

/* ---- PLLs ---- */
#define PLL_SYS_BASE 0x40028000u
#define PLL_USB_BASE 0x4002C000u
#define PLL_CS 0x0u
#define PLL_PWR 0x4u
#define PLL_FBDIV_INT 0x8u
#define PLL_PRIM 0xCu
#define PLL_CS_LOCK (1u << 31)
#define PLL_PWR_PD (1u << 0)
#define PLL_PWR_POSTDIVPD (1u << 3)
#define PLL_PWR_VCOPD (1u << 5)
#define PLL_PRIM_POSTDIV1(x) ((uint32_t)(x) << 16)
#define PLL_PRIM_POSTDIV2(x) ((uint32_t)(x) << 12)

/* ---- clock generators ---- */
#define CLOCKS_BASE 0x40008000u
#define CLK_REF_CTRL (CLOCKS_BASE + 0x30u)
#define CLK_REF_DIV (CLOCKS_BASE + 0x34u)
#define CLK_REF_SELECTED (CLOCKS_BASE + 0x38u)
#define CLK_SYS_CTRL (CLOCKS_BASE + 0x3Cu)
#define CLK_SYS_DIV (CLOCKS_BASE + 0x40u)
#define CLK_SYS_SELECTED (CLOCKS_BASE + 0x44u)
#define CLK_PERI_CTRL (CLOCKS_BASE + 0x48u)
#define CLK_USB_CTRL (CLOCKS_BASE + 0x54u)
#define CLK_USB_DIV (CLOCKS_BASE + 0x58u)
#define CLK_SYS_RESUS_CTRL (CLOCKS_BASE + 0x78u)
#define CLK_REF_SRC_XOSC 0x2u
#define CLK_SYS_SRC_AUX 0x1u
#define CLK_AUXSRC_SHIFT 5
#define CLK_CTRL_ENABLE (1u << 11)
#define CLK_DIV_INT(x) ((uint32_t)(x) << 8)

/* ---- watchdog tick (feeds the timer's microsecond count) ---- */
#define WATCHDOG_TICK 0x4005802Cu
#define WATCHDOG_TICK_ENABLE (1u << 9)

/* ---- timer ---- */
#define TIMER_BASE 0x40054000u
#define TIMER_ALARM0 (TIMER_BASE + 0x10u)
#define TIMER_TIMERAWH (TIMER_BASE + 0x24u)
#define TIMER_TIMERAWL (TIMER_BASE + 0x28u)
#define TIMER_INTR (TIMER_BASE + 0x34u)
#define TIMER_INTE (TIMER_BASE + 0x38u)

/* ---- GPIO ---- */
#define IO_BANK0_BASE 0x40014000u
#define GPIO_CTRL(n) (IO_BANK0_BASE + 0x04u + 8u * (n))
#define GPIO_FUNC_I2C 3u
#define GPIO_FUNC_SIO 5u
#define PADS_BANK0_BASE 0x4001C000u
#define PADS_GPIO(n) (PADS_BANK0_BASE + 0x04u + 4u * (n))
#define PADS_IE (1u << 6)
#define PADS_DRIVE_4MA (1u << 4)
#define PADS_PUE (1u << 3)
#define PADS_SCHMITT (1u << 1)

#define SIO_BASE 0xD0000000u
#define SIO_GPIO_OUT_SET (SIO_BASE + 0x14u)
#define SIO_GPIO_OUT_CLR (SIO_BASE + 0x18u)
#define SIO_GPIO_OE_SET (SIO_BASE + 0x24u)

/* ---- I2C0 (DW_apb_i2c) ---- */
#define I2C0_BASE 0x40044000u
#define IC_CON (I2C0_BASE + 0x00u)
#define IC_TAR (I2C0_BASE + 0x04u)
#define IC_DATA_CMD (I2C0_BASE + 0x10u)
#define IC_FS_SCL_HCNT (I2C0_BASE + 0x1Cu)
#define IC_FS_SCL_LCNT (I2C0_BASE + 0x20u)
#define IC_INTR_MASK (I2C0_BASE + 0x30u)
#define IC_RAW_INTR_STAT (I2C0_BASE + 0x34u)
#define IC_RX_TL (I2C0_BASE + 0x38u)
#define IC_TX_TL (I2C0_BASE + 0x3Cu)
#define IC_CLR_INTR (I2C0_BASE + 0x40u)
#define IC_CLR_TX_ABRT (I2C0_BASE + 0x54u)
#define IC_CLR_STOP_DET (I2C0_BASE + 0x60u)
#define IC_ENABLE (I2C0_BASE + 0x6Cu)
#define IC_TXFLR (I2C0_BASE + 0x74u)
#define IC_RXFLR (I2C0_BASE + 0x78u)
#define IC_SDA_HOLD (I2C0_BASE + 0x7Cu)
#define IC_FS_SPKLEN (I2C0_BASE + 0xA0u)
#define IC_CON_MASTER (1u << 0)
#define IC_CON_SPEED_FAST (2u << 1)
#define IC_CON_RESTART_EN (1u << 5)
#define IC_CON_SLAVE_DISABLE (1u << 6)
#define IC_CON_TX_EMPTY_CTRL (1u << 8)
#define IC_DATA_CMD_READ (1u << 8)
#define IC_DATA_CMD_STOP (1u << 9)
#define IC_DATA_CMD_RESTART (1u << 10)
#define IC_INTR_TX_ABRT (1u << 6)
#define IC_INTR_STOP_DET (1u << 9)
#define IC_FIFO_DEPTH 16u

/* ---- USB controller ---- */
#define USB_DPRAM_BASE 0x50100000u
#define USB_DPRAM_SIZE 4096u
#define USB_EP_CTRL_IN(n) (USB_DPRAM_BASE + 0x08u * (n)) /* n >= 1 */
#define USB_BUF_CTRL_IN(n) (USB_DPRAM_BASE + 0x80u + 8u * (n))
#define USB_BUF_CTRL_OUT(n) (USB_DPRAM_BASE + 0x84u + 8u * (n))
#define USB_EP0_BUF (USB_DPRAM_BASE + 0x100u)
#define USB_EP1_BUF_OFFSET 0x180u

#define USB_EP_CTRL_ENABLE (1u << 31)
#define USB_EP_CTRL_INT_PER_BUF (1u << 29)
#define USB_EP_CTRL_TYPE_BULK (2u << 26)

#define USB_BUF_FULL (1u << 15)
#define USB_BUF_LAST (1u << 14)
#define USB_BUF_DATA1 (1u << 13)
#define USB_BUF_STALL (1u << 11)
#define USB_BUF_AVAILABLE (1u << 10)
#define USB_BUF_LEN_MASK 0x3FFu

#define USBCTRL_BASE 0x50110000u
#define USB_ADDR_ENDP (USBCTRL_BASE + 0x00u)
#define USB_MAIN_CTRL (USBCTRL_BASE + 0x40u)
#define USB_SIE_CTRL (USBCTRL_BASE + 0x4Cu)
#define USB_SIE_STATUS (USBCTRL_BASE + 0x50u)
#define USB_BUFF_STATUS (USBCTRL_BASE + 0x58u)
#define USB_EP_STALL_ARM (USBCTRL_BASE + 0x68u)
#define USB_MUXING (USBCTRL_BASE + 0x74u)
#define USB_PWR (USBCTRL_BASE + 0x78u)
#define USB_INTE (USBCTRL_BASE + 0x90u)
#define USB_INTS (USBCTRL_BASE + 0x98u)

#define USB_MAIN_CTRL_CONTROLLER_EN (1u << 0)
#define USB_SIE_CTRL_EP0_INT_1BUF (1u << 29)
#define USB_SIE_CTRL_PULLUP_EN (1u << 16)
#define USB_SIE_STATUS_SUSPENDED (1u << 4)
#define USB_SIE_STATUS_RESUME (1u << 11)
#define USB_SIE_STATUS_SETUP_REC (1u << 17)
#define USB_SIE_STATUS_BUS_RESET (1u << 19)
#define USB_MUXING_TO_PHY (1u << 0)
#define USB_MUXING_SOFTCON (1u << 3)
#define USB_PWR_VBUS_DETECT (1u << 2)
#define USB_PWR_VBUS_DETECT_OVERRIDE_EN (1u << 3)
#define USB_INT_BUFF_STATUS (1u << 4)
#define USB_INT_BUS_RESET (1u << 12)
#define USB_INT_DEV_SUSPEND (1u << 14)
#define USB_INT_DEV_RESUME (1u << 15)
#define USB_INT_SETUP_REQ (1u << 16)

/* ---- flash interface (boot2 and the unique ID read) ---- */
#define XIP_SSI_BASE 0x18000000u
#define SSI_CTRLR0 (XIP_SSI_BASE + 0x00u)
#define SSI_CTRLR1 (XIP_SSI_BASE + 0x04u)
#define SSI_SSIENR (XIP_SSI_BASE + 0x08u)
#define SSI_SER (XIP_SSI_BASE + 0x10u)
#define SSI_BAUDR (XIP_SSI_BASE + 0x14u)
#define SSI_SR (XIP_SSI_BASE + 0x28u)
#define SSI_DR0 (XIP_SSI_BASE + 0x60u)
#define SSI_SPI_CTRLR0 (XIP_SSI_BASE + 0xF4u)
#define SSI_SR_TFNF (1u << 1)
#define SSI_SR_RFNE (1u << 3)
#define SSI_SR_BUSY (1u << 0)
#define IO_QSPI_SS_CTRL 0x4001800Cu /* GPIO_QSPI_SS_CTRL */
#define IO_QSPI_OUTOVER_SHIFT 8
#define IO_QSPI_OUTOVER_NORMAL 0u
#define IO_QSPI_OUTOVER_LOW 2u
#define IO_QSPI_OUTOVER_HIGH 3u

/* ---- Cortex-M0+ system ---- */
#define NVIC_ISER 0xE000E100u
#define NVIC_ICPR 0xE000E280u
#define SCB_VTOR 0xE000ED08u

#define IRQ_TIMER0 0u
#define IRQ_USBCTRL 5u

static inline void irq_disable(void) { __asm volatile("cpsid i" ::: "memory"); }
static inline void irq_enable(void) { __asm volatile("cpsie i" ::: "memory"); }
static inline void wait_for_interrupt(void) { __asm volatile("wfi" ::: "memory"); }

#endif
