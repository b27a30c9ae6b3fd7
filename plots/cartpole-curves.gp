# SPDX-License-Identifier: MIT
# CartPole-v1 learning curves of the eval runs (infnum-report cartpole):
# greedy return against environment steps at each estimator's chosen setting,
# one panel per policy, one colour per estimator; line = mean over the
# evaluation seeds, band = lower..upper quartile. Blocks 0-5: linear, 6-11: mlp.
load style
set bmargin 7
set xlabel "environment steps of training"
set ylabel "greedy return (mean of the evaluation episodes)"
set yrange [0:520]
set style fill transparent solid 0.07 noborder
set arrow 1 from graph 0, first 475 to graph 1, first 475 nohead dt 2 lc rgb "#777777"
array col[6] = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"]
array pol[2] = ["linear policy", "MLP policy"]
do for [fmt in "svg png"] {
  eval (fmt eq "svg" ? output_svg : output_png)
  set multiplot layout 1,2
  do for [p=0:1] {
    set title pol[p+1]
    if (p == 0) { set key at screen 0.5, screen 0.02 center bottom horizontal maxrows 2 box opaque } else { unset key }
    plot for [e=0:5] infile index (6*p+e) using 1:3:4 with filledcurves lc rgb col[e+1] notitle, \
         for [e=0:5] infile index (6*p+e) using 1:2 with lines lw 2 lc rgb col[e+1] title columnheader(1) noenhanced
  }
  unset multiplot
  unset output
}
