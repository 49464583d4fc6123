"""Encyclopedia entries and book chapters: the encyclopedia and books domains.

Encyclopedia subjects are fictional (generated town, river, species and person names), written
in the neutral register of a reference work with dates and sections. Book chapters are
nineteenth-century style narrative with dialogue, the register of Project Gutenberg texts.
"""

from __future__ import annotations

import random

from devkit.sample import vocab
from devkit.sample.grammar import Deck, lines, pick, words
from devkit.sample.text import (
    Block,
    Doc,
    Writer,
    fill_to,
    make_person,
    make_town,
    register_genre,
    sentence_case,
)

# ----------------------------------------------------------------------------------------------
# Encyclopedia

ENCYCLOPEDIA_GENERAL = lines(
    """
    (According to|In) the (census|survey|parish records) of {oldyear}, the {kind} (had|supported) a population of (about|roughly|some) {big}.
    (Historians|Scholars|Local historians) (disagree|differ) (about|over) the (exact|precise) (date|origin|role) of the {n}, (though|but) (most|many) (place|date) it (before|after) {oldyear}.
    The (first|earliest) (written|surviving) (reference|record|account) to {name} (appears|occurs) in a (charter|letter|survey|ledger) of {oldyear}.
    (During|In) the {decade}, {name} (was|became) (known|noted|remarked upon) for its {adj} {ns}.
    {name} (was|has been) the subject of (several|numerous|a number of) (studies|monographs|surveys), (notably|including) (one|a study) by {person} (published|completed) in {oldyear}.
    (Much|Some|Part) of the (surviving|available) (evidence|documentation) (was|had been) (lost|destroyed|scattered) in a fire at the {n} in {oldyear}.
    The (name|term) {name} (is|was) (thought|believed|said) to (derive|come) from an (old|older|earlier) word for (a|the) {adj} {n}.
    (In|By) {oldyear}, {name} (was|had been) (described|mentioned|listed) (in|by) (a gazetteer|a county survey|{person}) as (a|an) {adj} {kind}.
    (Since|From) {year}, {name} (has been|is) (protected|managed|monitored) (as part of|under) a (regional|national|local) (scheme|programme|designation).
    (Little|Not much) is known (about|of) the {n} (before|prior to) {oldyear}, (when|after which) (it|the {n}) (appears|begins to appear) (regularly|frequently) in (records|accounts).
    (A|One) (museum|collection|archive) in {town} (holds|contains|preserves) (maps|drawings|letters|specimens) (relating to|connected with) {name} (from|dating from) the {decade}.
    (A|The) (detailed|first detailed|modern) (survey|study|description) (of|covering) {name} was (carried out|made|published) by {person} (between|during the years) {oldspan}.
    (Several|Two|Three) (photographs|engravings|paintings) of {name} (from|made in) the {decade} (survive|are known), (showing|recording) the {n} (before|as it was before) (later|subsequent) (changes|alterations).
    (Estimates|Accounts) of the (size|extent|age) of the {n} (vary|differ) (widely|considerably) (between|among) (sources|writers), (partly|largely) because (early|older) (records|measurements) (were|are) (incomplete|inconsistent).
    {name} (appears|is shown|is marked) on (the|a) (county|estate|ordnance) map of {oldyear}, (where|on which) (it|the {n}) is (labelled|named) (as|simply) (a|the) {adj} {n}.
    (Interest|Public interest) in {name} (revived|grew) (in|during) the {decade}, (when|after) (a|the) (local|regional) (society|trust|newspaper) (campaigned|published a series) (for|about) its (protection|history).
    The (relationship|connection) between {name} and the (nearby|neighbouring) {newtown} (has|had) (long|always) been (close|uneasy|a matter of dispute).
    (Some|A number of) (features|details) (once|formerly) (attributed|credited) to {name} are now (thought|believed) to (belong|relate) to (a|the) {adj} {n} (elsewhere|near {newtown}).
    (Records|Accounts) (kept|made) by the (parish|estate|county) (between|during the years) {oldspan} (mention|describe) {name} (only|just) (briefly|in passing), (usually|mostly) in (connection|relation) (with|to) the {n}.
    (The|Its) (present|current) (appearance|form|state) (owes|is due) (much|a great deal) to (work|changes) (carried out|made) (in|during) the {decade} under the (direction|supervision) of {person}.
    """
)

ENCYCLOPEDIA_KIND = {
    "settlement": lines(
        """
        {name} is a {adj} {kind} in {region}, (lying|situated|located) (on|near|beside) the (river|coast|road) (between|linking) {town} and {newtown}.
        The {kind} (grew|developed|expanded) (rapidly|steadily|slowly) (after|following) the (opening|arrival|construction) of a {n} in {oldyear}.
        (Its|The town's) {n} (was|had been) {vn} in {oldyear} (by|on the orders of) {person}, (a|the) (local|leading) {role}.
        (Local|The local) (industry|economy) (was|has been) (based on|centred on|dominated by) the {n} and the {n}, (until|before) (decline|closure) in the {decade}.
        The (parish|town) (church|hall) (dates|dates largely) from {oldyear} and (was|has been) (restored|extended|enlarged) (twice|several times).
        {name} (was|is) (connected|linked) to {newtown} by a {n} (opened|built|completed) in {oldyear}, (which|and it) (closed|remained in use until) {year}.
        The (population|number of residents) (fell|declined|rose) (sharply|steadily) (during|in) the {decade} (as|when) (the|its) {ns} (closed|were {vn}).
        (Notable|Well-known) (residents|people from the town) (include|have included) the {role} {person} and the {role} {person}.
        (A|The) (weekly|twice-weekly) market (has been|was) held in {name} (since|from) (at least|before) {oldyear}, (when|after) (a|the) charter (was granted|allowed it).
        The (town|parish) (lies|sits) (at|on) (a|the) (crossing|junction|bend) of the river, (which|and this) (explains|accounts for) (its|the) (early|rapid|medieval) (growth|importance).
        (Most|Many) of the (older|surviving) (houses|buildings) (in|along) the (high street|market place) (date|were built) (from|in) the {decade} and (are|were) (built|faced) in {colour} (stone|brick).
        (Schools|The first school) in {name} (opened|was established) in {oldyear}, (followed|and was followed) by a (grammar school|library|mechanics' institute) in {oldyear}.
        """
    ),
    "river": lines(
        """
        The {name} is a {adj} river in {region}, (rising|which rises) (on|in|near) the (moors|hills|uplands) above {town} and (flowing|running) (east|west|south|north) for (about|some) {digit} miles.
        (Its|The river's) (main|principal|largest) tributary, the {tributary}, (joins|meets) it (at|near|below) {newtown}.
        (A|The) {n} (was|had been) {vn} (at|near) {town} in {oldyear} to (improve|control|regulate) (navigation|the flow|flooding).
        The (lower|upper|middle) (reaches|course) of the {name} (were|was) (canalised|straightened|embanked) between {oldspan}.
        (Severe|Major|Serious) floods (were|have been) recorded in {oldyear}, {oldyear} and {year}, (when|after which) the {n} (was|were) {vn}.
        (The|Its) {n} (supports|provides habitat for) (otters|kingfishers|brown trout|water voles) and (several|a number of) (rare|uncommon|protected) (plants|insects|fish).
        (Watermills|Mills) (along|on) the {name} (were|had been) used for (grinding corn|fulling cloth|making paper) (from|since) (at least|before) {oldyear}.
        (Below|Beyond) {town} the {name} (widens|broadens) (into|to form) a (shallow|tidal|marshy) (estuary|basin) (lined|fringed) with (reeds|salt marsh|mudflats).
        (The|A) (towpath|footpath|long-distance path) (follows|runs beside) the (river|{name}) (for|over) (most|much) of its (length|course) and is (popular|used) with (walkers|anglers|cyclists).
        (Water quality|Pollution) in the {name} (improved|recovered) (markedly|steadily) (after|following) the (closure|cleaning) of (several|the) (works|tanneries|mills) in the {decade}.
        The (river's|river) (name|etymology) is (obscure|uncertain); (it may|it might) (derive|come) from an (old|older) word (for|meaning) (bright|swift|muddy) water.
        """
    ),
    "species": lines(
        """
        {name} is a species of {adj} {kind} in the family {family}, (first|originally) (described|named) by {person} in {oldyear}.
        (Adults|The adults|Mature individuals) (measure|reach) (between|from) {digit} and {digit} millimetres (in length|long|across) and (have|bear) {colour} markings on the (wings|back|upper surface).
        The species (is|has been) recorded (across|throughout|in much of) {region} and (parts of|the south of|the north of) {country}, (mainly|mostly|chiefly) in {place} (habitats|sites).
        (It|The species) (is|was) (most|chiefly) active (at dusk|at night|in the early morning|in late summer), (when|and) (it|individuals) (feeds|feed) on (seeds|small insects|nectar|algae).
        (Populations|Numbers) (declined|fell) (sharply|markedly|steadily) (during|in) the {decade}, (largely|probably|mainly) (because of|owing to) (drainage|habitat loss|changes in farming).
        (The|Its) (larvae|young|seedlings) (develop|grow) (among|in|beneath) (leaf litter|damp moss|wet mud|rotting wood) (over|for) (one|two|several) (seasons|years).
        (It|The species) (is|has been) (listed|classed|regarded) as (vulnerable|near threatened|of least concern) (in|by) (regional|national) assessments (since|from) {year}.
        (It|This species) (can|may) be (distinguished|told apart) from the (similar|closely related) {relative} by (its|the) {adj} {n} and (paler|darker|longer) (legs|wings|leaves).
        (The|Its) (flight|flowering|breeding) (season|period) (lasts|runs) from {month} to {month}, (peaking|with a peak) (in|during) (warm|dry|settled) (weather|spells).
        (Specimens|Records) (collected|made) (between|during the years) {oldspan} (suggest|indicate) (that|) the species was (once|formerly) (far|much) more (widespread|common).
        The (specific|species) name (refers|alludes) to (its|the) {adj} (habitat|colouring|range), (while|and) the (genus|generic) name (comes|derives) from (Greek|Latin) (roots|words).
        (Surveys|Counts) (carried out|made) (since|from) {year} (have found|suggest) (stable|declining|recovering) (numbers|populations) (at|in) (most|many) (known|recorded) sites.
        """
    ),
    "person": lines(
        """
        {name}, (who lived|active) between {oldspan}, was a {adj} {kind} (from|born in) {town}, (best|chiefly|widely) known for (his|her|their) work on the {n}.
        (Born|Raised) in {town}, {sur} (was|had been) (educated|trained|apprenticed) (at|in) {newtown} (before|and later) (moving|moved) to the capital in {oldyear}.
        (His|Her|Their) (first|earliest) (major|important|significant) (work|commission|project), a {adj} {n}, (was|appeared) (completed|published|exhibited) in {oldyear}.
        {sur} (corresponded|worked|quarrelled) (with|alongside) the {role} {person}, (whose|and their) (influence|friendship|rivalry) (shaped|coloured|marked) (much|many) of (his|her|the) later (work|projects).
        (In|During) (later|the final) years {sur} (withdrew|retired) to {newtown}, (where|and there) (he|she|they) (continued|went on) to {v} (until|up to) (his|her|their) death.
        (A|The) (collection|selection) of {sur}'s (papers|drawings|notebooks) (is|was) (held|kept|preserved) (at|in) {town} (and|but) (was|has been) (catalogued|published) only in {year}.
        (Critics|Contemporaries|Later writers) (regarded|described) {sur} as (a|an) {adj} (figure|talent|presence), (though|but) (his|her|the) (reputation|standing) (faded|declined) (after|by) {oldyear}.
        (A|The) (retrospective|memorial) (exhibition|edition) (organised|held) in {year} (did much|helped) to (restore|revive) interest in {sur}'s (work|achievements).
        (Financial|Money) (difficulties|troubles) (forced|obliged) {sur} to (sell|give up) the (house|studio|workshop) in {town} (in|around) {oldyear}.
        (Much|Little) of {sur}'s (correspondence|early work) (survives|has survived), (and|so) (biographers|historians) (rely|have relied) (heavily|largely) on (later|second-hand) accounts.
        {sur} (married|met) {person} in {oldyear}; (the couple|they) (lived|settled) (near|outside) {newtown} and (had|raised) {num} children.
        """
    ),
    "building": lines(
        """
        {name} is a {adj} {kind} in {town}, {region}, (built|constructed|erected) between {oldspan} to designs by {person}.
        The (original|first|earlier) {kind} (on the site|there) (was|had been) (damaged|destroyed|replaced) (by|in) (fire|a storm|a flood) in {oldyear}.
        (The|Its) (facade|front|west front) (is|was) (faced|built) in {colour} (stone|brick|sandstone) with a {adj} {n} (above|over) the (entrance|doorway).
        (Major|Extensive|Careful) restoration (was carried out|took place) between {span}, (funded|paid for) (partly|largely) by (public subscription|a national trust|the town).
        (Inside|Within), the (building|hall|interior) (retains|keeps|preserves) (its|the) (original|earlier) {n} and (a|an) {adj} (staircase|ceiling|gallery).
        (The|Today the) {kind} (is|has been) (used|run|managed) (as|by) (a museum|a community venue|offices|a charitable trust) (since|from) {year}.
        (A|The) (clock|bell|weathervane) (added|installed) in {oldyear} (was|is) (still|once again) (working|in working order) (after|following) (repairs|restoration) in {year}.
        (The|Its) (foundations|lower walls) (are|were) (older|earlier) than the (rest|upper storeys), (suggesting|which suggests) (that|) an (earlier|older) {n} (stood|existed) on the site.
        (Visitors|Guests) (can|may) (climb|visit|tour) the {n} on (open days|weekends|summer afternoons), (when|and) (volunteers|guides) (explain|describe) its history.
        (Plans|Proposals) (to|that would) (demolish|convert) the {kind} (in|during) the {decade} (were|had been) (abandoned|defeated) after (a campaign|opposition) (by|from) (residents|the civic society).
        """
    ),
}

_SECTIONS = {
    "settlement": ["History", "Geography", "Economy", "Landmarks", "Transport", "Notable people"],
    "river": ["Course", "Hydrology", "History", "Ecology", "Recreation"],
    "species": ["Taxonomy", "Description", "Distribution and habitat", "Behaviour", "Conservation"],
    "person": ["Early life", "Career", "Later life", "Legacy"],
    "building": ["History", "Architecture", "Restoration", "Present use"],
}

_GENUS_HEADS = words(
    "Cal Myr Ptero Xylo Antho Hydro Lepto Chloro Crypto Phyllo Dendro Limno Rhodo Melano Acro Brachy"
)
_GENUS_TAILS = words("optera mecia phila bia cera stoma derma gaster nota phora thrix cnemis dactylus")
_EPITHETS = words(
    "borealis australis minor major pallidus rufus nigricans silvestris palustris montanus fluviatilis "
    "hartleyi obscurus variegatus"
)
_RIVER_TAILS = words("bourne water brook burn well ey")


def _encyclopedia_name(rng: random.Random, kind: str, w: Writer) -> tuple[str, str]:
    """(subject name, kind noun) for a fictional entry."""
    if kind == "settlement":
        return w.towns[0], pick(rng, w.topic.nouns)
    if kind == "river":
        return f"River {pick(rng, vocab.TOWN_HEADS)}{pick(rng, _RIVER_TAILS)}", "river"
    if kind == "species":
        genus = pick(rng, _GENUS_HEADS) + pick(rng, _GENUS_TAILS)
        return f"{genus} {pick(rng, _EPITHETS)}", pick(rng, w.topic.nouns)
    if kind == "person":
        return w.people[0], pick(rng, w.topic.nouns)
    return f"{w.towns[0]} {pick(rng, w.topic.nouns).title()}", pick(rng, w.topic.nouns)


@register_genre("encyclopedia", "encyclopedia", words=(220, 1300))
def encyclopedia(rng: random.Random, target_words: int) -> Doc:
    topic = pick(rng, vocab.ENCYCLOPEDIA_KINDS)
    kind = topic.name
    w = Writer(rng, topic)
    name, kind_noun = _encyclopedia_name(rng, kind, w)
    w.subject = name
    w.extra_slots.update(
        {
            "name": lambda: name,
            "kind": lambda: kind_noun,
            "tributary": lambda: f"{pick(rng, vocab.TOWN_HEADS)}{pick(rng, _RIVER_TAILS)}",
            "family": lambda: pick(rng, _GENUS_HEADS) + "idae",
            "relative": lambda: f"{name.split()[0]} {pick(rng, _EPITHETS)}",
        }
    )
    specific, general = Deck(rng, ENCYCLOPEDIA_KIND[kind]), Deck(rng, ENCYCLOPEDIA_GENERAL)
    blocks = [Block("h1", name), Block("p", w.paragraph(specific, 2, 4))]
    sections = list(_SECTIONS[kind])

    def section() -> list[Block]:
        head = sections.pop(0) if sections else sentence_case(w.phrase("(The|Its) {n}"))
        paras = [Block("p", w.paragraph(specific if rng.random() < 0.6 else general, 2, 5))]
        if rng.random() < 0.4:
            paras.append(Block("p", w.paragraph(general, 2, 4)))
        return [Block("h2", head), *paras]

    fill_to(target_words, section, blocks)
    return Doc(name, blocks, "encyclopedia", kind)


# ----------------------------------------------------------------------------------------------
# Book chapters

STORY_TOPIC = vocab.Topic(
    name="story",
    nouns=words(
        """letter lamp candle window curtain table chair shawl bonnet glove umbrella basket
        parcel key door gate lantern fire hearth clock portrait mirror book newspaper carriage
        horse cart trunk ribbon locket handkerchief teacup kettle bell staircase path hedge
        orchard meadow river bridge cottage inn coat walking_stick pocket_watch envelope
        inkstand pen desk drawer sofa cushion rug piano violin garden_bench hat boot"""
    ),
    adjs=words(
        """grey pale narrow crooked quiet cold damp warm dim faded worn heavy silent anxious
        cheerful solemn weary restless curious gentle stern bewildered dusty splendid shabby
        unfamiliar distant"""
    ),
    verbs=words(
        """open close fold unfold seize lift carry drop study examine mend light extinguish
        straighten gather hide fetch pocket arrange return"""
    ),
    places=words(
        """drawing_room parlour library hall kitchen garden lane churchyard harbour orchard
        vicarage coach_house landing attic market_place inn_parlour study"""
    ),
    roles=words("doctor vicar housekeeper coachman lawyer captain schoolmaster governess innkeeper clerk"),
    subjects=("story",),
)

NARRATIVE = lines(
    """
    {first} (stood|lingered|waited) (a long while|for some minutes|a moment) at the window of the {place}, (watching|looking at) the {adj} light (fade|dim) over the {n}.
    (It was|It had been) (nearly|almost|past) {hours} o'clock when the {role} (came|returned|arrived) with the {n}, (his|her) (face|manner) (grave|troubled|unreadable).
    (Nobody|No one) in the (house|village|household) (had|could have) (guessed|suspected) (what|how much) the {adj} {n} (would|was to) (mean|cost) to them all.
    {first} (took up|picked up|lifted) the {n}, (turned it over|weighed it) in (her|his) (hands|fingers), and (set it down|put it back) (again|without a word).
    The (rain|wind|snow) (had|had not) (ceased|stopped|let up) (all day|since morning), and the {place} smelled of (woodsmoke|old paper|lavender).
    (There was|There had been) (something|a thing) (in|about) the {role}'s (voice|look|silence) that (made|set) {first} (uneasy|wary|thoughtful).
    (At last|Presently|After a time) (she|he) (rose|got up), (crossed|went across) the {place}, and (opened|unlocked) the {adj} {n} (by|near|beside) the (door|fire|stairs).
    (They|The two of them) (walked|went) (in silence|without speaking) (as far as|down to) the {place}, where the {adj} {n} (stood|lay|waited) (half hidden|forgotten) in the (grass|shadows|mist).
    (For|During) (a week|some days|the rest of the month) (afterwards|after that), {first} (could|would) (think of|speak of) (nothing|little) else.
    (The|Old) {role} (shook his head|smiled faintly|said nothing), (and|but) {first} (fancied|thought|believed) (she|he) (saw|caught) a {adj} (look|gleam) in (his|her) eye.
    (It|The {n}) (had|had once) (belonged|been given) to (her|his) (mother|grandfather|aunt), and (she|he) could not bear (to part with it|to give it up).
    (Outside|Beyond the gate), the {n} (creaked|rattled|swung) in the (wind|breeze), and (somewhere|far off) a (dog|bell|clock) (barked|rang|struck) {hours}.
    (When|By the time) (she|he) (reached|came to) the {place}, the {n} was (gone|empty|cold), and (only|nothing but) a {adj} {n} (remained|was left) on the {n}.
    (All|The whole of) that (evening|night|afternoon) the {role} (sat|remained) (by|beside) the {n}, (reading|pretending to read) the (same|one) (page|letter) (over and over|again and again).
    (She|He) (remembered|recalled) (afterwards|later) how {adj} the {place} (had|had once) (seemed|looked) (when|on the day) they first (came|arrived) from {town}.
    (Then|And then), (quite|almost) (suddenly|without warning), the (door|gate|shutter) (flew|swung|burst) open and {first} (stood|appeared) (there|on the threshold), (breathless|pale|laughing).
    """
)

SPEECH = lines(
    """
    I (cannot|do not) (think|understand) why you (would|should) {v} the {n} at this hour
    You must {v} the {n} before (your father|the {role}|anyone) (returns|comes back|finds out)
    (Is it|Can it be) true that the {n} was {vn} (last night|this morning|in {town})
    (We|You and I) (shall|will) (speak|talk) (no more|no further) of it, (if you please|I beg you)
    (There is|There was) (nothing|not a thing) to be (done|said|gained) (now|tonight|by waiting)
    (I have|I had) (never|not once) (seen|known) the {place} so {adj}
    (Tell me|Promise me) (honestly|plainly) whether you (mean|meant) to {v} the {n}
    (If|Should) the {role} (asks|ask), you (will|must) say that I (went|had gone) to {town}
    (It|That) is (not|hardly) (my|your) (affair|concern|business), and (I|you) (shall|must) not (pretend|behave) otherwise
    (Do|Would) you (suppose|imagine) (she|he) (knew|guessed) about the {n} all along
    (Come|Come now), (there is|we have) (no|little) (cause for tears|reason to delay|time for regret)
    """
)

TAGS = lines(
    """
    said {first}, (without|not) (looking up|raising her eyes|turning round)
    (said|replied|answered) the {role} (quietly|at length|after a pause)
    (cried|exclaimed) {first}, (rising|starting up|flushing) (from|in) (her|his) (chair|seat)
    (murmured|whispered) {first}, (almost|half) to (herself|himself)
    (said|returned) {first} (with|in) a {adj} (smile|voice|tone)
    """
)

# Stops at XIX: C4's bad-words list has "xx".
_ROMAN = words("I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII XVIII XIX")

_BOOK_TITLE_HEADS = words(
    "The_House_at The_Letters_of The_Heir_of A_Summer_in The_Daughters_of The_Road_to The_Keeper_of"
)


@register_genre("chapter", "books", words=(400, 1500))
def chapter(rng: random.Random, target_words: int) -> Doc:
    w = Writer(rng, STORY_TOPIC, n_people=3)
    # Writer already drew a cast of three; this second draw stays so every seed's chapters do too.
    w.people = [make_person(rng) for _ in range(3)]
    narrative, speech, tags = Deck(rng, NARRATIVE), Deck(rng, SPEECH), Deck(rng, TAGS)
    book_title = f"{pick(rng, _BOOK_TITLE_HEADS)} {make_town(rng)}"
    author = make_person(rng)
    number = pick(rng, _ROMAN)
    heading = f"CHAPTER {number}."
    if rng.random() < 0.6:
        heading += " " + sentence_case(w.phrase("(The|A) {adj} {n}")).upper()
    blocks = [Block("h2", heading)]

    def passage() -> list[Block]:
        out = [Block("p", w.paragraph(narrative, 2, 5))]
        for _ in range(rng.randint(0, 3)):
            line = w.say(speech.draw())
            end = pick(rng, ("?", "!", ",", ",")) if not line.endswith("?") else "?"
            if end == ",":
                text = f"\u201c{line},\u201d {w.phrase(tags.draw())}."
            else:
                text = f"\u201c{line.rstrip('?')}{end}\u201d {w.phrase(tags.draw())}."
            out.append(Block("p", text))
        return out

    fill_to(target_words, passage, blocks)
    return Doc(
        f"{book_title}, by {author}",
        blocks,
        "chapter",
        "story",
        byline=author,
        extra={"book_title": book_title, "author": author, "chapter": number},
    )
