# SPDX-License-Identifier: MIT
# Peers mode of infnum-microbench: numbers per second against batch size at 8 terms
# (infnum-report peers). One panel per operation, one line per implementation
# (blocks op-major; header comments "# ops=" and "# impls="); the legend in
# the free cell, the y label on the left column only, x tics at the measured
# batch sizes (every other one past four).
load style
ops = system("sed -n 's/^# ops=//p' '" . infile . "'")
ni = int(system("sed -n 's/^# impls=//p' '" . infile . "'"))
nops = words(ops)
kl = 0
do for [k=1:nops] { if (word(ops, k) eq "mul") { kl = k - 1 } }
cols = (nops + 2) / 2
xs = system("awk -F'\t' '!/^[#\"]/ && NF > 1 {print $1}' '" . infile . "' | sort -gu")
xstep = words(xs) > 4 ? 2 : 1
set format x "%.0s%c"
set pointsize 0.6
h = 11
do for [fmt in "svg png"] {
  if (fmt eq "svg") { eval svg_at(h) } else { eval png_at(h) }
  set border; set tics; set logscale xy; set autoscale xy; set autoscale xfix; set autoscale yfix; unset key
  set xtics (); do for [j=1:words(xs):xstep] { set xtics add (0 + word(xs, j)) }
  eval log_tics("y", "%.0s%c")
  set offsets graph 0.06, graph 0.06, graph 0.08, graph 0.08
  set multiplot layout 2,cols
  do for [k=0:nops-1] {
    set title word(ops, k + 1)
    if (k % cols == 0) { set ylabel "numbers per second" } else { unset ylabel }
    if (k + cols >= nops) { set xlabel "batch size (numbers)" } else { unset xlabel }
    plot for [m=0:ni-1] infile index k*ni+m using 1:2 title columnheader(1) lw 1.5 lc rgb pal(m) pt m % 13 + 1
  }
  # The legend in the free cell, from the op with every implementation (mul).
  unset title; unset border; unset tics; unset xlabel; unset ylabel; unset logscale; unset offsets
  set xrange [0:1]; set yrange [0:1]; set key center center Left reverse noenhanced
  plot for [m=0:ni-1] infile index kl*ni+m using 1:(-1) title columnheader(1) lw 1.5 lc rgb pal(m) pt m % 13 + 1
  unset multiplot
  unset output
}
