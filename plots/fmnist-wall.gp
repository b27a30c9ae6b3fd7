# SPDX-License-Identifier: MIT
# Fashion-MNIST: test accuracy against training wall-clock seconds, one line
# per (method, network, activation) at its chosen setting (means over the
# evaluation seeds; infnum-report fmnist; block titles "METHOD NET ACT").
# Drawn like fmnist-curves.gp: colour = method (relu grey), dash = network,
# point type = activation; the y-range that of the points within 0.25 of the
# best, the lines entirely below it named under the legend. The time axis
# is logarithmic when the slowest line takes over ten times the fastest.
load style
nb = nblocks
stats infile using 1 nooutput
tlo = STATS_min
thi = STATS_max
stats infile using 2 nooutput
thr = STATS_max - 0.25
stats infile using ($2 >= thr ? $2 : NaN) nooutput
ylo = STATS_min
yhi = STATS_max
pad = (yhi - ylo) * 0.06 > 0.003 ? (yhi - ylo) * 0.06 : 0.003
meths = ""
nets = ""
acts = ""
array bt[nb]
array below[nb]
tfast = 1e300
npts = 0
tslow = 0
do for [k=1:nb] {
  bt[k] = block_title(k - 1)
  if (word(bt[k], 3) ne "relu" && !widx(meths, word(bt[k], 1), 1)) { meths = meths . " " . word(bt[k], 1) }
  if (!widx(nets, word(bt[k], 2), 1)) { nets = nets . " " . word(bt[k], 2) }
  if (word(bt[k], 3) ne "relu" && !widx(acts, word(bt[k], 3), 1)) { acts = acts . " " . word(bt[k], 3) }
  stats infile index k - 1 using 2 nooutput
  npts = STATS_records > npts ? STATS_records : npts
  below[k] = STATS_max < ylo - pad
  stats infile index k - 1 using 1 nooutput
  tfast = STATS_max < tfast ? STATS_max : tfast
  tslow = STATS_max > tslow ? STATS_max : tslow
}
ptsz = npts <= 5 ? 1.2 : 0.6
isrelu(k) = word(bt[k], 3) eq "relu"
bcol(k) = isrelu(k) ? "#777777" : method_col(word(bt[k], 1), widx(meths, word(bt[k], 1), 1))
bdt(k) = widx(nets, word(bt[k], 2), 1)
bpt(k) = isrelu(k) ? 6 : 2 * widx(acts, word(bt[k], 3), 1) + 5
cut = ""
do for [k=1:nb] { if (below[k]) { cut = cut . "\n " . (isrelu(k) ? "relu " . word(bt[k], 2) : words(acts) > 1 ? bt[k] : word(bt[k], 1) . " " . word(bt[k], 2)) } }
logx = tfast > 0 && tslow > 10 * tfast
set yrange [ylo - pad : yhi + pad]
if (logx) { set logscale x; set xlabel "training time (s, cumulative, log scale)" } else { set xlabel "training time (s, cumulative)" }
if (thi > tlo) { set autoscale xfix; set offsets graph 0.03, graph 0.03, 0, 0 } else { set xrange [tlo - 1 : thi + 1] }
if (!logx && thi > tlo) { set xtics nice_step(thi - tlo) }
set ylabel "test accuracy"
set format x "%g"
h = 7.5
kw = cm_x(4.3)
set lmargin at screen cm_x(2.0)
set rmargin at screen 1 - kw - cm_x(0.3)
set tmargin at screen 1 - cm_y(0.4)
set bmargin at screen cm_y(1.3)
set key at screen 1 - kw + cm_x(0.2), screen 1 - cm_y(0.4) left top vertical Left reverse nobox noopaque samplen 2.5 noenhanced
nkey = words(meths) + 1 + 1 + words(nets) + (words(acts) > 1 ? 1 + words(acts) : 0)
if (strlen(cut)) { set label 1 "below the axis:" . cut at screen 1 - kw + cm_x(0.2), screen 1 - cm_y(0.6 + 0.42 * (nkey + 1)) left noenhanced font ",8" }
do for [fmt in "svg png"] {
  if (fmt eq "svg") { eval svg_at(h) } else { eval png_at(h) }
  plot for [k=1:nb] infile index k - 1 using 1:2 with linespoints lw 1.5 lc rgb bcol(k) dt bdt(k) pt bpt(k) ps ptsz notitle, \
       for [i=1:words(meths)] keyentry with linespoints lw 1.5 lc rgb method_col(word(meths, i), i) pt 7 ps ptsz title word(meths, i), \
       keyentry with linespoints lw 1.5 lc rgb "#777777" pt 6 ps ptsz title "relu", \
       keyentry with lines lc rgb "white" title " ", \
       for [j=1:words(nets)] keyentry with lines lw 1.5 lc rgb "#333333" dt j title word(nets, j), \
       for [i=1:(words(acts) > 1)] keyentry with lines lc rgb "white" title " ", \
       for [i=1:(words(acts) > 1 ? words(acts) : 0)] keyentry with points lc rgb "#333333" pt 2 * i + 5 title word(acts, i)
  unset output
}
