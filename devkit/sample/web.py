"""Web-domain genres: news stories, blog posts, recipes, travel guides, reviews and how-to guides.

Each template is a sentence pattern (syntax in `grammar`) whose slots come from the page's topic
(`vocab.WEB_TOPICS`), so one pattern reads naturally for a council story and for a cycling blog.
Patterns are drawn without replacement within a page (`Deck`), which keeps Gopher's duplicated
n-gram fractions far below their thresholds.
"""

from __future__ import annotations

import random

from devkit.sample import vocab
from devkit.sample.grammar import Deck, lines, pick, plural, words
from devkit.sample.text import Block, Doc, Writer, fill_to, register_genre, sentence_case, title_case

# Sentences that fit any topic: commentary, context, numbers, people's views.
GENERAL = lines(
    """
    {roles} in {town} have spent {time} {ving} the {n}, and most of them say the effort was worth it.
    According to {role} {person}, the {subj} (will|could|should) change how people {v} the {n} (before|by) the end of {month}.
    A {adj} {n} near the {place} was {vn} {time}, (prompting|leading to) a long list of {gns} from {roles}.
    Figures (published|released) {time} suggest that {pct} of {roles} now {v} a {n} at least once a (week|month).
    (Few|Not many) people expected the {n} to become so {adj}, but (the|this) {gn} (changed|altered) the picture {adv}.
    The (obvious|simplest) {gn} is to {v} the {n} first and (worry|think) about the {ns} later.
    (There is|There's) (no|little) (doubt|question) that the {subj} (has|had) (become|turned into) a (talking point|familiar sight) (around|across) {town}.
    Some {roles} (argue|insist|believe) that the {n} (is|was) {adj}, while others (say|point out) that it (simply|merely) needs more time.
    The {gn} (came|arrived) at a (difficult|busy|strange) moment for the {place}, which had (already|only just) {vn} its {ns}.
    (In the end|Eventually|After some discussion), the {roles} (agreed|decided) to {v} the {n} and (review|revisit) the {gn} in {month}.
    It (took|needed) {num} (weeks|months|attempts) to {v} the {n} (properly|the way it deserved), (far|much) longer than (anyone|most people) had (planned|hoped).
    (Last|This) {weekday}, {person} (walked|showed) us (around|through) the {place} and pointed out the {ns} that (still|now) need attention.
    For (many|most) {roles}, the (biggest|main|real) {gn} is not the {n} itself but the {adj} {ns} that (come|arrive) with it.
    (What|One thing that) (surprised|struck) {first} (most|first) was how {adj} the {ns} (looked|felt|seemed) up close.
    (That|This) (may|might) (sound|seem) {gadj}, but (anyone|everyone) who has tried to {v} a {n} (knows|will recognise) the feeling.
    A (spokesperson|representative) for the {place} (confirmed|said) that {ns} (would|will) be {vn} (in stages|over the coming weeks|as soon as possible).
    The (cost|price|bill) (came|comes) to roughly {money}, (according to|based on) (an estimate|figures) (from|shared by) {person}.
    (Meanwhile|At the same time), a (second|separate|smaller) group of {roles} (has|have) (started|begun) {ving} the {ns} on their own.
    {person} (said|explained) that the {gn} was (partly|largely|mostly) (down to|caused by) {adj} {ns} (rather than|and not) any single {gn}.
    (Looking back|In hindsight), the {subj} (was|seems) {gadj} (from|right from) the start, even if (nobody|few people) (said|admitted) so at the time.
    (Nobody|No one) (at|in) the {place} (seemed|appeared) (surprised|troubled|worried) when the {ns} (were|had been) {vn} (again|once more).
    The {subj} is (expected|likely|due) to (be|remain) (on|at the top of) the agenda (until|through) {month}, (when|after which) a (decision|final report) is due.
    (In|During) (a|one) {adj} (week|month|season), the {place} (saw|recorded) {big} visitors, (the|its) (highest|busiest) (figure|total) (since|in) {year}.
    (It is|It's) (worth|important) (noting|remembering) that the {ns} (were|had been) {vn} (before|long before) the {gn} (was|became) (public|known).
    {roles} who (want|hope) to {v} the {n} (should|are advised to) (contact|speak to) the {place} (first|in advance).
    (Several|A few|Dozens of) {roles} (wrote|have written) to {person} (asking|to ask) (for|about) a {gadj} {gn}.
    (If|Once) the {n} is {vn} (properly|correctly|on time), the rest of the {ns} (should|will) follow (without much trouble|quite easily).
    (None of this|This) (means|implies) that the {subj} (is|was) a (failure|mistake|lost cause), (only|just) that it (needs|needed) {adj} {ns}.
    The (latest|newest|most recent) {gn} (involves|concerns) a {adj} {n} and (two|three|several) {ns} (left|found|spotted) near the {place}.
    (By the time|When) the {roles} (arrived|turned up), the {n} (had|had already) been {vn} (twice|by someone else|without any fuss).
    """
)

NEWS_LEAD = lines(
    """
    (Plans|Proposals) to {v} the {n} (near|beside|at) the {place} in {town} (were|have been) {vn} (after|following) {adj} (debate|discussion) {time}.
    {roles} in {town} (say|have said) they (were|are) (not consulted|left in the dark|kept waiting) about the {subj}, (which|and it) (could|may) (affect|change) hundreds of households.
    The {subj} in {town} (moved|took) a step (closer|forward) {time}, when {roles} {vd} the (latest|final|revised) (version|draft) of the {n}.
    A {adj} {n} (at|near) the {place} (has been|will be) {vn} (after|following) (a campaign|complaints|a long campaign) by {roles} led by {person}.
    (Work on|Progress on) the {subj} (has|was) (stalled|paused|halted) {time} (after|because) (a|the) {adj} {n} (was|had been) {vn} (by mistake|without warning).
    """
)

NEWS_QUOTE = lines(
    """
    "We (have|had) (waited|asked) (a long time|years) for (someone|the council) to {v} the {n}," said {person}, a {role} (from|in) {town}.
    "(Honestly|To be fair), the {n} (was|is) never the (problem|issue); it (was|is) the {adj} {ns} (around it|that followed)," (said|added) {person}.
    "(This|It) (is|was) a {gadj} {gn} for the whole {place}," {role} {person} (told|said to) (reporters|the meeting|us), "and we (intend|plan) to {v} (it|the {n}) properly."
    "(Nobody|No one) (wants|wanted) to {v} the {n}, but (there|there simply) (was|is) no (other|sensible) {gn}," (said|explained) {person}.
    "I (have|'ve) (lived|worked) (here|in {town}) for {num} years and I (have|'ve) never seen the {ns} so {adj}," said {person}.
    "(If|When) the {ns} (are|were) {vn} (on time|as promised), (most|many) people (will|would) (barely|hardly) notice the (change|difference)," said {role} {person}.
    """
)


@register_genre("news", "web")
def news(rng: random.Random, target_words: int) -> Doc:
    topic = pick(rng, vocab.web_topics(*_NEWS_TOPICS))
    w = Writer(rng, topic)
    body = Deck(rng, GENERAL)
    lead, quotes = Deck(rng, NEWS_LEAD), Deck(rng, NEWS_QUOTE, fallback=body)
    title = sentence_case(
        w.phrase(
            pick(
                rng,
                (
                    "{town} {roles} (divided|split) over {subj}",
                    "(Decision|Vote) on {subj} (delayed|postponed) (again|until {month})",
                    "{adj} {n} (sparks|prompts) (row|complaints|questions) in {town}",
                    "What the {subj} (means|will mean) for {town}",
                    "{subj}: {roles} (call for|demand) (answers|a rethink)",
                ),
            )
        )
    )
    blocks = [Block("h1", title), Block("p", w.paragraph(body, 2, 3, lead=lead))]

    def section() -> list[Block]:
        out = [Block("p", w.paragraph(body, 2, 4))]
        if rng.random() < 0.6:
            out.append(Block("p", w.say(quotes.draw()) + " " + w.say(body.draw())))
        return out

    fill_to(target_words, section, blocks)
    byline = f"By {w.people[0]}"
    return Doc(title, blocks, "news", topic.name, byline=byline)


_NEWS_TOPICS = {
    "local_news",
    "science",
    "business",
    "education",
    "sport",
    "health",
    "motoring",
    "music",
    "film",
}

BLOG_OPENERS = lines(
    """
    (I|We) (have|'ve) been (meaning|wanting) to write about the {subj} for (ages|months|a while), and this (week|weekend) I finally (sat down|found the time) to do it.
    (It has|It's) been {num} (weeks|months) since I (started|began) {ving} the {n}, so (this seems|it feels like) a good moment to (take stock|look back).
    (A few|Several) (readers|of you) (asked|have asked) me about the {subj} after my last post, so here is (everything|what) I (have|'ve) learned so far.
    (Confession|A small confession): I (used to|once) think the {n} was {adj}, and I was (completely|entirely|quite) wrong.
    (When|After) we (moved|came) to {town} (last year|in {year}|{time}), the {subj} was (the last thing|not something) on my mind.
    """
)

BLOG_BODY = lines(
    """
    My (first|initial) (attempt|try) (was a disaster|went badly|went about as well as you would expect): I {vd} the {n} (far too early|in the wrong order|without reading the instructions).
    (These days|Now) I (always|usually) {v} the {n} (first|before anything else), which saves (a lot of|so much) (time|trouble|mess) later.
    (If you only take|If you take only) one thing from this post, (let it be|make it) this: (never|don't) {v} a {adj} {n} in a hurry.
    (My|Our) {role} (friend|neighbour), {first}, (swears by|recommends) {ving} the {ns} (once a week|every morning|at the weekend), and (I|we) (have|'ve) (started|come) to agree.
    I (still|sometimes) (get|find) (it|things) wrong, (of course|naturally), but the {ns} (are|look) (far|much) (better|healthier|tidier) than they were.
    (The|One) (trick|secret), as far as I can tell, is to keep the {n} {adj} and (resist|avoid) the (urge|temptation) to {v} it (too often|every day).
    (There are|You will find) (plenty of|lots of) (guides|videos|books) about {ving} the {n}, but (most|many) of them (skip|ignore|gloss over) the (boring|tricky) (part|parts).
    I (asked|emailed) {person}, who (runs|manages) a {place} (near|outside) {town}, (for|about) (advice|her view|his view), and the (answer|reply) was (surprisingly|refreshingly) simple.
    (By|Around) (the|our) (third|fourth|second) (week|month|attempt), (the|our) {ns} (were|had become) (noticeably|visibly|clearly) {adj}.
    (Looking back|With hindsight), I (would|should) have {vn} the {n} (much|a lot) (sooner|earlier) and (saved|spared) myself (a lot of|some) {gns}.
    (Not everything|Nothing) (went|has gone) to plan: a {adj} {n} (left|gave) us (with|) (a|one) (week|weekend) of {gns}.
    (Next|This coming) (month|season|year) I (want|hope|plan) to {v} (a few|some|more) {ns} and (maybe|perhaps) (try|attempt) a {adj} {n} as well.
    (As always|As ever), I (would|'d) love to hear how (you|other readers) {v} (your|the) {ns}, so (do|please) leave a (note|message) (below|in the comments).
    (Thanks|Many thanks) to {first} for the (photos|tip about the {n}|loan of a {n}), and to everyone who (sent|shared) (suggestions|advice) after the last post.
    (In short|To sum up|All in all), the {subj} (has been|was) (worth|more than worth) the {gn}, even (on|during) the (wet|cold|busy|long) (days|weeks).
    (Part|Some) of the (appeal|pleasure) is simply {ving} the {ns} with (friends|neighbours|the family) and (seeing what happens|watching how things change).
    """
)


@register_genre("blog", "web")
def blog(rng: random.Random, target_words: int) -> Doc:
    topic = pick(rng, vocab.WEB_TOPICS)
    w = Writer(rng, topic)
    general = Deck(rng, GENERAL)
    opener, body = Deck(rng, BLOG_OPENERS), Deck(rng, BLOG_BODY, fallback=general)
    title = title_case(
        w.phrase(
            pick(
                rng,
                (
                    "(What I learned from|Notes on|A year of) {subj}",
                    "(Why|How) I (finally|eventually) {vd} the {n}",
                    "{num} (things|lessons) (about|from) {subj}",
                    "(Our|My) {subj}: (an update|the story so far|part {num})",
                ),
            )
        )
    )
    blocks = [Block("h1", title), Block("p", w.paragraph(body, 2, 4, lead=opener))]

    def section() -> list[Block]:
        mixed = body if rng.random() < 0.6 else general
        out = []
        if rng.random() < 0.3:
            out.append(Block("h2", sentence_case(w.phrase("(On|About|Dealing with) (the|a) {adj} {n}"))))
        out.append(Block("p", w.paragraph(mixed, 3, 5)))
        return out

    fill_to(target_words, section, blocks)
    return Doc(title, blocks, "blog", topic.name, byline=f"Posted by {w.people[0].split()[0]}")


RECIPE_INTRO = lines(
    """
    This {subj} (started life|began) as a (way|plan) to use up a {adj} {n} and (has since become|is now) a (weekday|weekend|family) favourite.
    (My|Our) {role}, {first}, (made|cooked) a version of this (every|most) {weekday} (when I was small|for years), and (mine|this one) is (only|barely) slightly different.
    (It is|It's) (not|hardly) a (quick|fancy|complicated) dish, but (it|the {subj}) (rewards|repays) a little patience and a {adj} {n}.
    (You can|Feel free to) (swap|replace) the {n} for a {n} if (that is|that's) what (you have|is in the cupboard|the shop has).
    (Leftovers|Any leftovers) (keep|will keep) for {num} days in the fridge and (arguably|probably) taste (better|even better) the next day.
    I (first|originally) (tasted|ate) something (like|similar to) this at a small {place} in {town}, and it took me {num} (attempts|tries) to (get|make) it right at home.
    (The|A) (key|secret) (is|lies in) (the|a) {adj} {n}, so (it is|it's) worth (buying|finding) the (best|freshest) one you can (afford|get).
    (We|I) (tested|made) this (recipe|version) {num} times (over|across) (a|one) (month|fortnight|winter), (tweaking|adjusting) the {n} (each|every) time.
    (Children|Kids|Fussy eaters) (tend to|usually) (love|enjoy) (it|this), (especially|particularly) (if|when) you (go easy|are sparing) (on|with) the {n}.
    (It|The dish) (freezes|keeps) (well|beautifully), so (make|cook) a double (batch|quantity) and (save|keep) half (for|until) a (busy|tired|rainy) {weekday}.
    (This|The) (recipe|method) (works|is fine) (with|in) a {n} (as well|too), (though|but) (you will|you'll) (need|want) to (add|allow) {num} (extra|more) minutes.
    (Buy|Choose) (the|a) {n} (from|at) (a|the) {place} (if you can|where possible); (it|the flavour) (really|truly) (does|will) make a difference.
    """
)

RECIPE_STEPS = lines(
    """
    (Start by|Begin by) (heating|warming) a {adj} {n} over a (medium|low|gentle) heat and (add|adding) a (splash|drizzle) of oil.
    {v} the {n} (for|over) {num} minutes, (stirring|turning it) (now and then|occasionally|every so often), until (it is|it turns) {adj}.
    (Add|Tip in|Stir in) the {ns} and (a pinch of salt|a little pepper|the spices), then {v} (for|over) (another|a further) {num} minutes.
    (Meanwhile|While that cooks), {v} the {n} (and|then) (set it|leave it) aside in a (bowl|dish|warm place).
    (Pour|Spoon) the mixture into a {n}, (smooth|level) the top and (bake|cook it) for {digit} minutes at {digit}0 degrees.
    (Taste|Check) the (seasoning|sauce) and (add|adjust with) more {n} (if needed|if you like|to taste).
    (Leave|Let) (it|the {n}) to (rest|cool|settle) for {num} minutes before (slicing|serving|cutting), (otherwise|or) it will (fall apart|be too runny|lose its shape).
    (Serve|Finish) with a {adj} {n} and (some|a handful of) {ns} (on the side|scattered over the top|for colour).
    (If|When) the {n} (looks|seems) (dry|too thick|too pale), (add|stir in) a little (water|stock|butter) and {v} (it|for a minute) again.
    (Cover|Loosely cover) the (pan|dish|tray) (with|using) (a lid|foil) and (turn|lower) the heat (down|right down) (for|over) the (last|final) {num} minutes.
    (Squeeze|Add) (over|in) (a little|some) (lemon|lime) juice (just|right) before (serving|the end) to (lift|brighten|sharpen) the (flavours|sauce).
    (Scrape|Lift) (up|off) (any|the) (sticky|browned) bits from the (bottom|base) of the (pan|tray); (they|those) (add|give) (a lot of|plenty of) flavour.
    (Roughly|Finely) {v} the {n} (while|as) the {n} (cooks|bakes|simmers), (and|then) (keep|set) (it|them) (ready|to one side).
    """
)


_INGREDIENTS = words(
    """onion garlic_clove shallot leek carrot parsnip courgette aubergine red_pepper lemon lime
    orange apricot plum fig pear apple mushroom egg tomato potato sweet_potato chicken_thigh
    mackerel_fillet sausage anchovy bay_leaf cinnamon_stick star_anise green_chilli"""
)


@register_genre("recipe", "web", words=(250, 900))
def recipe(rng: random.Random, target_words: int) -> Doc:
    (topic,) = vocab.web_topics("cooking")
    w = Writer(rng, topic)
    general = Deck(rng, BLOG_BODY, fallback=Deck(rng, GENERAL))
    intro, steps = Deck(rng, RECIPE_INTRO, fallback=general), Deck(rng, RECIPE_STEPS)
    title = title_case(
        w.subject if rng.random() < 0.5 else w.phrase("(Easy|Simple|Weeknight|Classic) {subj}")
    )
    blocks = [Block("h1", title), Block("p", w.paragraph(intro, 3, 4))]
    blocks.append(Block("p", w.paragraph(general, 2, 4)))
    blocks.append(Block("h2", "Ingredients"))
    for item in rng.sample(_INGREDIENTS, rng.randint(5, 8)):
        count = rng.randint(1, 4)
        qty = pick(
            rng, (f"{count} {item if count == 1 else plural(item)}", f"{rng.randint(1, 6) * 50} g {item}")
        )
        if rng.random() < 0.3:
            qty += ", " + pick(
                rng, ("finely chopped", "peeled", "roughly sliced", "at room temperature", "optional")
            )
        blocks.append(Block("li", qty))
    blocks.append(Block("h2", "Method"))
    for i in range(rng.randint(4, 6)):
        blocks.append(Block("p", f"{i + 1}. " + w.say(steps.draw()) + " " + w.say(steps.draw())))

    def more() -> list[Block]:
        return [Block("p", w.paragraph(general if rng.random() < 0.5 else intro, 2, 4))]

    fill_to(target_words, more, blocks)
    return Doc(title, blocks, "recipe", topic.name, byline=f"Recipe by {w.people[0]}")


TRAVEL_BODY = lines(
    """
    (Most|Many) (visitors|travellers) (arrive|come) (by|on the) {n}, (which|and it) (runs|leaves) {num} times a day from {town} (in summer|outside the winter months).
    (The|Our) (best|favourite) {n} (was|turned out to be) the {adj} one (just behind|near|above) the {place}, (where|and) (the owner|a {role}) (made|served) us coffee.
    (Give yourself|Allow) at least {num} (hours|days) for the {place}; (it is|it's) (easy|tempting) to (rush|hurry) and (miss|overlook) the {adj} {ns}.
    (If you|Travellers who) (only|really) have (one day|a weekend), (head|go) straight (for|to) the {place} and (skip|avoid) the {adj} {ns} (near|around) the {place}.
    (Prices|Costs) (are|were) (higher|lower) than (we|I) expected: a {n} (cost|costs) around {price} and a (simple|decent) meal (about|roughly) {price}.
    (Locals|People in {town}) (recommend|suggest) {ving} the {n} (early|first thing|before breakfast), (before|when) the (crowds|tour groups|day trippers) (arrive|appear).
    The (walk|climb|path) (up|out) to the {n} (takes|took us) about {num} hours and (is|was) {adj} in places, so (bring|wear|pack) (water|good shoes|a jacket).
    (We|I) (stayed|spent {num} nights) (at|in) a {adj} {n} (run|kept) by {person}, who (knew|seemed to know) everyone in {town}.
    (Do not|Don't) (expect|count on) (card payments|a signal|a bus) (beyond|past|outside) the {place}; carry (some cash|a paper map|spare water) (just in case|to be safe).
    (In|During) {month} the {place} (is|becomes) {adj}, (with|and there are) {big} (visitors|people) (a day|each week) (at the peak|in the busiest weeks).
    (The|One) (highlight|high point) of the (trip|week|journey) was (an evening|a morning|an afternoon) {ving} the {ns} (with|beside) a {role} (called|named) {first}.
    (Getting|Travelling) (between|around) (the villages|the islands|the valleys) (is|was) (slow|easy|surprisingly easy) (by|on) {n}, (though|but) (timetables|schedules) (change|shift) (in winter|out of season).
    (Book|Reserve) (the|any) {n} (well|weeks) (ahead|in advance) (in|during) {month}; (by|at) (the weekend|Easter|the festival) (everything|every room) (is|gets) (taken|booked).
    (The|A) (tourist office|visitor centre) (beside|opposite) the {place} (hands out|sells) (free|cheap) (maps|walking leaflets) and (can|will) (book|arrange) a {n} for you.
    (Breakfast|Dinner) (at|in) the {n} (was|turned out to be) (simple|generous|excellent): (bread|eggs|fish), (local|fresh) (cheese|fruit) and (strong|good) coffee.
    (Our|The) (only|one) (real|serious) (disappointment|complaint) was the {adj} {n}, which (felt|looked) (tired|overpriced|crowded) (compared with|next to) the rest.
    (Sunday|Monday) (is|was) (quiet|strange) in {town}: (most|half of the) (shops|cafes) (close|stay closed) and (even|) the {n} (runs|keeps) (a|its) (reduced|holiday) timetable.
    (If|When) the weather (turns|changes), (head|retreat) (indoors|inside) to the {n} (by|near) the {place}, (which|and it) (is|was) (free|cheap) on (weekdays|Wednesdays).
    (A|One) (short|steep|gentle) (walk|climb) from the {place} (brings|takes) you to a {adj} {n} with (views|a view) (over|across) the (bay|valley|rooftops).
    (We|I) (hired|rented) (bikes|a car|a small boat) for (a day|the afternoon|two days), (which|and it) (was|turned out to be) the (easiest|best|cheapest) way to (see|reach) the {ns}.
    (Markets|The market) (are|is) held (on|every) {weekday} (morning|mornings) in the {place}; (go|arrive) early (for|if you want) the (best|freshest) (produce|bread|stalls).
    (Families|Travellers with children) (will|should) (like|appreciate) the {adj} {n}, (though|but) (the|some) (paths|steps) (are|can be) (steep|narrow|slippery) (after rain|in places).
    """
)


@register_genre("travel", "web", words=(250, 1200))
def travel(rng: random.Random, target_words: int) -> Doc:
    topic = pick(rng, vocab.web_topics("travel", "outdoors"))
    w = Writer(rng, topic)
    general = Deck(rng, GENERAL)
    body = Deck(rng, TRAVEL_BODY, fallback=general)
    where = w.towns[0]
    title = title_case(
        w.phrase(
            pick(
                rng,
                (
                    f"(A weekend in|{{num}} days in|Slow travel:) {where}",
                    f"(The|A) (complete|practical|honest) guide to {where} and {{subj}}",
                    f"{where}: (where to stay|what to see|how to spend a weekend)",
                ),
            )
        )
    )
    blocks = [Block("h1", title), Block("p", w.paragraph(body, 3, 4))]
    headings = [
        "Getting there",
        "Where to stay",
        "What to see",
        "Eating and drinking",
        "Practical tips",
        "When to go",
    ]
    rng.shuffle(headings)

    def section() -> list[Block]:
        out = []
        if headings:
            out.append(Block("h2", headings.pop()))
        out.append(Block("p", w.paragraph(body if rng.random() < 0.7 else general, 3, 5)))
        return out

    fill_to(target_words, section, blocks)
    return Doc(title, blocks, "travel", topic.name, byline=f"Words by {w.people[0]}")


REVIEW_BODY = lines(
    """
    (Out of the box|At first glance|On paper), the {n} (looks|seems) {adj}, (with|and it has) a {adj} {n} and (a pair of|two|several) {ns}.
    (After|Over) {num} (weeks|days) of (daily|regular|heavy) use, the (biggest|main|only real) (complaint|problem|niggle) is the {adj} {n}.
    (At|For) {price}, (it is|it's) (hard|difficult) to (argue with|fault) the {n}, (even if|although) (rivals|competitors) (offer|have) a {adj} {n}.
    The {n} (is|feels) {adj} (in the hand|in use|day to day), (which|and that) (matters|counts) (more than|as much as) (any|the) (spec sheet|numbers on the box).
    (We|I) (tested|tried) the {n} (alongside|against) {num} (rivals|alternatives), and it (came|finished) (second|third|top) (overall|for value).
    (Where|If) it (falls short|disappoints) is the {n}: (it|the {n}) (struggles|takes a while) (when|whenever) you {v} (more than|several) {ns} at once.
    (Fans|Owners) of the (previous|last|earlier) (model|version|edition) will (notice|spot) the {adj} {n} (straight away|immediately|quickly).
    (Should|Would) you (buy|choose) it? (If|For) (most|many) {roles}, (yes|probably), (but|though) (wait|hold out) for a (sale|discount|price cut) (if you can|if possible).
    (The|Its) {n} (lasted|held up for) (a full|almost a|about a) (day|week|month) (in|during) (our|my) (tests|trial), which is (better|worse) than (we|I) (expected|feared).
    (The|Our) (verdict|conclusion) (is|remains) (simple|mixed|positive): a {adj} {n} (let down|held back|lifted) by a {adj} {n}.
    (Setting|Getting) (it|the {n}) up (took|takes) (about|under) {num} minutes, (most of which|half of which) (went on|was spent) (reading|finding) the (manual|instructions).
    (Compared with|Next to) (last year's|the older|the cheaper) {n}, (this one|the new one) (is|feels) (noticeably|slightly|much) more {adj}.
    (There is|We found) (a|one) (small|minor|real) (annoyance|flaw) (with|in) the {n}: (it|the {n}) (tends to|can) {v} (itself|the {ns}) (at random|without warning|now and then).
    (Our|My) (family|partner|colleague) (preferred|liked) the {adj} {n}, (while|but) (I|we) (kept|found ourselves) (going back|returning) to the {n}.
    (Build|Overall) quality (is|seems) (good|fine|solid) (for|at) the price, (with|though there are) (a few|some) {adj} (edges|details) (here and there|on closer inspection).
    (It|The {n}) (will not|won't) (suit|please) (everyone|every buyer): (anyone|people) who (need|want) a {adj} {n} (should|may want to) (look|shop) elsewhere.
    (After|Following) a (software|firmware|recent) update, the {n} (behaves|works|runs) (better|more smoothly|more reliably) (than|compared with) (it did|at launch).
    (In|For) (everyday|daily|normal) use (it is|it's) (hard|difficult) to (find|spot) (anything|much) to (complain|grumble) about, (which|and that) is (high|real) praise.
    """
)


@register_genre("review", "web", words=(220, 1000))
def review(rng: random.Random, target_words: int) -> Doc:
    topic = pick(
        rng, vocab.web_topics("technology", "film", "music", "motoring", "business", "cycling", "photography")
    )
    w = Writer(rng, topic)
    general = Deck(rng, GENERAL)
    body = Deck(rng, REVIEW_BODY, fallback=general)
    score = rng.randint(2, 5)
    title = sentence_case(w.phrase(f"{{subj}} review: (a|an) {{adj}} (choice|option|bet) ({score} out of 5)"))
    blocks = [Block("h1", title), Block("p", w.paragraph(body, 3, 4))]

    def section() -> list[Block]:
        return [Block("p", w.paragraph(body if rng.random() < 0.6 else general, 3, 5))]

    fill_to(max(120, target_words - 60), section, blocks)
    blocks.append(Block("h2", "What we liked"))
    for _ in range(rng.randint(2, 4)):
        blocks.append(Block("li", sentence_case(w.phrase("(The|A) {adj} {n} and (a|the) {adj} {n}"))))
    blocks.append(Block("h2", "The verdict"))
    blocks.append(Block("p", w.paragraph(body, 2, 3)))
    return Doc(title, blocks, "review", topic.name, byline=f"Reviewed by {w.people[0]}")


HOWTO_STEPS = lines(
    """
    (First|To begin), (make sure|check) (that|) the {n} is {adj}; (otherwise|if not) the (rest|next steps) will (be harder|take longer) than (it needs to|necessary).
    {v} the {n} (gently|slowly|carefully) and (keep|stop) (an eye on|checking) the {ns} as you (go|work).
    (Use|Try) a {adj} {n} (for this|here) (rather than|instead of) a {n}, (which|as it) can (damage|mark|spoil) the {ns}.
    (Once|When) the {n} is {vn}, (wait|leave it) {num} (minutes|hours|days) before you {v} (anything else|the {ns}).
    (A common|The most common) mistake is to {v} the {ns} (too early|too late|all at once); (spread|space) (the work|them) out (over|across) (a|a few) (days|weeks) instead.
    (If|When) (something|anything) (goes wrong|looks odd), (stop|pause), {v} the {n} again and (check|compare it with) the (photos|diagram|notes) above.
    (Keep|Store) (the|any) (spare|leftover) {ns} somewhere {adj}, (because|since) (you will|you'll) (need|want) them (again|later|next season).
    (Finally|Last of all), {v} the {n} and (step back|take a look): (it|the result) (should|will) (look|feel) {adj} (and|but) not {adj}.
    (Most|Many) {roles} (find|say) that (this|the whole job) (takes|needs) (about|around) {num} hours (the first time|on a first attempt).
    (You will|You'll) need a {n}, a {n} and (some|a little) patience; (nothing|none of it) (here|in this guide) (needs|requires) (special|expensive) (tools|equipment).
    (Take|Snap) a (photo|picture) of the {n} (before|as) you (start|begin); it (makes|will make) (putting everything back|the last step) (much|far) easier.
    (Work|Go) (in|from) (good|natural) light (if you can|where possible), (because|as) (small|tiny) {ns} are (easy|all too easy) to (miss|overlook) (otherwise|in the gloom).
    (Check|Test) the {n} (again|once more) after (a day|a week|the first use); (small|minor) (problems|faults) (show up|appear) (early|quickly) and are (easy|cheap) to (fix|put right).
    (If|When) (in doubt|you are unsure), (ask|call) a {role} (for advice|to take a look); (it costs|a visit costs) (far|much) less than (fixing|undoing) a {adj} (mistake|job).
    (Label|Mark) (each|every) {n} as you (go|remove it), so (that|) (nothing|no part) (gets|ends up) (lost|in the wrong place) (later|at the end).
    (Resist|Avoid) the (urge|temptation) to (rush|hurry) (this|the next) (part|stage); (most|many) (problems|failures) (come|start) from (skipping|hurrying) it.
    """
)


@register_genre("howto", "web", words=(220, 1100))
def howto(rng: random.Random, target_words: int) -> Doc:
    topic = pick(rng, vocab.web_topics(*_HOWTO_TOPICS))
    w = Writer(rng, topic)
    general = Deck(rng, GENERAL)
    steps, body = Deck(rng, HOWTO_STEPS, fallback=general), Deck(rng, BLOG_BODY, fallback=general)
    title = title_case(
        w.phrase("How to {v} (a|the) {adj} {n} (in {num} steps|without the fuss|at home|on a budget)")
    )
    blocks = [Block("h1", title), Block("p", w.paragraph(general, 2, 4)), Block("p", w.paragraph(body, 2, 3))]
    step = [0]

    def section() -> list[Block]:
        step[0] += 1
        head = sentence_case(w.phrase(f"Step {step[0]}: {{v}} the {{n}}"))
        return [Block("h2", head), Block("p", w.paragraph(steps, 2, 4))]

    fill_to(target_words, section, blocks)
    return Doc(title, blocks, "howto", topic.name, byline=f"By {w.people[0]}")


_HOWTO_TOPICS = {
    "home_improvement",
    "gardening",
    "fitness",
    "finance",
    "pets",
    "cycling",
    "photography",
    "health",
    "technology",
    "outdoors",
}
