"""The demo newsroom, built from the Newsweek story on Lavrov and Wang Yi (March 2022).

Short quotes only. Nothing here reads ../shared at run time.
"""

from datetime import date

OUTLETS = [
    # name, registrable domain, kind, country
    ("Newsweek", "newsweek.com", "newspaper", "US"),
    ("Agence France-Presse", "afp.com", "wire", "FR"),
    ("Reuters", "reuters.com", "wire", "GB"),
    ("Ministry of Foreign Affairs of the Russian Federation", "mid.ru", "government", "RU"),
    ("Ministry of Foreign Affairs of the People's Republic of China", "fmprc.gov.cn", "government", "CN"),
    ("China Central Television", "cctv.com", "state_media", "CN"),
    ("U.S. Department of State", "state.gov", "government", "US"),
]

# key: (outlet domain or None, kind, url, title, description, published)
SOURCES = {
    "newsweek": (
        "newsweek.com",
        "article",
        "https://www.newsweek.com/russia-promotes-new-world-order-china-lavrov-wang-yi",
        "Russia Promotes New 'World Order' With China",
        "",
        date(2022, 3, 30),
    ),
    "mfa_ru_video": (
        "mid.ru",
        "video",
        "",
        "Video of Lavrov's remarks before meeting Wang Yi in Tunxi",
        "Video posted to Twitter by the Russian Foreign Ministry, translated by AFP.",
        date(2022, 3, 30),
    ),
    "reuters_wang": (
        "reuters.com",
        "article",
        "",
        "Reuters report on the Lavrov–Wang Yi meeting",
        "Reuters report of Wang Yi's remarks after the meeting in Tunxi.",
        date(2022, 3, 30),
    ),
    "mfa_cn_presser": (
        "fmprc.gov.cn",
        "press_conference",
        "",
        "Chinese Foreign Ministry regular press conference",
        "Regular press conference by spokesperson Wang Wenbin, Beijing.",
        date(2022, 3, 30),
    ),
    "joint_statement": (
        "fmprc.gov.cn",
        "official_statement",
        "",
        "Joint statement of Russia and China on international relations entering a new era",
        "Joint statement issued when Presidents Putin and Xi met before the Winter Olympics.",
        date(2022, 2, 4),
    ),
    "beijing_denial": (
        "fmprc.gov.cn",
        "official_statement",
        "",
        "Beijing's denial of the U.S. military-aid claim",
        "Chinese government response to U.S. statements, as reported by Newsweek.",
        date(2022, 3, 14),
    ),
    "cctv_afptv": (
        "cctv.com",
        "video",
        "",
        "CCTV footage of the foreign ministers' meeting, via AFPTV",
        "Screen-grab from a CCTV video distributed by AFPTV.",
        date(2022, 3, 30),
    ),
    "sherman_remarks": (
        "state.gov",
        "press_conference",
        "",
        "Remarks by U.S. Deputy Secretary of State Wendy Sherman",
        "Public remarks in March 2022, as reported by Newsweek.",
        date(2022, 3, 1),
    ),
}

# Each claim: its fields, the status the seed walks it to, and its evidence.
CLAIMS = [
    {
        "key": "military_aid",
        "text": "Russia asked China for military assistance for its war in Ukraine.",
        "claimant": "U.S. government",
        "claimant_kind": "organization",
        "said_where": "Statements by U.S. officials",
        "said_on": date(2022, 3, 13),
        "priority": 4,
        "tags": ["russia", "china", "ukraine", "military aid"],
        "status": "researching",
        "assignee": "editor",
        # The desk's discussion (author, Markdown), posted in this order.
        "discussion": [
            ("editor2", "Newsweek only repeats the U.S. line. Do we have the **primary** source "
                        "for the officials' statement, or just the reporting?"),
            ("editor", "Only the reporting so far. I have asked the State Department press office "
                       "for the briefing transcript; Beijing's denial still needs its own source too."),
            ("reviewer", "@editor when the transcript comes in, cite it directly rather than Newsweek: "
                         "I will not approve a verdict that rests on the summary alone."),
        ],
        "evidence": [
            {
                "source": "newsweek",
                "stance": "context",
                "speaker": "Newsweek",
                "quote": "the U.S. previously claimed that it believed Russia was requesting "
                "military assistance from China",
                "note": "Reports the U.S. claim without new sourcing.",
            },
            {
                "source": "beijing_denial",
                "stance": "denies",
                "speaker": "Chinese government",
                "speaker_is_party": True,
                "quote": "these claims have been denied by Beijing",
                "note": "Beijing's denial as summarised by Newsweek; find the primary transcript.",
                "stated_where": "Beijing",
            },
        ],
    },
    {
        "key": "world_order",
        "text": "Russia and China, with their sympathizers, will move towards a "
        "\"multipolar, just, democratic world order\".",
        "claimant": "Sergey Lavrov",
        "claimant_kind": "person",
        "said_where": "Video posted by the Russian Foreign Ministry, Tunxi, China",
        "said_on": date(2022, 3, 30),
        "priority": 3,
        "tags": ["russia", "china", "world order"],
        "status": "in_review",
        "assignee": "editor",
        "evidence": [
            {
                "source": "mfa_ru_video",
                "stance": "supports",
                "speaker": "Sergey Lavrov",
                "quote": "move towards a multipolar, just, democratic world order",
                "note": "Translation by AFP.",
            },
            {
                "source": "cctv_afptv",
                "stance": "context",
                "speaker": "CCTV",
                "quote": "",
                "note": "Footage of the meeting in Tunxi.",
            },
        ],
    },
    {
        "key": "no_limit_wenbin",
        "text": "There is no limit to China-Russia cooperation in the pursuit of peace.",
        "claimant": "Wang Wenbin",
        "claimant_kind": "person",
        "said_where": "Chinese Foreign Ministry press conference, Beijing",
        "said_on": date(2022, 3, 30),
        "priority": 3,
        "tags": ["china", "russia", "no limits"],
        "status": "triaged",
        "assignee": None,
        "evidence": [
            {
                "source": "mfa_cn_presser",
                "stance": "supports",
                "speaker": "Wang Wenbin",
                "quote": "There is no limit to China-Russia cooperation in the pursuit of peace",
            },
        ],
    },
    {
        "key": "joint_statement",
        "text": "Friendship between China and Russia has no limits; there are no "
        "'forbidden' areas of cooperation.",
        "claimant": "Governments of China and Russia",
        "claimant_kind": "organization",
        "said_where": "Joint statement, Beijing",
        "said_on": date(2022, 2, 4),
        "priority": 2,
        "tags": ["china", "russia", "no limits"],
        "status": "researching",
        "assignee": "editor",
        "evidence": [
            {
                "source": "joint_statement",
                "stance": "supports",
                "speaker": "Governments of China and Russia",
                "quote": "Friendship between the two States has no limits",
            },
        ],
    },
    {
        "key": "sherman",
        "text": "Xi Jinping's future is with Western nations such as the U.S., "
        "\"not with Russia and Vladimir Putin\".",
        "claimant": "Wendy Sherman",
        "claimant_kind": "person",
        "said_where": "Public remarks as U.S. Deputy Secretary of State",
        "said_on": date(2022, 3, 1),
        "priority": 2,
        "tags": ["china", "united states"],
        "status": "new",
        "assignee": None,
        "evidence": [
            {
                "source": "sherman_remarks",
                "stance": "context",
                "speaker": "Wendy Sherman",
                "quote": "not with Russia and Vladimir Putin",
            },
        ],
    },
    {
        "key": "bilateral_ties",
        "text": "China and Russia are \"more determined to develop bilateral ties\" after the "
        "foreign ministers' meeting.",
        "claimant": "Wang Yi",
        "claimant_kind": "person",
        "said_where": "After talks with Sergey Lavrov in Tunxi, as reported by Reuters",
        "said_on": date(2022, 3, 30),
        "priority": 2,
        "tags": ["china", "russia"],
        "status": "new",
        "assignee": None,
        "evidence": [
            {
                "source": "reuters_wang",
                "stance": "supports",
                "speaker": "Wang Yi",
                "quote": "more determined to develop bilateral ties",
            },
        ],
    },
    {
        "key": "not_condemned",
        "text": "China has yet to condemn the Russian invasion of Ukraine.",
        "claimant": "Newsweek",
        "claimant_kind": "organization",
        "said_where": "Newsweek article",
        "said_on": date(2022, 3, 30),
        "priority": 1,
        "tags": ["china", "ukraine"],
        "status": "rejected",
        "rejection_reason": "Reporter's framing of an ongoing position, not a checkable claim "
        "by a public figure.",
        "assignee": None,
        "evidence": [],
    },
    {
        "key": "higher_level",
        "text": "China is willing to take China-Russian ties to a higher level in a new era.",
        "claimant": "Wang Yi",
        "claimant_kind": "person",
        "said_where": "After talks with Sergey Lavrov in Tunxi",
        "said_on": date(2022, 3, 30),
        "priority": 1,
        "tags": ["china", "russia"],
        "status": "triaged",
        "assignee": "reviewer",
        "evidence": [],
    },
    {
        # Published as False by the demo verdicts (claims.reviewing.demo): when the demo feed's
        # coverage of the aid reports comes in, the desk sees it "spreading again".
        "key": "aid_agreed",
        "text": "China has agreed to send military aid to Russia for its war in Ukraine.",
        "claimant": "Social media posts",
        "claimant_kind": "organization",
        "said_where": "Viral posts",
        "said_on": date(2022, 3, 14),
        "priority": 3,
        "tags": ["china", "russia", "military aid"],
        "status": "researching",
        "assignee": "editor2",
        "evidence": [
            {
                "source": "beijing_denial",
                "stance": "denies",
                "speaker": "Chinese government",
                "speaker_is_party": True,
                "quote": "these claims have been denied by Beijing",
                "note": "Beijing denies any request, let alone an agreement to supply.",
                "stated_where": "Beijing",
            },
        ],
    },
]
