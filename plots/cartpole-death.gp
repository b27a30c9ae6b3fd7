# SPDX-License-Identifier: MIT
# CartPole-v1 kernel death (infnum-report cartpole, cartpole-death.tsv): the
# fraction of the training decisions whose kernel density is below 1e-10 of
# its peak, against environment steps (mean over the death runs' seeds).
# Blocks: (straight_through, kernel, decision_flip) x (fixed sigma,
# sigma tied to the logit scale): colour = estimator, dashed = fixed.
load style
set bmargin 4
set xlabel "environment steps of training"
set ylabel "dead fraction of the decisions"
set yrange [0:1.02]
array col[3] = ["#d62728", "#9467bd", "#8c564b"]
do for [fmt in "svg png"] {
  eval (fmt eq "svg" ? output_svg : output_png)
  set key inside top left vertical box opaque
  plot for [b=0:5] infile index b using 1:2 with lines lw 2 dt 1+(b%2==0) lc rgb col[b/2+1] title columnheader(1) noenhanced
  unset output
}
