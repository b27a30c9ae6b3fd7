# SPDX-License-Identifier: MIT
# |u - b|/sigma of the first hidden layer's pre-activations (b the nearest
# breakpoint) over training: the fraction per bin, one bar group per
# checkpoint (infnum-report fmnist --fidelity). Bins past ~3 are where a
# Gaussian kernel of width sigma is effectively zero.
load style
set key inside right top font ",9" noenhanced
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set xlabel "|u - b| / sigma (bin upper edge)"
set ylabel "fraction of pre-activations"
set yrange [0:*]
stats infile using 3 nooutput
nb = STATS_blocks
do for [fmt in "svg png"] {
  if (fmt eq "svg") { eval output_svg } else { eval output_png }
  set title "How far the units sit from a breakpoint, over training"
  plot for [j=0:nb-1] infile index j using 3:xtic(stringcolumn(2) eq "99" ? "inf" : stringcolumn(2)) title columnheader(1)
  unset output
}
