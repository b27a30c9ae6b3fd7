# SPDX-License-Identifier: MIT
# |u - b|/sigma of the first hidden layer's pre-activations (b the nearest
# breakpoint) over training: the fraction per bin, one bar group per bin and
# one bar per checkpoint, light to dark in training order, the legend
# below (infnum-report
# fmnist --fidelity). Bins past ~3 are where a Gaussian kernel of width sigma
# is effectively zero. The bins have unequal widths; each is labelled by its
# range.
load style
nb = nblocks
blues = "#c6dbef #9ecae1 #6baed6 #4292c6 #2171b5 #08519c #08306b"
bcol(j) = word(blues, nb == 1 ? 6 : 2 + int(floor(j * 5.0 / (nb - 1) + 0.5)))
set style data histograms
set style histogram clustered gap 1
set style fill solid 1 border rgb "#333333"
set boxwidth 0.9
set xlabel "|u - b| / sigma (bins of unequal width)" noenhanced
set ylabel "fraction of pre-activations"
set yrange [0:*]
set grid noxtics ytics
# the legend under the x label, one entry per checkpoint
set key at screen 0.5, screen 0.01 center bottom horizontal Left reverse nobox noopaque noenhanced samplen 2
set bmargin 5.5
stats infile index 0 using 3 nooutput
set xrange [-0.7 : STATS_records - 0.3]
h = 7.5
do for [fmt in "svg png"] {
  if (fmt eq "svg") { eval svg_at(h) } else { eval png_at(h) }
  plot for [j=0:nb-1] infile index j using 3:xtic(stringcolumn(1) . "–" . (stringcolumn(2) eq "99" ? "inf" : stringcolumn(2))) lc rgb bcol(j) title columnheader(1)
  unset output
}
