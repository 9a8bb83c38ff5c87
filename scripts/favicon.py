#!/usr/bin/env python3
"""Draws themes/guide/static/favicon.ico (16x16 and 32x32 PNGs in one ICO).

The drawing is the one of favicon.svg beside it: a teal (#0f6e6e) disc with
three wavy white fibres. Standard library only; run from the repository root.
"""
import struct
import zlib

TEAL = (0x0F, 0x6E, 0x6E)
WHITE = (0xFF, 0xFF, 0xFF)
# In the 32x32 viewBox of favicon.svg: three cubic curves, stroke width 2.2.
CURVES = [((7.5, y), (12.5, y - 3), (19.5, y + 3), (24.5, y)) for y in (11.5, 16.0, 20.5)]
HALF_STROKE = 1.1


def bezier_points(p0, p1, p2, p3, steps=64):
    out = []
    for i in range(steps + 1):
        t = i / steps
        u = 1 - t
        out.append(tuple(
            u * u * u * a + 3 * u * u * t * b + 3 * u * t * t * c + t * t * t * d
            for a, b, c, d in zip(p0, p1, p2, p3)
        ))
    return out


POLYLINES = [bezier_points(*c) for c in CURVES]


def dist_to_segment(p, a, b):
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy or 1)))
    qx, qy = ax + t * dx - px, ay + t * dy - py
    return (qx * qx + qy * qy) ** 0.5


def on_stroke(x, y):
    return any(
        dist_to_segment((x, y), line[i], line[i + 1]) <= HALF_STROKE
        for line in POLYLINES
        for i in range(len(line) - 1)
    )


def render(size, samples=6):
    """RGBA rows of the icon at `size` pixels, anti-aliased by supersampling."""
    scale = 32 / size
    rows = []
    for py in range(size):
        row = bytearray()
        for px in range(size):
            acc = [0.0, 0.0, 0.0, 0.0]
            for sy in range(samples):
                for sx in range(samples):
                    x = (px + (sx + 0.5) / samples) * scale
                    y = (py + (sy + 0.5) / samples) * scale
                    if (x - 16) ** 2 + (y - 16) ** 2 > 15 * 15:
                        continue
                    colour = WHITE if on_stroke(x, y) else TEAL
                    for k in range(3):
                        acc[k] += colour[k]
                    acc[3] += 1
            n = samples * samples
            cover = acc[3]
            if cover == 0:
                row += bytes(4)
            else:
                row += bytes([round(acc[k] / cover) for k in range(3)] + [round(255 * cover / n)])
        rows.append(bytes(row))
    return rows


def png(size):
    raw = b"".join(b"\x00" + r for r in render(size))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def ico(sizes):
    images = [png(s) for s in sizes]
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries = b""
    for s, data in zip(sizes, images):
        entries += struct.pack("<BBBBHHII", s % 256, s % 256, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return header + entries + b"".join(images)


if __name__ == "__main__":
    with open("themes/guide/static/favicon.ico", "wb") as f:
        f.write(ico([16, 32]))
