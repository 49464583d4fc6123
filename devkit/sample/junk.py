"""Pages the cleaning chain must drop for their content: spam, empty shells, bad words, abuse.

- Spam breaks Gopher's repetition or quality rules or FineWeb's line rules (keyword stuffing,
  one line repeated, price and link lists), while staying plainly English so the language
  filter passes it on and the drop is counted as a quality drop.
- Boilerplate-only pages (tag indexes, sign-in pages, empty search results) have navigation in
  their main area and no article: short lines without sentences.
- Bad-words pages are ordinary rants that use a few unambiguous entries of the LDNOOBW list, so
  C4's bad-words rule is what drops them.
- Toxic pages are insulting, harassing prose without any list word, for the toxicity classifier.
"""

from __future__ import annotations

import random

from devkit.sample import vocab
from devkit.sample.grammar import Deck, lines, pick, plural, words
from devkit.sample.text import Block, Doc, Writer, fill_to, make_handle, sentence_case, title_case

# ----------------------------------------------------------------------------------------------
# Spam

_PRODUCTS = words(
    """replica_watches designer_sunglasses leather_handbags running_sneakers phone_cases
    weight_loss_pills payday_loans casino_bonus essay_writing instagram_followers
    car_insurance cheap_flights hair_growth_serum vpn_deals gold_coins crypto_signals
    seo_backlinks bamboo_socks led_strip_lights gaming_chairs"""
)
_SPAM_WORDS = words(
    "cheap best discount free online buy order sale deal top offer official cheapest lowest today"
)


_SPAM_INTROS = (
    "Welcome to the best place on the internet to find cheap deals. We check the prices of hundreds of shops every hour so you never pay too much.",
    "Looking for a bargain? You have come to the right place, because our team finds the lowest prices online and lists them all here for you.",
    "Save money today with the biggest list of discounts on the web, updated every single day for our loyal customers and their friends.",
)


def _stuffing(rng: random.Random) -> Doc:
    """Keyword stuffing: the product phrase in every sentence; Gopher's top n-gram share fails."""
    product = pick(rng, _PRODUCTS)
    title = title_case(f"cheap {product} online - best {product} deals {rng.randint(2019, 2024)}")
    sentences = [
        f"Buy cheap {product} online.",
        f"Best {product} at the lowest price.",
        f"Cheap {product} with free shipping.",
        f"Order {product} today and save.",
        f"Discount {product} for sale now.",
        f"Top rated {product} from the official store.",
        f"Where to buy {product} cheap?",
        f"The cheapest {product} deals online.",
    ]
    blocks = [Block("h1", title)]
    for _ in range(rng.randint(6, 10)):
        rng.shuffle(sentences)
        blocks.append(Block("p", " ".join(sentences[: rng.randint(5, 8)])))
    return Doc(title, blocks, "spam_stuffing", "spam")


_REPEATED = lines(
    """
    Click here to claim your free gift card before the offer ends today!
    Congratulations, you have been selected to win a brand new phone!
    Work from home and earn five hundred dollars a day with this simple trick!
    Limited time offer: download the free guide to make money online now!
    """
)


def _repeated_line(rng: random.Random) -> Doc:
    """One line many times: Gopher's duplicate-line and FineWeb's duplicate-character rules fail."""
    line = pick(rng, _REPEATED)
    title = line.rstrip("!").split(":")[0]
    blocks = [Block("h1", title)] + [Block("p", line) for _ in range(rng.randint(25, 60))]
    return Doc(title, blocks, "spam_repeated", "spam")


_ITEMS = words(
    """wallet belt watch scarf jacket hoodie backpack sunglasses sneakers boots umbrella
    headphones charger speaker lamp kettle blender toaster mattress pillow"""
)
_ADJ = words("leather vintage wireless waterproof slim luxury classic premium portable smart organic bamboo")


def _price_list(rng: random.Random) -> Doc:
    """A bare product and price list: no sentences, lines without punctuation (FineWeb, C4)."""
    title = title_case(f"{pick(rng, _ADJ)} {pick(rng, _ITEMS)} sale - lowest prices online")
    blocks = [Block("h1", title), Block("p", pick(rng, _SPAM_INTROS))]
    for _ in range(rng.randint(40, 80)):
        price = f"${rng.randint(5, 199)}.{pick(rng, ('99', '95', '49', '00'))}"
        name = f"{pick(rng, _ADJ)} {pick(rng, _ITEMS)} for {pick(rng, ('men', 'women', 'kids', 'the home', 'travel'))}"
        blocks.append(
            Block(
                "p",
                f"{name.capitalize()} with gift box - only {price} - buy now and get free delivery to your door",
            )
        )
    return Doc(title, blocks, "spam_prices", "spam")


_LINK_TEXTS = words(
    """best_online_casino_bonus cheap_flights_to_london buy_instagram_followers fast_payday_loans
    replica_watches_uk essay_writing_service_cheap weight_loss_pills_that_work seo_backlinks_package
    cheap_car_insurance_quotes free_movie_streaming_sites crypto_trading_signals
    discount_designer_handbags work_from_home_jobs cheap_hotel_deals_paris
    best_vpn_deals_today buy_gold_coins_online cheap_gaming_chairs_sale"""
)


def _link_farm(rng: random.Random) -> Doc:
    """A link farm: short anchor texts, one per line (FineWeb's short-line rule)."""
    title = title_case(f"{pick(rng, _SPAM_WORDS)} links and resources directory")
    blocks = [Block("h1", title), Block("p", pick(rng, _SPAM_INTROS))]
    anchors = [f"{t} {pick(rng, ('2024', 'online', 'now', 'here', 'uk', 'usa'))}" for t in _LINK_TEXTS]
    for _ in range(rng.randint(3, 5)):
        rng.shuffle(anchors)
        blocks.extend(Block("li", a) for a in anchors)
    return Doc(title, blocks, "spam_links", "spam")


def spam_doc(rng: random.Random) -> Doc:
    return pick(rng, (_stuffing, _repeated_line, _price_list, _link_farm))(rng)


# ----------------------------------------------------------------------------------------------
# Boilerplate-only main areas


def boilerplate_doc(rng: random.Random) -> Doc:
    """The main area of a page with no article: a tag index, a sign-in form or empty results."""
    topic = pick(rng, vocab.WEB_TOPICS)
    w = Writer(rng, topic)
    kind = rng.randrange(3)
    if kind == 0:
        tag = pick(rng, topic.nouns)
        title = f"Posts tagged \u2018{tag}\u2019"
        intro = f"Here you can browse every post on this site that is tagged with {tag}, with the newest posts at the top of the page."
        blocks = [
            Block("h1", title),
            Block("p", intro),
            Block("meta", f"Page {rng.randint(2, 9)} of {rng.randint(10, 40)}"),
        ]
        for _ in range(rng.randint(18, 30)):
            headline = sentence_case(w.phrase("(The|A|Our|Why the) {adj} {n} (at|near|behind) the {place}"))
            blocks.append(
                Block(
                    "li", f"{headline} \u2013 {rng.randint(1, 28)} {pick(rng, vocab.MONTHS)} {w.slot('year')}"
                )
            )
        blocks.append(Block("meta", "\u00ab Newer posts | Older posts \u00bb"))
        return Doc(title, blocks, "tag_index", topic.name)
    if kind == 1:
        title = pick(rng, ("Sign in to your account", "Log in", "Member login", "Create an account"))
        labels = [
            "Email address",
            "Password",
            "Remember me on this device",
            "Forgot your password?",
            "Sign in",
            "Or continue with",
            "Google",
            "Apple",
            "New here? Create an account",
            "Resend confirmation email",
            "Help and support",
            "Back to home page",
        ]
        blocks = [Block("h1", title)] + [Block("li", label) for label in labels]
        return Doc(title, blocks, "login", topic.name)
    query = w.phrase("{adj} {n}")
    title = f"Search results for \u201c{query}\u201d"
    blocks = [
        Block("h1", title),
        Block("meta", "0 results found"),
        Block("p", "Sorry, we could not find any pages that match your search. Please try a different word."),
        Block("li", "Check your spelling"),
        Block("li", "Try more general keywords"),
        Block("li", "Browse by category"),
    ]
    for noun in rng.sample(topic.nouns, 3):
        blocks.append(Block("li", f"Popular: {noun}"))
    return Doc(title, blocks, "search_empty", topic.name)


# ----------------------------------------------------------------------------------------------
# Bad words (C4) and toxic prose

BAD_WORDS_USED = ("fuck", "fucking", "shit", "bullshit", "asshole", "bastard", "bollocks", "shitty")
"""Unambiguous LDNOOBW entries the bad-words pages use (the tests check they are in the list)."""

RANT = lines(
    """
    (So|Right, so) the {n} (I|we) (bought|ordered) (last month|in {month}) (broke|stopped working) after {num} days, and the {role} (said|told me) it was (my|our) fault.
    (I|We) (waited|spent) {num} hours on the phone (with|to) (the shop|customer service|their helpline) and (nobody|no one) (could|would) (explain|tell me) (anything|what happened).
    (The|Their) (manager|supervisor) (promised|swore) (to|that they would) (call back|ring me back) (the next day|on {weekday}), and of course (nobody did|that never happened).
    (Honestly|Seriously), (who|what kind of company) (sells|makes) a {adj} {n} (like that|that falls apart) and (then|still) (charges|wants) {price} for (delivery|a repair)?
    (Next time|From now on) (I am|I'm) (going|sticking) (straight to|with) the (little|small|local) {place} (down the road|in {town}), (whatever|however much) it (costs|takes).
    The (reviews|five-star reviews) on their (site|page) (are|look) (obviously|clearly) fake, (and|because) (every|each) (one|review) (says|uses) (exactly|almost) the same (words|thing).
    (If|When) (anyone|someone) from the company (reads|sees) this, (please|do) (fix|sort out) your (returns|refund) (process|system) (before|instead of) (sending more emails|writing more marketing copy).
    (Apparently|Supposedly) the {n} (comes with|has) a {num}-year (warranty|guarantee), (but|yet) (nobody|no one) (there|in the shop) (seems|seemed) to know (how|where) to (claim|use) it.
    (My|Our) (neighbour|friend|brother) {first} (bought|got) the (same|exact same) {n} (in|from) {town} and (his|hers) (lasted|survived) (barely|less than) a (week|fortnight).
    (When|After) I (finally|eventually) (got through|reached a human), (they|the agent) (read|recited) (a script|the same script) and (ended|closed) the (call|chat) (without|before) (fixing|solving) anything.
    (Delivery|The courier) (turned up|arrived) {num} days late, (left|dumped) the (box|parcel) (in the rain|by the bins|at the wrong house) and (marked|logged) it as (delivered|handed over).
    I (have|'ve) (written|sent) {num} (emails|complaints|letters) (so far|since {month}) and (received|had) (one|a single) (automated|copy-and-paste) (reply|answer) (in return|back).
    (The|Their) (website|app) (still|even now) (shows|lists) the {n} as ({adj}|in stock|a best seller), which (tells you|says) (everything|a lot) about (them|how they work).
    (Save|Spare) yourself the (trouble|hassle|headache) and (buy|order) (from|at) (anywhere|somewhere) else; (honestly|really), (any|almost any) (shop|seller) (would be|is) better.
    (It|The whole thing) (cost|has cost) me (a day off work|two evenings|a small fortune in phone calls) and (I am|I'm) (still|no closer to) (waiting|getting) (for|) (a refund|my money back).
    """
)

_RANT_CURSES = (
    "What a load of bullshit.",
    "Absolutely fucking useless.",
    "This is shit, plain and simple.",
    "The guy on the phone was a complete asshole about it.",
    "Total bollocks from start to finish.",
    "Fuck this company and its shitty service.",
    "Some bastard in the warehouse clearly dropped it.",
)


def bad_words_doc(rng: random.Random) -> Doc:
    """A consumer rant with a few list words in otherwise ordinary prose."""
    topic = pick(rng, vocab.web_topics("technology", "home_improvement", "motoring", "business", "travel"))
    w = Writer(rng, topic)
    rant, general = Deck(rng, RANT), Deck(rng, _GENERAL_COMPLAINTS)
    curses = list(_RANT_CURSES)
    rng.shuffle(curses)
    title = sentence_case(w.phrase("(Avoid|Never buy) (a|the) {n} from (this|that) (shop|company) in {town}"))
    blocks = [Block("h1", title)]

    def paragraph() -> list[Block]:
        text = w.paragraph(rant if rng.random() < 0.6 else general, 2, 4)
        if curses and rng.random() < 0.7:
            text += " " + curses.pop()
        return [Block("p", text)]

    fill_to(rng.randint(200, 380), paragraph, blocks)
    if len(curses) == len(_RANT_CURSES):  # no curse used yet: make sure at least one list word is in
        blocks.append(Block("p", curses.pop() + " " + w.say(general.draw())))
    return Doc(title, blocks, "rant", topic.name, byline=make_handle(rng))


_GENERAL_COMPLAINTS = (
    "(I|We) (have|'ve) (bought|used) {ns} for years and (never|not once) (had|seen) (a|an) {adj} {n} (like|quite like) this one.",
    "(My|Our) {role} (had|suffered) exactly the same (problem|experience) (last year|in {year}) and (got|received) (nowhere|nothing) either.",
    "(The|Their) (refund|replacement) (is|was) (supposed|meant) to (take|arrive within) {num} days; (it has|it's) now been {digit}.",
    "(I|We) (only|just) (want|wanted) a {n} that (works|does what it says), (which|and that) (should not|shouldn't) be too much to ask.",
    "(To be fair|In fairness), the {role} (at|in) the {place} (was|tried to be) (helpful|polite), but (nothing|none of it) (changed|helped).",
)

INSULTS = words(
    """idiot moron imbecile loser clown fool halfwit nitwit coward liar creep freak lowlife
    parasite leech troll buffoon dimwit nobody failure joke hypocrite"""
)
INSULT_ADJS = words(
    """pathetic worthless disgusting stupid brainless spineless ignorant vile repulsive useless
    miserable sad contemptible clueless gutless dishonest obnoxious insufferable"""
)

TOXIC = lines(
    """
    You are (a|an|the most) {iadj} {insult} and (everyone|every single person) (here|on this forum|in this thread) (knows|can see) it.
    (Nobody|No one) (cares|gives a damn) about your {iadj} (opinions|comments|posts), you {iadj} {insult}.
    (Shut up|Be quiet), you {iadj} {insult}; (every|each) (word|sentence) you (write|type) makes this (place|forum|site) (worse|dumber).
    People like you are (the reason|why) (this|the whole) (community|town|forum) (is|has become) (a cesspit|a joke|a disgrace).
    (I|We) (hate|despise|loathe) (you|everything about you) and (so does|so do) (everyone|all of us) (who|that) (has|have) (met|read) you.
    (Go away|Get lost|Leave) and (never|don't ever) (come back|post again), you {iadj} (little|) {insult}.
    (How|Why) (can|does) (anyone|someone) (so|this) {iadj} (even|still) (manage to|bother to) (breathe|type|show their face) (here|in public)?
    You (are|'re) (nothing|nothing at all) but a {iadj} {insult} (who ruins everything you touch|who poisons every thread).
    (Your|That) (face|voice|writing) (makes|would make) (anyone|a normal person) (sick|want to vomit), you {iadj} {insult}.
    (Everyone laughs|All of us laugh) at you behind your back, you {iadj} {insult}, and (you deserve|you have earned) (every|all of) (bit of|) it.
    (Keep|Carry on) (posting|talking) (your|that) {iadj} (garbage|trash|rubbish) and (we will|we'll) (make sure|see to it that) (everyone|the whole town) (knows|hears) what a {insult} you are.
    (You|Your whole family) (are|is) (a|an) {iadj} (bunch|pack) of {insults}, and (this|the) (town|forum) (would be|is) better off without (you|any of you).
    (Every|Each) time you (open your mouth|post|reply), (the|this) (thread|forum|page) (loses|gets) (a little|a bit) (more|) (dumber|worse), you {iadj} {insult}.
    (Nobody|No one) (invited|asked|wanted) you here, (so|and) (crawl|slink) back (to|into) whatever {iadj} (hole|corner) you (came from|crawled out of).
    (I|We) (can't|cannot) (believe|stand) (how|that) (someone|anyone) (so|this) {iadj} (is|gets) (allowed|let) (near|on) a keyboard, you {iadj} {insult}.
    (Do|Would you do) (everyone|us all) a favour and (disappear|vanish) (for good|forever), you {iadj} {insult}.
    (Your|That) (opinion|take|comment) is (as|just as) {iadj} as you are, (and|which) (is|says) (a lot|plenty|something).
    (Even|Not even) your (own|) (friends|family) (can|could) (stand|tolerate) you, you {iadj} {insult}, (and|so) (stop|quit) (pretending|acting) (otherwise|like they do).
    (People|Folk) like you (make|turn) (this|the) (place|site|town) (into|) (a|the) (sewer|dump|joke) it (is|has become), you {iadj} {insult}.
    (What|Which) (kind|sort) of {iadj} {insult} (writes|posts) (garbage|trash|rubbish) like (that|this) and (expects|thinks) (respect|anyone will care)?
    """
)


def toxic_doc(rng: random.Random) -> Doc:
    """Harassing replies aimed at a forum user: insults in nearly every sentence, no list words."""
    topic = pick(rng, vocab.WEB_TOPICS)
    w = Writer(rng, topic)
    w.extra_slots.update(
        {
            "insult": lambda: pick(rng, INSULTS),
            "insults": lambda: plural(pick(rng, INSULTS)),
            "iadj": lambda: pick(rng, INSULT_ADJS),
        }
    )
    target = make_handle(rng)
    abuse, context = Deck(rng, TOXIC), Deck(rng, _GENERAL_COMPLAINTS)
    title = f"Re: {sentence_case(w.phrase('(Thoughts on|Question about) the {n}'))}"
    blocks = [Block("h1", title), Block("meta", f"Reply to {target}")]

    def paragraph() -> list[Block]:
        text = " ".join(w.say(abuse.draw()) for _ in range(rng.randint(2, 4)))
        if rng.random() < 0.3:
            text = w.say(context.draw()) + " " + text
        return [Block("p", text)]

    fill_to(rng.randint(180, 340), paragraph, blocks)
    return Doc(title, blocks, "abuse", topic.name, byline=make_handle(rng))
