"""Copy the screenshots the browser tests made (var/screenshots) into the user guides (docs/guide/img), cut to the
top of each page, which is what the guides show. Run after `make test`:  .venv/bin/python scripts/guide_images.py"""

from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "var" / "screenshots"
TARGET = ROOT / "docs" / "guide" / "img"
#: The pictures the guides use, and how much of each page's top they keep (pixels).
USED = {
    "desktop-filing-0-first-section": 800, "desktop-organisation-import-checked": 560, "desktop-proposer.dept-check-your-answers": 900,
    "desktop-proposer.dept-sent": 700, "desktop-filing-3-returned": 700, "desktop-proposer.dept-home": 700,
    "desktop-head.dept-home": 700, "desktop-head.dept-review-inbox": 700, "desktop-head.dept-proposal": 1100,
    "desktop-homeaffairs-dashboard": 900, "desktop-homeaffairs-drill-down": 900, "phone-head.dept-proposal": 1300,
}


def main() -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    for name, height in USED.items():
        image = Image.open(SOURCE / f"{name}.png")
        top = image.crop((0, 0, image.width, min(height, image.height)))
        top.convert("P", palette=Image.Palette.ADAPTIVE, colors=128).save(TARGET / f"{name}.png", optimize=True)
        print(f"docs/guide/img/{name}.png")


if __name__ == "__main__":
    main()
