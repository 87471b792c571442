"""[images] in newsletter.toml: defaults, and one clear line for each mistake."""

from __future__ import annotations

import pytest
from test_config import MINIMAL, error_for, write

from newsletter.config import load_settings
from newsletter.generators import site_layout


def test_images_default_to_no_mode_and_the_static_folder(tmp_path):
    settings = load_settings(write(tmp_path, MINIMAL), {})
    assert settings.images.mode is None
    assert settings.images.static_dirs is None  # the generator's: static/ for a generic blog
    assert site_layout(settings).static_dirs == ("static",)
    assert settings.images.publish_dir == "static/newsletter"
    assert settings.email.feature_image is True


def test_the_example_site_sends_its_images_inline(site):
    assert load_settings(site, {}).images.mode == "inline"


def test_hosted_images_with_their_folders(tmp_path):
    settings = load_settings(write(tmp_path, MINIMAL + """
[images]
mode = "hosted"
static_dirs = ["static", "assets/public"]
publish_dir = "public/letters"
url = "https://blog.example.com/letters/"
"""), {})
    images = settings.images
    assert (images.mode, images.static_dirs) == ("hosted", ("static", "assets/public"))
    assert images.publish_dir == "public/letters"
    assert images.url == "https://blog.example.com/letters/"


@pytest.mark.parametrize("table, message", [
    ('mode = "attached"',
     "newsletter.toml:12: images.mode 'attached' is not known; use one of hosted, inline"),
    ('mode = "hosted"',
     'newsletter.toml:12: images.mode = "hosted" needs images.url; add url = '
     '"https://your.blog/newsletter" (where static/newsletter is served)'),
    ('mode = "hosted"\nurl = "blog.example.com/newsletter"',
     "newsletter.toml:13: images.url must start with https://"),
    ('static_dirs = "static"',
     "newsletter.toml:12: images.static_dirs must be a list of strings, not 'static'"),
    ("static_dirs = [1]", "newsletter.toml:12: images.static_dirs must be a list of strings, "
                          "not [1]"),
    ('mdoe = "inline"', "newsletter.toml:12: unknown setting images.mdoe; did you mean mode? "
                        "[images] takes mode, static_dirs, publish_dir, url"),
])
def test_a_mistake_in_images_is_one_line(tmp_path, table, message):
    assert error_for(tmp_path, MINIMAL + "\n[images]\n" + table + "\n") == message


def test_feature_image_must_be_true_or_false(tmp_path):
    text = MINIMAL.replace("[email]\n", '[email]\nfeature_image = "no"\n')
    assert error_for(tmp_path, text) == (
        "newsletter.toml:7: email.feature_image must be true or false, not 'no'")
