# e2e_pair.awk - pairs the simulator's true reps or holds of one exercise and side with
# the exported detail rows by time: each true one, in order, with the unpaired exported
# row overlapping it most. Times: the truth's device seconds; the export's ISO-8601 times
# less the session's start (export summary), which the export counts device time from.
# usage: awk -F, -v s0=START_ISO -v ex=EXERCISE -v side=SIDE -f e2e_pair.awk truth.csv detail.csv
# prints: true exported missed extra ungraded heel_rises_paired mean_abs_error_cm within_1.5cm
function days(y, m, d) { if (m <= 2) { y--; m += 12 } return 365 * y + int(y / 4) - int(y / 100) + int(y / 400) + int((153 * (m - 3) + 2) / 5) + d }
function iso(t,   a, b) { split(t, a, /[-T:Z]/); return days(a[1] + 0, a[2] + 0, a[3] + 0) * 86400 + a[4] * 3600 + a[5] * 60 + a[6] }
NR == FNR { if (FNR > 1 && $1 == ex && $2 == side) { n++; ts[n] = $6; te[n] = $8; th[n] = $10 } next }
FNR > 1 && $4 == ex && $5 == side { m++; es[m] = iso($2) - iso(s0); ee[m] = iso($3) - iso(s0); eh[m] = $14; eg[m] = $9 }
END {
    for (i = 1; i <= n; i++) {
        best = 0; bo = 0
        for (j = 1; j <= m; j++) {
            if (used[j]) continue
            a = ts[i] > es[j] ? ts[i] : es[j]; b = te[i] < ee[j] ? te[i] : ee[j]
            if (b - a > bo) { bo = b - a; best = j }
        }
        if (!best) { miss++; continue }
        used[best] = 1
        if (eg[best] == "") ungraded++
        if (ex == "calf_raise") { d = th[i] - eh[best]; if (d < 0) d = -d; hn++; sum += d; if (d <= 1.5) near++ }
    }
    extra = m - (n - miss)
    printf "%d %d %d %d %d %d %.2f %d\n", n, m, miss + 0, extra, ungraded + 0, hn + 0, hn ? sum / hn : 0, near + 0
}
