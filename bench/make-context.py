#!/usr/bin/env python3
"""Writes the benchmark's build context: N files (default 5,000) of mixed sizes in nested
directories, deterministic (same names, sizes and bytes every time), plus its Dockerfile."""
import os
import random
import sys

out = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
rng = random.Random(4)
os.makedirs(out, exist_ok=True)


def size():
    r = rng.random()
    if r < 0.80:
        return rng.randint(0, 2048)          # source-like files
    if r < 0.98:
        return rng.randint(2048, 32768)      # medium
    if r < 0.998:
        return rng.randint(32768, 262144)    # assets
    return rng.randint(1 << 20, 2 << 20)     # a few big ones


block = bytes(rng.getrandbits(8) for _ in range(1 << 16))
for i in range(count):
    d = os.path.join(out, "src", f"pkg{i % 40:02d}", f"sub{(i // 40) % 5}")
    os.makedirs(d, exist_ok=True)
    n = size()
    with open(os.path.join(d, f"file{i:05d}.dat"), "wb") as f:
        head = f"file {i}\n".encode()
        f.write(head)
        left = max(0, n - len(head))
        while left > 0:
            part = block[(i * 131) % 4096:][:left]
            f.write(part)
            left -= len(part)
