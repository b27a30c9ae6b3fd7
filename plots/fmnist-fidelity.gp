# SPDX-License-Identifier: MIT
# Gradient fidelity: cosine similarity of each estimator's gradient to the
# Monte Carlo gradient of the loss under noise of width sigma on the
# pre-activations, against sigma; one panel per depth (infnum-report fmnist
# --fidelity; the last checkpoint; blocks depth-major, titled "EST, D hidden",
# layout in the comment "fid_ndepth = , fid_nest ="). Error bars: the MC
# gradient's relative standard error (its own noise floor); the estimators
# are drawn slightly apart along sigma so that their bars do not overlap. Colours as in the
# accuracy figures; one legend, right of the panels.
load style
nd = system("grep -o 'fid_ndepth = [0-9]*' '".infile."' | grep -o '[0-9]*$'") + 0
ne = system("grep -o 'fid_nest = [0-9]*' '".infile."' | grep -o '[0-9]*$'") + 0
array est[ne]
do for [e=1:ne] { t = block_title(e - 1); est[e] = t[1:strstrt(t, ",") - 1] }
stats infile using 1:($2 - $2 * $5) nooutput
slo = STATS_min_x
shi = STATS_max_x
ylo = STATS_min_y < 0 ? STATS_min_y - 0.05 : -0.05
set yrange [ylo : 1.05]
set logscale x
if (shi > slo) { set autoscale xfix; set offsets graph 0.06, graph 0.06, 0, 0 } else { set xrange [slo / 1.5 : shi * 1.5] }
eval log_tics("x", "%g")
set xlabel "sigma"
h = 7
kw = cm_x(3.4)
set key at screen 1 - kw + cm_x(0.2), screen 1 - cm_y(0.6) left top vertical Left reverse nobox noopaque samplen 2.5 noenhanced
set bars small
# the estimators side by side at each sigma, so that their error bars show
dodge(e) = 1 + 0.05 * (e - (ne - 1) / 2.0)
do for [fmt in "svg png"] {
  if (fmt eq "svg") { eval svg_at(h) } else { eval png_at(h) }
  set multiplot
  x0 = cm_x(2.0)
  gap = cm_x(0.6)
  pw = (1 - kw - x0 - cm_x(0.3) - (nd - 1) * gap) / nd
  do for [d=0:nd-1] {
    set lmargin at screen x0 + d * (pw + gap)
    set rmargin at screen x0 + d * (pw + gap) + pw
    set tmargin at screen 1 - cm_y(0.7)
    set bmargin at screen cm_y(1.3)
    set title sprintf("%d hidden layer%s", d + 1, d ? "s" : "")
    if (d == 0) { set ylabel "cosine to the MC gradient"; set format y "%g" } else { unset ylabel; set format y "" }
    if (d == 0) { set key } else { unset key }
    plot for [e=0:ne-1] infile index d*ne+e using ($1 * dodge(e)):2:($2*$5) with yerrorlines lw 1.5 lc rgb method_col(est[e+1], e + 1) pt e+5 ps 1 title est[e+1]
  }
  unset multiplot
  unset output
}
