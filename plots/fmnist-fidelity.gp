# SPDX-License-Identifier: MIT
# Gradient fidelity: cosine similarity of each estimator's gradient to the
# Monte Carlo gradient of the loss under noise of width sigma on the
# pre-activations, against sigma; one panel per depth (infnum-report fmnist
# --fidelity; the last checkpoint). Error bars: the MC gradient's relative
# standard error (its own noise floor).
load style
set key inside left bottom font ",9" noenhanced opaque
set xlabel "sigma (noise / kernel standard deviation)"
set ylabel "cosine to the MC gradient"
set logscale x
stats infile using 1 nooutput
nb = STATS_blocks
set yrange [-0.1:1.05]
# the header comment names fid_ndepth and fid_nest
nd = system("grep -o 'fid_ndepth = [0-9]*' '".infile."' | grep -o '[0-9]*$'") + 0
ne = system("grep -o 'fid_nest = [0-9]*' '".infile."' | grep -o '[0-9]*$'") + 0
do for [fmt in "svg png"] {
  if (fmt eq "svg") {
    set terminal svg size 380*nd,380 dynamic enhanced font 'Helvetica,11' background rgb 'white'
    set output svg
  } else {
    set terminal pngcairo size 460*nd,460 enhanced font 'Helvetica,10'
    set output png
  }
  set multiplot layout 1,nd title "Gradient fidelity against sigma (MC relative s.e. as error bars)"
  do for [d=0:nd-1] {
    set title sprintf("%d hidden layer%s", d + 1, d ? "s" : "")
    plot for [e=0:ne-1] infile index d*ne+e using 1:2:($2*$5) with yerrorlines lc e+1 pt e+5 title columnheader(1)
  }
  unset multiplot
  unset output
}
