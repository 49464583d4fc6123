"""Hand-written pages of the kinds a crawl brings besides articles: a forum thread, a product
page, a category grid with a facet panel, a listing, a documentation page, a service page, and an
article with a comment section. Each carries the furniture real pages of its kind carry; the
text that is content is kept in module constants so the tests can name it."""

from __future__ import annotations

from tests.extract.pages import COOKIE_TEXT, FOOTER_TEXT, NAV_TEXT

COOKIE_BANNER = (
    f'<div id="cookie-notice" class="cookie-consent-banner"><p>{COOKIE_TEXT}</p>'
    "<button>Accept all</button><button>Manage settings</button></div>"
)
SITE_NAV = (
    "<nav><ul>" + "".join(f'<li><a href="/{i}">{t}</a></li>' for i, t in enumerate(NAV_TEXT)) + "</ul></nav>"
)
SITE_FOOTER = f'<footer class="site-footer"><p>{FOOTER_TEXT}</p></footer>'

FORUM_POSTS = (
    "My two apple trees have not been pruned for about six years and the crowns are now so dense "
    "that the inner branches bear no fruit at all. Should I cut them back hard this winter?",
    "Do not take more than a quarter of the crown in one winter, or the trees will answer with a "
    "thicket of water shoots next summer. Spread the work over three years instead.",
    "I agree with the advice above. Start with the dead and crossing wood, then open the centre so "
    "that light reaches the fruiting spurs, and leave the rest for the following year.",
    "Thanks to both of you. I removed the dead wood last weekend and the difference is already "
    "visible; I will follow the three-year plan and report back after the harvest.",
)
FORUM_SIDEBAR = ("Similar topics", "Pear tree canker treatment", "Best time to plant cherries")


def forum_thread_page(declared: bool = False) -> str:
    """A thread in a forum engine's usual markup: every post, the first included, is a "post"
    block with its author; replies sit in the same list as the opening post."""
    posts = "".join(
        f'<article class="topic-post post" id="post_{i + 1}"><div class="post-author">'
        f'<a href="/u/user{i}">gardener{i}</a> <span class="post-date">{i + 2} days ago</span></div>'
        f'<div class="post-body cooked"><p>{text}</p></div>'
        f'<div class="post-actions"><button>Like</button><button>Reply</button></div></article>'
        for i, text in enumerate(FORUM_POSTS)
    )
    json_ld = (
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        '"@type": "DiscussionForumPosting", "headline": "Pruning neglected apple trees"}</script>'
        if declared
        else ""
    )
    sidebar = "".join(f"<li><a href='/t/{i}'>{t}</a></li>" for i, t in enumerate(FORUM_SIDEBAR[1:]))
    return f"""<!DOCTYPE html><html><head><title>Pruning neglected apple trees - Garden Forum</title>
{json_ld}</head><body>{COOKIE_BANNER}<header class="d-header">{SITE_NAV}</header>
<main id="main-outlet"><h1>Pruning neglected apple trees</h1>
<section class="topic-body posts">{posts}</section></main>
<aside class="sidebar"><h3>{FORUM_SIDEBAR[0]}</h3><ul>{sidebar}</ul></aside>{SITE_FOOTER}</body></html>"""


FORUM_URL = "https://forum.gardeners.example/t/pruning-neglected-apple-trees/4711"

PRODUCT_DESCRIPTION = (
    "This cast iron skillet is seasoned with vegetable oil at the foundry, so it is ready to use "
    "straight out of the box and gets better with every meal you cook in it.",
    "It holds heat evenly from the centre to the rim, which makes it the right pan for searing "
    "steaks, baking cornbread or frying eggs on a gas, electric or induction hob.",
)
PRODUCT_SPECS = ("Diameter: 30 centimetres", "Weight: 3.4 kilograms", "Material: cast iron")
OTHER_PRODUCTS = ("Enamelled Dutch Oven 5 Litre", "Carbon Steel Wok With Lid", "Silicone Handle Holder Set")


def product_page() -> str:
    """A shop's product page: the product declares itself in JSON-LD; its description and
    specifications sit among a gallery, a buy box and a grid of other products."""
    others = "".join(
        f'<li class="product-card"><a href="/p/{i}"><img src="/{i}.jpg" alt="{name}">'
        f'<span class="product-name">{name}</span></a><span class="price">€ {30 + i}.99</span>'
        "<button>Add to cart</button></li>"
        for i, name in enumerate(OTHER_PRODUCTS)
    )
    specs = "".join(f"<li>{s}</li>" for s in PRODUCT_SPECS)
    description = "".join(f"<p>{p}</p>" for p in PRODUCT_DESCRIPTION)
    return f"""<!DOCTYPE html><html><head><title>Cast Iron Skillet 30 cm | Kitchen Shop</title>
<meta property="og:type" content="product">
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "Product",
"name": "Cast Iron Skillet 30 cm", "offers": {{"@type": "Offer", "price": "39.99"}}}}</script>
</head><body>{COOKIE_BANNER}<header>{SITE_NAV}</header><main>
<div class="product-main"><div class="gallery"><img src="/skillet.jpg" alt="Skillet on a stove"></div>
<div class="buy-box"><h1>Cast Iron Skillet 30 cm</h1><span class="price">€ 39.99</span>
<select><option>30 cm</option><option>25 cm</option></select><button>Add to cart</button></div></div>
<section class="product-description"><h2>Description</h2>{description}
<h2>Specifications</h2><ul>{specs}</ul></section>
<section class="recommendations"><h2>Customers also bought</h2><ul class="product-grid">{others}</ul></section>
</main>{SITE_FOOTER}</body></html>"""


GRID_INTRO = (
    "Our hand-thrown stoneware is made in small batches in the workshop behind the shop, fired "
    "twice and glazed in colours mixed from local clay and wood ash."
)
GRID_ITEMS = tuple(
    f"{shape} {colour}"
    for shape, colour in [
        ("Breakfast Bowl", "Moss Green"),
        ("Dinner Plate", "Ash Grey"),
        ("Serving Dish", "Ochre"),
        ("Tea Cup", "Slate Blue"),
        ("Pasta Bowl", "Chalk White"),
        ("Side Plate", "Rust Red"),
        ("Mug Large", "Midnight"),
        ("Jug Small", "Sand"),
    ]
)
FACETS = ("Filter by colour", "Price under 20 euros", "Dishwasher safe only", "Sort by popularity")


def category_grid_page() -> str:
    """A category page: an intro, a grid of item cards, and a facet panel of filters beside it."""
    cards = "".join(
        f'<li class="grid-item"><a href="/item/{i}"><img src="/i{i}.jpg" alt="photo of item {i}">'
        f'<h3 class="card-title">{name}</h3></a><span class="price">€ {18 + i}.00</span></li>'
        for i, name in enumerate(GRID_ITEMS)
    )
    facets = "".join(f'<label><input type="checkbox"> {f}</label>' for f in FACETS)
    return f"""<!DOCTYPE html><html><head><title>Stoneware | Pottery Shop</title></head><body>
{COOKIE_BANNER}<header>{SITE_NAV}</header>
<div class="page"><aside class="facets" aria-label="Filters"><form>{facets}</form></aside>
<main><h1>Stoneware</h1><p class="category-intro">{GRID_INTRO}</p><ul class="product-grid">{cards}</ul>
<div class="pagination"><a href="?p=2">Next page</a></div></main></div>{SITE_FOOTER}</body></html>"""


LISTING_ENTRIES = (
    (
        "Volunteer gardener, community orchard",
        "Help us care for forty heritage apple trees on Saturday mornings.",
    ),
    ("Reading mentor, primary school", "Listen to young readers for one hour a week during term time."),
    ("Driver, food bank deliveries", "Deliver parcels to households who cannot reach the food bank."),
    ("Befriender, older neighbours", "Visit an older person at home for a chat and a cup of tea."),
    ("Repair café fixer", "Mend lamps, toasters and bicycles with visitors once a month."),
    ("Trail warden, river path", "Walk a stretch of the river path and report fallen trees."),
)


def listing_page() -> str:
    """A listing without <main>: short entries, each a linked title and one line, in plain divs."""
    entries = "".join(
        f'<div class="entry"><h3><a href="/o/{i}">{title}</a></h3><p>{blurb}</p></div>'
        for i, (title, blurb) in enumerate(LISTING_ENTRIES)
    )
    return f"""<html><head><title>Volunteering opportunities</title></head><body>
{COOKIE_BANNER}<div class="top-menu">{SITE_NAV}</div>
<div class="content"><h1>Volunteering opportunities near you</h1>{entries}</div>
{SITE_FOOTER}</body></html>"""


DOC_TEXT = (
    "The retry helper calls a function until it succeeds or the attempts run out, waiting a "
    "little longer after each failure.",
    "Pass the exceptions worth retrying explicitly: anything else is raised at once, so a "
    "programming error never hides behind a retry loop.",
)
DOC_CODE = "result = retry(fetch_page, attempts=5, backoff=2.0, on=(TimeoutError,))"
DOC_TOC = ("Getting started", "Configuration reference", "Changelog")


def documentation_page() -> str:
    toc = "".join(f'<li><a href="/docs/{i}">{t}</a></li>' for i, t in enumerate(DOC_TOC))
    return f"""<!DOCTYPE html><html><head><title>retry - Toolkit documentation</title></head><body>
<header>{SITE_NAV}</header><div class="layout"><nav class="docs-sidebar"><ul>{toc}</ul></nav>
<main><article class="doc"><h1>retry</h1><p>{DOC_TEXT[0]}</p><h2>Usage</h2><pre><code>{DOC_CODE}</code></pre>
<p>{DOC_TEXT[1]}</p></article></main></div>{SITE_FOOTER}</body></html>"""


SERVICE_SECTIONS = (
    ("Boiler servicing", "An annual service keeps your boiler safe and its warranty valid."),
    ("Emergency repairs", "Our engineers answer calls around the clock, every day of the year."),
    ("Bathroom fitting", "From the first sketch to the last tile, one team fits your new bathroom."),
)


def service_page() -> str:
    sections = "".join(
        f'<section class="service"><h2>{title}</h2><p>{text}</p><a class="cta" href="/book">Book now</a></section>'
        for title, text in SERVICE_SECTIONS
    )
    return f"""<!DOCTYPE html><html><head><title>Plumbing services | Smith &amp; Sons</title></head>
<body>{COOKIE_BANNER}<header>{SITE_NAV}</header><main><h1>Plumbing and heating services</h1>{sections}</main>
{SITE_FOOTER}</body></html>"""


ARTICLE_COMMENTS = (
    "Great article, I had no idea the weir was that old! My grandfather used to fish there.",
    "Typical council, always too late. The meadows have flooded for years and nobody listened.",
)


def article_with_comments_page() -> str:
    """A news article whose page carries a reader comment section below the body."""
    from tests.extract.pages import ARTICLE_PARAGRAPHS

    paragraphs = "".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS)
    comments = "".join(
        f'<li class="comment" id="comment-{i}"><div class="comment-author">reader{i}</div>'
        f'<div class="comment-content"><p>{c}</p></div></li>'
        for i, c in enumerate(ARTICLE_COMMENTS)
    )
    return f"""<!DOCTYPE html><html><head><title>Weir to be rebuilt next spring</title></head><body>
<header>{SITE_NAV}</header><main><article><h1>Weir to be rebuilt next spring</h1>{paragraphs}</article>
<section id="comments" class="comments-area"><h2>2 comments</h2><ol class="comment-list">{comments}</ol></section>
</main>{SITE_FOOTER}</body></html>"""
