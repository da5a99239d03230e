# firmware.mk - the pod firmware for the RP2040, its host tools and its tests.
# Included by the top-level Makefile; also usable alone: make -f firmware/firmware.mk firmware
#
#   FW_CORE_SRC, FW_CORE_INC   the portable core, also built into the host library
#   make firmware              ELF, BIN and UF2 for both boards, size report, budget check
#   make check-firmware        firmware-in-the-loop test on the rp2040js emulator
#   make bench-firmware        flash and RAM figures
#   make fw-unit               the core's host unit tests (cmocka), plain and sanitized

FW_SAVED_GOAL := $(.DEFAULT_GOAL)

FW_CORE_SRC := $(wildcard firmware/core/*.c)
FW_CORE_INC := -Ifirmware/core

FW_OUT := $(or $(BUILD),build)/firmware
FW_CROSS ?= arm-none-eabi-
FW_HOSTCC ?= cc
FW_FLASH_BUDGET := 32768
FW_RAM_BUDGET := 16384

FW_WARN := -std=c11 -Wall -Wextra -Werror -Wshadow -Wdouble-promotion -Wcast-align -Wundef \
	-Wmissing-prototypes -Wstrict-prototypes
FW_CFLAGS := -mcpu=cortex-m0plus -mthumb -Os -g $(FW_WARN) -ffunction-sections -fdata-sections \
	-ffreestanding -fno-common -Iinclude $(FW_CORE_INC) -Ifirmware/port/rp2040
FW_LDFLAGS := -mcpu=cortex-m0plus -mthumb -nostartfiles -specs=nano.specs -Wl,--gc-sections \
	-Tfirmware/port/rp2040/link.ld

FW_PORT_SRC := $(filter-out firmware/port/rp2040/boot2.S,$(wildcard firmware/port/rp2040/*.c))
FW_CORE_OBJ := $(patsubst %.c,$(FW_OUT)/obj/%.o,$(FW_CORE_SRC))
FW_BOOT2_OBJ := $(FW_OUT)/obj/boot2_image.o

# One image per board; they differ in the LED pin and the board ID in GET_INFO.
FW_IMAGES := $(FW_OUT)/calftrack-pod $(FW_OUT)/calftrack-pod-pico
FW_ELF := $(addsuffix .elf,$(FW_IMAGES))

.PHONY: firmware check-firmware bench-firmware fw-unit
.SECONDARY: $(FW_OUT)/tools/uf2conv $(FW_OUT)/tools/boot2crc $(FW_OUT)/boot2.bin $(FW_OUT)/boot2.elf \
	$(FW_OUT)/boot2_padded.bin

firmware: $(addsuffix .uf2,$(FW_IMAGES)) $(addsuffix .bin,$(FW_IMAGES))
	@sh firmware/tools/size-report.sh $(FW_CROSS)size $(FW_FLASH_BUDGET) $(FW_RAM_BUDGET) $(FW_ELF)

bench-firmware: firmware

$(FW_OUT)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(FW_CROSS)gcc $(FW_CFLAGS) -MMD -MP -c $< -o $@

$(FW_OUT)/obj-nano/%.o: %.c
	@mkdir -p $(@D)
	$(FW_CROSS)gcc $(FW_CFLAGS) -MMD -MP -c $< -o $@

$(FW_OUT)/obj-pico/%.o: %.c
	@mkdir -p $(@D)
	$(FW_CROSS)gcc $(FW_CFLAGS) -DFW_BOARD_PICO -MMD -MP -c $< -o $@

# boot2: assembled and linked alone, padded to 252 bytes plus its CRC, then placed
# as the .boot2 section at the start of flash.
$(FW_OUT)/boot2.elf: firmware/port/rp2040/boot2.S firmware/port/rp2040/boot2.ld
	@mkdir -p $(@D)
	$(FW_CROSS)gcc -mcpu=cortex-m0plus -mthumb -nostdlib -Tfirmware/port/rp2040/boot2.ld \
		-o $@ firmware/port/rp2040/boot2.S

$(FW_OUT)/boot2.bin: $(FW_OUT)/boot2.elf
	$(FW_CROSS)objcopy -O binary $< $@

$(FW_OUT)/boot2_padded.bin: $(FW_OUT)/boot2.bin $(FW_OUT)/tools/boot2crc
	$(FW_OUT)/tools/boot2crc $< $@

$(FW_BOOT2_OBJ): firmware/port/rp2040/boot2_image.S $(FW_OUT)/boot2_padded.bin
	@mkdir -p $(@D)
	$(FW_CROSS)gcc -mcpu=cortex-m0plus -mthumb -I$(FW_OUT) -c $< -o $@

$(FW_OUT)/tools/%: firmware/tools/%.c
	@mkdir -p $(@D)
	$(FW_HOSTCC) -O2 $(FW_WARN) -o $@ $<

$(FW_OUT)/calftrack-pod.elf: $(FW_CORE_OBJ) $(FW_BOOT2_OBJ) \
		$(patsubst %.c,$(FW_OUT)/obj-nano/%.o,$(FW_PORT_SRC)) firmware/port/rp2040/link.ld
	$(FW_CROSS)gcc $(FW_LDFLAGS) -Wl,-Map,$(@:.elf=.map) -o $@ $(filter %.o,$^)

$(FW_OUT)/calftrack-pod-pico.elf: $(FW_CORE_OBJ) $(FW_BOOT2_OBJ) \
		$(patsubst %.c,$(FW_OUT)/obj-pico/%.o,$(FW_PORT_SRC)) firmware/port/rp2040/link.ld
	$(FW_CROSS)gcc $(FW_LDFLAGS) -Wl,-Map,$(@:.elf=.map) -o $@ $(filter %.o,$^)

# --gap-fill keeps the image starting at 0x10000000 with boot2 in its first 256 bytes.
$(FW_OUT)/%.bin: $(FW_OUT)/%.elf
	$(FW_CROSS)objcopy -O binary --gap-fill 0xff $< $@

$(FW_OUT)/%.uf2: $(FW_OUT)/%.bin $(FW_OUT)/tools/uf2conv
	$(FW_OUT)/tools/uf2conv $< $@ 0x10000000

# Firmware in the loop: the real binary on an emulated RP2040 with a modelled LSM6DSOX.
check-firmware: firmware
	@test -d tests/fw/node_modules/rp2040js || (cd tests/fw && npm ci --no-audit --no-fund)
	node tests/fw/fil.mjs $(FW_OUT)/calftrack-pod.bin

# Host unit tests of the core, until (and besides) the top-level test runner.
FW_UNIT_SRC := $(wildcard tests/test_fw_*.c)
FW_UNIT_FLAGS := -O1 -g $(FW_WARN) -Iinclude $(FW_CORE_INC) -Itests \
	-fsanitize=address,undefined -fno-sanitize-recover=all
fw-unit: $(patsubst tests/%.c,$(FW_OUT)/unit/%,$(FW_UNIT_SRC))
	@for t in $^; do echo "== $$t"; $$t || exit 1; done

$(FW_OUT)/unit/%: tests/%.c $(FW_CORE_SRC) $(wildcard tests/support/fw_*.c)
	@mkdir -p $(@D)
	$(FW_HOSTCC) $(FW_UNIT_FLAGS) -o $@ $(filter %.c,$^) -lcmocka

-include $(shell find $(FW_OUT) -name '*.d' 2>/dev/null)

.DEFAULT_GOAL := $(or $(FW_SAVED_GOAL),$(if $(filter 1,$(words $(MAKEFILE_LIST))),firmware))
