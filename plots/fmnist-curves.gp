# SPDX-License-Identifier: MIT
# Fashion-MNIST: test accuracy against epoch, one panel per hidden activation
# (infnum-report fmnist; block ranges per panel from the generated
# fmnist-curves.layout), one line per method and network (mean over the
# evaluation seeds, band: +- one standard deviation), the relu baseline in
# grey in every panel. Colour: method; dash: network; one legend, right of
# the panels. Block titles: "METHOD NET (lr X)", "relu baseline NET (lr X)".
# The y-range is that of the points within 0.25 of the best, so that a
# method at chance does not flatten the others; the methods entirely below
# it are named in the panel.
load style
load infile[1:strlen(infile)-4].".layout"
stats infile using 1 nooutput
nb = nblocks
xlo = STATS_min
xhi = STATS_max
stats infile using 2 nooutput
thr = STATS_max - 0.25
stats infile using ($2 >= thr ? $3 : NaN):($2 >= thr ? $4 : NaN) nooutput
ylo = STATS_min_x
yhi = STATS_max_y
pad = (yhi - ylo) * 0.06 > 0.003 ? (yhi - ylo) * 0.06 : 0.003
# Per block: colour (method), dash (network), whether it is below the axis.
meths = ""
nets = ""
array bt[nb]
array net[nb]
array below[nb]
do for [k=1:nb] {
  bt[k] = block_title(k - 1)
  isrelu = k <= fm_nrelu
  m = isrelu ? "relu" : word(bt[k], 1)
  net[k] = word(bt[k], isrelu ? 3 : 2)
  if (!isrelu && !widx(meths, m, 1)) { meths = meths . " " . m }
  if (!widx(nets, net[k], 1)) { nets = nets . " " . net[k] }
  stats infile index k - 1 using 2 nooutput
  below[k] = STATS_max < ylo - pad
}
set yrange [ylo - pad : yhi + pad]
if (xhi > xlo) { set xrange [xlo : xhi]; set offsets graph 0.02, graph 0.02, 0, 0 } else { set xrange [xlo - 0.5 : xhi + 0.5] }
xstep = xhi - xlo <= 10 ? 1 : xhi - xlo <= 40 ? 5 : 10
set xtics xstep
ptsz = xhi - xlo < 8 ? 1 : 0.4
# the curves entirely below the axis (in some panel), named under the legend
cut = ""
do for [k=1:nb] {
  if (below[k]) {
    c = (k <= fm_nrelu ? "relu" : word(bt[k], 1)) . " " . net[k]
    if (strstrt(cut . "\n", "\n " . c . "\n") == 0) { cut = cut . "\n " . c }
  }
}
bcol(k) = k <= fm_nrelu ? "#777777" : method_col(word(bt[k], 1), widx(meths, word(bt[k], 1), 1))
bdt(k) = widx(nets, net[k], 1)
rows = fm_nacts > 3 ? 2 : 1
cols = (fm_nacts + rows - 1) / rows
h = 7.5 * rows
kw = cm_x(4.3)
nkey = words(meths) + (fm_nrelu > 0) + 1 + words(nets)
set style fill transparent solid 0.15 noborder
set key at screen 1 - kw + cm_x(0.2), screen 1 - cm_y(0.6) left top vertical Left reverse nobox noopaque samplen 2.5 noenhanced
do for [fmt in "svg png"] {
  if (fmt eq "svg") { eval svg_at(h) } else { eval png_at(h) }
  set multiplot
  do for [p=1:fm_nacts] {
    f = word(fm_first, p) + 0
    n = word(fm_count, p) + 0
    c = (p - 1) % cols
    r = (p - 1) / cols
    pw = (1 - kw) / cols
    set lmargin at screen c * pw + cm_x(2.0)
    set rmargin at screen (c + 1) * pw - cm_x(0.3)
    set tmargin at screen 1 - r * (1.0 / rows) - cm_y(0.7)
    set bmargin at screen 1 - (r + 1) * (1.0 / rows) + cm_y(1.3)
    set title word(fm_acts, p) noenhanced
    set xlabel "epoch"
    if (c == 0) { set ylabel "test accuracy" } else { unset ylabel }
    if (p == 1) {
      set key
      if (strlen(cut)) { set label 1 "below the axis:" . cut at screen 1 - kw + cm_x(0.2), screen 1 - cm_y(0.8 + 0.42 * (nkey + 1)) left noenhanced font ",8" }
      plot for [k=f+1:f+n] infile index k - 1 using 1:3:4 with filledcurves lc rgb bcol(k) notitle, \
           for [k=f+1:f+n] infile index k - 1 using 1:2 with linespoints lw 1.5 lc rgb bcol(k) dt bdt(k) pt 7 ps ptsz notitle, \
           for [k=1:fm_nrelu] infile index k - 1 using 1:2 with linespoints lw 1.5 lc rgb bcol(k) dt bdt(k) pt 6 ps ptsz notitle, \
           for [i=1:words(meths)] keyentry with linespoints lw 1.5 lc rgb method_col(word(meths, i), i) pt 7 ps ptsz title word(meths, i), \
           for [i=1:(fm_nrelu > 0)] keyentry with linespoints lw 1.5 lc rgb "#777777" pt 6 ps ptsz title "relu baseline", \
           keyentry with lines lc rgb "white" title " ", \
           for [j=1:words(nets)] keyentry with lines lw 1.5 lc rgb "#333333" dt j title word(nets, j)
    } else {
      unset key
      unset label 1
      plot for [k=f+1:f+n] infile index k - 1 using 1:3:4 with filledcurves lc rgb bcol(k) notitle, \
           for [k=f+1:f+n] infile index k - 1 using 1:2 with linespoints lw 1.5 lc rgb bcol(k) dt bdt(k) pt 7 ps ptsz notitle, \
           for [k=1:fm_nrelu] infile index k - 1 using 1:2 with linespoints lw 1.5 lc rgb bcol(k) dt bdt(k) pt 6 ps ptsz notitle
    }
  }
  unset multiplot
  unset output
}
