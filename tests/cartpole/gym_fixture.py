#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Records CartPole-v1 episodes from Gymnasium itself for the bit-exact replay
test of experiments/cartpole/env.c (test_gym.c).

    gym_fixture.py OUT [--seed S] [--episodes N]

Episode i is reset with seed S + i and driven by a recorded action sequence:
every eighth episode by a balancing controller (a = 1 iff θ + 0.5·θ̇ +
0.01·x + 0.1·ẋ > 0, so it reaches the 500-step limit), three in eight by
that controller with its action flipped at random (probability 0.3–0.45,
seeded): long episodes that drift and terminate; the rest by uniformly
random actions: short ones. Each step records the action, Gymnasium's double state
(env.unwrapped.state) and its float32 observation as IEEE bit patterns in
hexadecimal, and the terminated/truncated flags. The file is written to a
temporary name and renamed, so nothing half-written is left.

Format (text, one record per line, '#' lines are provenance):
    cartpole-gym-fixture 1
    episodes N
    episode I STEPS TERMINATED TRUNCATED
    reset S0 S1 S2 S3 O0 O1 O2 O3          (16-hex-digit doubles, 8-hex-digit floats)
    A S0 S1 S2 S3 O0 O1 O2 O3 TERM TRUNC   (STEPS lines)
"""
import argparse
import os
import struct
import sys

import numpy as np

try:
    import gymnasium as gym
except ImportError:  # the caller (test_gym_live.sh) checks first
    sys.exit("gym_fixture.py: gymnasium is not installed")


def hex64(v):
    return struct.pack(">d", float(v)).hex()


def hex32(v):
    return np.asarray(v, dtype=np.float32).astype(">f4").tobytes().hex()


def controller(obs):
    x, xd, th, thd = (float(v) for v in obs)
    return int(th + 0.5 * thd + 0.01 * x + 0.1 * xd > 0.0)


def record(env, seed, flip, rng):
    obs, _ = env.reset(seed=seed)
    state = env.unwrapped.state
    lines = ["reset " + " ".join([hex64(v) for v in state] + [hex32(v) for v in obs])]
    term = trunc = False
    while not (term or trunc):
        if flip is None:
            a = int(rng.integers(2))
        else:
            a = controller(obs) ^ int(rng.random() < flip)
        obs, reward, term, trunc, _ = env.step(a)
        assert reward == 1.0
        state = env.unwrapped.state
        lines.append(
            " ".join([str(a)] + [hex64(v) for v in state] + [hex32(v) for v in obs]
                     + [str(int(term)), str(int(trunc))])
        )
    return lines, int(term), int(trunc)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--episodes", type=int, default=24)
    a = ap.parse_args()
    if a.episodes < 1:
        ap.error("--episodes must be >= 1")
    env = gym.make("CartPole-v1")
    rng = np.random.default_rng(a.seed)
    body = []
    for i in range(a.episodes):
        flip = (0.0, 0.3, 0.4, None, None, 0.45, None, None)[i % 8]
        lines, term, trunc = record(env, a.seed + i, flip, rng)
        body.append(f"episode {i} {len(lines) - 1} {term} {trunc}")
        body.extend(lines)
    head = [
        "# CartPole-v1 episodes recorded from Gymnasium by tests/cartpole/gym_fixture.py",
        f"# gymnasium {gym.__version__}, numpy {np.__version__}, python "
        f"{sys.version.split()[0]}, seed {a.seed}, episodes {a.episodes}",
        "cartpole-gym-fixture 1",
        f"episodes {a.episodes}",
    ]
    tmp = a.out + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(head + body) + "\n")
    os.replace(tmp, a.out)


if __name__ == "__main__":
    main()
