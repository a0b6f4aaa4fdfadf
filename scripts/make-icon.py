#!/usr/bin/env python3
"""Draws media/icon.png (128x128): a magnifying lens over a leaf, in GreenLens green. Needs python3-pil."""
import os
from PIL import Image, ImageDraw

S = 512  # drawn large, then downsampled for smooth edges
img = Image.new("RGBA", (S, S), (0, 0, 0, 0))
d = ImageDraw.Draw(img)
d.rounded_rectangle([8, 8, S - 8, S - 8], radius=96, fill=(22, 101, 52, 255))
# Leaf: two arcs meeting at the tips, with a midrib.
d.ellipse([120, 110, 360, 350], fill=(134, 239, 172, 255))
d.polygon([(150, 330), (340, 130), (360, 150), (170, 350)], fill=(22, 101, 52, 255))
# Lens ring and handle.
d.ellipse([96, 86, 384, 374], outline=(240, 253, 244, 255), width=34)
d.line([(350, 345), (450, 445)], fill=(240, 253, 244, 255), width=54)
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "media", "icon.png")
img.resize((128, 128), Image.LANCZOS).save(out)
print("wrote", out)
