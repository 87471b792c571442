"""Warnings real writers' posts showed that said what was not so: a WebP file of the site's (it
goes out as the JPEG or PNG it is prepared as), and a site's own image shortcode whose other
values (``max-width``, ``has-border``) only place the picture on the page, and a site's icon
tag beside the words it stands for."""

from __future__ import annotations

from generator_sites import blog_after_init, picture

from conftest import invoke

HUGO = {
    "hugo.toml": 'baseURL = "https://till.example.org/"\ntitle = "Till"\n',
    "layouts/shortcodes/img.html": '<figure><img src="{{ .Get "src" }}"></figure>\n',
    "content/posts/ledger/index.md":
        "---\ntitle: Ledger\ndate: 2025-03-01\ndescription: The month.\n---\n\n"
        '{{<img src="sales.webp" max-width="600px" has-border="false" caption="Sales by week">}}\n'
        "\n![Refunds by week](refunds.webp)\n",
    "content/posts/ledger/sales.webp": picture((200, 120, 40), "WEBP"),
    "content/posts/ledger/refunds.webp": picture((40, 120, 200), "WEBP"),
}


def test_a_sites_webp_pictures_and_its_placed_image_shortcode_check_clean(tmp_path):
    root = tmp_path / "till"
    blog_after_init(root, HUGO)
    result = invoke(root, "check", "ledger")
    assert result.exit_code == 0, result.output
    assert "image-format" not in result.output and "template-degraded" not in result.output
    assert invoke(root, "preview", "ledger").exit_code == 0
    html = (root / "preview" / "ledger" / "email.html").read_text()
    text = (root / "preview" / "ledger" / "email.txt").read_text()
    assert html.count('.jpg"') == 2 and ".webp" not in html
    assert "Sales by week" in text and "[Image: Refunds by week]" in text


def test_a_webp_picture_elsewhere_is_still_named(tmp_path):
    root = tmp_path / "till"
    files = dict(HUGO)
    files["content/posts/ledger/index.md"] += "\n![Stock](https://cdn.example.net/stock.webp)\n"
    blog_after_init(root, files)
    result = invoke(root, "check", "ledger")
    assert "stock.webp is a WebP image" in result.output
    assert result.output.count("image-format") == 1


def test_a_sites_icon_tag_beside_its_words_is_left_out_unreported(tmp_path):
    root = tmp_path / "loom"
    blog_after_init(root, {
        "eleventy.config.js": "export default function(eleventyConfig) {};\n",
        "_data/metadata.json": '{"url": "https://loom.example.org", "title": "Loom"}\n',
        "posts/posts.json": '{"tags": ["posts"]}\n',
        "posts/weave.md": "---\ntitle: Weave\ndate: 2025-04-01\ndescription: Cloth.\n---\n\n"
                          '- {% icon "fab:css" %} CSS\n- {% icon "fab:js" %} JavaScript\n',
    })
    result = invoke(root, "check", "weave")
    assert result.exit_code == 0, result.output
    assert invoke(root, "preview", "weave").exit_code == 0
    text = (root / "preview" / "weave" / "email.txt").read_text()
    assert "CSS" in text and "JavaScript" in text and "icon" not in text
