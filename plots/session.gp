# session.gp - one session over time: the live measure as a thin line, each calf-raise rep
# marked at its time with its height (or plantarflexion), each hold as a bar from its
# start to its end at its peak angle, the prescribed target dotted.
# calftrack sets: repsfile, holdsfile (blocks: left then right, a quoted title line
# first), trace_raise_left/right and trace_hold_left/right ("s value" lines),
# nreps, nholds, rep_ylabel, hold_target (deg, 0 none), session_title, color_left,
# color_right.
panels = (nreps > 0 ? 1 : 0) + (nholds > 0 ? 1 : 0)
set multiplot layout panels, 1 title session_title font ",13"
set grid
set key outside right top box
set xlabel "Time since the start (s)"
if (nreps > 0) {
    set title "Calf raises: the rise over time, each counted rep marked"
    set ylabel rep_ylabel
    set yrange [0:*]
    plot trace_raise_left using 1:2 with lines lw 1 lc rgb color_left notitle, \
         trace_raise_right using 1:2 with lines lw 1 lc rgb color_right notitle, \
         repsfile index 0 using 1:2 with impulses lw 3 lc rgb color_left title columnheader(1), \
         repsfile index 1 using 1:2 with impulses lw 3 lc rgb color_right title columnheader(1), \
         repsfile index 0 using 1:2 with points pt 7 lc rgb color_left notitle, \
         repsfile index 1 using 1:2 with points pt 7 lc rgb color_right notitle
}
if (nholds > 0) {
    set title "Holds: ankle dorsiflexion over time, each counted hold as a bar"
    set ylabel "Ankle dorsiflexion (deg)"
    set yrange [0:*]
    plot trace_hold_left using 1:2 with lines lw 1 lc rgb color_left notitle, \
         trace_hold_right using 1:2 with lines lw 1 lc rgb color_right notitle, \
         holdsfile index 0 using 1:3:($2 - $1):(0) with vectors nohead lw 8 lc rgb color_left title columnheader(1), \
         holdsfile index 1 using 1:3:($2 - $1):(0) with vectors nohead lw 8 lc rgb color_right title columnheader(1), \
         (hold_target > 0 ? hold_target : NaN) with lines dt 3 lw 2 lc rgb "#2ca02c" title "target"
}
unset multiplot
