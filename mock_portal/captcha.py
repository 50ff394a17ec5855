"""Login captcha: 4 letters/digits drawn dark on a light background, readable by OCR (ddddocr)."""

from __future__ import annotations

import io
import random
import secrets

from PIL import Image, ImageDraw, ImageFont

# No look-alikes (0/O, 1/I/l, 2/Z, 5/S, 8/B).
ALPHABET = "346789ACDEFGHJKLMNPQRTUVWXYabdefhjkmnpqrtuy"
WIDTH, HEIGHT = 110, 40


def new_answer(length: int = 4) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def render(answer: str) -> bytes:
    """PNG bytes of the captcha image for `answer`."""
    rng = random.Random()
    image = Image.new("RGB", (WIDTH, HEIGHT), (238, 243, 250))
    draw = ImageDraw.Draw(image)
    for _ in range(3):
        color = (rng.randint(150, 200), rng.randint(160, 210), rng.randint(170, 220))
        draw.line(
            [(rng.randint(0, WIDTH), rng.randint(0, HEIGHT)), (rng.randint(0, WIDTH), rng.randint(0, HEIGHT))],
            fill=color,
            width=1,
        )
    for _ in range(60):
        draw.point((rng.randint(0, WIDTH - 1), rng.randint(0, HEIGHT - 1)), fill=(170, 180, 200))
    font = ImageFont.load_default(size=26)
    x = 8
    for char in answer:
        glyph = Image.new("RGBA", (30, 38), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text(
            (4, 2), char, font=font, fill=(rng.randint(10, 60), rng.randint(20, 70), rng.randint(60, 120))
        )
        glyph = glyph.rotate(rng.uniform(-10, 10), resample=Image.Resampling.BICUBIC)
        image.paste(glyph, (x, rng.randint(0, 3)), glyph)
        x += 24
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
