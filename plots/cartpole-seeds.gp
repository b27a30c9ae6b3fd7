# SPDX-License-Identifier: MIT
# CartPole-v1: the learning curve of every evaluation seed (infnum-report
# cartpole, cartpole-seeds.tsv): one panel per (policy, estimator), a thin
# line per seed; blocks 0-5: linear, 6-11: mlp, estimators in the order of
# cartpole-curves.tsv. Four rows of three panels (two rows per policy), tic
# labels on the outer panels only. Shown on the summary page, not in the paper.
load style
unset key
stats infile using 1 nooutput
xstep = nice_step(2 * (STATS_max - STATS_min))
xfmt = STATS_max < 1e4 ? "%g" : "%.0s%c"
array est[6]
do for [e=1:6] { est[e] = block_title(e - 1) }
array pol[2] = ["linear", "MLP"]
set yrange [0:520]
set ytics 0, 100, 500
set xtics xstep
h = 15
do for [fmt in "svg png"] {
  if (fmt eq "svg") { eval svg_at(h) } else { eval png_at(h) }
  set multiplot layout 4,3 margins cm_x(1.8), 1 - cm_x(0.5), cm_y(1.4), 1 - cm_y(0.8) spacing cm_x(1.0), cm_y(0.9)
  set label 9 "greedy return" at screen cm_x(0.4), screen 0.5 rotate center
  do for [p=0:1] {
    do for [e=0:5] {
      row = 2 * p + e / 3
      set title sprintf("%s, %s", est[e+1], pol[p+1]) noenhanced offset 0, -0.5
      if (e % 3 == 0) { set format y "%g" } else { set format y "" }
      if (row == 3) { set format x xfmt; set xlabel "environment steps" } else { set format x ""; unset xlabel }
      plot for [c=2:*] infile index (6*p+e) using 1:c with lines lw 1 lc rgb pal(0)
      unset label 9
    }
  }
  unset multiplot
  unset output
}
