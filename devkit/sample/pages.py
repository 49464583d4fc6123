"""HTML page templates: a generated main text inside realistic site chrome.

Extractors earn their keep on boilerplate, so every layout surrounds the article with what real
pages carry: cookie banners, headers with navigation menus, breadcrumbs, share buttons, ads
(``<div class="ad">``, "Sponsored"), related-link lists, newsletter forms, comment widgets,
sidebars, footers with copyright, privacy and terms links, ``<script>`` (with curly braces and
"javascript"), ``<style>`` and JSON-LD. Layouts differ per kind of site (news, blog, wiki, Q&A,
code host, book, forum, Reddit, paper, spam) and each varies its widgets per page.

The main text is rendered by `render_main` from the `text.Doc` blocks alone, so a page and its
exact copy on another site have byte-identical main content whatever chrome surrounds them.
"""

from __future__ import annotations

import html
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from devkit.sample import vocab
from devkit.sample.grammar import pick
from devkit.sample.sites import Site, slugify
from devkit.sample.text import Doc, make_handle

E = html.escape

# ----------------------------------------------------------------------------------------------
# The main text


def render_main(doc: Doc, style: str = "article") -> str:
    """The article's HTML: headings, paragraphs, lists and code; ``thread`` wraps posts in divs.

    Depends on the document only (never on the site or the random state of the page), which is
    what keeps the extracted text of exact duplicates identical.
    """
    out: list[str] = []
    open_list = False
    open_post = False

    def close_list() -> None:
        nonlocal open_list
        if open_list:
            out.append("</ul>")
            open_list = False

    for block in doc.blocks:
        if block.tag != "li":
            close_list()
        text = E(block.text, quote=False)
        if block.tag == "li":
            if not open_list:
                out.append("<ul>")
                open_list = True
            out.append(f"<li>{text}</li>")
        elif block.tag in ("h1", "h2", "h3"):
            out.append(f"<{block.tag}>{text}</{block.tag}>")
        elif block.tag == "p":
            out.append(f"<p>{text}</p>")
        elif block.tag == "pre":
            out.append(f"<pre><code>{text}</code></pre>")
        elif block.tag == "quote":
            out.append(f"<blockquote><p>{text}</p></blockquote>")
        elif block.tag == "meta":
            if style == "thread":
                if open_post:
                    out.append("</div>")
                out.append(f'<div class="post"><p class="post-author"><strong>{text}</strong></p>')
                open_post = True
            else:
                out.append(f'<p class="meta"><em>{text}</em></p>')
    close_list()
    if open_post:
        out.append("</div>")
    return "\n".join(out)


def main_style(doc: Doc) -> str:
    return "thread" if doc.genre in ("forum", "reddit", "abuse") else "article"


# ----------------------------------------------------------------------------------------------
# Localised chrome

_STRINGS = {
    "en": {
        "nav": ["Home", "News", "Features", "Opinion", "Lifestyle", "Travel", "Food", "About us", "Contact"],
        "cookie": "We use cookies to give you the best experience on our website. By continuing to browse, you agree to our use of cookies. Read our cookie policy to find out more.",
        "accept": "Accept all",
        "manage": "Manage preferences",
        "ad": "Advertisement",
        "sponsored": "Sponsored",
        "related": "You might also like",
        "share": ["Share on Facebook", "Share on X", "Share by email", "Copy link"],
        "newsletter": "Get our best stories in your inbox every Friday. No spam, unsubscribe at any time.",
        "subscribe": "Subscribe",
        "rights": "All rights reserved.",
        "footer": [
            "About us",
            "Contact",
            "Advertise with us",
            "Privacy policy",
            "Terms of use",
            "Cookie settings",
            "Accessibility",
            "Sitemap",
        ],
        "comments": "Comments",
        "search": "Search",
        "login": "Sign in",
        "noscript": "Please enable JavaScript to view the comments.",
        "read_more": "Read more",
    },
    "de": {
        "nav": ["Startseite", "Lokales", "Politik", "Wirtschaft", "Sport", "Kultur", "Service", "Kontakt"],
        "cookie": "Wir verwenden Cookies, um Ihnen ein optimales Nutzungserlebnis zu bieten. Mit der weiteren Nutzung stimmen Sie der Verwendung von Cookies zu.",
        "accept": "Alle akzeptieren",
        "manage": "Einstellungen",
        "ad": "Anzeige",
        "sponsored": "Gesponsert",
        "related": "Das könnte Sie auch interessieren",
        "share": ["Auf Facebook teilen", "Per E-Mail senden", "Link kopieren"],
        "newsletter": "Die wichtigsten Nachrichten jeden Morgen kostenlos per E-Mail.",
        "subscribe": "Abonnieren",
        "rights": "Alle Rechte vorbehalten.",
        "footer": ["Impressum", "Datenschutz", "AGB", "Cookie-Einstellungen", "Kontakt", "Mediadaten"],
        "comments": "Kommentare",
        "search": "Suche",
        "login": "Anmelden",
        "noscript": "Bitte aktivieren Sie JavaScript.",
        "read_more": "Weiterlesen",
    },
    "fr": {
        "nav": ["Accueil", "Actualités", "Politique", "Économie", "Sports", "Culture", "Services", "Contact"],
        "cookie": "Nous utilisons des cookies pour améliorer votre expérience. En poursuivant votre navigation, vous acceptez leur utilisation.",
        "accept": "Tout accepter",
        "manage": "Paramétrer",
        "ad": "Publicité",
        "sponsored": "Contenu sponsorisé",
        "related": "À lire aussi",
        "share": ["Partager sur Facebook", "Envoyer par e-mail", "Copier le lien"],
        "newsletter": "Recevez l'essentiel de l'actualité chaque matin.",
        "subscribe": "S'abonner",
        "rights": "Tous droits réservés.",
        "footer": [
            "Mentions légales",
            "Politique de confidentialité",
            "Conditions générales",
            "Gestion des cookies",
            "Contact",
        ],
        "comments": "Commentaires",
        "search": "Rechercher",
        "login": "Se connecter",
        "noscript": "Veuillez activer JavaScript.",
        "read_more": "Lire la suite",
    },
    "es": {
        "nav": ["Inicio", "Local", "Política", "Economía", "Deportes", "Cultura", "Servicios", "Contacto"],
        "cookie": "Utilizamos cookies propias y de terceros para mejorar su experiencia. Si continúa navegando, acepta su uso.",
        "accept": "Aceptar todo",
        "manage": "Configurar",
        "ad": "Publicidad",
        "sponsored": "Patrocinado",
        "related": "Te puede interesar",
        "share": ["Compartir en Facebook", "Enviar por correo", "Copiar enlace"],
        "newsletter": "Recibe las noticias más importantes cada mañana.",
        "subscribe": "Suscribirse",
        "rights": "Todos los derechos reservados.",
        "footer": [
            "Aviso legal",
            "Política de privacidad",
            "Condiciones de uso",
            "Política de cookies",
            "Contacto",
        ],
        "comments": "Comentarios",
        "search": "Buscar",
        "login": "Iniciar sesión",
        "noscript": "Por favor, active JavaScript.",
        "read_more": "Leer más",
    },
    "ru": {
        "nav": ["Главная", "Новости", "Политика", "Экономика", "Спорт", "Культура", "Контакты"],
        "cookie": "Мы используем файлы cookie, чтобы сделать сайт удобнее. Продолжая пользоваться сайтом, вы соглашаетесь с этим.",
        "accept": "Принять",
        "manage": "Настройки",
        "ad": "Реклама",
        "sponsored": "Партнёрский материал",
        "related": "Читайте также",
        "share": ["Поделиться ВКонтакте", "Отправить в Telegram", "Скопировать ссылку"],
        "newsletter": "Главные новости дня каждое утро на вашу почту.",
        "subscribe": "Подписаться",
        "rights": "Все права защищены.",
        "footer": [
            "О проекте",
            "Реклама",
            "Политика конфиденциальности",
            "Пользовательское соглашение",
            "Контакты",
        ],
        "comments": "Комментарии",
        "search": "Поиск",
        "login": "Войти",
        "noscript": "Пожалуйста, включите JavaScript.",
        "read_more": "Читать далее",
    },
}

_AD_COPY = (
    "Homeowners are switching to this energy tariff and saving hundreds every year",
    "The walking shoes podiatrists recommend are finally on sale",
    "Compare mortgage rates from over forty lenders in two minutes",
    "This new hearing aid is almost invisible and costs less than you think",
    "Retirees in your area are moving to these seaside flats",
    "Learn a language in fifteen minutes a day with our free trial",
    "Top ten cruise deals for next summer, booked by thousands already",
    "Why thousands are ditching their old broadband provider this month",
)

_COMMENT_LINES = (
    "Great article, thanks for writing it up so clearly.",
    "I had exactly the same experience last year and wish I had read this first.",
    "Not sure I agree with all of this, but it is a fair summary of the problem.",
    "Shared this with my neighbour, who has been asking about it for weeks.",
    "Would love a follow-up piece on what happened next.",
    "This is the most useful thing I have read on the subject in a long time.",
    "The photos really help, thank you for including them.",
    "Does anyone know whether the same rules apply outside the town centre?",
)


@dataclass
class PageSpec:
    """Everything a layout needs for one page; ``rng`` varies only the chrome."""

    site: Site
    url: str
    doc: Doc
    published: datetime
    rng: random.Random
    lang: str = "en"
    charset: str = "utf-8"
    comments: bool = False
    """Show a server-rendered comment widget (text extractors often keep it, as on real pages)."""
    related_titles: list[str] = field(default_factory=list)
    clean: bool = False
    """Leave out the widgets extractors tend to keep (ads outside the article, newsletter boxes,
    comments): set for pages whose text has an exact copy elsewhere, so both extract alike."""

    def doc_rng(self) -> random.Random:
        """Randomness for chrome that extractors keep (vote counts, post counts): seeded by the
        document, so an exact copy shows the same numbers wherever it is served."""
        return random.Random("chrome:" + self.doc.title)

    @property
    def doc_date(self) -> datetime:
        """The article's own date: the original's for every copy of it (syndication keeps it)."""
        stamp = self.doc.extra.get("date")
        return datetime.fromisoformat(stamp) if stamp else self.published

    @property
    def s(self) -> dict:
        return _STRINGS.get(self.lang, _STRINGS["en"])


# ----------------------------------------------------------------------------------------------
# Reusable chrome


def _head(p: PageSpec, title: str, extra: str = "") -> str:
    rng = p.rng
    desc = E(p.doc.text[:150].replace("\n", " ").rsplit(" ", 1)[0] + " …") if p.doc.blocks else ""
    css = (
        "body{margin:0;font-family:Georgia,serif;color:#222}"
        f".site-header{{background:#{rng.randrange(0x1000000):06x}}}"
        ".ad{margin:1em 0;padding:.5em;border:1px solid #ddd;font-size:.8em}"
        ".cookie-banner{position:fixed;bottom:0;left:0;right:0;background:#333;color:#fff}"
    )
    ld = (
        '{"@context":"https://schema.org","@type":"Article","headline":"'
        + E(title).replace('"', "")
        + '","datePublished":"'
        + p.published.strftime("%Y-%m-%dT%H:%M:%S")
        + 'Z","publisher":{"@type":"Organization","name":"'
        + E(p.site.label)
        + '"}}'
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{p.lang}">\n<head>\n<meta charset="{p.charset}">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{E(title)} | {E(p.site.label)}</title>\n"
        f'<meta name="description" content="{desc}">\n'
        f'<link rel="canonical" href="{E(p.url)}">\n'
        f'<link rel="stylesheet" href="/static/css/main.{rng.randrange(16**8):08x}.css">\n'
        f"<style>{css}</style>\n"
        f'<script type="application/ld+json">{ld}</script>\n'
        "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}"
        f"gtag('js',new Date());gtag('config','G-{rng.randrange(16**10):010X}');</script>\n"
        f"{extra}</head>\n"
    )


def _cookie_banner(p: PageSpec) -> str:
    s = p.s
    return (
        '<div id="cookie-consent" class="cookie-banner" role="dialog" aria-label="Cookie consent">\n'
        f"<p>{E(s['cookie'])}</p>\n"
        f'<button class="btn-accept">{E(s["accept"])}</button> <button class="btn-manage">{E(s["manage"])}</button>\n'
        "</div>\n"
    )


def _nav(p: PageSpec, items: list[str] | None = None) -> str:
    items = items or p.s["nav"]
    lis = "".join(f'<li><a href="/{slugify(i)}/">{E(i)}</a></li>' for i in items)
    return f'<nav class="main-nav" aria-label="Main menu"><ul>{lis}</ul></nav>\n'


def _site_header(p: PageSpec) -> str:
    s = p.s
    return (
        '<header class="site-header">\n'
        f'<a class="logo" href="/">{E(p.site.label)}</a>\n'
        f'<form class="search" action="/search"><input type="search" name="q" placeholder="{E(s["search"])}"></form>\n'
        f'<a class="login" href="/login">{E(s["login"])}</a>\n'
        f"{_nav(p)}"
        "</header>\n"
    )


def _breadcrumb(p: PageSpec) -> str:
    nav = p.s["nav"]
    return f'<div class="breadcrumb"><a href="/">{E(nav[0])}</a> &rsaquo; <a href="/{slugify(nav[1])}/">{E(nav[1])}</a></div>\n'


def _ad(p: PageSpec) -> str:
    rng = p.rng
    s = p.s
    copy = pick(rng, _AD_COPY) if p.lang == "en" else s["sponsored"]
    return (
        f'<div class="ad" data-ad-slot="{rng.randrange(10**9)}"><span class="ad-label">{E(s["ad"])}</span> '
        f'<a href="https://ads.adnetwork.example/click?id={rng.randrange(10**6)}" rel="sponsored nofollow">{E(copy)}</a> '
        f'<span class="sponsor">{E(s["sponsored"])}</span></div>\n'
    )


def _share(p: PageSpec) -> str:
    links = "".join(f'<li><a href="#share-{i}">{E(t)}</a></li>' for i, t in enumerate(p.s["share"]))
    return f'<div class="share-buttons"><ul>{links}</ul></div>\n'


def _related(p: PageSpec) -> str:
    if not p.related_titles:
        return ""
    lis = "".join(f'<li><a href="/{slugify(t)}/">{E(t)}</a></li>' for t in p.related_titles)
    return f'<aside class="related-posts"><h3>{E(p.s["related"])}</h3><ul>{lis}</ul></aside>\n'


def _comments(p: PageSpec) -> str:
    """Server-rendered comments when ``p.comments``, else the usual script-loaded placeholder."""
    if not p.comments:
        return (
            '<div id="comments-app" data-thread="' + str(p.rng.randrange(10**7)) + '"></div>\n'
            f"<noscript>{E(p.s['noscript'])}</noscript>\n"
        )
    rng = p.rng
    picked = rng.sample(_COMMENT_LINES, rng.randint(2, 4))
    items = "".join(
        f'<li class="comment"><div class="comment-author">{E(make_handle(rng))}</div><p>{E(c)}</p></li>'
        for c in picked
    )
    return f'<section id="comments" class="comments-area"><h3>{E(p.s["comments"])} ({len(picked)})</h3><ol>{items}</ol></section>\n'


def _newsletter(p: PageSpec) -> str:
    s = p.s
    return (
        f'<div class="newsletter-signup"><p>{E(s["newsletter"])}</p>'
        f'<form action="/subscribe" method="post"><input type="email" name="email" placeholder="you@example.com">'
        f"<button>{E(s['subscribe'])}</button></form></div>\n"
    )


def _footer(p: PageSpec) -> str:
    s = p.s
    links = "".join(f'<li><a href="/{slugify(t)}/">{E(t)}</a></li>' for t in s["footer"])
    year = p.published.year
    return (
        '<footer class="site-footer">\n'
        f'<ul class="footer-links">{links}</ul>\n'
        f"<p>&copy; {year} {E(p.site.label)}. {E(s['rights'])}</p>\n"
        "</footer>\n"
    )


def _tail_scripts(p: PageSpec) -> str:
    rng = p.rng
    return (
        f'<script src="/static/js/app.{rng.randrange(16**8):08x}.js" defer></script>\n'
        "<script>(function(){var b=document.getElementById('cookie-consent');"
        "if(b&&localStorage.getItem('consent')){b.style.display='none';}"
        "document.querySelectorAll('.ad').forEach(function(el){el.dataset.seen='1';});})();</script>\n"
    )


def _interleave_ads(p: PageSpec, main_html: str) -> str:
    """Ads between paragraphs, as news sites do (outside the article's own elements)."""
    parts = main_html.split("\n")
    out = []
    for i, part in enumerate(parts):
        out.append(part)
        if part.startswith("<p>") and i > 2 and p.rng.random() < 0.12:
            out.append(_ad(p).rstrip("\n"))
    return "\n".join(out)


# ----------------------------------------------------------------------------------------------
# Layouts


def _byline(p: PageSpec) -> str:
    if not p.doc.byline:
        return ""
    when = p.doc_date.strftime("%d %B %Y")
    return f'<div class="entry-meta"><span class="author">{E(p.doc.byline)}</span> <time datetime="{p.doc_date:%Y-%m-%d}">{when}</time></div>\n'


def layout_news(p: PageSpec) -> str:
    rng = p.rng
    main = render_main(p.doc, main_style(p.doc))
    if p.lang == "en" and not p.comments and not p.clean:
        main = _interleave_ads(p, main)
    leaky = not p.clean
    body = [
        "<body>\n",
        _cookie_banner(p) if rng.random() < 0.8 else "",
        _site_header(p),
        _ad(p) if leaky and rng.random() < 0.7 else "",
        _breadcrumb(p),
        '<main id="main-content">\n<article class="article">\n',
        _byline(p),
        main,
        "\n</article>\n",
        _share(p),
        "</main>\n",
        _related(p),
        _newsletter(p) if leaky and rng.random() < 0.5 else "",
        _comments(p),
        _ad(p) if leaky else "",
        _footer(p),
        _tail_scripts(p),
        "</body>\n</html>\n",
    ]
    return _head(p, p.doc.title) + "".join(body)


def _sidebar(p: PageSpec) -> str:
    rng = p.rng
    cats = rng.sample([t.name.replace("_", " ").title() for t in vocab.WEB_TOPICS], 6)
    cat_html = "".join(
        f'<li><a href="/category/{slugify(c)}/">{E(c)}</a> ({rng.randint(3, 80)})</li>' for c in cats
    )
    months = "".join(
        f'<li><a href="/{p.published.year}/{m:02d}/">{vocab.MONTHS[m - 1]} {p.published.year}</a></li>'
        for m in range(max(1, p.published.month - 4), p.published.month + 1)
    )
    tags = " ".join(
        f'<a class="tag" href="/tag/{slugify(t)}/">{E(t)}</a>' for t in rng.sample(vocab.ABSTRACT_NOUNS, 10)
    )
    about = f"Hello, I'm {pick(rng, vocab.FIRST_NAMES)}. I write about the things I make, grow and fix."
    return (
        '<aside id="sidebar" class="widget-area">\n'
        f'<section class="widget widget-about"><h3>About me</h3><p>{E(about)}</p></section>\n'
        f'<section class="widget widget-categories"><h3>Categories</h3><ul>{cat_html}</ul></section>\n'
        f'<section class="widget widget-archive"><h3>Archives</h3><ul>{months}</ul></section>\n'
        f'<section class="widget widget-tags"><h3>Tags</h3><div class="tagcloud">{tags}</div></section>\n'
        "</aside>\n"
    )


def layout_blog(p: PageSpec) -> str:
    rng = p.rng
    main = render_main(p.doc, main_style(p.doc))
    extra = ""
    if p.doc.genre == "recipe":
        extra = '<div class="recipe-actions"><a href="#recipe" class="jump">Jump to recipe</a> <a href="?print=1" class="print">Print recipe</a></div>\n'
    body = [
        "<body>\n",
        _cookie_banner(p) if rng.random() < 0.6 else "",
        _site_header(p),
        '<div id="page" class="site">\n<div id="primary" class="content-area">\n<main id="main" class="site-main">\n',
        '<article class="post hentry">\n',
        _byline(p),
        extra,
        main,
        "\n</article>\n",
        _share(p) if rng.random() < 0.7 else "",
        _related(p),
        _comments(p),
        "</main>\n</div>\n",
        _sidebar(p),
        "</div>\n",
        _footer(p),
        _tail_scripts(p),
        "</body>\n</html>\n",
    ]
    return _head(p, p.doc.title) + "".join(body)


def layout_wiki(p: PageSpec) -> str:
    rng = p.rng
    title = p.doc.title
    canonical = "https://en.wikipedia.org/wiki/" + title.replace(" ", "_")
    panel = [
        (
            "Navigation",
            ["Main page", "Contents", "Current events", "Random article", "About Wikipedia", "Contact us"],
        ),
        ("Contribute", ["Help", "Learn to edit", "Community portal", "Recent changes", "Upload file"]),
        (
            "Tools",
            [
                "What links here",
                "Related changes",
                "Special pages",
                "Permanent link",
                "Page information",
                "Cite this page",
            ],
        ),
    ]
    panel_html = "".join(
        f'<div class="portal"><h3>{E(h)}</h3><ul>'
        + "".join(f'<li><a href="/wiki/{slugify(i)}">{E(i)}</a></li>' for i in items)
        + "</ul></div>"
        for h, items in panel
    )
    cats = "".join(f'<li><a href="/wiki/Category:{slugify(c)}">{E(c)}</a></li>' for c in _wiki_categories(p))
    edited = p.published.strftime("%d %B %Y, at %H:%M")
    return (
        _head(p, title)
        + '<body class="mediawiki skin-vector">\n'
        + '<div id="mw-head"><nav id="p-views"><ul><li><a href="#">Article</a></li><li><a href="#">Talk</a></li>'
        + '<li><a href="#">Read</a></li><li><a href="#">Edit</a></li><li><a href="#">View history</a></li></ul></nav>'
        + '<form id="searchform"><input name="search" placeholder="Search Wikipedia"></form></div>\n'
        + f'<div id="mw-panel" class="vector-menu">{panel_html}</div>\n'
        + '<div id="content" class="mw-body" role="main">\n'
        + '<div id="siteNotice"></div>\n'
        + '<div id="bodyContent" class="vector-body">\n<div id="mw-content-text" class="mw-parser-output">\n'
        + render_main(p.doc)
        + "\n</div>\n"
        + f'<div class="printfooter">Retrieved from "<a dir="ltr" href="{canonical}">{canonical}</a>"</div>\n'
        + f'<div id="catlinks" class="catlinks"><a href="/wiki/Help:Category">Categories</a>: <ul>{cats}</ul></div>\n'
        + "</div>\n</div>\n"
        + '<footer id="footer" class="mw-footer">\n'
        + f"<ul><li>This page was last edited on {edited} (UTC).</li>"
        + "<li>Text is available under the Creative Commons Attribution-ShareAlike License 4.0; additional terms may apply.</li></ul>\n"
        + '<ul><li><a href="#">Privacy policy</a></li><li><a href="#">About Wikipedia</a></li><li><a href="#">Disclaimers</a></li>'
        + '<li><a href="#">Contact Wikipedia</a></li><li><a href="#">Code of Conduct</a></li><li><a href="#">Developers</a></li>'
        + '<li><a href="#">Statistics</a></li><li><a href="#">Cookie statement</a></li><li><a href="#">Mobile view</a></li></ul>\n'
        + "</footer>\n"
        + f'<script>RLCONF={{"wgPageName":"{E(title.replace(" ", "_"))}","wgRevisionId":{rng.randrange(10**9)}}};</script>\n'
        + "</body>\n</html>\n"
    )


def _wiki_categories(p: PageSpec) -> list[str]:
    rng = p.rng
    kind = p.doc.topic
    base = {
        "settlement": [
            "Towns in " + pick(rng, vocab.REGIONS).replace("the ", ""),
            "Market towns",
            "Civil parishes",
        ],
        "river": ["Rivers of " + pick(rng, vocab.REGIONS).replace("the ", ""), "Tributaries"],
        "species": ["Insects described in " + str(rng.randint(1750, 1930)), "Fauna of Europe"],
        "person": [
            f"{rng.randint(1650, 1900)} births",
            "People from " + pick(rng, vocab.TOWN_HEADS) + "ford",
        ],
        "building": [
            "Listed buildings",
            "Buildings and structures completed in the " + f"{rng.randint(17, 19)}00s",
        ],
    }
    return [*base.get(kind, ["Articles"]), "Articles with short description", "Coordinates on Wikidata"]


def layout_qa(p: PageSpec) -> str:
    rng = p.rng
    drng = p.doc_rng()
    site = p.site
    hot_html = "".join(
        f'<li><a href="/questions/{rng.randint(10**5, 10**8)}">{E(t)}</a></li>' for t in p.related_titles[:5]
    )
    return (
        _head(p, p.doc.title)
        + '<body class="question-page">\n'
        + '<header class="s-topbar"><a class="s-topbar--logo" href="/">'
        + E(site.name)
        + "</a>"
        + '<ol class="s-topbar--content"><li><a href="#">About</a></li><li><a href="#">Products</a></li><li><a href="#">For Teams</a></li></ol>'
        + '<form id="search"><input name="q" placeholder="Search…"></form>'
        + '<a href="/users/login">Log in</a> <a href="/users/signup">Sign up</a></header>\n'
        + '<div class="container">\n<div id="left-sidebar"><nav role="navigation"><ol class="nav-links">'
        + '<li><a href="/">Home</a></li><li><a href="/questions">Questions</a></li><li><a href="/tags">Tags</a></li>'
        + '<li><a href="/users">Users</a></li><li><a href="/unanswered">Unanswered</a></li></ol></nav></div>\n'
        + '<div id="content">\n<div id="mainbar" role="main">\n'
        + f'<div class="question-stats">Asked {drng.randint(2, 11)} years ago · Modified {drng.randint(1, 24)} months ago · Viewed {drng.randint(1, 300)}k times</div>\n'
        + '<div class="post-layout"><div class="js-voting-container"><button>Up vote</button>'
        + f'<div class="js-vote-count">{drng.randint(0, 400)}</div><button>Down vote</button></div>\n'
        + '<div class="s-prose js-post-body">\n'
        + render_main(p.doc)
        + "\n</div></div>\n"
        + '<div class="post-menu"><a href="#">Share</a> <a href="#">Improve this question</a> <a href="#">Follow</a></div>\n'
        + "</div>\n"
        + '<div id="sidebar" class="show-votes">'
        + '<div class="s-sidebarwidget"><h4>The Overflow Blog</h4><ul><li>How we keep the site fast</li><li>Community updates for this quarter</li></ul></div>'
        + f'<div class="module sidebar-related"><h4>Related</h4><ul>{hot_html}</ul></div>'
        + f'<div id="hot-network-questions" class="module"><h4>Hot Network Questions</h4><ul>{hot_html}</ul></div></div>\n'
        + "</div></div>\n"
        + '<footer id="footer" class="site-footer"><nav><ul><li><a href="#">Tour</a></li><li><a href="#">Help</a></li>'
        + '<li><a href="#">Chat</a></li><li><a href="#">Contact</a></li><li><a href="#">Feedback</a></li><li><a href="#">Privacy Policy</a></li>'
        + '<li><a href="#">Terms of Service</a></li><li><a href="#">Cookie Settings</a></li></ul></nav>'
        + f"<p>Site design / logo &copy; {p.published.year} Stack Exchange Inc; user contributions licensed under CC BY-SA.</p></footer>\n"
        + _cookie_banner(p)
        + "<script>StackExchange.ready(function(){StackExchange.using('inlineEditing',function(){});});</script>\n"
        + "</body>\n</html>\n"
    )


def layout_github(p: PageSpec) -> str:
    rng = random.Random("repo:" + p.doc.title)  # the file list belongs to the repository, not the visit
    user = p.url.split("/")[3] if p.url.count("/") >= 4 else make_handle(rng).lower()
    repo = slugify(p.doc.title)
    files = [
        ("src", "Refactor the reader into its own module"),
        ("tests", "Add tests for empty input files"),
        (".github/workflows", "Run the test suite on Python 3.12"),
        ("README.md", "Document the configuration keys"),
        ("pyproject.toml", f"Release {rng.randint(0, 3)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}"),
        ("LICENSE", "Initial commit"),
    ]
    rows = "".join(
        f'<tr><td class="name"><a href="/{user}/{repo}/tree/main/{f}">{E(f)}</a></td><td class="message">{E(m)}</td>'
        f'<td class="age">{rng.randint(2, 30)} days ago</td></tr>'
        for f, m in files
    )
    return (
        _head(p, f"{user}/{repo}")
        + "<body>\n"
        + '<header class="Header"><a class="Header-link" href="/" aria-label="Homepage">GitHub</a>'
        + '<nav><ul><li><a href="#">Product</a></li><li><a href="#">Solutions</a></li><li><a href="#">Open Source</a></li><li><a href="#">Pricing</a></li></ul></nav>'
        + '<a href="/login">Sign in</a> <a href="/signup">Sign up</a></header>\n'
        + '<div class="repository-content">\n'
        + (
            ""
            if p.clean
            else f'<div id="repository-container-header"><strong><a href="/{user}">{E(user)}</a> / <a href="/{user}/{repo}">{E(repo)}</a></strong> <span class="Label">Public</span>'
            + f'<ul class="pagehead-actions"><li>Notifications</li><li>Fork {rng.randint(0, 300)}</li><li>Star {rng.randint(1, 5000)}</li></ul></div>\n'
        )
        + '<nav class="UnderlineNav"><ul><li>Code</li><li>Issues '
        + str(rng.randint(0, 60))
        + "</li><li>Pull requests "
        + str(rng.randint(0, 15))
        + "</li><li>Actions</li><li>Security</li><li>Insights</li></ul></nav>\n"
        + f'<table class="files js-navigation-container" aria-label="Files">{rows}</table>\n'
        + '<div id="readme" class="Box md js-code-block-container">\n<article class="markdown-body entry-content" itemprop="text">\n'
        + render_main(p.doc)
        + "\n</article>\n</div>\n</div>\n"
        + '<div class="Layout-sidebar"><h2>About</h2>'
        + f"<p>{E(p.doc.blocks[1].text[:90]) if len(p.doc.blocks) > 1 else ''}</p>"
        + "<h2>Languages</h2><ul><li>Python "
        + f"{rng.randint(85, 99)}.{rng.randint(0, 9)}%"
        + "</li><li>Shell</li></ul></div>\n"
        + '<footer class="footer"><ul><li>&copy; '
        + str(p.published.year)
        + ' GitHub, Inc.</li><li><a href="#">Terms</a></li>'
        + '<li><a href="#">Privacy</a></li><li><a href="#">Security</a></li><li><a href="#">Status</a></li><li><a href="#">Docs</a></li>'
        + '<li><a href="#">Contact</a></li><li><a href="#">Manage cookies</a></li></ul></footer>\n'
        + "</body>\n</html>\n"
    )


def layout_gutenberg(p: PageSpec) -> str:
    book = p.doc.extra.get("book_title", p.doc.title)
    author = p.doc.extra.get("author", "")
    return (
        _head(p, f"The Project Gutenberg eBook of {book}, by {author}")
        + "<body>\n"
        + '<header id="pg-header-nav" class="pg-header"><nav><ul><li><a href="/">Project Gutenberg</a></li>'
        + '<li><a href="/about/">About</a></li><li><a href="/ebooks/">Search and Browse</a></li><li><a href="/help/">Help</a></li>'
        + '<li><a href="/donate/">Donate</a></li></ul></nav></header>\n'
        + '<section class="pg-boilerplate pgheader" id="pg-header" lang="en">\n'
        + f'<h2 id="pg-header-heading">The Project Gutenberg eBook of <span lang="en">{E(book)}</span></h2>\n'
        + "<p>This ebook is for the use of anyone anywhere in the United States and most other parts of the world at no cost"
        + " and with almost no restrictions whatsoever. You may copy it, give it away or re-use it under the terms of the"
        + " Project Gutenberg License included with this ebook or online at www.gutenberg.org.</p>\n"
        + f'<div class="container"><p>Title: {E(book)}</p><p>Author: {E(author)}</p><p>Release date: {p.doc_date:%B %d, %Y}</p><p>Language: English</p></div>\n'
        + "</section>\n"
        + '<div class="chapter">\n'
        + render_main(p.doc)
        + "\n</div>\n"
        + '<section class="pg-boilerplate pgfooter" id="pg-footer" lang="en">\n'
        + f"<p>*** END OF THE PROJECT GUTENBERG EBOOK {E(book.upper())} ***</p>\n"
        + "<p>Updated editions will replace the previous one. Creating the works from print editions not protected by"
        + " U.S. copyright law means that no one owns a United States copyright in these works.</p>\n"
        + "</section>\n</body>\n</html>\n"
    )


def layout_forum(p: PageSpec) -> str:
    rng = p.rng
    drng = p.doc_rng()
    site = p.site
    nav = ["Board index", "Forums", "FAQ", "Members", "Rules", "Register", "Login"]
    online = rng.randint(40, 900)
    return (
        _head(p, p.doc.title)
        + '<body id="phpbb" class="section-viewtopic">\n'
        + '<div id="wrap">\n<div class="headerbar" role="banner"><div class="site-description">'
        + f'<a id="logo" class="logo" href="/">{E(site.name)}</a><p>A friendly place to talk about everything.</p></div></div>\n'
        + _nav(p, nav)
        + f'<div class="navbar"><ul class="nav-breadcrumbs"><li><a href="/">Board index</a> &lsaquo; <a href="#">{E(pick(drng, ("General discussion", "Help and advice", "Off topic")))}</a></li></ul></div>\n'
        + '<div id="page-body" class="page-body" role="main">\n'
        + '<div class="action-bar bar-top"><a class="button" href="#">Post Reply</a> <span class="pagination">'
        + f"{drng.randint(8, 40)} posts &bull; Page 1 of 1</span></div>\n"
        + '<div class="topic-body">\n'
        + render_main(p.doc, "thread")
        + "\n</div>\n"
        + '<div class="action-bar bar-bottom"><a class="button" href="#">Post Reply</a> <a href="#">Return to Board index</a></div>\n'
        + "</div>\n"
        + f'<div class="stat-block online-list"><h3>Who is online</h3><p>Users browsing this forum: {online} guests</p></div>\n'
        + ("" if p.clean else _ad(p))
        + '<div class="page-footer" role="contentinfo"><div class="copyright">Powered by phpBB&reg; Forum Software &copy; phpBB Limited</div>'
        + '<ul><li><a href="/privacy">Privacy</a></li><li><a href="/terms">Terms</a></li><li><a href="/contact">Contact us</a></li>'
        + '<li><a href="#">Delete cookies</a></li></ul></div>\n'
        + "</div>\n"
        + _tail_scripts(p)
        + "</body>\n</html>\n"
    )


def layout_reddit(p: PageSpec) -> str:
    rng = p.rng
    sub = p.url.split("/r/")[1].split("/")[0] if "/r/" in p.url else "AskUK"
    rules = "".join(
        f"<li>{E(r)}</li>"
        for r in (
            "Be civil",
            "No spam or self-promotion",
            "Search before posting",
            "Use descriptive titles",
            "No personal information",
        )
    )
    return (
        _head(p, p.doc.title + f" : r/{sub}")
        + "<body>\n"
        + '<header class="reddit-header"><a href="/" class="logo">reddit</a><form><input placeholder="Search Reddit"></form>'
        + '<a href="#">Get App</a> <a href="/login">Log In</a></header>\n'
        + '<div class="subreddit-layout">\n<main class="main" id="main-content">\n'
        + f'<div class="post-container" data-subreddit="{E(sub)}">\n'
        + render_main(p.doc, "thread")
        + "\n</div>\n"
        + '<div class="comment-sort">Sort by: Best</div>\n'
        + "</main>\n"
        + f'<aside class="sidebar"><h2>r/{E(sub)}</h2><p>{rng.randint(10, 2000)}k members · {rng.randint(100, 5000)} online</p>'
        + f"<h3>Rules</h3><ol>{rules}</ol>"
        + '<div class="promoted"><span>Promoted</span> '
        + E(pick(rng, _AD_COPY))
        + "</div></aside>\n"
        + "</div>\n"
        + f'<footer class="reddit-footer"><a href="#">Reddit Rules</a> <a href="#">Privacy Policy</a> <a href="#">User Agreement</a> Reddit, Inc. &copy; {p.published.year}. All rights reserved.</footer>\n'
        + "</body>\n</html>\n"
    )


def layout_arxiv(p: PageSpec) -> str:
    rng = p.rng
    return (
        _head(p, p.doc.title)
        + "<body>\n"
        + '<header class="desktop_header"><div class="header-message">We gratefully acknowledge support from the Simons Foundation, member institutions, and all contributors. <a href="/donate">Donate</a></div>'
        + '<a href="/" class="logo">arXiv</a> <span>&gt; math &gt; arXiv:'
        + p.url.split("?")[0].rsplit("/", 1)[-1]
        + "</span>"
        + '<form class="search"><input placeholder="Search..."></form> <a href="/help">Help</a> | <a href="/search/advanced">Advanced Search</a></header>\n'
        + '<div class="ltx_page_main">\n<div class="ltx_page_content">\n<article class="ltx_document ltx_authors_1line">\n'
        + render_main(p.doc)
        + "\n</article>\n</div>\n"
        + f'<div class="ltx_page_footer"><p>Generated on {p.published:%a %b %d %H:%M:%S %Y} by LaTeXML</p></div>\n</div>\n'
        + '<footer><ul><li><a href="#">About</a></li><li><a href="#">Help</a></li><li><a href="#">Contact</a></li><li><a href="#">Subscribe</a></li>'
        + '<li><a href="#">Copyright</a></li><li><a href="#">Privacy Policy</a></li><li><a href="#">Web Accessibility Assistance</a></li>'
        + f'<li><a href="#">arXiv Operational Status</a></li></ul><p>Report issue {rng.randrange(10**5)}</p></footer>\n'
        + "</body>\n</html>\n"
    )


def layout_spam(p: PageSpec) -> str:
    rng = p.rng
    kw = ", ".join(w for w in p.doc.title.lower().split() if len(w) > 3)
    links = "".join(
        f'<a href="https://{E(p.site.host)}/go/{rng.randrange(10**6)}">{E(t)}</a> '
        for t in ("BUY NOW", "CLICK HERE", "LIMITED OFFER", "FREE SHIPPING", "BEST PRICE")
    )
    return (
        _head(p, p.doc.title, extra=f'<meta name="keywords" content="{E(kw)}">\n')
        + "<body>\n"
        + f'<div class="top-banner">{links}</div>\n'
        + '<div id="popup" class="modal">WAIT! Get 90% OFF your first order! <a href="#">Claim now</a></div>\n'
        + '<div class="content">\n'
        + render_main(p.doc)
        + "\n</div>\n"
        + f'<div class="bottom-links">{links}</div>\n'
        + f'<div class="footer">&copy; {p.published.year} {E(p.site.host)} | <a href="#">Privacy</a> | <a href="#">Contact</a></div>\n'
        + _tail_scripts(p)
        + "</body>\n</html>\n"
    )


LAYOUTS: dict[str, Callable[[PageSpec], str]] = {
    "news": layout_news,
    "blog": layout_blog,
    "wiki": layout_wiki,
    "qa": layout_qa,
    "github": layout_github,
    "gutenberg": layout_gutenberg,
    "forum": layout_forum,
    "reddit": layout_reddit,
    "arxiv": layout_arxiv,
    "spam": layout_spam,
}


def render_page(p: PageSpec) -> str:
    """The full HTML document of one page, in its site's layout."""
    try:
        layout = LAYOUTS[p.site.layout]
    except KeyError:
        raise KeyError(f"site {p.site.host} has unknown layout {p.site.layout!r}") from None
    return layout(p)


# ----------------------------------------------------------------------------------------------
# Pages that are not articles


def error_page(site: Site, status: int, url: str) -> str:
    """The small HTML body of a 404 or a 301, as web servers send them."""
    if status == 301:
        return (
            '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>301 Moved Permanently</title>\n'
            "</head><body>\n<h1>Moved Permanently</h1>\n"
            f'<p>The document has moved <a href="{E(url)}">here</a>.</p>\n</body></html>\n'
        )
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Page not found | {E(site.label)}</title></head>\n'
        '<body>\n<header><a href="/">Home</a></header>\n<main>\n<h1>404: Page not found</h1>\n'
        "<p>Sorry, the page you are looking for might have been removed, had its name changed, or is temporarily unavailable.</p>\n"
        '<p><a href="/">Go to the home page</a> or try searching the site.</p>\n</main>\n'
        f"<footer><p>&copy; {E(site.label)}</p></footer>\n</body></html>\n"
    )


def catalogue_page(site: Site, rng: random.Random, min_bytes: int) -> str:
    """A giant page (a full product catalogue in one table) of at least ``min_bytes`` bytes."""
    head = (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Full catalogue | {E(site.label)}</title></head>\n'
        "<body>\n<h1>Complete product catalogue</h1>\n<p>Every item we stock, with current prices and availability.</p>\n"
        '<table class="catalogue"><thead><tr><th>SKU</th><th>Product</th><th>Colour</th><th>Price</th><th>Stock</th></tr></thead><tbody>\n'
    )
    tail = "</tbody></table>\n</body></html>\n"
    (cooking,) = vocab.web_topics("cooking")
    items = [
        f"{a} {b}"
        for a in ("Classic", "Slim", "Deluxe", "Compact", "Travel", "Family", "Outdoor")
        for b in cooking.nouns
    ]
    parts = [head]
    size = len(head) + len(tail)
    sku = 100000
    while size < min_bytes:
        sku += rng.randint(1, 9)
        row = (
            f"<tr><td>SKU-{sku}</td><td>{E(pick(rng, items))}</td><td>{pick(rng, vocab.COLOURS)}</td>"
            f"<td>&pound;{rng.randint(1, 400)}.{rng.randint(0, 99):02d}</td><td>{rng.randint(0, 250)}</td></tr>\n"
        )
        parts.append(row)
        size += len(row)
    parts.append(tail)
    return "".join(parts)
