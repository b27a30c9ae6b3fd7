/* SPDX-License-Identifier: MIT */
/* CartPole against Gymnasium, bit for bit: replays the episodes of a file
 * written by gym_fixture.py (Gymnasium's own CartPoleEnv under recorded
 * actions) through cp_env_step and requires, at every step, the double state
 * and the float32 observation to have Gymnasium's bit patterns, and the
 * terminated/truncated flags (hence the termination step) to match.
 *   test_cartpole_gym FIXTURE */
#include "cartpole.h"
#include "check.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t bits64(double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return u;
}

static uint32_t bits32(float v)
{
    uint32_t u;
    memcpy(&u, &v, sizeof u);
    return u;
}

/* Reads 4 doubles and 4 floats as hexadecimal bit patterns; 0 on success. */
static int read_state(FILE *f, double s[4], uint32_t o[4])
{
    for (int i = 0; i < 4; i++) {
        uint64_t u;
        if (fscanf(f, "%16" SCNx64, &u) != 1) return 1;
        memcpy(&s[i], &u, sizeof u);
    }
    for (int i = 0; i < 4; i++)
        if (fscanf(f, "%8" SCNx32, &o[i]) != 1) return 1;
    return 0;
}

/* Compares the observation of env with Gymnasium's; 1 if identical. */
static int same_obs(const cp_env *env, const uint32_t want[4])
{
    double o[4];
    cp_env_obs(env, o);
    for (int i = 0; i < 4; i++)
        if (bits32((float)o[i]) != want[i]) return 0;
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_cartpole_gym FIXTURE\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        fprintf(stderr, "test_cartpole_gym: cannot open %s\n", argv[1]);
        return 1;
    }
    char line[256];
    int version = 0, neps = 0;
    while (fgets(line, sizeof line, f) && line[0] == '#') continue;
    CHECK(sscanf(line, "cartpole-gym-fixture %d", &version) == 1 && version == 1);
    CHECK(fscanf(f, " episodes %d", &neps) == 1 && neps > 0);
    long steps = 0, same_s = 0, same_o = 0, ends = 0, long_eps = 0;
    for (int e = 0; e < neps; e++) {
        int id, T, term_w, trunc_w;
        double s[4];
        uint32_t o[4];
        cp_env env = {{0}, 0};
        if (fscanf(f, " episode %d %d %d %d reset", &id, &T, &term_w, &trunc_w) != 4 ||
            read_state(f, s, o)) {
            CHECK_MSG(0, "episode %d: malformed header", e);
            break;
        }
        memcpy(env.s, s, sizeof s); /* the recorded reset: RNG parity is not needed */
        CHECK_MSG(same_obs(&env, o), "episode %d: reset observation differs", id);
        int term = 0, trunc = 0, t, diverged = 0;
        for (t = 1; t <= T; t++) {
            int a, tw, rw;
            if (fscanf(f, " %d", &a) != 1 || read_state(f, s, o) ||
                fscanf(f, " %d %d", &tw, &rw) != 2) {
                CHECK_MSG(0, "episode %d step %d: malformed record", id, t);
                e = neps; /* the rest of the file cannot be parsed */
                break;
            }
            steps++;
            if (diverged) continue; /* read the episode's remaining records only */
            const double r = cp_env_step(&env, a, &term, &trunc);
            int ok = 1;
            for (int i = 0; i < 4; i++) ok &= bits64(env.s[i]) == bits64(s[i]);
            same_s += ok;
            same_o += same_obs(&env, o);
            CHECK_MSG(ok, "episode %d step %d: state (%.17g %.17g %.17g %.17g), Gymnasium "
                      "(%.17g %.17g %.17g %.17g)", id, t, env.s[0], env.s[1], env.s[2],
                      env.s[3], s[0], s[1], s[2], s[3]);
            CHECK_MSG(same_obs(&env, o), "episode %d step %d: observation differs", id, t);
            CHECK_MSG(r == 1.0 && term == tw && trunc == rw,
                      "episode %d step %d: reward %g, terminated %d/%d truncated %d/%d", id, t, r,
                      term, tw, trunc, rw);
            diverged = !ok || term != tw || trunc != rw;
        }
        ends += (term == term_w && trunc == trunc_w && env.t == T);
        long_eps += T == CP_MAX_STEPS;
    }
    fclose(f);
    CHECK_MSG(ends == neps, "%ld of %d episodes end at Gymnasium's step", ends, neps);
    printf("%d episodes (%ld of 500 steps), %ld steps: %ld states and %ld float32 observations "
           "identical to Gymnasium's, %ld episodes end at its step\n",
           neps, long_eps, steps, same_s, same_o, ends);
    return lt_report("cartpole.gym");
}
