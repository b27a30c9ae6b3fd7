# SPDX-License-Identifier: MIT
# Peers mode of infnum-microbench: numbers per second against terms per number at one batch size
# (infnum-report peers). One panel per operation, one line per implementation
# (blocks op-major; header comments "# ops=" and "# impls=").
load style
ops = system("sed -n 's/^# ops=//p' '" . infile . "'")
ni = int(system("sed -n 's/^# impls=//p' '" . infile . "'"))
nops = words(ops)
kl = 0
do for [k=1:nops] { if (word(ops, k) eq "mul") { kl = k - 1 } }
xl = "terms per number"
set format y "10^{%L}"
set key noopaque nobox
set pointsize 0.6
do for [fmt in "svg png"] {
  if (fmt eq "svg") {
    set terminal svg size 900,640 dynamic enhanced font 'Helvetica,14' background rgb 'white'; set output svg
  } else {
    set terminal pngcairo size 900,640 enhanced font 'Helvetica,15' linewidth 1.5; set output png
  }
  set border; set tics; set logscale xy; set autoscale xy; set autoscale xfix; set autoscale yfix; unset key
  set offsets graph 0.06, graph 0.06, graph 0.08, graph 0.08
  set xtics (1, 2, 4, 8, 16, 32, 64)
  set xlabel xl; set ylabel "numbers per second"
  set multiplot layout 2,(nops + 2) / 2
  do for [k=0:nops-1] {
    set title word(ops, k + 1)
    plot for [m=0:ni-1] infile index k*ni+m using 1:2 title columnheader(1) lw 1.5 lt m+1
  }
  # The legend in the free cell, from the op with every implementation (mul).
  unset title; unset border; unset tics; unset xlabel; unset ylabel; unset logscale; unset offsets
  set xrange [0:1]; set yrange [0:1]; set key center center font ",15"
  plot for [m=0:ni-1] infile index kl*ni+m using 1:(-1) title columnheader(1) lw 1.5 lt m+1
  unset multiplot
  unset output
}
