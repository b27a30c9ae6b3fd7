# SPDX-License-Identifier: MIT
# Median time per number against batch size (infnum-report microbench; also
# the CPU/GPU comparison). Blocks op-major, titled "OP, N terms"; the header
# comment "# terms_per_op=" gives N's count. One colour and point type per
# op, one dash type per number of terms; the legend, outside the data, names
# each colour and each dash once. The y-range is the data's.
load style
stats infile using 2 nooutput
nb = nblocks
ylo = STATS_min / 1.3
yhi = STATS_max * 1.3
nt = int(system("sed -n 's/^# terms_per_op=//p' '" . infile . "' | head -n 1"))
nops = nb / nt
array opname[nops]
array termname[nt]
do for [o=1:nops] { t = block_title((o - 1) * nt); opname[o] = t[1:strstrt(t, ", ") - 1] }
do for [j=1:nt] { t = block_title(j - 1); termname[j] = t[strstrt(t, ", ") + 2:] }
set xlabel "batch size (numbers)"
set ylabel "median time per number (ns)"
set logscale xy
set yrange [ylo:yhi]
set format x "10^{%L}"
set autoscale xfix
set offsets graph 0.03, graph 0.03, 0, 0
set key outside right top vertical Left reverse nobox noopaque samplen 2.5 noenhanced
h = 1.8 + 0.42 * (nops + nt + 1) > 7.5 ? 1.8 + 0.42 * (nops + nt + 1) : 7.5
do for [fmt in "svg png"] {
  if (fmt eq "svg") { eval svg_at(h) } else { eval png_at(h) }
  plot for [i=0:nb-1] infile index i using 1:2 with linespoints lw 1.5 lc rgb pal(i / nt) pt (i / nt) % 13 + 1 dt i % nt + 1 notitle, \
       for [o=1:nops] keyentry with linespoints lw 1.5 lc rgb pal(o - 1) pt (o - 1) % 13 + 1 title opname[o], \
       keyentry with lines lc rgb "white" title " ", \
       for [j=1:nt] keyentry with lines lw 1.5 lc rgb "#333333" dt j title termname[j]
  unset output
}
