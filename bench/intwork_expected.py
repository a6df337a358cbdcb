#!/usr/bin/env python3
"""Reference results for firmware/bench/intwork.c (same inputs, computed on the host).

Run it to regenerate the constants the workload checks itself against."""
import hashlib, struct, zlib

BUF_SIZE = 256 * 1024
ROUNDS = 16
SORT_N = 65536

def lcg(seed):
    x = seed
    while True:
        x = (x * 1103515245 + 12345) & 0xFFFFFFFF
        yield x

g = lcg(1)
buf = bytearray((next(g) >> 16) & 0xFF for _ in range(BUF_SIZE))
digest = b""
for r in range(ROUNDS):
    buf[0] = r
    digest = hashlib.sha256(bytes(buf)).digest()
crc = zlib.crc32(bytes(buf)) & 0xFFFFFFFF
g = lcg(7)
vals = sorted(next(g) for _ in range(SORT_N))
chk = 0
for i, v in enumerate(vals):
    chk = (chk + v * (i + 1)) & 0xFFFFFFFF
print("sha256 %s" % digest.hex())
print("crc32 0x%08x" % crc)
print("sortsum 0x%08x" % chk)
