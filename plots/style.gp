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
# dash types past gnuplot's five (which then repeat): long dashes, dash-dot-dot, sparse dots
set dashtype 6 (24,8)
set dashtype 7 (12,4,2,4,2,4)
set dashtype 8 (2,6)

# Print geometry. The paper includes every PNG at the text width, 16 cm
# (\resultfigure in paper/main.tex); a figure is drawn for that width and a
# height of h cm, and a font of N points in a script prints at N points
# (the default, 9, is a little below the body text; keep every label >= 8).
# The PNG has 100 px per printed cm (254 dpi); pngcairo draws a point as
# 4/3 px, so the fonts are scaled by 100 * 2.54 / 72.27 / (4/3) = 2.64.
# The SVG (for the summary page, shown about 640 px wide) has 40 px per cm.
# Call as: eval png_at(h) / eval svg_at(h), with h in cm.
fig_w = 16.0
png_at(h) = sprintf("set terminal pngcairo size %d,%d enhanced font 'Helvetica,9' fontscale 2.64 pointscale 2 linewidth 1.5; set output png", 100 * fig_w, 100 * h)
svg_at(h) = sprintf("set terminal svg size %d,%d dynamic enhanced font 'Helvetica,9' fontscale 1.3 linewidth 1 background rgb 'white'; set output svg", 40 * fig_w, 40 * h)

# One colour per series index (0-based), twelve before they repeat.
pal(i) = word("#1f77b4 #ff7f0e #2ca02c #d62728 #9467bd #8c564b #e377c2 #7f7f7f #bcbd22 #17becf #000000 #aec7e8", int(i) % 12 + 1)
# block_title(k): the title (first header column) of block k (0-based) of infile
block_title(k) = system(sprintf("awk -F'\"' '/^\"/{n++} /^\"/&&n==%d{print $2; exit}' '%s'", k + 1, infile))
# log_tics(ax, f): tics at 1, 2, 5 times each power of ten on axis ax ("x"
# or "y") in format f (e.g. "%.0s%c": 20M), for data within a decade or two
log_tics(ax, f) = sprintf("set %stics (); do for [d=-3:12] { do for [m in '1 2 5'] { set %stics add (m * 10.0**d) } }; set format %s '%s'", ax, ax, ax, f)
# The methods' colours, the same in every Fashion-MNIST figure; a method not
# listed gets one of the remaining colours by its position i (1-based).
methods = "classical ste ste_clipped surrogate kernel composite relaxation"
method_col(name, i) = widx(methods, name, 1) ? pal(widx(methods, name, 1) - 1) : pal(words(methods) + i - 1)
# widx(list, w, 1): position of word w in the space-separated list (0: absent)
widx(list, w, i) = i > words(list) ? 0 : word(list, i) eq w ? i : widx(list, w, i + 1)
# cm_x(c), cm_y(c): c cm as a fraction of the figure's width / height h
cm_x(c) = c / fig_w
cm_y(c) = c / h
# nblocks: the number of titled blocks of infile (STATS_blocks also counts
# an empty one after the file's last blank lines)
nblocks = int(system(sprintf("grep -c '^\"' '%s'", infile)))
# nice_step(r): a 1-2-5 tic step giving about five tics over a range r > 0
nice_m(m) = m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10
nice_step(r) = nice_m(r / 5 / 10.0**floor(log10(r / 5))) * 10.0**floor(log10(r / 5))
# key_row(b): set up a borderless plot in the bottom b cm of a multiplot
# for a legend across the full width (then plot keyentry items)
key_row(b) = sprintf("unset title; unset border; unset tics; unset xlabel; unset ylabel; unset label; unset arrow; unset logscale; unset grid; set lmargin at screen 0; set rmargin at screen 1; set bmargin at screen 0; set tmargin at screen %g; set xrange [0:1]; set yrange [0:1]; set key center center horizontal Left reverse nobox noopaque samplen 2.5 noenhanced", cm_y(b))
