# SPDX-License-Identifier: MIT
# Median time per number against terms per number, largest batch
# (infnum-report microbench): one line per op, coloured as in
# microbench-batch.gp; the legend outside the data, the y-range the data's.
load style
stats infile using 2 nooutput
nb = nblocks
ylo = STATS_min / 1.3
yhi = STATS_max * 1.3
set xlabel "terms per number"
set ylabel "median time per number (ns)"
set logscale xy
set xtics (1, 2, 4, 8, 16, 32, 64)
set autoscale xfix
set offsets graph 0.03, graph 0.03, 0, 0
set yrange [ylo:yhi]
set key outside right top vertical Left reverse nobox noopaque samplen 2.5 noenhanced
h = 1.8 + 0.42 * nb > 7.5 ? 1.8 + 0.42 * nb : 7.5
do for [fmt in "svg png"] {
  if (fmt eq "svg") { eval svg_at(h) } else { eval png_at(h) }
  plot for [i=0:nb-1] infile index i using 1:2 with linespoints lw 1.5 lc rgb pal(i) pt i % 13 + 1 title columnheader(1)
  unset output
}
