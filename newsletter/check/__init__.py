"""Preflight: findings about a post's email before it goes out (`check`, `send`, the preview)."""

from newsletter.check.findings import (
    Finding,
    Severity,
    errors_in,
    exit_status,
    finding,
    in_order,
)
from newsletter.check.embeds import NEVER_RUN
from newsletter.check.images import file_image_findings
from newsletter.check.online import OnlineOptions, check_online, image_problems
from newsletter.check.preflight import Preflight, check_rendered
from newsletter.check.settings import (
    dirs_findings,
    generator_setting_findings,
    published_finding,
    settings_findings,
    unreadable_settings_finding,
)

__all__ = ["NEVER_RUN", "Finding", "OnlineOptions", "Preflight", "Severity", "check_online", "check_rendered",
           "dirs_findings", "errors_in", "exit_status", "file_image_findings", "finding",
           "generator_setting_findings", "image_problems", "in_order", "published_finding",
           "settings_findings", "unreadable_settings_finding"]
