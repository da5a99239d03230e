/* simrec.c - writes a simulated patient as a recording plus its ground truth. */
#include "calftrack/simrec.h"

#include <string.h>

#include "calftrack/csvio.h"
#include "calftrack/err.h"

int simrec_truth_header(FILE *f)
{
    static const char *const cols[] = {
        "exercise", "side", "kind", "set", "number", "t_start_s", "t_peak_s", "t_end_s",
        "peak_deg", "height_cm", "hold_s", "up_s", "top_s", "down_s", "grade",
        "partial", "abandoned", "short_hold", "early_start",
    };
    return csvio_row_write(f, cols, (int)(sizeof cols / sizeof cols[0]));
}

int simrec_truth_row(FILE *f, const sim_event *e)
{
    const ct_event *v = &e->ev;
    int rc = 0;
    rc |= csvio_field(f, ct_exercise_name(v->exercise), 1);
    rc |= csvio_field(f, ct_side_name(v->side), 0);
    rc |= csvio_field(f, ct_event_kind_name(v->kind), 0);
    rc |= csvio_fieldf(f, 0, "%d", v->set);
    rc |= csvio_fieldf(f, 0, "%d", v->number);
    rc |= csvio_fieldf(f, 0, "%.4f", (double)v->t_start_us / 1e6);
    rc |= csvio_fieldf(f, 0, "%.4f", (double)v->t_peak_us / 1e6);
    rc |= csvio_fieldf(f, 0, "%.4f", (double)v->t_end_us / 1e6);
    rc |= csvio_fieldf(f, 0, "%.3f", (double)v->peak_deg);
    rc |= csvio_fieldf(f, 0, "%.3f", (double)v->height_cm);
    rc |= csvio_fieldf(f, 0, "%.3f", (double)v->hold_s);
    rc |= csvio_fieldf(f, 0, "%.3f", (double)v->up_s);
    rc |= csvio_fieldf(f, 0, "%.3f", (double)v->top_s);
    rc |= csvio_fieldf(f, 0, "%.3f", (double)v->down_s);
    rc |= csvio_field(f, ct_grade_name(v->grade), 0);
    rc |= csvio_fieldf(f, 0, "%d", (e->flags & SIM_EV_PARTIAL) != 0);
    rc |= csvio_fieldf(f, 0, "%d", (e->flags & SIM_EV_ABANDONED) != 0);
    rc |= csvio_fieldf(f, 0, "%d", (e->flags & SIM_EV_SHORT_HOLD) != 0);
    rc |= csvio_fieldf(f, 0, "%d", (e->flags & SIM_EV_EARLY_START) != 0);
    rc |= csvio_end_row(f);
    return rc ? CT_EIO : CT_OK;
}

static int drain(sim *s, FILE *truth, simrec_stats *st)
{
    sim_event e;
    while (sim_event_pop(s, &e)) {
        st->events++;
        if (truth && simrec_truth_row(truth, &e) != CT_OK)
            return CT_EIO;
    }
    return CT_OK;
}

int simrec_write(sim *s, const char *path, const rec_header *meta, FILE *truth,
                 simrec_stats *stats)
{
    simrec_stats st;
    memset(&st, 0, sizeof st);
    rec_header h = *meta;
    sim_wire_info(s, &h.info);
    h.source = REC_SOURCE_SIMULATOR;
    rec_writer w;
    int rc = rec_writer_open(&w, path, &h);
    if (rc != CT_OK)
        return rc;
    if (truth && simrec_truth_header(truth) != CT_OK)
        rc = CT_EIO;

    uint64_t period_ns = h.info.period_ns;
    wire_packet p;
    memset(&p, 0, sizeof p);
    p.flags = WIRE_FLAG_START;
    p.period_qus = (uint16_t)(period_ns / 250u);
    uint16_t seq = 0;
    uint64_t index = 0;
    while (rc == CT_OK) {
        wire_sample raw;
        bool more = sim_next(s, &raw, NULL, NULL);
        rc = drain(s, truth, &st);
        if (more) {
            if (p.count == 0) {
                p.sample_index = (uint32_t)index;
                p.t_us = (uint32_t)(index * period_ns / 1000u);
            }
            p.s[p.count++] = raw;
            index++;
        }
        if (p.count == WIRE_MAX_SAMPLES || (!more && p.count > 0)) {
            uint8_t buf[WIRE_PKT_MAX];
            p.seq = seq++;
            size_t len = wire_encode_packet(&p, buf);
            /* no host clock here: blocks go out when full, one sync at the close */
            if (rc == CT_OK)
                rc = rec_writer_packet(&w, buf, len, 0);
            st.packets++;
            p.count = 0;
            p.flags = 0;
        }
        if (!more)
            break;
    }
    st.samples = index;
    st.seconds = sim_time_s(s);
    int rc2 = rec_writer_close(&w);
    if (stats)
        *stats = st;
    return rc != CT_OK ? rc : rc2;
}
