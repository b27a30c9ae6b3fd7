# SPDX-License-Identifier: MIT
# Shared look of every figure. Scripts are called by the pipeline as
#   gnuplot -e "style='plots/style.gp'; infile='X.tsv'; svg='X.svg'; png='X.png'" plots/X.gp
# and write both SVG and PNG. Data: TSV blocks separated by two blank lines,
# each block starting with a header line whose first column is its title.
set datafile separator "\t"
set key outside right top box opaque
set grid lc rgb "#dddddd"
set border lc rgb "#555555"
set style data linespoints
set pointsize 0.8
# output(fmt): switch the terminal; call as 'eval output_svg' / 'eval output_png'
output_svg = "set terminal svg size 760,440 dynamic enhanced font 'Helvetica,12' background rgb 'white'; set output svg"
output_png = "set terminal pngcairo size 950,550 enhanced font 'Helvetica,11'; set output png"
