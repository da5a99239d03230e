# progress.gp - ankle dorsiflexion per side over days, with the target line and the
# minimal-detectable-change band around each side's first weight-bearing value.
# calftrack sets before loading this:
#   datafile  data blocks, one per series: a quoted title line, then "YYYY-MM-DD deg"
#   nseries   number of blocks
#   colors    one colour per series (left blue, right red)
#   dashes    one dash type per series (1 weight-bearing lunge, 2 seated band stretch)
#   bases     first value of each series, NaN where no MDC band is drawn
#   bandtitles  quoted key entry of each series' band ("none": no band)
#   xtic_days days between date tics
#   target    target dorsiflexion, deg;  mdc  minimal detectable change, deg
set title "Ankle dorsiflexion progress" font ",13"
set xlabel "Date"
set ylabel "Ankle dorsiflexion (deg)"
set xdata time
set timefmt "%Y-%m-%d"
set format x "%d %b"
set grid
set key below left box
set xtics xtic_days * 86400
set style fill transparent solid 0.12 noborder
band(i) = word(bases, i + 1) eq "NaN" ? NaN : real(word(bases, i + 1))
plot \
    for [i=0:nseries-1] datafile index i using 1:(band(i) - mdc):(band(i) + mdc) \
        with filledcurves fc rgb word(colors, i + 1) \
        title (word(bandtitles, i + 1) eq "none" ? "" : word(bandtitles, i + 1)), \
    for [i=0:nseries-1] datafile index i using 1:2 with linespoints lw 2 pt 7 ps 1.2 \
        dt int(word(dashes, i + 1)) lc rgb word(colors, i + 1) title columnheader(1), \
    target with lines dt 3 lw 2 lc rgb "#2ca02c" title sprintf("target %.0f deg", target)
