"""Word lists of the synthetic sample (:mod:`influence.sample.generator`): one theme per planted
community — a language, a topic, a hashtag vocabulary, places, names and caption templates.

Templates are whole sentences in the theme's language with ``{adj}`` (a positive or negative
adjective), ``{noun}`` (a topic noun) and ``{place}`` slots, long enough for a language
identifier to recognise them once hashtags and mentions are stripped.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    """What the members of one planted community share."""

    topic: str
    language: str  # ISO 639-1
    country: str  # ISO 3166-1 alpha-2
    utc_offset: int  # hours, for local posting times
    hashtags: tuple[str, ...]
    places: tuple[str, ...]
    nouns: tuple[str, ...]
    positive: tuple[str, ...]
    negative: tuple[str, ...]
    templates: tuple[str, ...]
    calls_to_action: tuple[str, ...]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    categories: tuple[str, ...]  # business categories of the profiles
    bios: tuple[str, ...]


THEMES: tuple[Theme, ...] = (
    Theme(
        topic="fitness", language="en", country="US", utc_offset=-5,
        hashtags=("fitness", "gym", "workout", "fitfam", "legday", "gains", "running", "healthylifestyle",
                  "personaltrainer", "crossfit", "motivation", "homeworkout", "protein", "cardio", "strong"),
        places=("New York", "Los Angeles", "Chicago", "Miami Beach", "Austin"),
        nouns=("workout", "morning run", "leg day", "training session", "recovery day", "protein bowl"),
        positive=("amazing", "awesome", "incredible", "great", "wonderful", "happy"),
        negative=("terrible", "awful", "exhausting", "painful", "disappointing"),
        templates=(
            "This {noun} in {place} was absolutely {adj} and I am so grateful for every single rep",
            "What a {adj} {noun} today, the whole team showed up and pushed harder than ever",
            "Honestly the {noun} felt {adj} this morning but we keep going because consistency wins",
            "Nothing beats a {adj} {noun} with my favourite people before work",
            "Another {adj} {noun} done and dusted, who is joining me tomorrow",
            "Sharing my {noun} routine because so many of you asked, it has been {adj}",
        ),
        calls_to_action=("Link in bio!", "Tag a friend who needs this", "Comment below and tell me your goals",
                         "Save this for your next workout"),
        first_names=("James", "Emily", "Michael", "Olivia", "David", "Sarah", "Chris", "Jessica", "Ryan", "Ashley"),
        last_names=("Smith", "Johnson", "Brown", "Miller", "Davis", "Wilson", "Taylor", "Moore", "Clark", "Lewis"),
        categories=("Athlete", "Personal Trainer", "Gym/Physical Fitness Center", "Health/Beauty"),
        bios=("Coach and runner. Training plans below", "Lifting heavy things and sharing the journey"),
    ),
    Theme(
        topic="food", language="es", country="ES", utc_offset=1,
        hashtags=("comida", "recetas", "foodie", "tapas", "cocina", "paella", "gastronomia", "delicioso",
                  "comidacasera", "postres", "vino", "restaurante", "madridfood", "chef", "yummy"),
        places=("Madrid", "Barcelona", "Sevilla", "Valencia", "Bilbao"),
        nouns=("paella", "receta de la abuela", "cena con amigos", "tortilla de patatas", "tarta casera"),
        positive=("increíble", "deliciosa", "maravillosa", "perfecta", "espectacular", "buenísima"),
        negative=("horrible", "terrible", "decepcionante", "aburrida", "malísima"),
        templates=(
            "Hoy preparamos una {noun} {adj} en {place} y la verdad es que no quedó nada",
            "La {noun} de este fin de semana fue {adj}, gracias a todos los que vinieron a casa",
            "No os podéis imaginar lo {adj} que estaba esta {noun}, repetimos seguro",
            "Os comparto mi {noun} favorita porque muchos me la habéis pedido, es {adj}",
            "Qué {adj} experiencia la de anoche con esta {noun} en el centro de {place}",
        ),
        calls_to_action=("¡Link en la bio!", "Etiqueta a un amigo que tiene que probarlo",
                         "Cuéntame en los comentarios qué te parece", "Guarda esta receta para el domingo"),
        first_names=("Lucía", "Javier", "María", "Carlos", "Sofía", "Alejandro", "Paula", "Diego", "Elena", "Pablo"),
        last_names=("García", "Martínez", "López", "Sánchez", "Pérez", "Gómez", "Fernández", "Ruiz", "Díaz", "Moreno"),
        categories=("Chef", "Restaurant", "Food & Beverage", "Blogger"),
        bios=("Cocinando recetas de siempre con un toque nuevo", "Comida casera y viajes gastronómicos"),
    ),
    Theme(
        topic="travel", language="fr", country="FR", utc_offset=1,
        hashtags=("voyage", "travel", "wanderlust", "paysage", "vacances", "explore", "randonnee", "montagne",
                  "plage", "coucherdesoleil", "roadtrip", "france", "decouverte", "nature", "evasion"),
        places=("Paris", "Lyon", "Marseille", "Bordeaux", "Annecy"),
        nouns=("voyage", "tour du lac", "week-end en famille", "séjour à la montagne", "coucher de soleil"),
        positive=("magnifique", "superbe", "incroyable", "merveilleux", "génial", "inoubliable"),
        negative=("horrible", "décevant", "épuisant", "affreux", "triste"),
        templates=(
            "Ce {noun} près de {place} était vraiment {adj}, je ne pensais pas revenir aussi heureux",
            "Quel {noun} {adj} avec les amis, on a marché toute la journée sans voir le temps passer",
            "Je vous partage ce {noun} {adj} parce que vous êtes nombreux à me le demander",
            "Franchement ce {noun} était {adj}, mais on garde le sourire et on repart demain",
            "Un {noun} {adj} dans les rues de {place}, la lumière du soir était parfaite",
        ),
        calls_to_action=("Lien en bio !", "Identifie un ami qui doit voir ça", "Dis-moi en commentaire où tu pars",
                         "Enregistre ce post pour ton prochain voyage"),
        first_names=("Camille", "Lucas", "Manon", "Hugo", "Chloé", "Louis", "Léa", "Nathan", "Inès", "Théo"),
        last_names=("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau"),
        categories=("Travel Company", "Photographer", "Blogger", "Digital creator"),
        bios=("Photographe voyageur, toujours sur la route", "Carnets de voyage et belles découvertes"),
    ),
    Theme(
        topic="outdoors", language="de", country="DE", utc_offset=1,
        hashtags=("wandern", "berge", "natur", "alpen", "outdoor", "draussen", "bergliebe", "radfahren",
                  "camping", "abenteuer", "bayern", "see", "wanderlust", "herbst", "fotografie"),
        places=("Berlin", "München", "Hamburg", "Garmisch-Partenkirchen", "Freiburg"),
        nouns=("Wanderung", "Radtour", "Bergtour", "Gipfeltour", "Zeltnacht"),
        positive=("wunderbar", "großartig", "herrlich", "fantastisch", "unglaublich", "schön"),
        negative=("schrecklich", "furchtbar", "anstrengend", "enttäuschend", "kalt und nass"),
        templates=(
            "Die {noun} heute bei {place} war einfach {adj} und ich bin immer noch ganz begeistert",
            "Was für eine {adj} {noun} mit den Freunden, wir waren den ganzen Tag draußen unterwegs",
            "Ehrlich gesagt war die {noun} ziemlich {adj}, aber morgen geht es trotzdem weiter",
            "Ich teile meine liebste {noun} mit euch, weil so viele danach gefragt haben, sie ist {adj}",
            "Eine {adj} {noun} rund um {place}, das Wetter hat perfekt mitgespielt",
        ),
        calls_to_action=("Link in der Bio!", "Markiere jemanden, der mitkommen muss",
                         "Schreib mir in die Kommentare, wohin es als Nächstes geht", "Speichere dir die Tour"),
        first_names=("Lukas", "Anna", "Leon", "Lena", "Felix", "Laura", "Jonas", "Julia", "Paul", "Marie"),
        last_names=("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann", "Koch"),
        categories=("Outdoor & Sporting Goods Company", "Photographer", "Athlete", "Digital creator"),
        bios=("Draußen zu Hause. Berge, Rad und Zelt", "Wandern und Fotografieren in den Alpen"),
    ),
    Theme(
        topic="fashion", language="it", country="IT", utc_offset=1,
        hashtags=("moda", "fashion", "stile", "outfit", "ootd", "milanofashion", "italianstyle", "look",
                  "tendenze", "shopping", "accessori", "vintage", "modaitaliana", "streetstyle", "beauty"),
        places=("Milano", "Roma", "Firenze", "Napoli", "Torino"),
        nouns=("outfit", "look della settimana", "abito nuovo", "vestito da sera", "servizio fotografico"),
        positive=("bellissimo", "fantastico", "stupendo", "meraviglioso", "perfetto", "incredibile"),
        negative=("orribile", "deludente", "terribile", "noioso", "brutto"),
        templates=(
            "Questo {noun} a {place} è stato davvero {adj} e non vedo l'ora di mostrarvi il resto",
            "Che {noun} {adj} oggi con le amiche, abbiamo girato tutta la città fino a sera",
            "Vi mostro il mio {noun} preferito perché in tanti me lo avete chiesto, è {adj}",
            "Sinceramente il {noun} di ieri è stato {adj}, ma domani si ricomincia con più energia",
            "Un {noun} {adj} per le strade di {place}, la luce era perfetta per le foto",
        ),
        calls_to_action=("Link in bio!", "Tagga un'amica che lo indosserebbe", "Scrivimi nei commenti cosa ne pensi",
                         "Salva il post per il prossimo outfit"),
        first_names=("Giulia", "Marco", "Francesca", "Alessandro", "Chiara", "Matteo", "Sara", "Lorenzo", "Martina", "Andrea"),
        last_names=("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco"),
        categories=("Fashion Model", "Clothing (Brand)", "Blogger", "Personal Blog"),
        bios=("Moda, stile e viaggi tra Milano e Roma", "Outfit di tutti i giorni e consigli di stile"),
    ),
    Theme(
        topic="music", language="pt", country="BR", utc_offset=-3,
        hashtags=("musica", "samba", "show", "violao", "cantor", "aovivo", "festival", "bossanova", "funk",
                  "rio", "saopaulo", "banda", "musicabrasileira", "ensaio", "palco"),
        places=("São Paulo", "Rio de Janeiro", "Salvador", "Belo Horizonte", "Recife"),
        nouns=("show", "ensaio com a banda", "samba de roda", "festival", "álbum novo"),
        positive=("incrível", "maravilhoso", "lindo", "perfeito", "emocionante", "sensacional"),
        negative=("horrível", "cansativo", "decepcionante", "chato", "triste"),
        templates=(
            "O {noun} de ontem em {place} foi {adj} e eu ainda estou sem palavras com vocês",
            "Que {noun} {adj} com a galera, a gente tocou até de madrugada sem parar",
            "Estou compartilhando esse {noun} porque muita gente pediu, ficou {adj} demais",
            "Sinceramente o {noun} foi {adj}, mas amanhã tem mais e vai ser diferente",
            "Um {noun} {adj} no coração de {place}, obrigado a todos que estavam lá",
        ),
        calls_to_action=("Link na bio!", "Marca um amigo que tem que ouvir isso", "Comenta aqui embaixo qual é a sua música",
                         "Salva esse vídeo pra ouvir depois"),
        first_names=("Gabriel", "Ana", "Rafael", "Beatriz", "Lucas", "Mariana", "Pedro", "Juliana", "Thiago", "Camila"),
        last_names=("Silva", "Santos", "Oliveira", "Souza", "Lima", "Pereira", "Costa", "Carvalho", "Almeida", "Ribeiro"),
        categories=("Musician/Band", "Artist", "Concert Venue", "Digital creator"),
        bios=("Música brasileira do jeito que a gente gosta", "Cantora, compositora e apaixonada por samba"),
    ),
)

#: Hashtags every community uses now and then (Instagram's perennial top tags).
GLOBAL_HASHTAGS: tuple[str, ...] = (
    "love", "instagood", "photooftheday", "beautiful", "happy", "picoftheday", "instadaily", "summer",
)

POSITIVE_EMOJIS: tuple[str, ...] = ("🔥", "❤️", "😍", "💪", "✨", "🙌", "😊", "🎉", "☀️", "👏")
NEGATIVE_EMOJIS: tuple[str, ...] = ("😢", "😩", "😞", "🙄", "💔")

#: Hashtags of the planted viral posts: they travel across communities.
TRENDING_HASHTAGS: tuple[str, ...] = ("challenge", "trend", "viral", "fyp", "worldcup")
