//! Content lines: CRLF line ends and folding at 75 octets (RFC 5545 §3.1).

/// Longest content line, in octets, not counting the CRLF.
const MAX_OCTETS: usize = 75;

/// Accumulates content lines, folding each one as it is completed.
pub(crate) struct IcsWriter {
    out: String,
    /// Scratch buffer for the line being built, reused to avoid one allocation per property.
    line: String,
}

impl IcsWriter {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Self { out: String::with_capacity(capacity), line: String::with_capacity(256) }
    }

    /// Writes one content line whose text `build` appends (name, parameters, `:`, value).
    pub(crate) fn property(&mut self, build: impl FnOnce(&mut String)) {
        self.line.clear();
        build(&mut self.line);
        push_folded(&mut self.out, &self.line);
    }

    /// Writes a fixed content line such as `BEGIN:VEVENT`.
    pub(crate) fn line(&mut self, text: &str) {
        push_folded(&mut self.out, text);
    }

    /// Appends pre-formatted, CRLF-terminated lines (the VTIMEZONE block).
    pub(crate) fn raw(&mut self, lines: &str) {
        debug_assert!(lines.ends_with("\r\n"));
        self.out.push_str(lines);
    }

    pub(crate) fn finish(self) -> String {
        self.out
    }
}

/// Appends `line` + CRLF, folded so that no physical line exceeds 75 octets. A fold is
/// CRLF + one space, and never falls inside a multi-byte UTF-8 character: clients that decode
/// each physical line on its own (Outlook did) would otherwise show replacement characters.
pub(crate) fn push_folded(out: &mut String, line: &str) {
    let mut start = 0;
    // The first physical line holds 75 octets; continuations 74 after their leading space.
    let mut room = MAX_OCTETS;
    while line.len() - start > room {
        let mut end = start + room;
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        out.push_str(&line[start..end]);
        out.push_str("\r\n ");
        start = end;
        room = MAX_OCTETS - 1;
    }
    out.push_str(&line[start..]);
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(line: &str) -> String {
        let mut out = String::new();
        push_folded(&mut out, line);
        out
    }

    fn unfold(text: &str) -> String {
        text.replace("\r\n ", "")
    }

    #[test]
    fn short_lines_are_not_folded() {
        let line = "X".repeat(75);
        assert_eq!(folded(&line), format!("{line}\r\n"));
    }

    #[test]
    fn physical_lines_never_exceed_75_octets() {
        for len in [76, 149, 150, 151, 500] {
            let line = "D".repeat(len);
            let out = folded(&line);
            assert!(out.split("\r\n").all(|l| l.len() <= 75), "len {len}: {out:?}");
            assert_eq!(unfold(&out), format!("{line}\r\n"));
        }
    }

    #[test]
    fn folds_never_split_a_utf8_character() {
        // 'é' is 2 octets and '🎉' 4: every fold position lands inside some character.
        for prefix in 0..4 {
            let line = format!("{}{}", "a".repeat(prefix), "é🎉".repeat(60));
            // Slicing inside a character would panic, so reaching the checks proves the point.
            let out = folded(&line);
            let physical: Vec<&str> = out.trim_end_matches("\r\n").split("\r\n").collect();
            for l in &physical {
                assert!(l.len() <= 75);
            }
            // Backing off to a boundary costs at most 3 octets per line.
            for l in &physical[..physical.len() - 1] {
                assert!(l.len() >= 72, "{l:?}");
            }
            assert_eq!(unfold(&out), format!("{line}\r\n"));
        }
    }
}
