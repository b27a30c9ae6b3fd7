# SPDX-License-Identifier: MIT
# Median time per number against batch size (infnum-report microbench).
# Sized for print: the PNG is included at the text width (about 16 cm), so
# its 800 px and 15 pt fonts print at about 8 pt; the legend is outside the
# data, and the y-range is the data's (no empty decades).
load style
stats infile using 2 nooutput
ylo = STATS_min / 1.3
yhi = STATS_max * 1.3
# One colour per op, one dash type per number of terms (blocks: op-major).
nt = int(system("sed -n 's/^# terms_per_op=//p' '" . infile . "'"))
set xlabel "batch size (numbers)"
set ylabel "median time per number (ns)"
set logscale xy
set yrange [ylo:yhi]
set format x "10^{%L}"
# the legend below the plot, one row per op (nt columns), under the x label
set key at screen 0.5, screen 0.01 center bottom horizontal maxcols nt nobox samplen 3
set bmargin 3 + 1.25 * ceil(STATS_blocks / real(nt))
do for [fmt in "svg png"] {
  if (fmt eq "svg") {
    set terminal svg size 640,450 dynamic enhanced font 'Helvetica,13' background rgb 'white'; set output svg
  } else {
    set terminal pngcairo size 800,560 enhanced font 'Helvetica,15' linewidth 1.5; set output png
  }
  plot for [i=0:STATS_blocks-1] infile index i using 1:2 title columnheader(1) lw 1.5 lt i/nt+1 dt i%nt+1
  unset output
}
