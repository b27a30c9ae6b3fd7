# SPDX-License-Identifier: MIT
# Fashion-MNIST: test accuracy against epoch, one panel per hidden activation,
# one line per method and network (mean over the evaluation seeds, band: ± one
# standard deviation), the relu baseline dashed in every panel (infnum-report
# fmnist). The y-range follows the data: lines far below the best (classical
# on jump activations, at chance) are cut off at the bottom.
# Block ranges per panel come from the generated fmnist-curves.layout.
load style
load infile[1:strlen(infile)-4].".layout"
set key outside right top font ",8" spacing 0.9
set xlabel "epoch"
set ylabel "test accuracy"
stats infile using 1 nooutput
xmax = STATS_max > 1 ? STATS_max : 2
xstep = STATS_max <= 10 ? 1 : STATS_max <= 40 ? 5 : 10
stats infile using 2 nooutput
ylo = STATS_max - 0.25 > STATS_min ? STATS_max - 0.25 : STATS_min
set yrange [ylo - 0.005 : STATS_max + 0.01]
set xrange [1:xmax]
set xtics xstep
set style fill transparent solid 0.15 noborder
rows = fm_nacts > 3 ? 2 : 1
cols = (fm_nacts + rows - 1) / rows
do for [fmt in "svg png"] {
  if (fmt eq "svg") {
    set terminal svg size 640*cols,420*rows dynamic enhanced font 'Helvetica,11' background rgb 'white'
    set output svg
  } else {
    set terminal pngcairo size 800*cols,520*rows enhanced font 'Helvetica,10'
    set output png
  }
  set multiplot layout rows,cols title "Fashion-MNIST MLP: test accuracy by estimator (mean ± std over seeds)"
  do for [k=1:fm_nacts] {
    f = word(fm_first, k) + 0
    n = word(fm_count, k) + 0
    set title word(fm_acts, k) noenhanced
    plot for [j=0:n-1] infile index f+j using 1:3:4 with filledcurves lc j+1 notitle, \
         for [j=0:n-1] infile index f+j using 1:2 with linespoints lc j+1 lw 1.5 pt 7 ps 0.5 title columnheader(1) noenhanced, \
         for [j=0:fm_nrelu-1] infile index j using 1:2 with lines lc rgb "#444444" dt 2 lw 1.2 title columnheader(1) noenhanced
  }
  unset multiplot
  unset output
}
