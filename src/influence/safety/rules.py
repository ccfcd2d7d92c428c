"""Harmful speech written without slurs or swear words: spaCy rule matchers over tokens and lemmas.

Four kinds (:data:`KINDS`), each a set of token patterns for spaCy's :class:`~spacy.matcher.Matcher`:

* ``threat`` — a harm to the reader or a named person: "I will make you bleed", "you won't make it
  home", "someone should put a bullet in his head", "sé dónde vives", "vou te matar".
* ``dehumanisation`` — people or a group called vermin, parasites, a disease…, "not human", "breed
  like rats", or to be exterminated / driven out / cleansed.
* ``incitement`` — a call to violence or arson against people or their places: "burn their shops
  down", "kill them all", "grab your weapons", "quememos sus casas".
* ``harassment`` — harassment and self-harm encouragement: "kill yourself", "kys", "nobody would
  miss you", "mátate", "vai se matar".

How: a blank spaCy pipeline (tokenizer only, no statistical model, nothing downloaded) cuts the
caption into tokens; each token's lemma is read from the English lemma lookup table of
``spacy-lookups-data`` (MIT; WordNet-derived data under the WordNet 3.0 licence) — "shot" →
"shoot", "driven" → "drive", "cockroaches" → "cockroach" — and the patterns match on those
lemmas and on the folded word (lower case, no accents). Spanish and Portuguese patterns list
their inflected forms (the package's es/pt tables take seconds to load, too slow for a
one-draft prediction). No parser runs: the patterns stand in for "subject · modal · harm verb ·
second person" and "group · copula · dehumanising noun" with short token windows, which is fast
enough for predict's batch. A sentence is only tokenised when, for some pattern, each of the
pattern's tokens has one of its spellings among the sentence's words (398 of the 33,000
sentences of the real crawl), so the cost on an ordinary caption is one set intersection.

What it cannot catch: threats and hate written without any of these shapes (sarcasm, code
words, emoji, a threat spread over several posts), languages other than English, Spanish and
Portuguese, and misspellings meant to dodge filters. What it can wrongly flag: fiction quoted
without quotation marks, song lyrics, and reporting that quotes a threat.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from influence.signals.caption import fold

#: The kinds, and how a marketer reads each.
KINDS: dict[str, str] = {
    "threat": "threat of violence",
    "dehumanisation": "dehumanising speech",
    "incitement": "incitement to violence",
    "harassment": "harassment or self-harm encouragement",
}

_WORD_RE = re.compile(r"\w+")
_PHRASE_CHARS = 120  # a matched sentence up to this long is quoted whole
_MAX_CHARS = 5_000  # a caption's first 5,000 characters are checked (Instagram allows 2,200)


def _w(words: str) -> list[str]:
    return words.split()


# ---- vocabulary (folded: lower case, no accents) -----------------------------------------------
# English sets are lemmas (matched on the lemma); Spanish / Portuguese sets are word forms.
HARM_V = (
    "kill murder shoot stab hurt beat slit strangle choke burn bleed end hunt punch smash torture rape "
    "behead hang drown bury finish gut butcher execute slaughter bash cut"
)
FUTURE = "will shall gon wanna 'll"
PEOPLE_OBJ = "you ya u your him her ur"  # not "them": "a herder will then kill them" (snow leopards)
SOMEONE = "someone somebody anyone anybody one we they"
MODAL = "should need must ought gotta have got"
BODY = "bone bones neck leg legs arm arms face jaw skull throat head teeth nose wrist wrists knee knees"
BODY_ROMANCE = "huesos hueso cara cabeza cuello piernas ossos osso cara cabeca pescoco pernas dentes dientes"
# dehumanising nouns: strong ones alone, weak ones only about a named group
DEHUM_STRONG = (
    "vermin parasite cockroach roach rat plague cancer disease virus infestation filth locust insect "
    "leech scum subhuman subhumans stain infection pest rodent"
)
DEHUM_WEAK = "animal savage barbarian beast pig dog monkey ape trash garbage cattle creature"
DEHUM_ROMANCE = (
    "ratas rata ratos rato plaga praga parasitos parasitas cucarachas baratas alimanas escoria lixo "
    "basura animales animais cancer virus infeccion infeccao bichos insectos insetos sanguijuelas"
)
GROUP = _w(
    "they them people immigrants immigrant migrants migrant refugees foreigners muslims jews "
    "christians gays homosexuals gypsies roma arabs africans mexicans latinos asians blacks whites "
    "homeless invaders race religion tribe group kind lot folk folks natives trans feminists "
    "jew muslim refugee foreigner"
)
GROUP_ROMANCE = _w(
    "ellos ellas esos esas estos estas eles elas esses essas estes estas inmigrantes imigrantes "
    "refugiados migrantes extranjeros estrangeiros gitanos ciganos musulmanes muculmanos judios "
    "negros indios son sao"
)
BE = "be 's 're 'm are is was were"
EXTERMINATE = "exterminate eradicate cleanse purge cull expel gas annihilate wipe drive sweep root"
EXTERMINATE_ROMANCE = _w(
    "exterminar exterminarlos exterminados exterminadas exterminalos eliminar eliminarlos echarlos "
    "echar sacarlos expulsar expulsarlos expulsados expulsos expulsas limpiar erradicar "
    "erradicados aniquilar"
)
PLACE_ANY = _w("mosque mosques church churches synagogue synagogues temple temples embassy parliament clinic")
PLACE_OWNED = _w(
    "house houses home homes shop shops store stores car cars office offices business businesses"
)
PLACE_ROMANCE = _w(
    "casa casas tienda tiendas mezquita iglesia sinagoga loja lojas mesquita igreja negocio negocios "
    "carros coches"
)
ARSON_V = "burn torch firebomb smash loot raze bomb wreck"
ARSON_ROMANCE = _w("quemar quememos queimar queimem queimemos incendiar incendiemos destruir")
PERSON_NOUN = _w(
    "politician politicians councillor councillors traitor traitors judge judges journalist journalists "
    "cop cops police official officials minister ministers senator senators mayor bankers"
)
WEAPONS = _w("gun guns weapon weapons rifle rifles knife knives machete machetes pipe pipes")

# Spanish / Portuguese verb forms
MATAR = _w(
    "matar matarte matarlo matarla matarlos matarlas mato matamos mataremos matare matara matalo "
    "matala matem mate"
)
HARM_ROMANCE = MATAR + _w(
    "romper partir quebrar quebrarte apunalar apunalarte esfaquear disparar dispararte "
    "golpear bater arrebentar quemar queimar furar sangrar desfigurar"
)
IR_ES = _w("voy vamos va van vas")
IR_PT = _w("vou vamos vai vao")
SOMEONE_ROMANCE = _w("alguien alguem")
MODAL_ROMANCE = _w("deberia deberian debe devia deveria deve tem precisa hay que")


def _split(words: str | Sequence[str]) -> list[str]:
    return words.split() if isinstance(words, str) else list(words)


def L(words: str | Sequence[str], op: str | None = None) -> dict[str, Any]:  # noqa: N802 - pattern slot
    """A token whose lemma is one of ``words``."""
    tok: dict[str, Any] = {"LEMMA": {"IN": _split(words)}}
    if op:
        tok["OP"] = op
    return tok


def N(words: str | Sequence[str], op: str | None = None) -> dict[str, Any]:  # noqa: N802 - pattern slot
    """A token whose folded form is one of ``words``."""
    tok: dict[str, Any] = {"NORM": {"IN": _split(words)}}
    if op:
        tok["OP"] = op
    return tok


def ANY(low: int, high: int) -> dict[str, Any]:  # noqa: N802 - pattern slot
    """Any ``low``..``high`` tokens that are not sentence ends."""
    return {"IS_PUNCT": False, "OP": f"{{{low},{high}}}"}


#: rule name → (kind, patterns, words that must not follow the match)
RULES: dict[str, tuple[str, list[list[dict[str, Any]]], tuple[str, ...]]] = {
    # ---- threats ----
    "will_harm_you": (
        "threat",
        [
            [L(FUTURE), ANY(0, 2), L(HARM_V), ANY(0, 2), N(PEOPLE_OBJ)],
            [N("going"), N("to"), ANY(0, 2), L(HARM_V), ANY(0, 2), N(PEOPLE_OBJ)],
            [L(FUTURE), ANY(0, 2), L("make"), N(PEOPLE_OBJ), L("suffer bleed pay regret die scream beg")],
            [N("going"), N("to"), L("make"), N(PEOPLE_OBJ), L("suffer bleed pay regret die scream beg")],
            [L(FUTURE), ANY(0, 1), L("break smash crack slit cut bash"), ANY(0, 3), N(BODY)],
            [N("going"), N("to"), L("break smash crack slit cut bash"), ANY(0, 3), N(BODY)],
        ],
        ("it", "this", "that", "the"),
    ),
    "you_will_die": (
        "threat",
        [
            [N("you ya u your ur"), ANY(0, 2), L("will gon be"), ANY(0, 2), N("dead")],
            [N("you ya u"), L("will 'll gon"), N("na", "?"), L("die")],
            [N("you"), N("are 're"), N("going"), N("to"), L("die")],
            [N("you ya u"), N("wo will"), N("not n't"), N("make"), N("it"), N("home out")],
            [N("your"), N("days"), N("are"), N("numbered")],
            [
                N("your"),
                N("family kids children wife husband mom mother"),
                N("wo will"),
                N("not n't"),
                N("be"),
                N("safe"),
            ],
            [L("regret"), ANY(0, 1), N("being ever"), N("born")],
            [L("wish"), N("you"), N("were had"), N("never"), N("been", "?"), N("born")],
            [N("end"), N("up"), N("in"), N("a the"), N("ditch grave morgue coffin hospital")],
            [L("pay"), ANY(0, 3), N("with"), N("your"), N("life")],
            [N("sleep"), N("with"), N("one"), N("eye"), N("open")],
            [N("sleep"), N("with"), N("the"), N("lights"), N("on")],
            [N("watch"), N("your"), N("back")],
            [N("i we"), L("be", "?"), N("coming"), N("for"), N("you your")],
        ],
        ("to", "laughing", "when", "of", "for", "on", "posture"),
    ),
    "know_where_you_live": (
        "threat",
        [
            [
                L("know"),
                N("where"),
                N("you your"),
                ANY(0, 1),
                N("live lives work works sleep sleeps go goes"),
            ],
            [L("know"), N("your"), N("address")],
            [L("catch"), N("you"), N("alone")],
            [L("burn"), ANY(0, 5), N("with"), N("you"), N("inside in")],
        ],
        (),
    ),
    "someone_should_harm": (
        "threat",
        [
            [N(SOMEONE), L(MODAL), N("to", "?"), L("put"), N("a"), N("bullet")],
            [N(SOMEONE), L(MODAL), N("to", "?"), L(HARM_V), N("that this the his her him them")],
            [N(SOMEONE), L(MODAL), N("to", "?"), L("take"), ANY(1, 3), N("out"), N("permanently")],
            [L("deserve"), N("a"), N("bullet")],
            [L("deserve"), N("to"), N("be"), N("shot killed hanged hung executed murdered")],
            [N("put"), N("a"), N("bullet"), N("in"), N("his her their your")],
        ],
        (),
    ),
    "threat_es_pt": (
        "threat",
        [
            [N("te lo la"), N(IR_ES + IR_PT), N("a", "?"), N(HARM_ROMANCE)],
            [N(IR_ES + IR_PT), N("a", "?"), N(MATAR), N("te voce vc")],
            [N(IR_PT), N("te"), N(HARM_ROMANCE)],
            [N(IR_PT), N("te"), N("fazer"), N("sangrar sofrer")],
            [N(IR_ES + IR_PT), N("a", "?"), N(HARM_ROMANCE), ANY(0, 3), N(BODY_ROMANCE)],
            [
                N("se sei sabemos"),
                N("donde onde"),
                N("voce vc tu", "?"),
                N("vives trabajas vive mora moras trabalha trabalhas"),
            ],
            [N("no nao"), N("llegas llegaras vas vai"), N("a", "?"), N("llegar chegar", "?"), N("vivo viva")],
            [N("no"), N("vas"), N("a"), N("llegar"), N("a"), N("casa")],
            [N("estas esta voce ta"), N("esta", "?"), N("muerto muerta morto morta")],
            [N("vas vai"), N("a", "?"), N("pagar"), N("con com"), N("tu sua a"), N("sua", "?"), N("vida")],
            [N("vas vai"), N("a", "?"), N("pagar"), N("caro")],
            [N("lo"), N("vas"), N("a"), N("pagar"), N("caro")],
            [N("vas vai"), N("a", "?"), N("morir morrer")],
            [N("vai"), N("se"), N("arrepender"), N("de"), N("ter"), N("nascido")],
            [N("cuidate"), N("la"), N("espalda")],
            [N("vamos"), N("por"), N("ti")],
            [N("te"), N("pegar pego"), N("na"), N("saida")],
            [
                N(SOMEONE_ROMANCE),
                N(MODAL_ROMANCE),
                ANY(0, 1),
                N(MATAR + ["pegarle", "dar", "darle", "meterle"]),
            ],
        ],
        ("de",),
    ),
    # ---- dehumanisation ----
    "group_is_vermin": (
        "dehumanisation",
        [
            [N(GROUP), ANY(0, 2), L(BE), ANY(0, 3), L(DEHUM_STRONG)],
            [N(GROUP), ANY(0, 2), L(BE), N("not"), N("even", "?"), N("human humans")],
            [L(BE), N("less"), N("than"), N("human")],
            [L("subhuman")],
            [N("not"), N("human humans"), N(","), N("they"), N("are")],
            [L("breed multiply"), N("like"), L("rat rabbit cockroach roach vermin animal insect fly")],
            [N(GROUP), ANY(0, 2), L("crawl swarm infest")],
        ],
        (),
    ),
    "named_group_is_animal": (
        "dehumanisation",
        [
            [
                N(
                    "immigrants migrants refugees foreigners muslims jews gypsies arabs africans mexicans blacks "
                    "homeless invaders race religion tribe natives"
                ),
                ANY(0, 1),
                L(BE),
                ANY(0, 3),
                L(DEHUM_WEAK + " " + DEHUM_STRONG),
            ],
            [N("those these"), N("people"), L(BE), ANY(0, 2), L(DEHUM_WEAK)],
            [N("they"), L(BE), L(DEHUM_WEAK), N("and"), N("should")],
            [L("treat"), N("like"), N("animals vermin rats")],
        ],
        (),
    ),
    "exterminate_them": (
        "dehumanisation",
        [
            [
                N(GROUP),
                ANY(0, 3),
                L(MODAL + " " + BE + " deserve"),
                ANY(0, 3),
                N("exterminated eradicated cleansed purged culled gassed annihilated wiped driven"),
            ],
            [L(EXTERMINATE), ANY(0, 4), N("them"), ANY(0, 1), N("out off")],
            [L("exterminate eradicate annihilate gas"), N("them"), N("all", "?")],
            [L(BE), N("wiped driven swept"), N("out off"), N("of"), N("our the this")],
            [L(EXTERMINATE + " clean rid free"), ANY(0, 4), N("of"), N("them")],
            [
                L(EXTERMINATE + " clean rid free"),
                ANY(0, 4),
                N("this that these those the"),
                L("filth vermin scum parasite"),
            ],
            [L("clean"), N("out"), N("this that these those"), L("filth vermin scum parasite")],
            [N("hay"), N("que"), N(EXTERMINATE_ROMANCE)],
            [N(GROUP_ROMANCE), ANY(0, 4), N(EXTERMINATE_ROMANCE)],
        ],
        (),
    ),
    "group_is_vermin_es_pt": (
        "dehumanisation",
        [
            [N(GROUP_ROMANCE), ANY(0, 2), N("son sao es e"), ANY(0, 2), N(DEHUM_ROMANCE)],
        ],
        (),
    ),
    # ---- incitement ----
    "burn_their_places": (
        "incitement",
        [
            [L(ARSON_V), ANY(0, 3), N("their every those these his her"), ANY(0, 2), N(PLACE_OWNED)],
            [L(ARSON_V), ANY(0, 3), N(PLACE_ANY)],
            [L("set"), N("fire"), N("to"), ANY(0, 3), N(PLACE_ANY + PLACE_OWNED + ["them"])],
            [N(ARSON_ROMANCE), ANY(0, 3), N(PLACE_ROMANCE)],
        ],
        (),
    ),
    "kill_them_all": (
        "incitement",
        [
            [
                L("kill shoot hang murder slaughter massacre stab gas lynch beat attack"),
                N("them 'em"),
                N("all"),
            ],
            [
                L("kill shoot hang murder slaughter massacre stab gas lynch beat attack"),
                N("all"),
                N("of"),
                N("them"),
            ],
            [
                L("kill shoot hang murder slaughter massacre stab lynch beat attack"),
                N("every"),
                N("one"),
                N("of"),
            ],
            [L("attack"), N("them"), N("wherever in on")],
            [L("hunt"), N("them"), N("down")],
            [L("string"), N("them"), N("up")],
            [L("round"), N("them"), N("up")],
            [L("hang lynch"), N("the those these"), N(PERSON_NOUN)],
            [L("grab bring"), N("your", "?"), N(WEAPONS)],
            [N("take"), N("up"), N("arms")],
            [L("break crack smash bash"), N("some"), N("heads skulls")],
            [N("vamos bora"), N("a", "?"), N(MATAR), N("todos todas")],
            [N("maten matem matemos"), N("a", "?"), N("todos todas")],
        ],
        (),
    ),
    # ---- harassment and self-harm encouragement ----
    "kill_yourself": (
        "harassment",
        [
            [L("kill hang shoot"), N("yourself urself yourselves")],
            [N("kys kys.")],
            [N("go"), N("die")],
            [N("slit cut"), N("your ur"), N("wrists wrist")],
            [N("end"), N("your ur"), N("life")],
            [N("end"), N("it"), N("all")],
            [N("drink"), N("bleach")],
            [N("jump"), N("off"), N("a the"), N("bridge cliff building roof")],
            [N("nobody no"), N("one", "?"), N("would will"), N("miss notice"), N("you", "?")],
            [N("world"), N("would"), N("be"), N("better"), N("off", "?"), N("without"), N("you")],
            [N("do not n't"), N("deserve"), N("to"), N("live")],
            [N("should"), N("die")],
            [N("waste"), N("of"), N("oxygen air space")],
            [N("everyone everybody"), N("hates"), N("you")],
            [N("nobody"), N("loves wants likes cares"), N("you")],
            [N("favour favor"), N("and"), ANY(0, 1), N("die disappear")],
            [N("disappear"), N("forever")],
            [N("matate suicidate muerete suicidese")],
            [N("ojala"), N("te"), N("mueras")],
            [N("nadie"), N("te"), N("quiere")],
            [N("vai", "?"), N("se"), N("matar mata mate enforca enforcar")],
            [N("ninguem"), N("gosta liga"), ANY(0, 1), N("voce vc")],
        ],
        ("like", "laughing"),
    ),
}

#: common words: a pattern's key (the one required word set looked up first) is one of these only
#: when the pattern has nothing rarer
_COMMON = frozenset(
    _w(
        "you ya u your yourself ur him her them his their i we they one someone somebody anyone anybody "
        "will shall 'll be 's 're 'm are is was were the a an this that these those to of in on out off "
        "up down all every some not n't do no go going with for and should need must ought have got "
        "gotta would wo never been had ever being it make take put set where when "
        "te lo la a por con com de que hay se sei sabemos es e son sao no nao na esta estas voce vc "
        "ta tu sua vas vai vamos voy va van vao vou bora todos todas donde onde people kind lot group "
        "home safe back work works sleep sleeps goes"
    )
)


@dataclass(frozen=True)
class RuleHit:
    """One match: the ``kind`` (a key of :data:`KINDS`), the ``rule`` that matched and the
    ``phrase`` of the caption it matched (as written)."""

    kind: str
    rule: str
    phrase: str


@functools.cache
def _lemma_table() -> dict[str, str]:
    """spacy-lookups-data's English lemma lookup (word → lemma), folded."""
    import spacy_lookups_data

    path = (
        spacy_lookups_data.get_file("en_lemma_lookup.json.gz")
        if hasattr(spacy_lookups_data, "get_file")
        else None
    )
    if path is None:
        from pathlib import Path

        path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lemma_lookup.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        table: dict[str, str] = json.load(f)
    return {fold(k): fold(v) for k, v in table.items()}


def _values(tok: dict[str, Any]) -> tuple[str | None, list[str]]:
    for attr in ("LEMMA", "NORM"):
        if attr in tok:
            return attr, list(tok[attr]["IN"])
    return None, []


_SEGMENT_RE = re.compile(r"[^.!?;\n]+")


@dataclass
class _Matcher:
    nlp: Any
    #: one spaCy Matcher per rule: only the rules a sentence could match are run on it
    matchers: dict[str, Any]
    #: word → (rule, the word sets a sentence must each touch) of each pattern keyed by that word
    #: (one required word set per pattern, its rarest, is the pattern's key)
    index: dict[str, list[tuple[str, tuple[frozenset[str], ...]]]]
    #: the keys of ``index`` (the quick first test on a whole caption)
    anchors: frozenset[str]
    table: dict[str, str]

    def candidates(self, words: set[str]) -> list[str]:
        """The rules with a pattern whose required words all occur in ``words`` (folded)."""
        rules: list[str] = []
        for word in self.anchors.intersection(words):
            for rule, needs in self.index[word]:
                if rule not in rules and all(not need.isdisjoint(words) for need in needs):
                    rules.append(rule)
        return rules


@functools.cache
def _matcher() -> _Matcher:
    import spacy
    from spacy.attrs import NORM
    from spacy.matcher import Matcher

    nlp = spacy.blank("en")
    table = _lemma_table()
    by_lemma: dict[str, set[str]] = {}
    for word, lemma in table.items():
        by_lemma.setdefault(lemma, set()).add(word)
    # a token's norm may be a word the caption does not spell ("I'll" → "will", "gonna" → "going"
    # "to"): a slot's required words include the spellings that the tokenizer normalises to them
    spelt: dict[str, set[str]] = {}
    rules: dict[str, list[dict[int, str]]] = nlp.tokenizer.rules  # type: ignore[union-attr]
    for key, pieces in rules.items():
        for piece in pieces:
            spelt.setdefault(fold(str(piece.get(NORM, ""))), set()).update(_WORD_RE.findall(fold(key)))
    matchers: dict[str, Any] = {}
    index: dict[str, list[tuple[str, tuple[frozenset[str], ...]]]] = {}
    for name, (_kind, patterns, _after) in RULES.items():
        for pattern in patterns:
            required: list[frozenset[str]] = []
            for tok in pattern:
                attr, values = _values(tok)
                if not values or tok.get("OP") in ("?", "*"):
                    continue
                forms = set(values)
                if attr == "LEMMA":
                    forms.update(f for v in values for f in by_lemma.get(v, ()))
                forms.update(w for f in list(forms) for w in spelt.get(f, ()))
                required.append(frozenset(w for f in forms for w in _WORD_RE.findall(f)))
            content = [r for r in required if not r & _COMMON] or required
            if not content:
                raise ValueError(f"safety rule {name!r} has a pattern without a word to require: {pattern}")
            for word in min(content, key=len):
                index.setdefault(word, []).append((name, tuple(required)))
        matchers[name] = Matcher(nlp.vocab)
        matchers[name].add(name, patterns)
    return _Matcher(nlp, matchers, index, frozenset(index), table)


def _annotate(doc: Any, table: dict[str, str]) -> None:
    for tok in doc:
        norm = fold(tok.norm_)
        tok.norm_ = norm
        tok.lemma_ = table.get(norm, norm)


def _phrase(doc: Any, start: int, end: int) -> str:
    """What a person reads: the whole sentence when short, else the match with a few words around it."""
    text = " ".join(doc.text.split())
    if len(text) <= _PHRASE_CHARS:
        return text
    a, b = max(0, start - 4), min(len(doc), end + 4)
    return ("… " if a else "") + " ".join(doc[a:b].text.split()) + (" …" if b < len(doc) else "")


def find_harm(texts: Sequence[str], words: Sequence[Sequence[str]] | None = None) -> list[list[RuleHit]]:
    """The rule matches in each text (same order): at most one :class:`RuleHit` per kind and
    span, in reading order; its ``phrase`` is the sentence it matched in (or, for a long one, the
    match with four words either side). ``words`` (optional): each text's folded ``\\w+`` words when the
    caller has them already. A text none of whose words a rule needs is not tokenised at all;
    otherwise only its sentences that could match are, and only the rules they could match run.
    Each text's first 5,000 characters are read."""
    m = _matcher()
    out: list[list[RuleHit]] = [[] for _ in texts]
    todo: list[tuple[int, str, list[str]]] = []
    for i, text in enumerate(texts):
        if not text:
            continue
        text = text[:_MAX_CHARS]
        if m.anchors.isdisjoint(words[i] if words is not None else _WORD_RE.findall(fold(text))):
            continue
        for seg in _SEGMENT_RE.findall(text):
            rules = m.candidates(set(_WORD_RE.findall(fold(seg))))
            if rules:
                todo.append((i, seg, rules))
    if not todo:
        return out
    for (i, _seg, rules), doc in zip(todo, m.nlp.tokenizer.pipe(seg for _, seg, _ in todo), strict=True):
        _annotate(doc, m.table)
        seen: set[tuple[str, int]] = set()
        spans = sorted((s for r in rules for s in m.matchers[r](doc)), key=lambda s: (s[1], -(s[2] - s[1])))
        for match_id, start, end in spans:
            name = m.nlp.vocab.strings[match_id]
            kind, _patterns, after = RULES[name]
            if end < len(doc) and doc[end].norm_ in after:
                continue
            if any((kind, j) in seen for j in range(start, end)):
                continue
            seen.update((kind, j) for j in range(start, end))
            out[i].append(RuleHit(kind, name, _phrase(doc, start, end)))
    return out
