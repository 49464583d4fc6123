"""Discussion threads: the dialog domain (forum threads and Reddit-style comment pages).

A thread is an opening post and replies by different users, each introduced by a short header
line ("kestrel_moss replied:") the way forum pages show it; replies answer, disagree, add an
anecdote or thank, in a casual register that still ends its sentences with punctuation.
"""

from __future__ import annotations

import random

from devkit.sample import vocab
from devkit.sample.grammar import Deck, lines, pick
from devkit.sample.text import Block, Doc, Writer, fill_to, make_handle, register_genre, sentence_case
from devkit.sample.web import GENERAL

OPENING = lines(
    """
    (Has anyone|Have any of you) (else|here) (tried|had a go at) {ving} the {n}? (Mine|Ours) (keeps|kept) (going|turning) {adj} after a (week|couple of days|month).
    (Long time|Long-time) (reader|lurker), first (post|time posting). (I|We) (am|are) (thinking about|planning on) {ving} a {adj} {n} and (would|could) use some (advice|pointers).
    (So|OK so) (this|last) {weekday} I (finally|eventually) {vd} the {n}, and (now|suddenly) the {ns} (look|seem) (completely|totally|really) {adj}.
    (Quick|Simple|Daft) question (for|to) the (experts|regulars|hive mind): (is it|would it be) (normal|OK|sensible) to {v} the {n} (every|once a) (week|day|month)?
    (I know|I realise) this (comes up|gets asked) (a lot|often), but (the|most) (old|previous) threads (are|seem) (years|ages) out of date.
    (Can|Could) (someone|anyone) explain why (people|everyone) (here|on this forum) (recommend|swear by) the {n} (over|instead of) the {n}?
    """
)

REPLY = lines(
    """
    (Same|Exactly the same) (thing|problem) (happened|here) (to me|with mine) (last|this) (year|summer|spring). (In the end|Eventually) I {vd} the {n} and it (settled down|sorted itself out).
    (Honestly|To be honest), (I would|I'd) (not|never) {v} the {n} (that often|so early|at all). (It is|It's) (rarely|hardly ever) worth the (hassle|trouble|effort).
    (This|That) is (really|very|genuinely) (helpful|useful), (thanks|thank you). (I had|I'd) (no idea|not realised) the {ns} (could|would) (make|cause) (such|that much of) a difference.
    (I|We) (disagree|slightly disagree|see it differently), (to be honest|respectfully). The {n} (is|was) (fine|great|perfectly fine) (for us|in our case) (as long as|provided) you {v} it (properly|regularly|gently).
    (Did you try|Have you tried) {ving} the {ns} (first|beforehand)? (That|It) (made|makes) (all the|a huge) difference (for|to) (me|mine|ours).
    (My|Our) {role} (told|showed) (me|us) (years ago|when I started) to keep the {n} {adj}, and (I have|I've) (never|not) (looked back|had a problem since).
    (Just|I just) (wanted|want) to (add|say) that (the|a) {adj} {n} (from|at) the {place} (worked|works) (really|perfectly) well (for me|in our case), (and|but) it was not cheap.
    (Update|Edit) (for anyone who|in case anyone) (finds|reads) this (later|in future): I {vd} the {n} (like|as) {first} (suggested|said) and (it|everything) (worked|is working) (fine|perfectly).
    (Ha|Haha), (this|that) (brings back|reminds me of) (memories|my first year). (I|We) {vd} (every|each) {n} (in|on) the {place} (before|until) (someone|a neighbour) (pointed out|explained) the {gn}.
    (I think|I reckon|In my view) (people|folk) (worry|fuss) (too much|far too much) about the {ns}. (Do|Just do) what (works|suits you) and (ignore|don't worry about) the (rest|purists).
    (Not|Definitely not) (normal|typical|ideal), (no|sadly). (I would|I'd) (get|have) the {n} (checked|looked at) by a {role} (before|rather than) {ving} (anything|it) (else|again).
    (Thanks|Cheers), (everyone|all). (This|The) thread has (saved|spared) me (a lot|hours|a fortune) (of|in) {gns} (already|so far).
    (Seconding|I second) (what|everything) {first} said. (The|A) {adj} {n} (is|was) (fine|all you need) (for|at) (the|this) (stage|point), (honestly|really).
    (Bit|Slightly) off topic, but (does|has) anyone (know|found) (where|a place) to (get|buy) a (decent|cheap) {n} (near|around) {town}?
    (Mine|Ours) (did|does) (exactly|much) the same (thing|after a while). (Turned out|It turned out) the {n} (was|had been) {adj} (all along|the whole time).
    (Came|Found this) (here|thread) (via|from) (a search|another forum) (and|but) (this|the first reply) (is|was) (spot on|the best answer I have seen).
    (Careful|Be careful) with (that|the) {n}, (though|mind). (Ours|Mine) (went|turned) {adj} (after|within) a (month|season) (and|so) we (had|needed) to {v} it (again|twice).
    (Good|Great) (question|shout). (I|We) (asked|wondered) the same (thing|last year) and (ended up|decided on) {ving} the {ns} (ourselves|myself).
    """
)


def _thread(rng: random.Random, target_words: int, genre: str, reddit: bool) -> Doc:
    topic = pick(rng, vocab.WEB_TOPICS)
    w = Writer(rng, topic)
    general = Deck(rng, GENERAL)
    opening, reply = Deck(rng, OPENING), Deck(rng, REPLY, fallback=general)
    op = make_handle(rng)
    title = sentence_case(
        w.phrase(
            pick(
                rng,
                (
                    "(Advice|Help) (needed|wanted|please) (with|on) (a|my) {adj} {n}",
                    "(Anyone|Has anyone) (else|here) (tried|had trouble) {ving} the {n}?",
                    "(Thoughts|Opinions) on the {subj}?",
                    "{adj} {ns}: (what am I doing wrong|is this normal|worth it)?",
                ),
            )
        )
    )
    header = f"Posted by u/{op}" if reddit else f"{op} wrote:"
    blocks = [Block("h1", title), Block("meta", header), Block("p", w.paragraph(reply, 1, 2, lead=opening))]

    def a_reply() -> list[Block]:
        user = make_handle(rng)
        if reddit:
            meta = f"{user} \u00b7 {rng.randint(1, 11)} points"
        else:
            meta = f"{user} replied:" if rng.random() < 0.5 else f"Reply from {user}"
        body = w.paragraph(reply if rng.random() < 0.75 else general, 2, 4)
        out = [Block("meta", meta), Block("p", body)]
        if rng.random() < 0.25:
            out.append(Block("p", w.paragraph(general, 2, 3)))
        return out

    fill_to(target_words, a_reply, blocks)
    return Doc(title, blocks, genre, topic.name, byline=op)


@register_genre("forum", "dialog")
def forum(rng: random.Random, target_words: int) -> Doc:
    return _thread(rng, target_words, "forum", reddit=False)


@register_genre("reddit", "dialog")
def reddit(rng: random.Random, target_words: int) -> Doc:
    return _thread(rng, target_words, "reddit", reddit=True)
