# SPDX-License-Identifier: MIT
# Peers mode of infnum-microbench: numbers per second against terms per number
# at one batch size (infnum-report peers). Drawn like peers-batch.gp: one
# panel per operation, one line per implementation, the legend in the free
# cell, the y label on the left column only.
load style
ops = system("sed -n 's/^# ops=//p' '" . infile . "'")
ni = int(system("sed -n 's/^# impls=//p' '" . infile . "'"))
nops = words(ops)
kl = 0
do for [k=1:nops] { if (word(ops, k) eq "mul") { kl = k - 1 } }
cols = (nops + 2) / 2
set pointsize 0.6
h = 11
do for [fmt in "svg png"] {
  if (fmt eq "svg") { eval svg_at(h) } else { eval png_at(h) }
  set border; set tics; set logscale xy; set autoscale xy; set autoscale xfix; set autoscale yfix; unset key
  set xtics (1, 2, 4, 8, 16, 32, 64)
  eval log_tics("y", "%.0s%c")
  set offsets graph 0.06, graph 0.06, graph 0.08, graph 0.08
  set multiplot layout 2,cols
  do for [k=0:nops-1] {
    set title word(ops, k + 1)
    if (k % cols == 0) { set ylabel "numbers per second" } else { unset ylabel }
    if (k + cols >= nops) { set xlabel "terms per number" } else { unset xlabel }
    plot for [m=0:ni-1] infile index k*ni+m using 1:2 title columnheader(1) lw 1.5 lc rgb pal(m) pt m % 13 + 1
  }
  # The legend in the free cell, from the op with every implementation (mul).
  unset title; unset border; unset tics; unset xlabel; unset ylabel; unset logscale; unset offsets
  set xrange [0:1]; set yrange [0:1]; set key center center Left reverse noenhanced
  plot for [m=0:ni-1] infile index kl*ni+m using 1:(-1) title columnheader(1) lw 1.5 lc rgb pal(m) pt m % 13 + 1
  unset multiplot
  unset output
}
