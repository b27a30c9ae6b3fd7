# SPDX-License-Identifier: MIT
# Fashion-MNIST: test accuracy against training wall-clock seconds, one line
# per (method, network, activation) at its chosen setting (means over the
# evaluation seeds; infnum-report fmnist). The y-range follows the data
# (methods far below the rest are cut off at the bottom, said in the label).
load style
set key outside right top font ",8" spacing 0.9 noenhanced
set xlabel "training time (s, cumulative)"
stats infile using 2 nooutput
ylo = STATS_max - 0.25 > STATS_min ? STATS_max - 0.25 : STATS_min
set ylabel (ylo > STATS_min ? "test accuracy (lines below the axis: much lower)" : "test accuracy")
set yrange [ylo - 0.005 : STATS_max + 0.01]
nb = STATS_blocks
do for [fmt in "svg png"] {
  if (fmt eq "svg") { eval output_svg } else { eval output_png }
  set title "Fashion-MNIST MLP: accuracy against wall-clock time"
  plot for [j=0:nb-1] infile index j using 1:2 with linespoints lc j+1 pt j%7+1 ps 0.6 title columnheader(1)
  unset output
}
