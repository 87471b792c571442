"""What a post's images cost: preparing them, and the bytes each reader's message takes with them.

    python bench/bench_images.py [RUNS]        (--quick: one run)

The example site's reference post, its picture replaced by one photo of about 300 KB (3000 x
2000 pixels, as a camera exports it, with EXIF), in a temporary copy of the site:

- preparation per post: the post's images found, decoded, turned, resized and encoded with an
  empty cache (cold), then again with the cache filled (cached: what every later preview and
  send pays), median of RUNS;
- bytes per reader on the wire in ``inline`` mode, for each provider: the request a batch of
  100 readers makes, divided by 100 (SMTP and the outbox: one message's MIME bytes). Resend
  refuses inline images; ``hosted`` is shown for comparison (the image is then fetched from the
  blog by each reader who opens the email).
"""

from __future__ import annotations

import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from example_site import copy_example_site
from PIL import Image, ImageFilter

PHOTO = "static/media/what-matters-desk.jpg"
READERS = 100
SECRETS = {"POSTMARK_SERVER_TOKEN": "k", "SENDGRID_API_KEY": "k", "MAILGUN_API_KEY": "k",
           "RESEND_API_KEY": "k", "NEWSLETTER_SECRET": "bench"}


def photo(target_kb: int = 300) -> bytes:
    """A camera-like JPEG of about ``target_kb``: detail everywhere, EXIF attached."""
    grain = Image.effect_noise((750, 500), 64).convert("RGB").filter(ImageFilter.GaussianBlur(1))
    scene = Image.merge("RGB", [Image.linear_gradient("L").resize((750, 500)),
                                Image.radial_gradient("L").resize((750, 500)), grain.split()[0]])
    image = Image.blend(scene, grain, 0.35).resize((3000, 2000), Image.Resampling.BICUBIC)
    exif = Image.Exif()
    exif[0x010F] = "Camera"
    best = b""
    for quality in range(95, 20, -5):
        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality, exif=exif)
        best = out.getvalue()
        if len(best) <= target_kb * 1024:
            break
    return best


def make_site(root: Path, mode: str) -> Path:
    copy_example_site(root)
    (root / PHOTO).write_bytes(photo())
    toml = root / "newsletter.toml"
    text = toml.read_text().replace('mode = "inline"', f'mode = "{mode}"\nurl = '
                                    '"https://blog.example.com/newsletter"')
    toml.write_text(text.replace('name = "outbox"', 'name = "outbox"\ndomain = "mg.example.com"'))
    return root


def median_ms(action, runs: int, before=lambda: None) -> float:
    times = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def wire_bytes(settings, email) -> dict[str, int | None]:
    """Bytes per reader of each provider's request for a batch of READERS readers."""
    from newsletter.message import MessageFactory
    from newsletter.providers import PROVIDERS
    from newsletter.sending import check_images

    factory = MessageFactory(settings, email, "bench")
    messages = [factory.build(f"reader{i}@example.com", f"Reader {i}") for i in range(READERS)]
    sizes: dict[str, int | None] = {}
    for name in ("postmark", "sendgrid", "mailgun", "resend"):
        provider = PROVIDERS[name](settings)
        try:
            check_images(settings, email, provider, online=False)
        except Exception:  # noqa: BLE001 - Resend refuses inline images: reported as such
            sizes[name] = None
            continue
        request = provider.build_request(messages)
        sizes[name] = len(request.body) // READERS
    sizes["smtp and outbox"] = len(messages[0].as_bytes())
    return sizes


def main(runs: int) -> None:
    from newsletter.config import load_settings
    from newsletter.posts import find_post, load_posts
    from newsletter.render import post_images, render_post

    with tempfile.TemporaryDirectory() as folder:
        for mode in ("inline", "hosted"):
            site = make_site(Path(folder) / mode, mode)
            settings = load_settings(site, SECRETS)
            post = find_post(load_posts(settings)[0], "/posts/what-matters")
            cache = site / ".newsletter" / "images"
            if mode == "inline":
                size = (site / PHOTO).stat().st_size
                print(f"photo: {size / 1024:.0f} KB, 3000 x 2000 JPEG with EXIF")
                cold = median_ms(lambda: post_images(settings, post), runs,
                                 before=lambda: shutil.rmtree(cache, ignore_errors=True))
                cached = median_ms(lambda: post_images(settings, post), runs)
                print(f"image preparation per post, cold   {cold:8.1f} ms   (median of {runs})")
                print(f"image preparation per post, cached {cached:8.1f} ms")
            email = render_post(settings, post)
            prepared = sum(len(image.data) for image in email.images)
            print(f"\n{mode}: prepared image {prepared / 1024:.0f} KB; "
                  "bytes per reader on the wire")
            for name, per_reader in wire_bytes(settings, email).items():
                shown = ("refused (use hosted)" if per_reader is None
                         else f"{per_reader / 1024:8.1f} KB")
                print(f"  {name:16} {shown}")


if __name__ == "__main__":
    os.environ.pop("NEWSLETTER_SECRET", None)
    if "--quick" in sys.argv:  # one run: does the bench still work?
        main(1)
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
