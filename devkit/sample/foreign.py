"""Pages in German, French, Spanish and Russian: what the language filter must drop.

Each language has its own sentence templates and vocabulary (local news, travel and food), with
just enough grammar to read as real text: German and Romance nouns carry their gender so
articles and contractions agree (dem Bahnhof, du marché, al mercado), adjectives are the
gender-invariant kind or predicative, and Russian nouns stay in the nominative with present
tense verbs. lid.176 is confident on such text (the tests check > 0.65 for the right label).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from devkit.sample.grammar import Deck, expand, finish_sentence, lines, pick, words
from devkit.sample.text import Block, Doc, fill_to

Slots = dict[str, Callable[[], str]]


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    name: str
    templates: tuple[str, ...]
    titles: tuple[str, ...]
    slots: Callable[[random.Random, str], Slots]
    """(rng, the page's city) -> the template slots of one page."""
    cities: tuple[str, ...]


def _local_slots(
    rng: random.Random, city: str, first: tuple[str, ...], last: tuple[str, ...], months: tuple[str, ...]
) -> Slots:
    """The slots every language's local-news templates share: the page's city, people, dates."""
    return {
        "city": lambda: city,
        "person": lambda: f"{pick(rng, first)} {pick(rng, last)}",
        "year": lambda: str(rng.randint(1990, 2023)),
        "num": lambda: str(rng.randint(2, 40)),
        "month": lambda: pick(rng, months),
    }


# ----------------------------------------------------------------------------------------------
# German

_DE_NOUNS = words(
    """m:Bahnhof f:Stadt n:Rathaus m:Marktplatz f:Brücke f:Bibliothek n:Schwimmbad m:Park
    f:Schule n:Museum m:Hafen f:Kirche n:Theater m:Radweg f:Straße n:Krankenhaus m:Spielplatz
    f:Umgehungsstraße n:Freibad m:Friedhof f:Turnhalle n:Gemeindezentrum m:Wochenmarkt
    f:Bäckerei n:Restaurant m:Bahnsteig f:Buslinie n:Hotel m:Wanderweg f:Altstadt
    n:Stadion m:Kindergarten f:Feuerwache n:Kino m:Flughafen f:Kläranlage"""
)
_DE_ART = {
    "nom": {"m": "der", "f": "die", "n": "das"},
    "acc": {"m": "den", "f": "die", "n": "das"},
    "dat": {"m": "dem", "f": "der", "n": "dem"},
}
_DE_ADJ = words(
    """teuer modern alt beliebt umstritten marode sauber laut ruhig eng überfüllt gefährlich
    praktisch wichtig notwendig sinnvoll schön historisch günstig barrierefrei"""
)
_DE_PART = words(
    """renoviert geschlossen eröffnet erweitert verkauft abgerissen geplant verschoben gebaut
    genehmigt kritisiert vorgestellt saniert umgebaut modernisiert"""
)
_DE_ROLES = words(
    """Bürgermeisterin Bürgermeister Stadtrat Anwohner Ladenbesitzerin Architekt Sprecherin
    Verkehrsplaner Schulleiterin Gemeinderätin Vorsitzende"""
)
_DE_CITIES = words(
    "Kleinhausen Neustadt Bergheim Waldkirch Rosenau Lindenberg Hohenfeld Eichstätt Steinach Mühlbach"
)
_DE_FIRST = words(
    "Anna Lukas Sabine Thomas Julia Michael Katrin Stefan Laura Jürgen Petra Markus Claudia Frank"
)
_DE_LAST = words("Müller Schmidt Schneider Fischer Weber Becker Hoffmann Schäfer Koch Richter Wolf Neumann")
_DE_MONTHS = words("Januar Februar März April Mai Juni Juli August September Oktober November Dezember")


def _de_slots(rng: random.Random, city: str) -> Slots:
    def np(case: str) -> Callable[[], str]:
        def f() -> str:
            g, noun = pick(rng, _DE_NOUNS).split(":")
            return f"{_DE_ART[case][g]} {noun}"

        return f

    def von() -> str:
        g, noun = pick(rng, _DE_NOUNS).split(":")
        if g == "f":
            return f"der {noun}"
        return f"des {noun}{'es' if noun.endswith(('s', 'z', 'ß')) else 's'}"

    return {
        **_local_slots(rng, city, _DE_FIRST, _DE_LAST, _DE_MONTHS),
        "N": np("nom"),
        "A": np("acc"),
        "D": np("dat"),
        "von": von,
        "adj": lambda: pick(rng, _DE_ADJ),
        "pp": lambda: pick(rng, _DE_PART),
        "role": lambda: pick(rng, _DE_ROLES),
        "money": lambda: f"{rng.randint(2, 90) * 100_000:,}".replace(",", ".") + " Euro",
        "pct": lambda: f"{rng.randint(5, 80)} Prozent",
    }


_DE_TEMPLATES = lines(
    """
    (Nach langer Diskussion|Nach monatelangen Verhandlungen|Am Dienstagabend) hat der Stadtrat von {city} beschlossen, {A} (zu sanieren|zu erweitern|neu zu bauen).
    {N} ist im Jahr {year} {pp} worden und gilt seitdem als (ziemlich|sehr|eher) {adj}.
    Die Kosten für (das Projekt|die Arbeiten|den Umbau) liegen nach Angaben der Verwaltung bei rund {money}.
    (Viele|Einige|Zahlreiche) Anwohner (kritisieren|bemängeln|loben), dass {N} (seit Jahren|schon lange|kaum noch) {adj} ist.
    "Wir (haben|hatten) lange auf diese Entscheidung gewartet", sagte (die|der) {role} {person} (am Mittwoch|nach der Sitzung|im Gespräch mit unserer Zeitung).
    (Laut|Nach) einer Umfrage (sind etwa {pct} der Befragten mit der Lösung zufrieden|halten etwa {pct} der Befragten den Plan für sinnvoll).
    (Ab|Im) {month} sollen die Arbeiten (an|in) {D} beginnen, (wenn das Wetter mitspielt|sofern die Genehmigung vorliegt|so die Planung).
    Während der Bauzeit (bleibt|ist) {N} (geschlossen|nur eingeschränkt nutzbar), (wie|so) die Stadt (mitteilte|erklärte).
    (Außerdem|Zudem|Darüber hinaus) soll in der Nähe {von} ein neuer Parkplatz mit {num} Stellplätzen entstehen.
    (Kritiker|Gegner des Projekts) (befürchten|warnen), dass {N} dadurch noch (teurer|lauter|voller) werden könnte.
    Die Entscheidung über {A} (soll erst im {month} fallen|fällt frühestens im {month}).
    Wer (Fragen hat|sich informieren möchte), kann am Donnerstag um 19 Uhr zur Versammlung ins Gemeindezentrum kommen.
    (Bereits|Schon) {year} gab es (Pläne|Überlegungen), {A} (zu verkaufen|abzureißen|umzubauen), die jedoch (scheiterten|verworfen wurden).
    (Für|Bei) (Familien|Pendler|Touristen) ist {N} (besonders|vor allem) (wichtig|praktisch), (weil|da) es (kaum|nur wenige) Alternativen gibt.
    (Im Sommer|Am Wochenende|An warmen Tagen) besuchen (oft|regelmäßig) mehr als {num}00 Menschen {A}.
    (Die|Eine) Sprecherin der Stadt (betonte|erklärte), man nehme die Sorgen der Bürger (ernst|sehr ernst).
    (Ob|Wann) {N} (tatsächlich|wirklich) (fertig|eröffnet) wird, (ist|bleibt) (noch|derzeit) (offen|unklar).
    (Mit|Nach) der (Sanierung|Modernisierung) soll {N} (endlich|wieder) {adj} und (sicherer|moderner) werden.
    """
)


GERMAN = Language(
    "de",
    "German",
    _DE_TEMPLATES,
    lines(
        """
        Stadtrat in {city} (beschließt|vertagt) Entscheidung über {A}
        (Ärger|Streit|Diskussion) um {A} in {city}
        {city}: Was die Pläne für {A} bedeuten
        """
    ),
    _de_slots,
    _DE_CITIES,
)

# ----------------------------------------------------------------------------------------------
# French

_FR_NOUNS = words(
    """m:marché f:gare f:mairie m:pont f:bibliothèque f:piscine m:parc f:école m:musée m:port
    f:église m:théâtre f:piste_cyclable f:rue m:hôpital m:quartier f:place m:stade
    f:boulangerie m:restaurant m:hôtel m:sentier m:centre-ville m:château f:plage f:forêt
    m:festival m:lycée f:cathédrale m:jardin m:cinéma m:aéroport f:médiathèque"""
)
_FR_ADJ = words(
    """moderne célèbre rapide calme agréable pratique populaire magnifique historique fragile
    simple difficile utile énorme confortable typique remarquable accessible indispensable"""
)
_FR_ROLES = words(
    "maire adjointe habitant commerçante architecte porte-parole urbaniste directrice président"
)
_FR_CITIES = words(
    "Saint-Aubin Montclair Villeneuve Beaulieu Rochefort Lambesc Chambéry Valmont Pontarlier Sauveterre"
)
_FR_FIRST = words("Marie Julien Camille Nicolas Sophie Antoine Claire Thomas Élodie Pierre Isabelle Hugo")
_FR_LAST = words("Martin Bernard Dubois Durand Lefebvre Moreau Laurent Simon Michel Garnier Rousseau Faure")
_FR_MONTHS = words("janvier février mars avril mai juin juillet août septembre octobre novembre décembre")


def _fr_np(rng: random.Random, prep: str) -> Callable[[], str]:
    def f() -> str:
        g, noun = pick(rng, _FR_NOUNS).split(":")
        vowel = noun[0].lower() in "aeiouhéèê"
        if prep == "de":
            art = "de l'" if vowel else ("du " if g == "m" else "de la ")
        elif prep == "à":
            art = "à l'" if vowel else ("au " if g == "m" else "à la ")
        else:
            art = "l'" if vowel else ("le " if g == "m" else "la ")
        return art + noun

    return f


def _fr_slots(rng: random.Random, city: str) -> Slots:
    return {
        **_local_slots(rng, city, _FR_FIRST, _FR_LAST, _FR_MONTHS),
        "N": _fr_np(rng, ""),
        "deN": _fr_np(rng, "de"),
        "aN": _fr_np(rng, "à"),
        "adj": lambda: pick(rng, _FR_ADJ),
        "role": lambda: pick(rng, _FR_ROLES),
        "money": lambda: f"{rng.randint(2, 90) * 100} 000 euros",
        "pct": lambda: f"{rng.randint(5, 80)} %",
    }


FRENCH = Language(
    "fr",
    "French",
    lines(
        """
        (Après de longs débats|Mardi soir|Lors du dernier conseil municipal), les élus de {city} ont (décidé|choisi) de rénover {N}.
        Selon la mairie, les travaux {deN} (devraient|vont) coûter (environ|près de) {money}.
        (Beaucoup|Une partie) (des habitants|de la population) (estiment|trouvent) que {N} n'est plus (assez|vraiment) {adj} depuis {year}.
        « Nous attendions cette décision depuis (des années|longtemps) », a (déclaré|expliqué) {person}, {role} (du quartier|de la commune).
        D'après un sondage (récent|publié la semaine dernière), {pct} des personnes interrogées (sont favorables au projet|se disent satisfaites de cette solution).
        Les travaux (commenceront|doivent commencer) en {month}, (si la météo le permet|sauf imprévu|selon le calendrier prévu).
        Pendant le chantier, l'accès {aN} (sera|restera) (limité|fermé le week-end), a précisé la (municipalité|mairie).
        (Par ailleurs|En outre|De plus), un nouveau parking de {num} places (sera|doit être) construit (près|à côté) {deN}.
        (Certains commerçants|Plusieurs riverains) craignent que la fréquentation {deN} ne baisse pendant (les travaux|plusieurs mois).
        La décision finale sur l'avenir {deN} (sera|doit être) prise (avant|au plus tard en) {month}.
        (En été|Le dimanche|Pendant les vacances), plus de {num}00 personnes (visitent|fréquentent) {N} chaque (jour|semaine).
        (Ce|Le) projet avait déjà été (évoqué|présenté) en {year}, mais il (avait été|fut) abandonné faute de moyens.
        Pour (les familles|les touristes|les étudiants), {N} (reste|est) un lieu (très|particulièrement) {adj} et (facile|simple) d'accès.
        (Une|La) réunion publique (aura lieu|est prévue) jeudi à 19 heures à la salle des fêtes pour répondre aux questions des habitants.
        (Il est encore trop tôt pour savoir si|Personne ne peut encore dire si) {N} pourra (rouvrir|accueillir du public) à temps.
        (Selon|D'après) l'architecte, la nouvelle façade {deN} (sera|restera) sobre, {adj} et (économe|plus économe) en énergie.
        """
    ),
    lines(
        """
        {city} : les élus (votent|valident) la rénovation {deN}
        (Polémique|Débat) autour {deN} à {city}
        Ce que (change|va changer) le projet {deN} pour {city}
        """
    ),
    _fr_slots,
    _FR_CITIES,
)

# ----------------------------------------------------------------------------------------------
# Spanish

_ES_NOUNS = words(
    """m:mercado f:estación m:ayuntamiento m:puente f:biblioteca f:piscina m:parque m:colegio
    m:museo m:puerto f:iglesia m:teatro m:carril_bici f:calle m:hospital m:barrio f:plaza
    m:estadio f:panadería m:restaurante m:hotel m:sendero m:castillo f:playa m:festival
    m:instituto f:catedral m:jardín m:cine m:aeropuerto m:polideportivo f:avenida"""
)
_ES_ADJ = words(
    """importante grande popular difícil fácil útil agradable enorme elegante interesante
    tradicional central principal natural especial accesible"""
)
_ES_ROLES = words("alcaldesa concejal vecino comerciante arquitecta portavoz urbanista directora presidente")
_ES_CITIES = words(
    "Villanueva Sanlúcar Torrealta Montejo Valdemoro Aldeaverde Puertollano Castrojeriz Benalmar"
)
_ES_FIRST = words("María José Carmen Antonio Lucía Javier Elena Manuel Laura Pablo Ana Sergio")
_ES_LAST = words("García Martínez López Sánchez Pérez Gómez Fernández Ruiz Díaz Moreno Romero Navarro")
_ES_MONTHS = words("enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre")


def _es_np(rng: random.Random, prep: str) -> Callable[[], str]:
    def f() -> str:
        g, noun = pick(rng, _ES_NOUNS).split(":")
        if prep == "de":
            return ("del " if g == "m" else "de la ") + noun
        if prep == "a":
            return ("al " if g == "m" else "a la ") + noun
        return ("el " if g == "m" else "la ") + noun

    return f


def _es_slots(rng: random.Random, city: str) -> Slots:
    return {
        **_local_slots(rng, city, _ES_FIRST, _ES_LAST, _ES_MONTHS),
        "N": _es_np(rng, ""),
        "deN": _es_np(rng, "de"),
        "aN": _es_np(rng, "a"),
        "adj": lambda: pick(rng, _ES_ADJ),
        "role": lambda: pick(rng, _ES_ROLES),
        "money": lambda: f"{rng.randint(2, 90) * 100}.000 euros",
        "pct": lambda: f"{rng.randint(5, 80)} por ciento",
    }


SPANISH = Language(
    "es",
    "Spanish",
    lines(
        """
        (Tras un largo debate|El martes por la noche|En el último pleno), el ayuntamiento de {city} (aprobó|decidió) reformar {N}.
        Según fuentes municipales, las obras (del proyecto|de reforma) (costarán|tendrán un coste de) unos {money}.
        (Muchos|Algunos) vecinos (creen|opinan) que {N} necesita (una reforma|mejoras) desde hace (años|tiempo) y que la obra (es|era) necesaria desde {year}.
        «Llevábamos (años|mucho tiempo) esperando esta decisión», (afirmó|explicó) {person}, {role} del barrio.
        De acuerdo con una encuesta (reciente|publicada esta semana), el {pct} de los encuestados (apoya|está a favor de) la reforma.
        Las obras (comenzarán|empezarán) en {month}, (si el tiempo lo permite|salvo imprevistos|según el calendario previsto).
        Durante los trabajos, el acceso {aN} (estará|quedará) (limitado|cerrado los fines de semana), según (informó|explicó) el ayuntamiento.
        (Además|Por otra parte), se construirá un nuevo aparcamiento con {num} plazas (cerca|al lado) {deN}.
        (Algunos comerciantes|Varios vecinos) temen que las obras (reduzcan|afecten) la actividad {deN} durante (meses|todo el verano).
        La decisión definitiva sobre el futuro {deN} (se tomará|llegará) (antes de|como muy tarde en) {month}.
        (En verano|Los domingos|Durante las fiestas), más de {num}00 personas (visitan|recorren) {N} cada (día|semana).
        El proyecto ya (se había presentado|se planteó) en {year}, pero (se abandonó|quedó parado) por falta de dinero.
        Para (las familias|los turistas|los estudiantes), {N} (sigue siendo|es) un lugar muy {adj} y (fácil|cómodo) de visitar.
        (La|Una) reunión informativa (tendrá lugar|se celebrará) el jueves a las siete de la tarde en la casa de cultura.
        (Todavía no está claro|Nadie sabe todavía) si {N} (podrá abrir|abrirá sus puertas) (para|antes de) el verano.
        (Según|En palabras de) la arquitecta, la nueva fachada {deN} (será|resultará) sencilla, {adj} y más eficiente.
        """
    ),
    lines(
        """
        {city} aprueba la reforma {deN}
        (Polémica|Debate) por el futuro {deN} en {city}
        Qué supone para {city} el proyecto {deN}
        """
    ),
    _es_slots,
    _ES_CITIES,
)

# ----------------------------------------------------------------------------------------------
# Russian (nominative nouns, present tense: no case or gender agreement needed)

_RU_NOUNS = words(
    """вокзал мост рынок парк музей театр стадион порт библиотека школа больница площадь
    набережная улица гостиница пекарня поликлиника филармония аэропорт бассейн кинотеатр
    собор сквер детский_сад пристань ярмарка"""
)
_RU_CITIES = words(
    "Заречье Светлогорск Новоозёрск Берёзовка Сосновый_Бор Краснохолмск Лесногорск Верхнедольск"
)
_RU_FIRST = words("Анна Сергей Ольга Дмитрий Елена Андрей Наталья Михаил Татьяна Алексей Ирина Николай")
_RU_LAST = words("Иванов Смирнов Кузнецов Попов Соколов Лебедев Козлов Новиков Морозов Волков")
_RU_MONTHS = words("январе феврале марте апреле мае июне июле августе сентябре октябре ноябре декабре")


def _ru_slots(rng: random.Random, city: str) -> Slots:
    return {**_local_slots(rng, city, _RU_FIRST, _RU_LAST, _RU_MONTHS), "N": lambda: pick(rng, _RU_NOUNS)}


RUSSIAN = Language(
    "ru",
    "Russian",
    lines(
        """
        (По словам местных жителей|Как сообщает администрация города|Как говорят горожане), {N} (сейчас|уже давно) нуждается в (ремонте|реконструкции).
        (В городе|В центре города) {city} (находится|работает) {N}, куда (каждый год|каждое лето) (приезжают|приходят) тысячи туристов.
        (Депутаты|Члены городского совета) (обсуждают|рассматривают) проект, (по которому|согласно которому) {N} (получит|получит наконец) новое здание.
        «Мы (давно|очень давно) ждём этого решения», (говорит|рассказывает) {person}, (житель|жительница) (соседнего дома|этого района).
        (Работы|Строительные работы) (начнутся|должны начаться) в {month}, если (позволит погода|не возникнет проблем).
        (Сейчас|Пока) {N} работает (только|лишь) по выходным, а (в будни|по вечерам) там (тихо|почти никого нет).
        (По данным|Согласно данным) опроса, (большинство|почти половина) жителей (поддерживает|одобряет) (этот план|новый проект).
        (Кроме того|Также), (рядом|недалеко) (появится|будет построена) новая парковка на {num} (мест|машин).
        (Некоторые|Многие) (предприниматели|владельцы магазинов) (опасаются|боятся), что (ремонт|стройка) (отпугнёт|уменьшит число) покупателей.
        (Окончательное|Последнее) решение (примут|должны принять) (до конца года|в {month}).
        (Летом|По воскресеньям|В праздники) {N} (привлекает|собирает) (более|около) {num}00 человек в день.
        (Этот|Подобный) проект (уже|впервые) (обсуждался|предлагался) в {year} году, но тогда на него не (нашлось|хватило) денег.
        Для (семей с детьми|туристов|студентов) {N} (остаётся|по-прежнему остаётся) (одним из любимых мест|важным местом) в городе.
        (Публичные слушания|Встреча с жителями) (пройдут|состоятся) в четверг в семь часов вечера в доме культуры.
        (Пока|До сих пор) (неясно|никто не знает), (успеют ли|смогут ли) (строители|рабочие) закончить (работу|ремонт) к лету.
        (Архитектор|Главный архитектор) (считает|уверен), что (новое здание|обновлённый фасад) (будет|станет) простым, удобным и (экономичным|красивым).
        """
    ),
    lines(
        """
        В городе {city} (обсуждают|решают) судьбу объекта «{N}»
        (Что будет|Что изменится) в городе {city} после ремонта
        {city}: жители (ждут|требуют) решения властей
        """
    ),
    _ru_slots,
    _RU_CITIES,
)

LANGUAGES: dict[str, Language] = {lang.code: lang for lang in (GERMAN, FRENCH, SPANISH, RUSSIAN)}


def foreign_doc(rng: random.Random, code: str, target_words: int) -> Doc:
    """A local-news page in language ``code`` (one of `LANGUAGES`)."""
    try:
        lang = LANGUAGES[code]
    except KeyError:
        raise KeyError(f"no generator for language {code!r}; known: {', '.join(sorted(LANGUAGES))}") from None
    city = pick(rng, lang.cities)
    slots = lang.slots(rng, city)

    def slot(name: str) -> str:
        fill = slots.get(name)
        if fill is None:
            raise KeyError(f"template slot {{{name}}} is not defined for {lang.name}")
        return fill()

    deck = Deck(rng, lang.templates)

    def say(pattern: str) -> str:
        return finish_sentence(expand(pattern, rng, slot))

    title = say(pick(rng, lang.titles))
    blocks = [Block("h1", title)]

    def paragraph() -> list[Block]:
        return [Block("p", " ".join(say(deck.draw()) for _ in range(rng.randint(2, 4))))]

    fill_to(target_words, paragraph, blocks)
    return Doc(title, blocks, "news", "local_news", lang=code, extra={"city": city})
