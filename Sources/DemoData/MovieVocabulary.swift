/// The word pools of one LaMP_2 movie tag.
///
/// Every pool is specific to its tag, so a movie written from a tag's pools shares rare words
/// with other movies of that tag: BM25 and a sentence encoder both find them. Verbs are in
/// their base form; places and things carry their own article.
struct TagVocabulary: Sendable {
    /// The LaMP_2 label this vocabulary belongs to.
    var tag: String
    /// Settings: "a derelict orbital station".
    var places: [String]
    /// Character nouns without article: "starship engineer".
    var roles: [String]
    /// Named characters.
    var names: [String]
    /// Plot nouns with article: "a rogue artificial intelligence".
    var things: [String]
    /// Verb phrases in base form: "reprogram".
    var verbs: [String]
    /// Adjectives that colour the story: "interstellar".
    var adjectives: [String]
}

/// The fifteen LaMP_2 tags' vocabularies, in LaMP's label order.
enum MovieVocabulary {
    static let all: [TagVocabulary] = [
        TagVocabulary(
            tag: "sci-fi",
            places: ["a derelict orbital station", "a mining colony on Titan", "a starship bound for Kepler",
                     "a research base on Europa", "the far side of the moon", "a quantum laboratory"],
            roles: ["starship engineer", "astronaut", "android", "xenobiologist", "space pilot", "physicist"],
            names: ["Commander Rhea Vance", "Dr. Idris Kalon", "the android Unit Seven", "pilot Mara Quell",
                    "Captain Oren Tallis"],
            things: ["a rogue artificial intelligence", "an alien signal", "a wormhole", "a time machine",
                     "a failing fusion reactor", "a cloned crew", "a hyperspace beacon"],
            verbs: ["decode", "reprogram", "intercept", "teleport", "colonize", "terraform"],
            adjectives: ["interstellar", "robotic", "futuristic", "cybernetic", "galactic", "extraterrestrial"]),
        TagVocabulary(
            tag: "based on a book",
            places: ["a crumbling country manor", "a Victorian boarding school", "a village in the novel's Yorkshire",
                     "a sleepy publishing house", "an old lending library", "a Cornish fishing town"],
            roles: ["novelist", "governess", "literary heir", "bookbinder", "orphaned narrator", "young scribe"],
            names: ["Eleanor Ashcombe", "Thomas Whitlow", "the narrator Pip Harrow", "Miss Beatrice Lyle",
                    "Arthur Penwick"],
            things: ["a bestselling novel", "the author's lost manuscript", "a beloved children's book",
                     "a sprawling family saga", "the last chapter", "an inheritance described in letters",
                     "a celebrated literary classic"],
            verbs: ["narrate", "adapt", "chronicle", "inherit", "transcribe", "recount"],
            adjectives: ["literary", "faithful", "bookish", "novelistic", "epistolary", "acclaimed"]),
        TagVocabulary(
            tag: "comedy",
            places: ["a chaotic wedding reception", "a cramped sitcom apartment", "a failing summer camp",
                     "a talent show backstage", "a suburban cul-de-sac", "a disastrous road trip"],
            roles: ["hapless groom", "stand-up comedian", "clumsy substitute teacher", "party planner",
                    "goofy roommate", "prankster"],
            names: ["Barry Plunkett", "Dot McGillicuddy", "Uncle Fergus", "Lenny Buckets", "Tina Waffle"],
            things: ["a hilarious misunderstanding", "a runaway llama", "a botched prank", "a mix-up of identities",
                     "an awkward family reunion", "a wacky bet", "a karaoke contest"],
            verbs: ["bumble through", "prank", "goof up", "juggle", "improvise", "wisecrack about"],
            adjectives: ["hilarious", "wacky", "goofy", "slapstick", "zany", "madcap"]),
        TagVocabulary(
            tag: "action",
            places: ["a speeding armored train", "a rooftop in Hong Kong", "a besieged skyscraper",
                     "a highway chase through Los Angeles", "a cargo plane at thirty thousand feet",
                     "a collapsing dam"],
            roles: ["ex-commando", "bomb disposal expert", "stunt driver", "mercenary", "special forces sniper",
                    "getaway driver"],
            names: ["Jack Stone", "Agent Kira Vale", "Sergeant Dex Mallory", "Rico Blaze", "Viktor Hale"],
            things: ["a ticking bomb", "a stolen warhead", "a high-speed pursuit", "a hostage convoy",
                     "an explosive showdown", "a daring heist", "a helicopter assault"],
            verbs: ["outrun", "defuse", "storm", "ambush", "parachute into", "blast through"],
            adjectives: ["explosive", "adrenaline-fuelled", "high-octane", "relentless", "pulse-pounding",
                         "bulletproof"]),
        TagVocabulary(
            tag: "twist ending",
            places: ["a fog-bound island hotel", "a house with a locked attic", "a remote lighthouse",
                     "a sanatorium in the hills", "a mirrored hallway", "an abandoned train station"],
            roles: ["unreliable narrator", "amnesiac", "impostor", "mysterious stranger", "double agent",
                    "grieving widower"],
            names: ["Nathan Crowe", "Evelyn Marsh", "the stranger called Mr. Gray", "Lila Thorne", "Simon Vey"],
            things: ["a shocking revelation", "a hidden identity", "a final reveal", "a forged alibi",
                     "a secret hidden in plain sight", "a misleading clue", "the truth about the accident"],
            verbs: ["deceive", "unmask", "conceal", "misdirect", "unravel", "impersonate"],
            adjectives: ["deceptive", "mind-bending", "enigmatic", "shocking", "puzzling", "unexpected"]),
        TagVocabulary(
            tag: "dystopia",
            places: ["a walled megacity", "a surveillance state", "a flooded wasteland", "a ration district",
                     "the ruins of the old capital", "a totalitarian academy"],
            roles: ["rebel courier", "state enforcer", "dissident", "ration clerk", "resistance fighter",
                    "defector"],
            names: ["Citizen 451", "Ada Wren", "Marshal Korr", "the rebel Juno Ash", "Tobias Grail"],
            things: ["an oppressive regime", "a mandatory loyalty test", "a rationing lottery",
                     "a propaganda broadcast", "an underground resistance", "a curfew siren", "a memory purge"],
            verbs: ["overthrow", "smuggle", "defy", "surveil", "indoctrinate", "escape from"],
            adjectives: ["bleak", "authoritarian", "post-apocalyptic", "totalitarian", "oppressive", "dystopian"]),
        TagVocabulary(
            tag: "dark comedy",
            places: ["a funeral parlor", "a failing taxidermy shop", "a small-town crematorium",
                     "a dysfunctional family dinner", "a botched crime scene", "a retirement home for hitmen"],
            roles: ["bumbling hitman", "undertaker", "disgruntled accountant", "petty con artist",
                    "morbid florist", "tired coroner"],
            names: ["Gordon Pike", "Mildred Voss", "the twins Otto and Ottilie", "Dale Grimsby", "Rosalind Crake"],
            things: ["an inconvenient corpse", "a misplaced urn", "a life insurance scam", "a funeral gone wrong",
                     "a macabre inheritance", "a body in the freezer", "a grudge over a casserole"],
            verbs: ["bury", "dispose of", "embalm", "cover up", "blackmail", "bungle"],
            adjectives: ["morbid", "macabre", "deadpan", "twisted", "gallows-humored", "absurd"]),
        TagVocabulary(
            tag: "classic",
            places: ["a 1940s Hollywood studio", "a Casablanca nightclub", "a Manhattan penthouse in 1938",
                     "a golden-age ballroom", "a steamship crossing the Atlantic", "a Parisian café in 1925"],
            roles: ["matinee idol", "newspaperman", "screen siren", "bandleader", "society heiress",
                    "chorus girl"],
            names: ["Clark Whitmore", "Vivian Lane", "Humphrey Doyle", "Grace Ellington", "Rex Fairbanks"],
            things: ["a timeless black-and-white romance", "a legendary screenplay", "an Oscar-winning score",
                     "a glamorous premiere", "a celebrated studio picture", "a famous final line",
                     "a technicolor musical number"],
            verbs: ["croon about", "waltz through", "charm", "star in", "rehearse", "toast"],
            adjectives: ["timeless", "legendary", "vintage", "golden-age", "iconic", "black-and-white"]),
        TagVocabulary(
            tag: "psychology",
            places: ["a psychiatric clinic", "a therapist's quiet office", "a sleep research ward",
                     "a childhood home full of memories", "a hypnosis studio", "a university psychology lab"],
            roles: ["psychiatrist", "troubled patient", "behavioral scientist", "hypnotherapist", "profiler",
                    "insomniac"],
            names: ["Dr. Miriam Hale", "Felix Brandt", "the patient known as Ruth", "Dr. Anton Weiss", "Iris Kell"],
            things: ["a repressed trauma", "a split personality", "an obsessive compulsion", "a recurring nightmare",
                     "a therapy session", "a paranoid delusion", "a fractured memory"],
            verbs: ["analyze", "hypnotize", "repress", "obsess over", "confront", "diagnose"],
            adjectives: ["psychological", "obsessive", "paranoid", "introspective", "neurotic", "subconscious"]),
        TagVocabulary(
            tag: "fantasy",
            places: ["an enchanted forest", "a dragon's mountain lair", "the elven kingdom of Aldmere",
                     "a wizard's tower", "a cursed swamp", "a floating citadel"],
            roles: ["young sorceress", "dwarf blacksmith", "knight errant", "elf archer", "apprentice wizard",
                    "changeling"],
            names: ["Elowen Brightleaf", "Thorin Ashhammer", "the wizard Malagar", "Princess Isolde",
                    "Wren of the Hollow"],
            things: ["an ancient prophecy", "a magic amulet", "a slumbering dragon", "an enchanted sword",
                     "a spellbook of runes", "a curse of eternal winter", "a goblin army"],
            verbs: ["enchant", "summon", "vanquish", "bewitch", "conjure", "quest for"],
            adjectives: ["magical", "mythical", "enchanted", "sorcerous", "spellbound", "otherworldly"]),
        TagVocabulary(
            tag: "romance",
            places: ["a seaside bakery", "a rainy Paris bookshop", "a vineyard in Tuscany",
                     "a small-town flower shop", "a snowed-in ski lodge", "a summer wedding in Provence"],
            roles: ["florist", "widowed baker", "hopeless romantic", "childhood sweetheart", "wedding singer",
                    "lovesick violinist"],
            names: ["Sophie Laurent", "Daniel Brooks", "Amelia Rose", "Luca Moretti", "Hannah Bell"],
            things: ["a love letter", "a first kiss", "a secret engagement", "a whirlwind courtship",
                     "a long-distance relationship", "a second chance at love", "a heartbreak"],
            verbs: ["fall in love with", "court", "woo", "propose to", "reunite with", "flirt with"],
            adjectives: ["romantic", "heartwarming", "tender", "passionate", "lovestruck", "swoon-worthy"]),
        TagVocabulary(
            tag: "thought-provoking",
            places: ["a philosophy seminar", "a monastery above the clouds", "a hospice by the sea",
                     "a silent retreat", "a debate hall", "an empty museum at night"],
            roles: ["philosopher", "ethicist", "grieving scientist", "monk", "skeptical journalist", "dying poet"],
            names: ["Professor Lena Arndt", "Brother Ansel", "Samuel Oyelaran", "Noor Haddad", "Julian Fenn"],
            things: ["a moral dilemma", "the meaning of existence", "a question of free will",
                     "an ethical paradox", "the nature of consciousness", "a meditation on mortality",
                     "a crisis of conscience"],
            verbs: ["contemplate", "question", "ponder", "reflect on", "wrestle with", "reconsider"],
            adjectives: ["philosophical", "contemplative", "profound", "existential", "meditative", "ambiguous"]),
        TagVocabulary(
            tag: "social commentary",
            places: ["a struggling factory town", "a gentrifying neighborhood", "a public housing estate",
                     "a corporate headquarters", "an overcrowded immigration office", "a segregated school"],
            roles: ["union organizer", "whistleblower", "migrant worker", "community activist",
                    "low-wage cashier", "civil rights lawyer"],
            names: ["Rosa Delgado", "Marcus Greene", "Aisha Karim", "Joe Kowalski", "Dolores Whitfield"],
            things: ["corporate greed", "systemic inequality", "a labor strike", "an eviction notice",
                     "a class divide", "institutional racism", "a rigged welfare system"],
            verbs: ["protest", "unionize", "expose", "organize", "challenge", "campaign against"],
            adjectives: ["satirical", "political", "unequal", "working-class", "marginalized", "scathing"]),
        TagVocabulary(
            tag: "violence",
            places: ["a cartel compound", "a blood-soaked boxing ring", "a gang-ruled housing block",
                     "a backwoods slaughterhouse", "a prison yard", "a neon-lit underworld"],
            roles: ["enforcer", "vengeful gangster", "cartel assassin", "bare-knuckle fighter", "hired gun",
                    "serial killer"],
            names: ["Vince Morrow", "Carla Santos", "the brothers Kane", "Mickey Rourke-Doyle", "Sal Brutti"],
            things: ["a brutal gang war", "a bloody massacre", "a savage revenge", "a gruesome shootout",
                     "a vicious turf war", "a chainsaw", "a torture chamber"],
            verbs: ["slaughter", "maim", "torture", "gun down", "brutalize", "execute"],
            adjectives: ["brutal", "bloody", "savage", "gory", "vicious", "ruthless"]),
        TagVocabulary(
            tag: "true story",
            places: ["a 1970s courtroom", "a coal mine in West Virginia", "the real Apollo 13 mission control",
                     "a wartime hospital in 1943", "a newsroom in Boston", "a refugee camp in 1992"],
            roles: ["real-life lawyer", "investigative reporter", "decorated veteran", "real-life nurse",
                    "survivor", "historian"],
            names: ["Erin Caldwell", "Frank Abernathy", "Sergeant Alvin Rourke", "Katherine Mills", "Oskar Brenner"],
            things: ["real events", "a landmark trial", "a historic rescue", "an actual scandal",
                     "a documented miracle", "a true account of survival", "a decades-long investigation"],
            verbs: ["testify about", "document", "investigate", "survive", "commemorate", "reenact"],
            adjectives: ["historical", "real-life", "biographical", "true", "documented", "inspiring"]),
    ]

    /// The vocabulary of a label, or nil for an unknown label.
    static func vocabulary(for tag: String) -> TagVocabulary? {
        all.first { $0.tag == tag }
    }
}
