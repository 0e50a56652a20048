# ruff: noqa: E501 (prose)
"""The shipped content of the knowledge base, in our own words from the sources named in docs/learning.md
(the seven keys of "Rondom het kind", the working factors of the learning community "Dynamische Driehoek",
and the Wegwijzer Mentaal Kapitaal, domain 8 "Samenwerking"). Loaded by migration 0002; each installation
edits it afterwards in the admin. The key slugs are fixed: the partnership monitor maps its items to them."""

KEYS = [
    # (slug, kind, name, summary)
    ("relaties", "factor", "Duurzame onderlinge relaties",
     "Ouders, school en jeugdhulp bouwen relaties die blijven, op basis van vertrouwen en respect. "
     "Iedereen weet wat de ander weet en kan."),
    ("kind-in-context", "factor", "Het kind in zijn omgeving centraal",
     "Kijk eerst breed naar het kind, het gezin en de opvoeding, en kies pas daarna een doel en een plan. "
     "Gewone hobbels bij opgroeien en opvoeden horen erbij: maak ze niet groter dan ze zijn. "
     "De tijdlijn helpt om samen het verloop te zien."),
    ("vakbekwaam", "factor", "De vakbekwame professional",
     "Professionals kennen hun eigen vak goed én weten hoe ze samenwerken met ouders en met collega's "
     "uit onderwijs en jeugdhulp."),
    ("ruimte", "condition", "Ruimte om samen te werken",
     "Er is tijd om samen te werken, en de organisaties laten merken dat samenwerken erbij hoort."),
    ("aanbod", "condition", "Een dekkend aanbod met ruimte voor maatwerk",
     "Onderwijs en jeugdhulp hebben genoeg aanbod, en er is ruimte voor maatwerk als een kind net niet "
     "in het bestaande aanbod past."),
    ("ontschotten", "condition", "Onderwijs en jeugdhulp ontschotten",
     "Onderwijs en jeugdhulp pakken samen de knelpunten op die tussen hun wetten en regels vallen. "
     "Daar is leiderschap voor nodig dat verandering durft aan te gaan."),
    ("bestaanszekerheid", "condition", "Samenwerken met de hulp bij bestaanszekerheid",
     "Veel problemen van kinderen hebben te maken met de omstandigheden thuis, zoals geld, wonen of werk. "
     "Wie samenwerkt met de hulp op die terreinen, brengt hun kennis binnen en verlicht school en jeugdhulp."),
    ("korte-lijntjes", "working_factor", "Korte lijntjes",
     "Ouders, school en jeugdhulp kunnen elkaar snel en makkelijk bereiken."),
    ("open-transparant", "working_factor", "Open houding en transparante communicatie",
     "Iedereen vertelt open wat er gebeurt en waarom, ook wat er in het dossier komt."),
    ("met-kind", "working_factor", "Mét het kind in plaats van óver het kind",
     "Het kind praat mee, en wat het kind inbrengt wordt serieus genomen."),
    ("gelijkwaardig", "working_factor", "Ouders als gelijkwaardige partner",
     "Ouders worden als gelijkwaardige partner behandeld: ze worden meegenomen in de communicatie, weten "
     "waar een gesprek voor is, krijgen actief terugkoppeling en een warme overdracht."),
    ("breder-kijken", "working_factor", "Breder kijken, ook naar thuis",
     "Haal vroeg op hoe het thuis gaat, niet alleen hoe het op school gaat."),
    ("kwaliteiten", "working_factor", "Kwaliteiten van het kind in beeld",
     "Breng ook in beeld wat het kind goed kan, niet alleen de problemen."),
    ("verbeteren", "working_factor", "Erkennen dat het beter kan",
     "Alle partijen erkennen dat er ruimte is om de samenwerking te verbeteren."),
    ("vaste-mensen", "working_factor", "Vaste mensen of een warme overdracht",
     "Zo min mogelijk wisselingen van personeel; en als iemand wisselt, een goede warme overdracht."),
]  # fmt: skip

INTERVENTIONS = [
    # (name, recognition, recognition_note, description, asks_of_school, source)
    ("NJi toolkit ouderbetrokkenheid", "not_rated",
     "een toolkit van het Nederlands Jeugdinstituut, geen erkende interventie",
     "Een toolkit met handvatten om beter samen te werken met ouders: gelijkwaardig, met gebruik van elkaars "
     "kennis en met samen besluiten.",
     "Het team kiest uit de toolkit wat past, bespreekt de eigen manier van werken met ouders en spreekt af "
     "wat het gaat veranderen.",
     "Wegwijzer Mentaal Kapitaal, domein 8; Nederlands Jeugdinstituut"),
    ("School-Wide Positive Behavior Support", "unknown",
     "volgens de Wegwijzer goed onderbouwd of effectief; het precieze niveau staat in de NJi-databank",
     "Een aanpak voor de hele school. Het team bouwt vooraf een goede relatie met ouders op door vaak en "
     "laagdrempelig contact. Heeft een leerling meer nodig, dan maken ouders, school en zorg samen een plan.",
     "Een schoolbrede aanpak: het hele team doet mee, er is een werkgroep, afspraken over gedrag en contact "
     "met ouders, en tijd voor scholing en overleg met zorgpartners.",
     "Wegwijzer Mentaal Kapitaal, domein 8; Databank Effectieve Jeugdinterventies (NJi)"),
    ("Ouderbetrokkenheid", "unknown",
     "volgens de Wegwijzer goed onderbouwd of effectief; het precieze niveau staat in de databank",
     "Ouders worden actief betrokken bij de schoolloopbaan van hun kind. Zo groeit vertrouwen, is er "
     "regelmatig contact en worden problemen op tijd gezien.",
     "Vast en regelmatig contact met alle ouders, ook als er niets aan de hand is; een plan dat ouders en "
     "school samen maken en samen dragen als er wel iets speelt.",
     "Wegwijzer Mentaal Kapitaal, domein 8"),
    ("MAZL", "first_indications",
     "Medische Advisering van de Ziekgemelde Leerling; NJi-databank",
     "Bij zorgelijk ziekteverzuim voert school een gesprek met leerling en ouders; de jeugdarts maakt samen "
     "met hen een plan van aanpak dat met alle betrokkenen wordt gedeeld.",
     "De school houdt ziekmeldingen bij, voert verzuimgesprekken (mentor of zorgcoördinator), vraagt een "
     "consult bij de jeugdarts aan en volgt samen met de jeugdarts het plan; leerplicht komt erbij als het "
     "verzuim onnodig doorgaat.",
     "Wegwijzer Mentaal Kapitaal, domein 8; NCJ (zie docs/absence.md)"),
]  # fmt: skip

RECOMMENDATIONS = [
    # (code, title, text, practice, key slugs, [(intervention name, how)])
    ("8.1", "Investeer in de relatie en de communicatie tussen ouders en school",
     "Zorg voor korte lijnen tussen ouders en school, zodat problemen op tijd gezien worden.",
     "Een school maakt contact laagdrempelig: niet alleen als er iets is, maar ook met ouderavonden. Lukt "
     "contact via mail of telefoon niet, bijvoorbeeld door taal, dan gaat iemand op huisbezoek. Vaak wisten "
     "ouders gewoon niet dat school contact zocht.",
     ["korte-lijntjes", "relaties", "open-transparant"],
     [("NJi toolkit ouderbetrokkenheid", "Helpt de school om gelijkwaardig met ouders samen te werken en samen te besluiten."),
      ("School-Wide Positive Behavior Support", "Het team bouwt vooraf een goede relatie met ouders op, met vaak en laagdrempelig contact."),
      ("Ouderbetrokkenheid", "Regelmatig contact geeft vertrouwen en korte lijnen, zodat problemen op tijd opvallen."),
      ("MAZL", "Verzuimgesprekken met ouders en zorg, passend bij de leerling, houden de communicatie open.")]),
    ("8.2", "Betrek alle partijen actief als er problemen spelen",
     "Als er problemen zijn, zoeken ouders, school, hulpverlening en leerplicht samen naar passend onderwijs, "
     "en iedereen weet wat er is afgesproken. Eén procesregisseur houdt het overzicht en hakt knopen door.",
     "In een zorgstructuur met CJG, orthopedagoog, leerlingbegeleider en zorgcoördinator wordt per vraag "
     "besproken wie hem het best oppakt; die persoon maakt het plan samen met leerling, ouders en coach.",
     ["gelijkwaardig", "kind-in-context", "ontschotten", "open-transparant"],
     [("School-Wide Positive Behavior Support", "Ouders en zorg maken samen een plan voor leerlingen die meer nodig hebben; ouders kunnen ook zelf meedoen om hun opvoedvaardigheden te versterken."),
      ("Ouderbetrokkenheid", "Ouders brengen extra inzicht in, zorgen voor één lijn thuis en op school en dragen het plan mee."),
      ("MAZL", "Iedereen wordt regelmatig op de hoogte gehouden en beslist mee; de jeugdarts deelt het plan van aanpak met alle betrokkenen.")]),
    ("8.3", "Haal brede zorgexpertise de school in en voer preventieve gesprekken",
     "Plaats zorgprofessionals met brede kennis uit meerdere vakgebieden in de school, en voer vroeg "
     "gesprekken (bijvoorbeeld met leerplicht), zodat problemen klein blijven.",
     "Een school heeft een voorziening op het schoolplein voor leerlingen die dreigen vast te lopen: "
     "onderwijs en jeugdhulp samen binnen de school, met een hulpverlener van de gemeente en de "
     "orthopedagoog, geleid door de interne begeleider.",
     ["ontschotten", "aanbod", "vakbekwaam", "ruimte", "breder-kijken"],
     [("MAZL", "Mentor of coördinator voert verzuimgesprekken met leerling en ouders en maakt met de jeugdarts een plan van aanpak.")]),
    ("8.4", "Luister naar de jongeren zelf",
     "Vraag leerlingen wat ze nodig hebben om hun school af te maken, en doe er iets mee.",
     "Leerlingen praten in een teamvergadering mee over prestatiedruk; de mentoren praten met hen en de "
     "rest van het team luistert. Daarna bespreekt de school wat ze anders gaat doen.",
     ["met-kind", "kwaliteiten"],
     [("MAZL", "Regelmatig contact met leerling en ouders geeft ruimte om te praten over wat deze leerling nodig heeft, zodat de hulp op maat is.")]),
]  # fmt: skip


def load(Key, Intervention, Recommendation, RecommendationIntervention) -> None:
    """Create the shipped content; entries an installation already has (same slug, name or code) stay as they are."""
    keys = {}
    for position, (slug, kind, name, summary) in enumerate(KEYS):
        keys[slug], _ = Key.objects.get_or_create(
            slug=slug, defaults={"kind": kind, "name": name, "summary": summary, "position": position}
        )
    interventions = {}
    for position, (name, recognition, note, description, asks, source) in enumerate(INTERVENTIONS):
        interventions[name], _ = Intervention.objects.get_or_create(
            name=name,
            defaults={
                "recognition": recognition, "recognition_note": note, "description": description,
                "asks_of_school": asks, "source": source, "position": position,
            },
        )  # fmt: skip
    for position, (code, title, text, practice, slugs, uses) in enumerate(RECOMMENDATIONS):
        rec, created = Recommendation.objects.get_or_create(
            code=code, defaults={"title": title, "text": text, "practice": practice, "position": position}
        )
        if not created:
            continue
        rec.keys.set([keys[s] for s in slugs])
        for n, (name, how) in enumerate(uses):
            RecommendationIntervention.objects.create(
                recommendation=rec, intervention=interventions[name], how=how, position=n
            )
