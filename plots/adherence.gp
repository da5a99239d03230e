# adherence.gp - per day: reps and holds prescribed vs done.
# calftrack sets: datafile ("YYYY-MM-DD prescribed done" per line), ndays.
set title "Adherence: prescribed vs done" font ",13"
set xlabel "Date"
set ylabel "Reps and holds (count)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set yrange [0:*]
set grid ytics
set xtics rotate by -45
set key outside right top box
plot datafile using 2:xtic(1) title "prescribed" lc rgb "#9a9a9a", \
     datafile using 3 title "done" lc rgb "#2ca02c"
