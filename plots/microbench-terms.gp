# SPDX-License-Identifier: MIT
# Median time per number against terms per number, largest batch
# (infnum-report microbench). Sized for print like microbench-batch.gp.
load style
stats infile using 2 nooutput
ylo = STATS_min / 1.3
yhi = STATS_max * 1.3
set xlabel "terms per number"
set ylabel "median time per number (ns)"
set logscale xy
set xtics (1, 2, 4, 8, 16, 32, 64)
set yrange [ylo:yhi]
set key outside right top nobox
do for [fmt in "svg png"] {
  if (fmt eq "svg") {
    set terminal svg size 640,400 dynamic enhanced font 'Helvetica,13' background rgb 'white'; set output svg
  } else {
    set terminal pngcairo size 800,500 enhanced font 'Helvetica,15' linewidth 1.5; set output png
  }
  plot for [i=0:STATS_blocks-1] infile index i using 1:2 title columnheader(1) lw 1.5
  unset output
}
