"""The demo newsroom's local feed about the seed story, served by the app itself.

Every outlet here is FICTIONAL (``.example`` domains, reserved for examples by RFC 2606)
and every item is a short demo text written for FactDesk, loosely following the March
2022 reporting: U.S. officials said Russia had asked China for military aid, Beijing
called that disinformation, and Lavrov and Wang Yi met amid talk of a "no limits"
partnership. One wire story appears under three outlets so fingerprint grouping shows.
Six items are in Russian and Chinese, as the parties to the claim and their state media
report and deny it: the desk must find them for the English claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings

from sources.connectors.base import FeedItem

__all__ = ["DEMO_FEED_PATH", "DEMO_ITEMS", "DemoItem", "demo_feed_url", "demo_items_as_feed_items",
           "seed_demo_feed"]

DEMO_FEED_PATH = "/demo-feed/seed-story.xml"
DEMO_FEED_TITLE = "Demo wire: Russia, China and the military-aid reports (fictional outlets)"


@dataclass(frozen=True)
class DemoItem:
    slug: str
    outlet_name: str
    outlet_domain: str
    title: str
    lede: str
    published_at: datetime
    stance: str  # for people reading this file: supports / denies / discusses the aid claim
    language: str = "en"


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2022, 3, day, hour, minute, tzinfo=UTC)


_WIRE_TITLE = "U.S. officials say Russia asked China for military equipment"
_WIRE_LEDE = (
    "WASHINGTON (Demo Wire) - Russia has asked China for military equipment, including drones, "
    "and for economic help since it invaded Ukraine, according to U.S. officials who spoke on "
    "condition of anonymity. The officials said Washington was watching closely whether Beijing "
    "would provide the aid, and warned of consequences if it did."
)

DEMO_ITEMS: list[DemoItem] = [
    # One wire story, three outlets: the same fingerprint group.
    DemoItem("wire-us-officials-military-aid", "Demo Wire", "demowire.example", _WIRE_TITLE,
             _WIRE_LEDE, _at(13, 22), "supports"),
    DemoItem("harbour-ledger-us-officials-military-aid", "The Harbour Ledger (demo)",
             "harbourledger.example", _WIRE_TITLE,
             _WIRE_LEDE.replace("WASHINGTON (Demo Wire) - ", ""), _at(13, 23), "supports"),
    DemoItem("valley-courier-us-officials-military-aid", "Valley Courier (demo)",
             "valleycourier.example", _WIRE_TITLE + ".",
             _WIRE_LEDE + " Read more on Valley Courier.", _at(14, 6), "supports"),
    DemoItem("northern-post-drones-request", "The Northern Post (demo)", "northernpost.example",
             "Russia sought Chinese drones and supplies, U.S. cable says",
             "A diplomatic cable seen by U.S. officials says Moscow asked Beijing for armed drones "
             "and other military supplies in the weeks after the invasion, adding detail to "
             "Washington's claim that Russia requested military assistance from China.",
             _at(14, 15), "supports"),
    DemoItem("capital-times-china-denies-disinformation", "Capital Times (demo)",
             "capitaltimes.example",
             "Chinese foreign ministry calls reports that Russia sought military aid disinformation",
             "China's foreign ministry on Monday dismissed reports that Russia had asked it for "
             "military aid, calling them disinformation spread by Washington with sinister "
             "intentions. A spokesperson said China was committed to peace talks.",
             _at(14, 9), "denies"),
    DemoItem("eastern-herald-kremlin-denies-request", "Eastern Herald (demo)",
             "easternherald.example",
             "Kremlin denies asking China for military help in Ukraine",
             "The Kremlin said on Monday that Russia had not asked China for military assistance, "
             "insisting its forces had all the resources they needed. A spokesman rejected the "
             "U.S. reports of a Russian request for Chinese weapons as untrue.",
             _at(14, 12), "denies"),
    DemoItem("capital-times-embassy-no-knowledge", "Capital Times (demo)", "capitaltimes.example",
             "Chinese embassy says it has 'never heard' of a Russian request for weapons",
             "A spokesperson for the Chinese embassy in Washington said he had never heard of any "
             "Russian request for military aid and that the priority was to prevent the situation "
             "from getting out of control.",
             _at(14, 18), "denies"),
    DemoItem("northern-post-rome-talks", "The Northern Post (demo)", "northernpost.example",
             "Sullivan and Yang Jiechi meet in Rome amid aid reports",
             "U.S. national security adviser Jake Sullivan met senior Chinese diplomat Yang Jiechi "
             "in Rome for seven hours of talks, as Washington warned Beijing against helping "
             "Moscow. Neither side said whether the reported request for military aid came up.",
             _at(14, 20), "discusses"),
    DemoItem("eastern-herald-lavrov-wang-yi-tunxi", "Eastern Herald (demo)",
             "easternherald.example",
             "Lavrov and Wang Yi meet in China, pledge closer ties",
             "Russian Foreign Minister Sergei Lavrov met Chinese Foreign Minister Wang Yi in Tunxi, "
             "where both said relations between their countries were developing despite Western "
             "pressure. Wang said cooperation had no limits, echoing the February joint statement.",
             _at(30, 10), "discusses"),
    # Russian and Chinese coverage (fictional outlets; demo texts written for FactDesk).
    DemoItem("moscow-courier-peskov-denies", "Moskovsky Vestnik (demo)", "mosvestnik.example",
             "Песков опроверг сообщения о просьбе России к Китаю о военной помощи",
             "МОСКВА (Демо-агентство) — Пресс-секретарь президента России Дмитрий Песков в "
             "понедельник опроверг сообщения американских СМИ о том, что Москва якобы просила "
             "Пекин о военной помощи. «Нет», — ответил он на вопрос журналистов, добавив, что у "
             "России достаточно собственных сил для операции на Украине.",
             _at(14, 11), "denies", "ru"),
    DemoItem("volga-times-zakharova-fake", "Volga Times (demo)", "volgatimes.example",
             "МИД России назвал фейком сообщения о запросе военной помощи у Китая",
             "Официальный представитель МИД России назвала дезинформацией публикации о том, что "
             "Россия обратилась к Китаю за оружием и военной техникой. По её словам, Вашингтон "
             "распространяет ложь, чтобы поссорить Москву и Пекин.",
             _at(14, 16), "denies", "ru"),
    DemoItem("volga-times-us-officials-say", "Volga Times (demo)", "volgatimes.example",
             "Американские чиновники заявили, что Россия попросила Китай о военной технике",
             "ВАШИНГТОН (Демо-агентство) — Россия обратилась к Китаю с просьбой предоставить "
             "военную технику, в том числе беспилотники, а также экономическую помощь, "
             "сообщили американские чиновники на условиях анонимности.",
             # Repeats the claim, attributed, without weighing it: Emergent's "observing".
             _at(14, 2), "discusses", "ru"),
    DemoItem("east-river-daily-mfa-disinformation", "East River Daily (demo)", "eastriver.example",
             "外交部：美方散布中国向俄罗斯提供军事援助的虚假信息",
             "中国外交部发言人周一表示，有关俄罗斯请求中国提供军事援助的报道是美方散布的虚假信息，"
             "用心险恶。发言人说，中方始终致力于劝和促谈。",
             _at(14, 10), "denies", "zh"),
    DemoItem("east-river-daily-embassy-never-heard", "East River Daily (demo)", "eastriver.example",
             "中国驻美使馆：从未听说俄方请求军事援助",
             "中国驻美国大使馆发言人表示，他从未听说过俄罗斯向中国请求军事援助一事，"
             "当务之急是防止局势失控。",
             _at(14, 19), "denies", "zh"),
    DemoItem("pearl-bay-news-analysis-aid-claim", "Pearl Bay News (demo)", "pearlbay.example",
             "分析：美方称俄罗斯向中国寻求军事援助，中方如何回应受关注",
             "美国官员称俄罗斯在入侵乌克兰后向中国寻求军事装备和援助。分析人士认为，"
             "北京是否回应这一请求，将影响中美关系走向。",
             _at(15, 9), "discusses", "zh"),
    DemoItem("valley-courier-explainer-no-limits", "Valley Courier (demo)",
             "valleycourier.example",
             "Explainer: what the 'no limits' partnership means for the war in Ukraine",
             "Weeks before the invasion, Moscow and Beijing declared a partnership with 'no limits'. "
             "Analysts disagree on whether that extends to weapons: China has avoided open military "
             "support while refusing to condemn Russia.",
             _at(16, 8), "discusses"),
    DemoItem("harbour-ledger-analysts-weigh-evidence", "The Harbour Ledger (demo)",
             "harbourledger.example",
             "Analysts weigh the evidence behind the military-aid claim",
             "Former intelligence officials say the U.S. decision to publicise Russia's reported "
             "request for Chinese military aid fits a strategy of declassifying intelligence early, "
             "but the public evidence so far rests on anonymous officials.",
             _at(15, 14), "discusses"),
]


def demo_feed_url() -> str:
    return settings.NEWSROOM_URL.rstrip("/") + DEMO_FEED_PATH


def demo_article_url(slug: str) -> str:
    return f"{settings.NEWSROOM_URL.rstrip('/')}/demo-feed/articles/{slug}/"


def demo_item(slug: str) -> DemoItem | None:
    return next((item for item in DEMO_ITEMS if item.slug == slug), None)


def demo_items_as_feed_items() -> list[FeedItem]:
    """The same items the RSS endpoint serves, as the RSS connector would read them."""
    return [
        FeedItem(url=demo_article_url(item.slug), title=item.title, summary=item.lede,
                 published_at=item.published_at, language=item.language,
                 outlet_name=item.outlet_name,
                 outlet_domain=item.outlet_domain, guid=demo_article_url(item.slug))
        for item in DEMO_ITEMS
    ]


def seed_demo_feed():
    """Register the demo feed and ingest its items once, in-process. Idempotent.

    Returns ``(feed, new_document_ids)``; the ids are empty on a second run.
    """
    from django.db import transaction

    from sources.documents import documents_upsert
    from sources.models import Feed, FeedKind

    with transaction.atomic():
        feed, _ = Feed.objects.get_or_create(
            url=demo_feed_url(), query="",
            defaults={"kind": FeedKind.RSS, "title": DEMO_FEED_TITLE, "interval_minutes": 30},
        )
        stored = documents_upsert(items=demo_items_as_feed_items(), feed=feed)
    return feed, stored.new_ids
