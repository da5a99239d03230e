# symmetry.gp - limb symmetry index (injured / uninjured, %) per session, and the
# heel-rise work of each side. Sessions with the pod at another shin site are their own
# lines (a point type per site), never joined to the others.
# calftrack sets: datafile (one block per sensor site: "time lsi_reps lsi_height lsi_work
# lsi_lunge left_work_j right_work_j", ? when not measured), nsites, sitetitles (quoted
# words), nrows, injured, color_left, color_right, xtic_days (days between date tics).
set datafile missing "?"
set xdata time
set timefmt "%Y-%m-%dT%H:%M:%S"
set format x "%d %b"
set xtics xtic_days * 86400
set grid
set key outside right top box
set xlabel "Session date"
site(i) = nsites > 1 ? ", " . word(sitetitles, i + 1) : ""
set multiplot layout 2, 1 title sprintf("Limb symmetry: %s (injured) / other side", injured) font ",13"
set title "Limb symmetry index"
set ylabel "LSI (%)"
plot for [i=0:nsites-1] datafile index i using 1:2 with linespoints lw 2 pt 7 + i lc rgb "#8e44ad" title "heel-rise reps" . site(i), \
     for [i=0:nsites-1] datafile index i using 1:3 with linespoints lw 2 pt 7 + i lc rgb "#16a085" title "heel-rise height" . site(i), \
     for [i=0:nsites-1] datafile index i using 1:4 with linespoints lw 2 pt 7 + i lc rgb "#2980b9" title "heel-rise work" . site(i), \
     for [i=0:nsites-1] datafile index i using 1:5 with linespoints lw 2 pt 7 + i lc rgb "#e67e22" title "lunge dorsiflexion" . site(i), \
     90 with lines dt 2 lw 1 lc rgb "#555555" title "90 %", \
     100 with lines dt 3 lw 1 lc rgb "#000000" title "100 %"
set title "Heel-rise work per side"
set ylabel "Work (J)"
plot for [i=0:nsites-1] datafile index i using 1:6 with linespoints lw 2 pt 7 + i lc rgb color_left title "left" . site(i), \
     for [i=0:nsites-1] datafile index i using 1:7 with linespoints lw 2 pt 7 + i lc rgb color_right title "right" . site(i)
unset multiplot
