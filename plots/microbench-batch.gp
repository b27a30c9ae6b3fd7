# Median time per number against batch size (infnum-report microbench).
load style
stats infile using 1 nooutput
# One colour per op, one dash type per number of terms (blocks: op-major).
nt = int(system("sed -n 's/^# terms_per_op=//p' '" . infile . "'"))
set title "Levi-Civita batch operations: time per number"
set xlabel "batch size (numbers)"
set ylabel "median time per number (ns)"
set logscale xy
set format x "10^{%L}"
do for [fmt in "svg png"] {
  eval (fmt eq "svg" ? output_svg : output_png)
  plot for [i=0:STATS_blocks-1] infile index i using 1:2 title columnheader(1) lw 1.5 lt i/nt+1 dt i%nt+1
  unset output
}
