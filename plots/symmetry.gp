# symmetry.gp - limb symmetry index (injured / uninjured, %) per session, and the
# heel-rise work of each side.
# calftrack sets: datafile ("time lsi_reps lsi_height lsi_work lsi_lunge left_work_j
# right_work_j", ? when not measured), nrows, injured, color_left, color_right,
# xtic_days (days between date tics).
set datafile missing "?"
set xdata time
set timefmt "%Y-%m-%dT%H:%M:%S"
set format x "%d %b"
set xtics xtic_days * 86400
set grid
set key outside right top box
set xlabel "Session date"
set multiplot layout 2, 1 title sprintf("Limb symmetry: %s (injured) / other side", injured) font ",13"
set title "Limb symmetry index"
set ylabel "LSI (%)"
set yrange [*:110 < * ]
plot datafile using 1:2 with linespoints lw 2 pt 7 title "heel-rise reps", \
     datafile using 1:3 with linespoints lw 2 pt 5 title "heel-rise height", \
     datafile using 1:4 with linespoints lw 2 pt 9 title "heel-rise work", \
     datafile using 1:5 with linespoints lw 2 pt 13 title "lunge dorsiflexion", \
     90 with lines dt 2 lw 1 lc rgb "#555555" title "90 %", \
     100 with lines dt 3 lw 1 lc rgb "#000000" title "100 %"
set title "Heel-rise work per side"
set ylabel "Work (J)"
plot datafile using 1:6 with linespoints lw 2 pt 7 lc rgb color_left title "left", \
     datafile using 1:7 with linespoints lw 2 pt 7 lc rgb color_right title "right"
unset multiplot
