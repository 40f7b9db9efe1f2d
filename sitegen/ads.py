"""Layer 0.5. Ad slots, ads.txt and the analytics snippet, from `[ads]` and `[analytics]`.

Both are the site operator's configuration (trusted like the theme, never content):
an ad slot is a named place in the theme that shows an HTML snippet from
sitegen.toml, or an ad network's unit made from its IDs (AdSense); `ads.txt`
is written at the site's root. Analytics (Plausible, Matomo or GA4) is off
until `[analytics] provider` is set, and never in the preview, so editors'
visits are not counted. Templates get plain data from `ads_view` and
`analytics_view`; the README's "Ads and analytics" section documents the keys.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sitegen.errors import did_you_mean

SLOTS = ("header", "home", "list", "article", "sidebar")
"""Where the default theme has a place for an ad: under the site header on every page,
between the home page's blocks, after a list's stories, after an article's text, and in
an article's side column."""
NETWORKS = ("adsense",)
PROVIDERS = ("plausible", "matomo", "ga4")
ADS_TXT = "ads.txt"

Report = Callable[[tuple[Any, ...], str], None]


@dataclass(frozen=True)
class AdsConfig:
    slots: dict[str, str] = field(default_factory=dict)
    """Slot name -> an HTML snippet, or (with `network`) the network's ad unit ID."""
    network: str = ""
    """"adsense": slot values that are not HTML are AdSense ad unit (data-ad-slot) IDs."""
    client: str = ""
    """The network's publisher ID, such as ca-pub-1234567890123456."""
    ads_txt: str = ""
    """The lines of /ads.txt (IAB's list of who may sell the site's ad space)."""


@dataclass(frozen=True)
class AnalyticsConfig:
    provider: str = ""
    """"plausible", "matomo" or "ga4"; empty: no analytics (the default)."""
    id: str = ""
    """Plausible: the site's domain; Matomo: the site ID (a number); GA4: G-XXXXXXX."""
    url: str = ""
    """Matomo: its address (https://stats.example.org/); Plausible: the script's address
    when self-hosted (default https://plausible.io/js/script.js)."""


def check(ads: AdsConfig, analytics: AnalyticsConfig, report: Report) -> None:
    """Every mistake in [ads] and [analytics], with its key."""
    for name, value in ads.slots.items():
        if name not in SLOTS:
            report(("ads", "slots", name), f"unknown ad slot '{name}'{did_you_mean(name, SLOTS)}: "
                   f"the theme has {', '.join(SLOTS)}")
        elif not isinstance(value, str) or not value.strip():
            report(("ads", "slots", name), f"ads.slots.{name} must be an HTML snippet or, with "
                   "ads.network, an ad unit ID")
        elif not _is_html(value) and not ads.network:
            report(("ads", "slots", name), f"ads.slots.{name} is neither HTML nor usable as an "
                   "ad unit ID without ads.network = \"adsense\" and ads.client")
    if ads.network and ads.network not in NETWORKS:
        report(("ads", "network"), f"ads.network '{ads.network}' is not one of "
               f"{', '.join(NETWORKS)}{did_you_mean(ads.network, NETWORKS)}")
    if ads.network == "adsense" and not re.fullmatch(r"ca-pub-\d{10,20}", ads.client):
        report(("ads", "client"), "ads.client must be the AdSense publisher ID, such as "
               "ca-pub-1234567890123456")
    provider, ident = analytics.provider, analytics.id.strip()
    if not provider:
        if ident or analytics.url:
            report(("analytics", "provider"), "analytics.provider is missing: plausible, "
                   "matomo or ga4 (analytics stays off without it)")
        return
    if provider not in PROVIDERS:
        report(("analytics", "provider"), f"analytics.provider '{provider}' is not one of "
               f"{', '.join(PROVIDERS)}{did_you_mean(provider, PROVIDERS)}")
        return
    wanted = {"plausible": (r"[\w.-]+\.[a-z]{2,}(,[\w.-]+\.[a-z]{2,})*", "the site's domain, "
                            "such as example.org"),
              "matomo": (r"\d+", "the Matomo site ID, a number such as 3"),
              "ga4": (r"G-[A-Z0-9]{4,16}", "the GA4 measurement ID, such as G-AB12CD34EF")}
    pattern, meaning = wanted[provider]
    if not re.fullmatch(pattern, ident):
        report(("analytics", "id"), f"analytics.id must be {meaning}")
    if provider == "matomo" and not re.fullmatch(r"https://[^\s\"'<>]+/", analytics.url):
        report(("analytics", "url"), "analytics.url must be Matomo's https:// address, ending "
               "in '/', such as https://stats.example.org/")
    if provider == "plausible" and analytics.url and not re.fullmatch(
            r"https://[^\s\"'<>]+\.js", analytics.url):
        report(("analytics", "url"), "analytics.url must be the https:// address of the "
               "Plausible script, ending in .js")


def _is_html(value: str) -> bool:
    return "<" in value


def ads_view(ads: AdsConfig, preview: bool) -> dict[str, Any]:
    """{slot name: {"html": ..., "network": ...}} for the templates. A network's units are
    left out of the preview (it shows a placeholder): no ad is requested for a draft."""
    slots: dict[str, Any] = {}
    for name, value in ads.slots.items():
        if _is_html(value):
            slots[name] = {"html": value, "network": ""}
        elif ads.network:
            slots[name] = {"html": "", "network": ads.network, "client": ads.client,
                           "unit": value.strip(), "placeholder": preview}
    return slots


def analytics_view(analytics: AnalyticsConfig, preview: bool) -> dict[str, str] | None:
    """What the analytics partial needs, or None: off by default, and never in the preview."""
    if preview or not analytics.provider:
        return None
    url = analytics.url or ("https://plausible.io/js/script.js"
                            if analytics.provider == "plausible" else "")
    return {"provider": analytics.provider, "id": analytics.id.strip(), "url": url}


def plan_ads_txt(ads: AdsConfig) -> Iterator[tuple[str, tuple[str, ...], dict[str, Any], str]]:
    """/ads.txt as a render job (output, templates, context, source), when configured."""
    if ads.ads_txt.strip():
        lines = [line.strip() for line in ads.ads_txt.strip().splitlines()]
        yield ADS_TXT, ("ads.txt",), {"lines": lines}, "sitegen.toml [ads] ads_txt"
