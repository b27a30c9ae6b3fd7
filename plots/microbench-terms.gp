# Median time per number against terms per number, largest batch
# (infnum-report microbench).
load style
stats infile using 1 nooutput
set title "Levi-Civita batch operations: cost of longer numbers"
set xlabel "terms per number"
set ylabel "median time per number (ns)"
set logscale xy
do for [fmt in "svg png"] {
  eval (fmt eq "svg" ? output_svg : output_png)
  plot for [i=0:STATS_blocks-1] infile index i using 1:2 title columnheader(1) lw 1.5
  unset output
}
