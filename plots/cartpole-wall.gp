# SPDX-License-Identifier: MIT
# CartPole-v1: greedy return against training wall time (mean over the
# evaluation seeds, the evaluations excluded; column 5 of the blocks, laid
# out like cartpole-curves.tsv), one panel per policy, log time axis.
# The y-axis starts at 0 and ends above the highest mean (at most 520,
# the return being at most 500); dashed: the reward threshold 475, noted in
# the panel when it lies above the axis. The legend below both panels.
load style
stats infile using 1:2 nooutput
yhi = STATS_max_y * 1.1 + 5 < 520 ? STATS_max_y * 1.1 + 5 : 520
array est[6]
do for [e=1:6] { est[e] = block_title(e - 1) }
array pol[2] = ["linear policy", "MLP policy"]
panels = "set border 31 lc rgb '#555555'; set tics; set grid lc rgb '#dddddd'; set xrange [*:*]; set yrange [0:yhi]; set logscale x; set autoscale xfix; set offsets graph 0.03, graph 0.03, 0, 0; set xtics autofreq; set format x '10^{%L}'; set xlabel 'training time (s, log scale)'; unset key"
h = 8.5
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
    plot for [e=0:5] infile index (6*p+e) using ($5 > 0 ? $5 : NaN):2 with lines lw 2 lc rgb pal(e) notitle
  }
  eval key_row(1.6)
  set key maxcols 3 width 2
  plot NaN notitle, for [e=1:6] keyentry with lines lw 2 lc rgb pal(e - 1) title est[e]
  unset multiplot
  unset output
}
