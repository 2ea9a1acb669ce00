//! The tokeniser: free UTF-8 text in, index terms out. `static/search.js` mirrors it line for
//! line for queries (`tokenize` there returns the same terms; a browser test compares the two).
//!
//! Text is folded one character at a time: full-width forms become half-width (ＣＷＫ－０３ →
//! CWK-03), the ideographic space becomes a space, then letters are lower-cased. The folded text
//! splits into *pieces*:
//!
//! - a CJK run (Han, kana, hangul) becomes its overlapping character bigrams, plus its last
//!   character on its own. That is enough for one-character queries too: every occurrence of a
//!   character either starts a bigram or ends a run, so a one-character query is answered by
//!   looking up the terms that start with it, and no other single characters are stored;
//! - a word (letters and digits of any other script, joined by single `-` or `_`) stays whole,
//!   so ids like `cwk-03` are one term, found by prefix (`cwk`) on the query side;
//! - everything else (spaces, ASCII and full-width punctuation, symbols) only separates.

/// Words longer than this are cut: a pasted hash or URL should not bloat the index. Ids are at
/// most 40 characters (SPEC section 1), so they always stay whole.
pub(crate) const MAX_WORD_CHARS: usize = 40;

/// One unit of folded text, before it is expanded into terms. `pieces` is the tokeniser as
/// documented, written for clarity; `scan` does the same in one pass, and is tested against it.
#[cfg(test)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    /// A run of CJK characters (at least one).
    Cjk(Vec<char>),
    /// A word or id, already folded and at most `MAX_WORD_CHARS` long.
    Word(String),
}

/// The index terms of `text`, in text order, repeats included.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut terms = Vec::new();
    for_each_term(text, |term| terms.push(term.to_string()));
    terms
}

/// One index term as the tokeniser finds it, before it is written out as a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Term<'a> {
    /// Two consecutive characters of a CJK run.
    Bigram(char, char),
    /// The last character of a CJK run.
    Last(char),
    /// A word or id, folded and at most `MAX_WORD_CHARS` long.
    Word(&'a str),
}

/// Calls `visit` with each index term of `text`, in text order, without allocating a string
/// per term (the index builder calls this on every field of every point).
pub(crate) fn for_each_term(text: &str, mut visit: impl FnMut(&str)) {
    let mut term = String::new();
    scan(text, |found| match found {
        Term::Word(word) => visit(word),
        Term::Bigram(a, b) => {
            term.clear();
            term.push(a);
            term.push(b);
            visit(&term);
        }
        Term::Last(c) => {
            term.clear();
            term.push(c);
            visit(&term);
        }
    });
}

/// Calls `visit` with each term of `text`, in text order: one pass over the characters, no
/// allocation but the word being read. Gives exactly the terms of `pieces` expanded (a test
/// compares the two).
pub(crate) fn scan(text: &str, mut visit: impl FnMut(Term<'_>)) {
    let mut scanner = Scanner::default();
    for c in text.chars() {
        // The common cases without Unicode's tables: ASCII, CJK (which has no case) and the
        // punctuation of Chinese text (which only separates).
        if c.is_ascii() {
            scanner.step(c.to_ascii_lowercase(), &mut visit);
        } else if is_cjk(c) {
            scanner.cjk(c, &mut visit);
        } else if is_separator(c) {
            scanner.step(' ', &mut visit);
        } else {
            for folded in fold(c) {
                scanner.step(folded, &mut visit);
            }
        }
    }
    // The end of the text ends a run or a word: a separator does the same.
    scanner.step(' ', &mut visit);
}

/// The state of `scan` between two folded characters.
#[derive(Default)]
struct Scanner {
    /// The previous character of the CJK run being read.
    run: Option<char>,
    /// The word being read, when `in_word`.
    word: String,
    word_chars: usize,
    in_word: bool,
    /// A joiner read inside a word: it joins only if a word character follows.
    joiner: Option<char>,
}

impl Scanner {
    /// As `step` for a character known to be CJK.
    #[inline]
    fn cjk(&mut self, c: char, visit: &mut impl FnMut(Term<'_>)) {
        if self.in_word {
            // A CJK character is not a word character and not a joiner: the word ends.
            visit(Term::Word(&self.word));
            self.in_word = false;
            self.joiner = None;
        }
        if let Some(previous) = self.run {
            visit(Term::Bigram(previous, c));
        }
        self.run = Some(c);
    }

    #[inline]
    fn step(&mut self, c: char, visit: &mut impl FnMut(Term<'_>)) {
        if self.in_word {
            if is_word(c) {
                if let Some(j) = self.joiner.take() {
                    push_limited(&mut self.word, &mut self.word_chars, j);
                }
                push_limited(&mut self.word, &mut self.word_chars, c);
                return;
            }
            if self.joiner.is_none() && is_joiner(c) {
                self.joiner = Some(c);
                return;
            }
            // The word ends here; a pending joiner only separated.
            visit(Term::Word(&self.word));
            self.in_word = false;
            self.joiner = None;
        }
        if is_cjk(c) {
            if let Some(previous) = self.run {
                visit(Term::Bigram(previous, c));
            }
            self.run = Some(c);
            return;
        }
        if let Some(last) = self.run.take() {
            visit(Term::Last(last));
        }
        if is_word(c) {
            self.word.clear();
            self.word_chars = 0;
            push_limited(&mut self.word, &mut self.word_chars, c);
            self.in_word = true;
        }
    }
}

fn push_limited(word: &mut String, chars: &mut usize, c: char) {
    if *chars < MAX_WORD_CHARS {
        word.push(c);
        *chars += 1;
    }
}

/// Splits folded `text` into CJK runs and words, dropping separators.
#[cfg(test)]
pub(crate) fn pieces(text: &str) -> Vec<Piece> {
    let chars: Vec<char> = text.chars().flat_map(fold).collect();
    let mut pieces = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if is_cjk(c) {
            let start = i;
            while chars.get(i).is_some_and(|&c| is_cjk(c)) {
                i += 1;
            }
            pieces.push(Piece::Cjk(chars[start..i].to_vec()));
        } else if is_word(c) {
            let start = i;
            i += 1;
            loop {
                match (chars.get(i), chars.get(i + 1)) {
                    (Some(&c), _) if is_word(c) => i += 1,
                    (Some(&j), Some(&c)) if is_joiner(j) && is_word(c) => i += 2,
                    _ => break,
                }
            }
            let word = chars[start..i].iter().take(MAX_WORD_CHARS).collect();
            pieces.push(Piece::Word(word));
        } else {
            i += 1;
        }
    }
    pieces
}

/// Folds one character: full-width ASCII forms to ASCII, the ideographic space to a space,
/// then to lower case (which may yield more than one character, as Unicode says).
pub(crate) fn fold(c: char) -> std::char::ToLowercase {
    let half = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    };
    half.to_lowercase()
}

/// Han ideographs (all blocks), the marks 々〆〇, kana and hangul syllables: text without
/// spaces between words, indexed by bigrams.
pub(crate) fn is_cjk(c: char) -> bool {
    // The common block first: nearly every character of a notice is in it.
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
        || matches!(c,
        '\u{3005}'..='\u{3007}'
        | '\u{3040}'..='\u{30FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{AC00}'..='\u{D7AF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3FFFD}')
}

/// Punctuation common in Chinese text that is neither a letter, a digit nor changed by
/// folding: general punctuation (“”—…) and the CJK marks and brackets (、。《》【】), without
/// 々〆〇 (CJK), the Hangzhou numerals and the kana repeat marks (letters and digits).
fn is_separator(c: char) -> bool {
    matches!(c, '\u{2000}'..='\u{206F}' | '\u{3000}'..='\u{3004}' | '\u{3008}'..='\u{3020}' | '\u{3030}')
}

/// Letters and digits of every other script (`\p{Alphabetic}` or `\p{N}` in search.js).
fn is_word(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// Joins two word characters into one term: `CWK-03`, `dept_01`.
fn is_joiner(c: char) -> bool {
    c == '-' || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> Vec<String> {
        tokenize(text)
    }

    #[test]
    fn chinese_becomes_bigrams_and_the_last_character() {
        assert_eq!(t("药品采购"), ["药品", "品采", "采购", "购"]);
        assert_eq!(t("药"), ["药"]);
        assert_eq!(t("回扣"), ["回扣", "扣"]);
    }

    #[test]
    fn punctuation_ends_a_run() {
        assert_eq!(
            t("收受回扣，虚报冒领。"),
            ["收受", "受回", "回扣", "扣", "虚报", "报冒", "冒领", "领"]
        );
        assert_eq!(t("《药品管理法》"), ["药品", "品管", "管理", "理法", "法"]);
        assert_eq!(t("“三重一大”"), ["三重", "重一", "一大", "大"]);
    }

    #[test]
    fn ids_are_whole_and_case_folded() {
        assert_eq!(t("CWK-03"), ["cwk-03"]);
        assert_eq!(t("见 CWK-03、YJK_12。"), ["见", "cwk-03", "yjk_12"]);
        assert_eq!(t("LJFX-2022-00001"), ["ljfx-2022-00001"]);
    }

    #[test]
    fn full_width_forms_fold_to_half_width() {
        assert_eq!(t("ＣＷＫ－０３"), ["cwk-03"]);
        assert_eq!(t("ＩＳＯ９００１"), ["iso9001"]);
        // The ideographic space and full-width punctuation separate.
        assert_eq!(
            t("出纳　审核！复核"),
            ["出纳", "纳", "审核", "核", "复核", "核"]
        );
    }

    #[test]
    fn mixed_chinese_and_latin_split_at_the_script_boundary() {
        assert_eq!(t("HIS系统"), ["his", "系统", "统"]);
        assert_eq!(t("2022年5月"), ["2022", "年", "5", "月"]);
        assert_eq!(t("采购a"), ["采购", "购", "a"]);
    }

    #[test]
    fn joiners_only_join_word_characters() {
        assert_eq!(t("a--b"), ["a", "b"]);
        assert_eq!(t("-x-"), ["x"]);
        assert_eq!(t("cwk-药"), ["cwk", "药"]);
        assert_eq!(t("0797-0000000"), ["0797-0000000"]);
    }

    #[test]
    fn other_scripts_are_words() {
        assert_eq!(t("Ärzte ΣΑΣ"), ["ärzte", "σασ"]);
    }

    #[test]
    fn astral_han_is_cjk() {
        assert_eq!(t("𠀀𠀁"), ["𠀀𠀁", "𠀁"]);
    }

    #[test]
    fn long_words_are_cut() {
        let long = "a".repeat(100);
        assert_eq!(t(&long), ["a".repeat(MAX_WORD_CHARS)]);
    }

    #[test]
    fn nothing_to_index() {
        assert!(t("").is_empty());
        assert!(t("，。！ ？ - _ …").is_empty());
    }

    /// The terms of `pieces`, expanded as the tokeniser describes them.
    fn terms_of_pieces(text: &str) -> Vec<String> {
        let mut terms = Vec::new();
        for piece in pieces(text) {
            match piece {
                Piece::Word(word) => terms.push(word),
                Piece::Cjk(run) => {
                    terms.extend(run.windows(2).map(|pair| pair.iter().collect::<String>()));
                    terms.extend(run.last().map(char::to_string));
                }
            }
        }
        terms
    }

    #[test]
    fn the_separators_are_neither_letters_nor_digits_nor_folded() {
        for c in ('\u{2000}'..='\u{3040}').filter(|&c| is_separator(c)) {
            assert!(!c.is_alphanumeric() && !is_cjk(c), "{c:?}");
            let folded: Vec<char> = fold(c).collect();
            assert!(
                folded == [c] || (c == '\u{3000}' && folded == [' ']),
                "{c:?}"
            );
        }
    }

    #[test]
    fn the_scanner_agrees_with_the_pieces_on_awkward_text() {
        for text in [
            "a--b",
            "-x-",
            "cwk-药",
            "a-",
            "a_-b",
            "İstanbul-药品",
            "ＣＷＫ－０３、药",
            "a-b-c-d",
            "x_",
            "药 品",
            "İ-x",
            "ǅ-Ǆ",
            "药-a",
            "a-药品",
            "a- b",
        ] {
            assert_eq!(tokenize(text), terms_of_pieces(text), "{text}");
        }
        let long = format!("{}-{}", "a".repeat(39), "b".repeat(10));
        assert_eq!(tokenize(&long), terms_of_pieces(&long));
    }

    proptest::proptest! {
        #[test]
        fn the_scanner_agrees_with_the_pieces(text in "(\\PC|[-_a-zA-Z0-9药品采购]){0,80}") {
            proptest::prop_assert_eq!(tokenize(&text), terms_of_pieces(&text));
        }

        #[test]
        fn terms_are_non_empty_and_never_hold_separators(text in "\\PC{0,60}") {
            for term in tokenize(&text) {
                proptest::prop_assert!(!term.is_empty());
                proptest::prop_assert!(!term.contains([' ', ',', '.', '"', '\\']));
                proptest::prop_assert!(term.chars().count() <= MAX_WORD_CHARS);
            }
        }
    }
}
