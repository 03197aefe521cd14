//! Built-in stop-word lists: the most frequent function words of each
//! supported language, lower case, written for this project.
//!
//! Prose is full of these words and navigation, tag lists and headlines are
//! not, so their density is the classifier's best sign of running text.
//! This module owns the lists and the choice of a page's language; it does
//! not classify anything.

use std::sync::LazyLock;

/// A language with a stop-word list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    English,
    German,
    French,
    Spanish,
    Italian,
    Portuguese,
    Dutch,
    Russian,
    Polish,
    Swedish,
}

impl Language {
    pub const ALL: [Language; 10] = [
        Language::English,
        Language::German,
        Language::French,
        Language::Spanish,
        Language::Italian,
        Language::Portuguese,
        Language::Dutch,
        Language::Russian,
        Language::Polish,
        Language::Swedish,
    ];

    /// ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::German => "de",
            Language::French => "fr",
            Language::Spanish => "es",
            Language::Italian => "it",
            Language::Portuguese => "pt",
            Language::Dutch => "nl",
            Language::Russian => "ru",
            Language::Polish => "pl",
            Language::Swedish => "sv",
        }
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }

    fn words(self) -> &'static str {
        match self {
            Language::English => ENGLISH,
            Language::German => GERMAN,
            Language::French => FRENCH,
            Language::Spanish => SPANISH,
            Language::Italian => ITALIAN,
            Language::Portuguese => PORTUGUESE,
            Language::Dutch => DUTCH,
            Language::Russian => RUSSIAN,
            Language::Polish => POLISH,
            Language::Swedish => SWEDISH,
        }
    }
}

/// Which stop words to count on a page: one language's, or none when the
/// page's language is not one of ours (the classifier then leans on length
/// and punctuation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopWords {
    Language(Language),
    Neutral,
}

impl StopWords {
    /// Whether `word` (already lower case) is a stop word of this choice.
    pub fn contains(self, word: &str) -> bool {
        match self {
            StopWords::Language(lang) => bits_contain(language_bits(word), lang),
            StopWords::Neutral => false,
        }
    }

    /// Whether a word with these [`language_bits`] is a stop word of this
    /// choice.
    pub fn contains_bits(self, bits: u16) -> bool {
        match self {
            StopWords::Language(lang) => bits_contain(bits, lang),
            StopWords::Neutral => false,
        }
    }
}

/// Bit set of the languages whose list holds `word` (lower case).
pub fn language_bits(word: &str) -> u16 {
    language_bits_of(word.as_bytes())
}

/// [`language_bits`] of a word's UTF-8 bytes.
#[inline]
pub fn language_bits_of(word: &[u8]) -> u16 {
    TABLE.get(word)
}

/// The stop-word table, for looking up many words: [`language_bits_of`]
/// without making sure, for each, that the table is built.
#[derive(Clone, Copy)]
pub struct Lookup(&'static Table);

impl Lookup {
    pub fn get() -> Lookup {
        Lookup(&TABLE)
    }

    /// [`language_bits_of`] `word`.
    #[inline]
    pub fn bits(self, word: &[u8]) -> u16 {
        self.0.get(word)
    }

    /// [`language_bits_of`] a word of at most seven bytes, given as
    /// `eight`, its bytes in little-endian order with zeros above them,
    /// and `len`, how many there are.
    #[inline]
    pub fn bits_short(self, eight: u64, len: usize) -> u16 {
        debug_assert!(len < 8 && eight >> (8 * len) == 0);
        // What `pack` makes of such a word, as one integer.
        self.0.short_bits(short_key((eight, (len as u64) << 56)))
    }
}

/// Whether `bits` (from [`language_bits`]) include `lang`.
pub fn bits_contain(bits: u16, lang: Language) -> bool {
    bits & lang.bit() != 0
}

/// A page needs at least this many stop-word hits of its best language,
/// and they must be at least this share of its words, before we trust the
/// guess; below that the page is in a language we have no list for.
const MIN_LANGUAGE_HITS: usize = 8;
const MIN_LANGUAGE_SHARE: f64 = 0.08;

/// Pick the language whose stop words are most frequent in `words` (lower
/// case), or [`StopWords::Neutral`] when none is convincing.
pub fn detect<'a>(words: impl IntoIterator<Item = &'a str>) -> StopWords {
    let bits: Vec<u16> = words.into_iter().map(language_bits).collect();
    detect_bits(&bits)
}

/// Bits a language's count takes in a sum of [`SPREAD`] entries.
const FIELD_BITS: usize = 6;

/// Words summed in one go: the most a field holds without spilling into
/// the next.
const FIELD_MAX: usize = (1 << FIELD_BITS) - 1;

/// For each set of languages' bits, its bits spread out, each to the low
/// end of its language's field: adding up a word's entries counts its
/// hits in every language at once.
static SPREAD: [u64; 1 << Language::ALL.len()] = spread();

const fn spread() -> [u64; 1 << Language::ALL.len()] {
    let mut table = [0; 1 << Language::ALL.len()];
    let mut bits = 0;
    while bits < table.len() {
        let mut lang = 0;
        while lang < Language::ALL.len() {
            table[bits] |= ((bits >> lang & 1) as u64) << (FIELD_BITS * lang);
            lang += 1;
        }
        bits += 1;
    }
    table
}

/// [`detect`] from each word's [`language_bits`].
pub fn detect_bits(words: &[u16]) -> StopWords {
    // One pass over the words, a look-up and an addition each, counting
    // every language at once in the fields of a sum (a page has thousands
    // of words: this is 60% of the instructions of a pass per language).
    let mut hits = [0usize; Language::ALL.len()];
    let languages = (1 << Language::ALL.len()) - 1;
    let spread = |b: u16| SPREAD[usize::from(b) & languages];
    // Four words a step: fewer steps of the loop to count. A sum takes at
    // most FIELD_MAX words, so no field spills.
    for chunk in words.chunks(FIELD_MAX / 4 * 4) {
        let mut quads = chunk.chunks_exact(4);
        let mut sum = 0;
        for quad in &mut quads {
            sum += spread(quad[0]) + spread(quad[1]) + spread(quad[2]) + spread(quad[3]);
        }
        let sum = quads
            .remainder()
            .iter()
            .fold(sum, |sum, &b| sum + spread(b));
        for (lang, count) in hits.iter_mut().enumerate() {
            *count += (sum >> (FIELD_BITS * lang)) as usize & FIELD_MAX;
        }
    }
    let total = words.len();
    let Some((best, &count)) = hits.iter().enumerate().max_by_key(|(_, &h)| h) else {
        return StopWords::Neutral;
    };
    if count < MIN_LANGUAGE_HITS || (count as f64) < MIN_LANGUAGE_SHARE * total as f64 {
        return StopWords::Neutral;
    }
    StopWords::Language(Language::ALL[best])
}

/// A word of at most [`PACKED_MAX`] bytes as two integers: its bytes in
/// little-endian order, the first eight in `.0`, the rest in `.1`, whose
/// top byte holds the length. Two words pack alike only when they are
/// equal, and only the empty word packs to [`EMPTY`].
type Packed = (u64, u64);

/// The longest word [`pack`] takes.
const PACKED_MAX: usize = 15;

/// The packing of the empty word, which marks an empty slot.
const EMPTY: Packed = (0, 0);

/// [`Packed`] `word`, which is at most [`PACKED_MAX`] bytes long. Reads
/// the bytes in a few overlapping loads rather than one by one.
fn pack(word: &[u8]) -> Packed {
    let n = word.len();
    let le4 = |b: &[u8]| u64::from(u32::from_le_bytes(b.try_into().expect("4 bytes")));
    let le8 = |b: &[u8]| u64::from_le_bytes(b.try_into().expect("8 bytes"));
    let (first, rest) = match n {
        0 => (0, 0),
        // First, middle and last byte, which between them are all three.
        1..=3 => {
            let byte = |i: usize| u64::from(word[i]) << (8 * i);
            (byte(0) | byte(n / 2) | byte(n - 1), 0)
        }
        // First four and last four, overlapping when fewer than eight.
        4..=7 => (le4(&word[..4]) | le4(&word[n - 4..]) << (8 * (n - 4)), 0),
        // First eight, and the last eight shifted down to bytes 8 on (none
        // of them when there are eight): one way for every length from
        // eight on, rather than a branch between eight and more, which
        // the scan's long tokens make hard to guess.
        _ => (
            le8(&word[..8]),
            le8(&word[n - 8..]) >> 1 >> (8 * (16 - n) - 1),
        ),
    };
    (first, rest | (n as u64) << 56)
}

/// Slots of [`Table::short`], the words of up to [`SHORT_MAX`] bytes
/// (nearly all of them): a power of two, several times their number, so
/// that most look-ups end at the first slot. A token is more often not a
/// stop word than one, and such a look-up goes on to an empty slot: at
/// 4096 slots one in five took a second probe, at 8192 one in ten.
const SHORT_SLOTS: usize = 8192;

/// Slots of [`Table::long`], the words of more than [`SHORT_MAX`] bytes:
/// a few dozen of them.
const LONG_SLOTS: usize = 512;

/// Every stop word with its languages' bits, in two open-addressing
/// tables: words of up to seven bytes keyed by one integer (their bytes
/// and their length, as [`Packed`] has them), longer ones by [`Packed`]
/// words. Looked up once per token of every page: a token longer than the
/// longest stop word is out at once; any other is packed, hashed with one
/// multiplication and compared with the slots from its hash on until it or
/// an empty slot turns up.
struct Table {
    short: Box<[(u64, u16); SHORT_SLOTS]>,
    long: Box<[(Packed, u16); LONG_SLOTS]>,
    longest: usize,
}

/// The words [`Table::short`] holds: up to this many bytes.
const SHORT_MAX: usize = 7;

/// The one integer a word of up to [`SHORT_MAX`] bytes packs to: its
/// bytes, and its length in the top byte. Only the empty word packs to 0,
/// which marks an empty slot.
fn short_key(word: Packed) -> u64 {
    word.0 | word.1
}

impl Table {
    /// The slot of [`Table::short`] holding `key`, or the empty one where
    /// it would go.
    fn short_slot(&self, key: u64) -> usize {
        let mut at = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15)
            >> (64 - SHORT_SLOTS.trailing_zeros())) as usize;
        loop {
            let slot = self.short[at].0;
            // One test for both ends of the search, the word's slot and an
            // empty one (whose bits are 0, what a word not in the table
            // has), rather than a branch on which it is: whether a token
            // is a stop word is a coin toss, and a branch on it is guessed
            // wrong half the time. The smaller of two numbers is 0 when
            // either is.
            if (slot ^ key).min(slot) == 0 {
                return at;
            }
            at = (at + 1) % SHORT_SLOTS;
        }
    }

    /// The bits of the word of up to [`SHORT_MAX`] bytes packed to `key`.
    #[inline(always)]
    fn short_bits(&self, key: u64) -> u16 {
        self.short[self.short_slot(key)].1
    }

    /// The slot holding `word`, or the empty one where it would go.
    fn long_slot(&self, word: Packed) -> usize {
        let mixed = (word.0 ^ word.1.rotate_left(31)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut at = (mixed >> (64 - LONG_SLOTS.trailing_zeros())) as usize;
        while self.long[at].0 != word && self.long[at].0 != EMPTY {
            at = (at + 1) % LONG_SLOTS;
        }
        at
    }

    #[inline(always)]
    fn get(&self, word: &[u8]) -> u16 {
        if word.len() > self.longest {
            return 0;
        }
        let packed = pack(word);
        if word.len() <= SHORT_MAX {
            self.short_bits(short_key(packed))
        } else {
            self.long[self.long_slot(packed)].1
        }
    }
}

/// File `key`, a word of `lang`, in the slot `at` of `slots` that the
/// search for it ended on. `taken` counts the slots holding a word (those
/// with a language's bit): at most half of them may.
fn file<K>(slots: &mut [(K, u16)], at: usize, key: K, lang: Language, taken: &mut usize) {
    if slots[at].1 == 0 {
        *taken += 1;
        assert!(
            *taken * 2 <= slots.len(),
            "too many stop words for the table"
        );
    }
    slots[at] = (key, slots[at].1 | lang.bit());
}

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    let short = vec![(0, 0); SHORT_SLOTS].into_boxed_slice();
    let long = vec![(EMPTY, 0); LONG_SLOTS].into_boxed_slice();
    let mut table = Table {
        short: short.try_into().expect("SHORT_SLOTS slots"),
        long: long.try_into().expect("LONG_SLOTS slots"),
        longest: 0,
    };
    let (mut short_count, mut long_count) = (0, 0);
    for lang in Language::ALL {
        for word in lang.words().split_whitespace() {
            assert!(word.len() <= PACKED_MAX, "stop word too long: {word}");
            table.longest = table.longest.max(word.len());
            let packed = pack(word.as_bytes());
            if word.len() <= SHORT_MAX {
                let key = short_key(packed);
                let at = table.short_slot(key);
                file(&mut table.short[..], at, key, lang, &mut short_count);
            } else {
                let at = table.long_slot(packed);
                file(&mut table.long[..], at, packed, lang, &mut long_count);
            }
        }
    }
    table
});

const ENGLISH: &str = "
a about above after again against all also am an and any are as at be because
been before being below between both but by can could did do does doing down
during each few for from further had has have having he her here hers herself
him himself his how i if in into is it its itself just me more most my myself
no nor not now of off on once only or other our ours out over own same she
should so some such than that the their theirs them themselves then there these
they this those through to too under until up very was we were what when where
which while who whom why will with would you your yours yourself one two also
said says may might must shall its it's we'd there's who's what's where while
";

const GERMAN: &str = "
aber alle allem allen aller alles als also am an ander andere anderen auch auf
aus bei bin bis bist da damit dann das dass dein deine dem den denn der des dich
die dies diese diesem diesen dieser dieses dir doch dort du durch ein eine einem
einen einer eines er es etwas euch euer für gegen gewesen hab habe haben hat
hatte hatten hier hin hinter ich ihm ihn ihnen ihr ihre im in indem ins ist
jede jedem jeden jeder jetzt kann kein keine können könnte machen man manche
mehr mein mich mir mit muss musste nach nicht nichts noch nun nur ob oder ohne
sehr sein seine seinem seinen seiner sich sie sind so solche soll sollte sondern
über um und uns unser unter viel vom von vor wann war waren warum was weil
weiter welche wenn wer werde werden wie wieder will wir wird wo wurde wurden zu
zum zur zwar zwischen schon sowie seit
";

const FRENCH: &str = "
à au aucun aussi autre aux avec avoir ont avait avant bien c ça car ce ceci cela
celle celui ces cet cette chaque comme comment d dans de des deux donc dont du
elle elles en encore entre est et été être eu eux fait faire il ils j je l la
le les leur leurs lui m ma mais me même mes moi mon n ne ni nos notre nous on
ou où par parce pas peu peut plus pour pourquoi qu quand que quel quelle
quelques qui s sa sans se selon ses si son sont sous sur t ta te tes toi ton
tous tout toute toutes très tu un une vos votre vous y était sera sont ainsi
après alors depuis lors contre déjà dès
";

const SPANISH: &str = "
a al algo algunas algunos ante antes como con contra cual cuando de del desde
donde durante e el él ella ellas ellos en entre era eran es esa esas ese eso
esos esta está están estas este esto estos fue fueron ha había han hasta hay la
las le les lo los más me mi mientras muy nada ni no nos nosotros o os otra otras
otro otros para pero poco por porque que qué quien se sea ser si sí sido sin
sobre son su sus también tanto te tiene tienen todo todos tu tus un una uno
unos y ya yo según tras cada fue así sólo solo puede
";

const ITALIAN: &str = "
a ad agli ai al alla alle allo anche avere aveva c che chi ci come con contro
cui da dai dal dalla dalle degli dei del della delle dello di dove e è ed era
erano essere gli ha hanno i il in io la le lei lo loro lui ma mi molto ne negli
nei nel nella nelle nello no noi non o ogni per perché più quale quando quella
quelle quello questa queste questo se sei si sia siamo sono sta stato su sua
sue sui sul sulla suo suoi tra tutti tutto un una uno vi anche dopo ancora
essere fa già poi può solo
";

const PORTUGUESE: &str = "
a à ao aos as às até com como da das de dela dele deles do dos e é ela elas ele
eles em entre era eram essa essas esse esses esta está estão estas este estes
eu foi foram há isso isto já la lhe lhes mais mas me mesmo meu minha muito na
nas nem no nos nós o os ou para pela pelas pelo pelos por qual quando que quem
se sem ser seu seus sua suas também te tem têm ter teu um uma umas uns você
vocês sobre após ainda assim cada depois onde pode porque seja será sido
";

const DUTCH: &str = "
aan al alle als andere bij dan dat de der deze die dit doch doen door dus een
eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun
iemand ik in is ja je kan kon kunnen maar me meer men met mij mijn moet na naar
niet niets nog nu of om omdat ons ook op over reeds te tegen toch toen tot u uit
uw van veel voor want waren was wat we wel werd wie wij wordt worden zal ze zelf
zich zij zijn zo zonder zou zoals nadat onder tussen volgens waar
";

const RUSSIAN: &str = "
а без более бы был была были было быть в вам вас весь во вот все всего всех вы
где да даже для до его ее её если есть еще ещё же за здесь и из или им их к как
когда кто ли либо мне может мы на над надо наш не него нее неё нет ни них но ну
о об однако он она они оно от очень по под при с со так также такой там те тем
то того тоже той только том ты у уже хотя чего чей чем что чтобы эта эти это
этого этой этом этот я после между через который которые которая которое
";

const POLISH: &str = "
a aby ale bardzo bez bo być był była było były będzie co czy dla do gdy gdzie go
i ich ile im innych jak jaki jako je jeden jednak jego jej jest jestem już kiedy
kto która które którego który których ma mają mi mnie może można mu na nad nas
nie nich nim niż o od oraz po pod ponieważ przed przez przy są się sobie tak
także tam te tego tej tej ten też to tu tylko tym w we więc wszystko z za ze że
żeby lub między według został została zostały
";

const SWEDISH: &str = "
alla allt att av blev bli blir de dem den denna deras dess det detta dig din
dina ditt du där då efter ej eller en er ett från för ha hade han hans har hon
honom hur här i icke inte inom ja jag kan man med mellan men mig min mina mitt
mot mycket ni nu när och om oss på samma sedan sig sin sina sitta själv skulle
som så till under upp ut utan vad var vara varit vi vid vilka vilken än är åt
över också enligt även
";

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    /// The languages of every listed word, the straightforward way.
    fn reference() -> HashMap<&'static str, u16> {
        let mut words = HashMap::new();
        for lang in Language::ALL {
            for word in lang.words().split_whitespace() {
                *words.entry(word).or_insert(0) |= lang.bit();
            }
        }
        words
    }

    fn listed_words() -> Vec<&'static str> {
        let mut words: Vec<_> = reference().into_keys().collect();
        words.sort_unstable();
        words
    }

    #[test]
    fn every_listed_word_has_its_languages() {
        let reference = reference();
        for (word, bits) in &reference {
            assert_eq!(language_bits(word), *bits, "{word}");
        }
        assert_eq!(language_bits("the"), Language::English.bit());
        assert_eq!(language_bits(""), 0);
    }

    /// Words near the listed ones: listed words cut short or run on,
    /// and runs of the letters they are made of (a zero byte included).
    fn near_words() -> impl Strategy<Value = String> {
        let listed = proptest::sample::select(listed_words());
        prop_oneof![
            listed.clone().prop_map(str::to_owned),
            (listed.clone(), 0..16usize).prop_map(|(w, n)| w.chars().take(n).collect()),
            (listed, "[a-zéàüöäåñłżąęсчтоя\\x00]{0,6}").prop_map(|(w, tail)| w.to_owned() + &tail),
            "[a-zéàüöäåñłżąęсчтоя0-9\\x00]{0,18}",
        ]
    }

    proptest! {
        #[test]
        fn table_agrees_with_the_lists(word in near_words()) {
            let expected = reference().get(word.as_str()).copied().unwrap_or(0);
            prop_assert_eq!(language_bits(&word), expected);
        }

        #[test]
        fn short_words_look_up_alike(word in near_words()) {
            let bytes = word.as_bytes();
            if bytes.len() < 8 {
                let mut eight = [0; 8];
                eight[..bytes.len()].copy_from_slice(bytes);
                let short = Lookup::get().bits_short(u64::from_le_bytes(eight), bytes.len());
                prop_assert_eq!(short, language_bits(&word));
            }
            prop_assert_eq!(Lookup::get().bits(bytes), language_bits(&word));
        }

        #[test]
        fn packing_tells_words_apart(
            a in proptest::collection::vec(any::<u8>(), 0..=PACKED_MAX),
            b in proptest::collection::vec(any::<u8>(), 0..=PACKED_MAX),
        ) {
            prop_assert_eq!(pack(&a) == pack(&b), a == b);
            prop_assert_eq!(pack(&a) == EMPTY, a.is_empty());
            if a.len() <= SHORT_MAX && b.len() <= SHORT_MAX {
                let (ka, kb) = (short_key(pack(&a)), short_key(pack(&b)));
                prop_assert_eq!(ka == kb, a == b);
                prop_assert_eq!(ka == 0, a.is_empty());
            }
            for i in 0..a.len() {
                let mut changed = a.clone();
                changed[i] ^= 1 << (i % 8);
                prop_assert_ne!(pack(&changed), pack(&a));
            }
        }
    }

    #[test]
    fn detects_languages_from_function_words() {
        let en = "the harbour was quiet and the boats were in their moorings for the night \
                  because a storm had been forecast by the office";
        assert_eq!(
            detect(en.split(' ')),
            StopWords::Language(Language::English)
        );
        let de = "der hafen war ruhig und die boote lagen an ihren plätzen weil für die nacht \
                  ein sturm angesagt war und man nicht auslaufen wollte";
        assert_eq!(detect(de.split(' ')), StopWords::Language(Language::German));
        let ru = "в порту было тихо и лодки стояли на своих местах потому что на ночь был \
                  объявлен шторм и никто не хотел выходить в море";
        assert_eq!(
            detect(ru.split(' ')),
            StopWords::Language(Language::Russian)
        );
    }

    proptest! {
        /// Counting every language at once agrees with counting each on
        /// its own, over more words than one sum takes.
        #[test]
        fn detection_counts_every_language(
            words in proptest::collection::vec(0u16..=0x3FF, 0..400),
            stray in any::<u16>(),
        ) {
            let mut words = words;
            words.push(stray);
            let mut hits = [0usize; Language::ALL.len()];
            for (lang, count) in Language::ALL.iter().zip(&mut hits) {
                *count = words.iter().filter(|&&b| bits_contain(b, *lang)).count();
            }
            let best = hits.iter().enumerate().max_by_key(|(_, &h)| h).map(|(i, &h)| (i, h));
            let expected = match best {
                Some((i, h)) if h >= MIN_LANGUAGE_HITS
                    && (h as f64) >= MIN_LANGUAGE_SHARE * words.len() as f64 =>
                {
                    StopWords::Language(Language::ALL[i])
                }
                _ => StopWords::Neutral,
            };
            prop_assert_eq!(detect_bits(&words), expected);
        }
    }

    #[test]
    fn unknown_languages_are_neutral() {
        assert_eq!(
            detect("港口 很 安静 船只 停泊".split(' ')),
            StopWords::Neutral
        );
        assert!(!StopWords::Neutral.contains("the"));
    }
}
