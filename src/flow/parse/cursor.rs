//! A character cursor over a flow block that knows the 1-based line and column of every
//! character, so each error can point at the exact character, counted the way an editor does.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Pos {
    pub(super) line: usize,
    pub(super) column: usize,
}

pub(super) struct Cursor {
    chars: Vec<char>,
    /// `positions[i]` is where `chars[i]` stands; one extra entry for the end of the text.
    positions: Vec<Pos>,
    index: usize,
}

impl Cursor {
    pub(super) fn new(src: &str) -> Cursor {
        let chars: Vec<char> = src.chars().collect();
        let mut positions = Vec::with_capacity(chars.len() + 1);
        let (mut line, mut column) = (1, 1);
        for &c in &chars {
            positions.push(Pos { line, column });
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        positions.push(Pos { line, column });
        Cursor {
            chars,
            positions,
            index: 0,
        }
    }

    pub(super) fn peek(&self) -> Option<char> {
        self.chars.get(self.index).copied()
    }

    pub(super) fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.index + ahead).copied()
    }

    pub(super) fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.index += 1;
        Some(c)
    }

    pub(super) fn advance(&mut self, count: usize) {
        self.index = (self.index + count).min(self.chars.len());
    }

    /// Where the next character stands (or the end of the text).
    pub(super) fn pos(&self) -> Pos {
        self.positions[self.index]
    }

    pub(super) fn mark(&self) -> usize {
        self.index
    }

    pub(super) fn reset(&mut self, mark: usize) {
        self.index = mark.min(self.chars.len());
    }

    pub(super) fn starts_with(&self, s: &str) -> bool {
        s.chars()
            .enumerate()
            .all(|(ahead, c)| self.peek_at(ahead) == Some(c))
    }

    /// How many `c` follow in a row from the cursor.
    pub(super) fn run_of(&self, c: char) -> usize {
        let mut n = 0;
        while self.peek_at(n) == Some(c) {
            n += 1;
        }
        n
    }

    /// Skips spaces within the line (full-width spaces and a stray BOM included).
    pub(super) fn skip_inline_space(&mut self) {
        while self.peek().is_some_and(is_inline_space) {
            self.index += 1;
        }
    }

    /// At the end of a statement: end of text, newline, `;` or a `%%` comment.
    pub(super) fn at_statement_end(&self) -> bool {
        matches!(self.peek(), None | Some('\n' | ';')) || self.starts_with("%%")
    }

    /// Skips blank lines, `;` and `%%` comments between statements.
    pub(super) fn skip_separators(&mut self) {
        loop {
            match self.peek() {
                Some(c) if c == '\n' || c == ';' || is_inline_space(c) => self.index += 1,
                Some('%') if self.starts_with("%%") => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.index += 1;
                    }
                }
                _ => return,
            }
        }
    }
}

pub(super) fn is_inline_space(c: char) -> bool {
    c != '\n' && (c.is_whitespace() || c == '\u{feff}')
}
