# SPDX-License-Identifier: MIT
# CartPole-v1 learning curves of the eval runs (infnum-report cartpole):
# greedy return against environment steps at each estimator's chosen setting,
# one panel per policy, one colour per estimator; line = mean over the
# evaluation seeds, band = lower..upper quartile. Blocks 0-5: linear, 6-11: mlp.
# The y-axis starts at 0 and ends above the highest quartile (at most 520,
# the return being at most 500); dashed: the reward threshold 475, noted in
# the panel when it lies above the axis. The legend below both panels.
load style
stats infile using 1:4 nooutput
yhi = STATS_max_y * 1.1 + 5 < 520 ? STATS_max_y * 1.1 + 5 : 520
xstep = nice_step(STATS_max_x - STATS_min_x)
xfmt = STATS_max_x < 1e4 ? '%g' : '%.0s%c'
array est[6]
do for [e=1:6] { est[e] = block_title(e - 1) }
array pol[2] = ["linear policy", "MLP policy"]
panels = "set border 31 lc rgb '#555555'; set tics; set grid lc rgb '#dddddd'; set xrange [*:*]; set yrange [0:yhi]; set autoscale xfix; set offsets graph 0.02, graph 0.02, 0, 0; set xtics xstep; set format x xfmt; set xlabel 'environment steps of training'; unset key"
h = 8.5
set style fill transparent solid 0.12 noborder
do for [fmt in "svg png"] {
  if (fmt eq "svg") { eval svg_at(h) } else { eval png_at(h) }
  set multiplot
  eval panels
  set arrow 1 from graph 0, first 475 to graph 1, first 475 nohead dt 2 lc rgb "#777777"
  if (yhi < 475) { set label 2 "threshold 475: above the axis" at graph 0.02, graph 0.94 left font ",8" }
  x0 = cm_x(2.0)
  gap = cm_x(1.1)
  pw = (1 - x0 - cm_x(0.3) - gap) / 2
  do for [p=0:1] {
    set lmargin at screen x0 + p * (pw + gap)
    set rmargin at screen x0 + p * (pw + gap) + pw
    set tmargin at screen 1 - cm_y(0.7)
    set bmargin at screen cm_y(2.6)
    set title pol[p+1]
    if (p == 0) { set ylabel "greedy return"; set format y "%g" } else { unset ylabel; set format y "" }
    plot for [e=0:5] infile index (6*p+e) using 1:3:4 with filledcurves lc rgb pal(e) notitle, \
         for [e=0:5] infile index (6*p+e) using 1:2 with lines lw 2 lc rgb pal(e) notitle
  }
  eval key_row(1.6)
  set key maxcols 3 width 2
  plot NaN notitle, for [e=1:6] keyentry with lines lw 2 lc rgb pal(e - 1) title est[e]
  unset multiplot
  unset output
}
