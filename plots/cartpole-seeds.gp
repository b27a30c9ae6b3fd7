# SPDX-License-Identifier: MIT
# CartPole-v1: the learning curve of every evaluation seed (infnum-report
# cartpole, cartpole-seeds.tsv): one panel per (policy, estimator), a thin
# line per seed. Blocks 0-5: linear, 6-11: mlp, estimators in the order of
# cartpole-curves.tsv.
load style
unset key
set yrange [0:520]
set xtics rotate by -45 font ",7"
set ytics 0,100,500 font ",8"
set format x "%.0s%c"
array est[6] = ["reinforce", "ppo", "es", "straight\\_through", "kernel", "decision\\_flip"]
array pol[2] = ["linear", "mlp"]
do for [fmt in "svg png"] {
  eval (fmt eq "svg" ? output_svg : output_png)
  set multiplot layout 2,6 title "greedy return per evaluation seed against environment steps"
  do for [p=0:1] {
    do for [e=0:5] {
      set title sprintf("%s, %s", est[e+1], pol[p+1]) font ",9"
      plot for [c=2:*] infile index (6*p+e) using 1:c with lines lw 1 lc rgb "#1f77b4"
    }
  }
  unset multiplot
  unset output
}
