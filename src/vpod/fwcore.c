/* fwcore.c - the firmware's portable core, compiled into the virtual pod. Temporary:
 * once firmware/firmware.mk puts FW_CORE_SRC into the library, this file goes away. */
#include "../../firmware/core/ring.c"
#include "../../firmware/core/packetizer.c"
#include "../../firmware/core/usb_desc.c"
#include "../../firmware/core/usb_ctrl.c"
#include "../../firmware/core/lsm6dsox.c"
#include "../../firmware/core/pod.c"
