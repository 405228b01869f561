//! The plain-text word lists of `data/`: one entry a line, `#` starts a comment line, blank
//! lines are skipped; a list of several kinds of words puts the kind first, then a tab.

/// The entries of a list, trimmed.
pub fn entries(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
}

/// The entries of `kind` in a list of `kind<TAB>entry` lines.
pub fn of_kind<'t>(text: &'t str, kind: &'t str) -> impl Iterator<Item = &'t str> {
    entries(text).filter_map(move |line| {
        let (k, entry) = line.split_once('\t')?;
        (k.trim() == kind).then(|| entry.trim())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_reads_entries_and_kinds() {
        let list = "# a comment\n\nvillage\n  ville  \n";
        assert_eq!(entries(list).collect::<Vec<_>>(), ["village", "ville"]);
        let kinds = "# kinds\ncue\tvers\ntitle\tgeneral\ncue\tentre\n";
        assert_eq!(of_kind(kinds, "cue").collect::<Vec<_>>(), ["vers", "entre"]);
        assert_eq!(of_kind(kinds, "river").count(), 0);
    }
}
