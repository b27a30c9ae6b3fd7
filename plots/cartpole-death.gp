# SPDX-License-Identifier: MIT
# CartPole-v1 kernel death (infnum-report cartpole, cartpole-death.tsv): the
# fraction of the training decisions whose kernel density is below 1e-10 of
# its peak, against environment steps (mean over the death runs' seeds).
# Blocks "ESTIMATOR, WIDTH": (straight_through, kernel, decision_flip) x
# (fixed sigma, sigma tied to the logit scale). Colour = estimator (as in
# cartpole-curves.gp), dashed = fixed sigma; one legend entry per colour and
# per dash, beside the plot. The y-axis: 0 to just above the largest fraction
# (at least 0.05, at most 1).
load style
nb = nblocks
array est[nb / 2]
array wid[2]
do for [b=0:nb-1:2] { t = block_title(b); est[b / 2 + 1] = t[1:strstrt(t, ", ") - 1] }
do for [j=1:2] { t = block_title(j - 1); wid[j] = t[strstrt(t, ", ") + 2:] }
cp_est = "reinforce ppo es straight_through kernel decision_flip"
ecol(name) = pal(widx(cp_est, name, 1) ? widx(cp_est, name, 1) - 1 : 6)
stats infile using 1:2 nooutput
yhi = STATS_max_y * 1.1 > 0.05 ? (STATS_max_y * 1.1 < 1.02 ? STATS_max_y * 1.1 : 1.02) : 0.05
set yrange [-0.02 * yhi : yhi]
set autoscale xfix
set offsets graph 0.02, graph 0.02, 0, 0
set xtics nice_step(STATS_max_x - STATS_min_x)
set format x (STATS_max_x < 1e4 ? "%g" : "%.0s%c")
set xlabel "environment steps of training"
set ylabel "dead fraction of the decisions"
set key outside right top vertical Left reverse nobox noopaque samplen 2.5 noenhanced
h = 7
do for [fmt in "svg png"] {
  if (fmt eq "svg") { eval svg_at(h) } else { eval png_at(h) }
  plot for [b=0:nb-1] infile index b using 1:2 with lines lw 2 dt 1+(b%2==0) lc rgb ecol(est[b/2+1]) notitle, \
       for [i=1:nb/2] keyentry with lines lw 2 lc rgb ecol(est[i]) title est[i], \
       keyentry with lines lc rgb "white" title " ", \
       for [j=1:2] keyentry with lines lw 2 dt 1+(j==1) lc rgb "#333333" title wid[j]
  unset output
}
