/*
 * source.h - where samples come from: the pod over USB (recorded while it arrives),
 * or a recording replayed. One pull interface, so that live and replayed data run
 * exactly the same pipeline (rx.h underneath both).
 */
#ifndef CALFTRACK_SOURCE_H
#define CALFTRACK_SOURCE_H

#include "calftrack/rec.h"
#include "calftrack/rx.h"
#include "calftrack/types.h"
#include "calftrack/wire.h"

typedef struct ct_source ct_source; /* opaque */

typedef enum {
    SRC_STREAMING = 0, /* samples are flowing */
    SRC_WAITING,       /* pod unplugged or silent: waiting for it to come back */
    SRC_ENDED,         /* end of a recording, or closed */
} ct_source_state;

typedef struct {
    const char *serial;     /* NULL: the only pod, or the first one */
    wire_config config;     /* zero: the pod's defaults (833 Hz, 16 g, 2000 dps) */
    const char *record_path;/* NULL: do not record; else created 0600, must not exist */
    rec_header meta;        /* placement, side, site, label for the recording header */
    int reconnect_wait_s;   /* how long to wait for an unplugged pod, 0 = forever */
} ct_pod_options;

/* Opens the pod, checks the protocol version, configures it, starts the stream.
 * CT_ENODEV no pod, CT_EACCESS permission (udev rule), CT_EBUSY in use,
 * CT_EVERSION unsupported firmware. */
int ct_source_open_pod(ct_source **out, const ct_pod_options *opt);

/* Opens a recording for replay (as fast as it is read). */
int ct_source_open_recording(ct_source **out, const char *path);

/* Reads up to max samples, waiting at most timeout_ms for the first. Returns the number
 * of samples (0 when none came in time; see ct_source_get_state), or a ct_err. */
int ct_source_read(ct_source *s, ct_sample *out, int max, int timeout_ms);

ct_source_state ct_source_get_state(const ct_source *s);
const wire_info *ct_source_info(const ct_source *s);
const rec_header *ct_source_header(const ct_source *s);
const rx_stats *ct_source_stats(const ct_source *s);
/* Damage found while replaying a recording (zeros for a live pod). */
const rec_damage *ct_source_damage(const ct_source *s);

/* Stops the pod's stream (a live source; nothing for a recording). Samples still on their
 * way keep coming out of ct_source_read() until the state is SRC_ENDED. */
int ct_source_stop(ct_source *s);

/* Writes a note into the recording being made (e.g. "set 2 start"); 0 when not recording. */
int ct_source_note(ct_source *s, const char *text);

/* Stops the stream, flushes the recording, frees everything. NULL is fine. */
void ct_source_close(ct_source *s);

/* ---- pods on the bus ---------------------------------------------------------- */

typedef struct {
    uint8_t bus, address;
    char serial[WIRE_SERIAL_MAX + 1]; /* "" when the pod could not be asked */
    int status;                       /* 0, or why it cannot be used: CT_EACCESS (udev
                                         rule missing), CT_EBUSY (another program has it),
                                         CT_EVERSION (unsupported firmware), CT_EIO */
    wire_info info;                   /* valid when status is 0 or CT_EVERSION
                                         (protocol and firmware version only) */
} ct_pod_desc;

/* Lists up to max pods (VID/PID of wire.h) into out. Returns how many there are (which
 * may exceed max), or a ct_err (CT_EUNSUPPORTED when USB cannot be used at all). */
int ct_pod_list(ct_pod_desc *out, int max);

#endif
