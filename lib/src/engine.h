/* Helpers shared by the engine's sources (tape.c, estimator.c, nn.c). Not installed. */
#ifndef INFNUM_ENGINE_H
#define INFNUM_ENGINE_H

/* The logistic function 1/(1 + e^{−x}), without overflow for either sign. */
double lc_sigmoid_real(double x);

#endif
