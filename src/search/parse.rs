//! Reads what an analyst types into a query: words, "phrases", -exclusions, OR, field:value.
//!
//! Nothing typed is a syntax error. French quotes « » and “ ” are phrase quotes; an unmatched
//! quote is ignored; brackets and stray punctuation separate words; `Gao:` is the word `Gao`
//! since `Gao` is no field. Words are all required unless joined by `OR`.

/// Fields a clause can target with `field:value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Title and body (the default).
    All,
    Title,
    Body,
    Lang,
    Year,
    Source,
    Id,
    Site,
    Location,
    Actor,
    Event,
}

impl Target {
    fn from_name(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "title" | "titre" => Target::Title,
            "body" | "text" | "texte" => Target::Body,
            "lang" | "langue" => Target::Lang,
            "year" | "annee" | "année" => Target::Year,
            "source" | "path" => Target::Source,
            "id" => Target::Id,
            "site" => Target::Site,
            "location" | "lieu" => Target::Location,
            "actor" | "acteur" => Target::Actor,
            "event" | "evenement" | "événement" => Target::Event,
            _ => return None,
        })
    }
}

/// One searched unit: a word or a phrase, in a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub target: Target,
    pub text: String,
    /// Typed between quotes.
    pub phrase: bool,
}

/// A group of alternatives (joined by OR), required or excluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub alternatives: Vec<Clause>,
    pub negated: bool,
}

/// A parsed query: every group must hold, except negated ones which must not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub groups: Vec<Group>,
}

impl Parsed {
    /// No group at all (an empty or blank query).
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '«' | '»' | '“' | '”' | '„' | '‟' | '″')
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']' | '{' | '}' | ',' | ';')
}

#[derive(Debug, PartialEq)]
enum Lexeme {
    Clause { clause: Clause, negated: bool },
    Or,
    Not,
}

fn lex(input: &str) -> Vec<Lexeme> {
    let chars: Vec<char> = input.chars().collect();
    // An odd number of quotes: the last one is a stray and is ignored.
    let quotes: Vec<usize> = (0..chars.len()).filter(|&i| is_quote(chars[i])).collect();
    let stray = (quotes.len() % 2 == 1).then(|| quotes[quotes.len() - 1]);
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_separator(c) || Some(i) == stray {
            i += 1;
            continue;
        }
        let mut negated = false;
        let mut j = i;
        if matches!(c, '-' | '+' | '!') && j + 1 < chars.len() && !is_separator(chars[j + 1]) {
            negated = c != '+';
            j += 1;
        }
        let mut target = Target::All;
        // field:value or field:"phrase"
        let word_end = (j..chars.len())
            .find(|&k| is_separator(chars[k]) || is_quote(chars[k]) || chars[k] == ':')
            .unwrap_or(chars.len());
        if word_end < chars.len() && chars[word_end] == ':' {
            let name: String = chars[j..word_end].iter().collect();
            let after = word_end + 1;
            if let Some(t) = Target::from_name(&name) {
                if after < chars.len() && !is_separator(chars[after]) && Some(after) != stray {
                    target = t;
                    j = after;
                }
            }
        }
        if j < chars.len() && is_quote(chars[j]) && Some(j) != stray {
            let close = (j + 1..chars.len())
                .find(|&k| is_quote(chars[k]))
                .unwrap_or(chars.len());
            let text: String = chars[j + 1..close].iter().collect();
            if !text.trim().is_empty() {
                out.push(Lexeme::Clause {
                    clause: Clause {
                        target,
                        text: text.trim().to_string(),
                        phrase: true,
                    },
                    negated,
                });
            }
            i = close + 1;
            continue;
        }
        let end = (j..chars.len())
            .find(|&k| is_separator(chars[k]) || (is_quote(chars[k]) && Some(k) != stray))
            .unwrap_or(chars.len());
        let text: String = chars[j..end].iter().collect();
        i = end.max(j + 1);
        match (text.as_str(), negated, target) {
            ("OR" | "OU" | "|" | "||", false, Target::All) => out.push(Lexeme::Or),
            ("NOT", false, Target::All) => out.push(Lexeme::Not),
            ("AND" | "ET" | "&&" | "&", false, Target::All) => {}
            _ if text.chars().any(char::is_alphanumeric) => out.push(Lexeme::Clause {
                clause: Clause {
                    target,
                    text,
                    phrase: false,
                },
                negated,
            }),
            _ => {}
        }
    }
    out
}

/// Parses a query as typed. Never fails: what cannot be read as syntax is read as words.
pub fn parse(input: &str) -> Parsed {
    let mut groups: Vec<Group> = Vec::new();
    let mut pending_or = false;
    let mut pending_not = false;
    for lexeme in lex(input) {
        match lexeme {
            Lexeme::Or => pending_or = !groups.is_empty(),
            Lexeme::Not => pending_not = true,
            Lexeme::Clause { clause, negated } => {
                let negated = negated || std::mem::take(&mut pending_not);
                let joinable = groups.last().is_some_and(|g| !g.negated) && !negated;
                if std::mem::take(&mut pending_or) && joinable {
                    if let Some(last) = groups.last_mut() {
                        last.alternatives.push(clause);
                    }
                } else {
                    groups.push(Group {
                        alternatives: vec![clause],
                        negated,
                    });
                }
            }
        }
    }
    Parsed { groups }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(input: &str) -> Vec<Vec<(String, bool, bool)>> {
        parse(input)
            .groups
            .into_iter()
            .map(|g| {
                g.alternatives
                    .into_iter()
                    .map(|c| (c.text, c.phrase, g.negated))
                    .collect()
            })
            .collect()
    }

    fn w(text: &str) -> (String, bool, bool) {
        (text.to_string(), false, false)
    }

    #[test]
    fn it_requires_every_word() {
        assert_eq!(
            words("embuscade Bandiagara"),
            [vec![w("embuscade")], vec![w("Bandiagara")]]
        );
    }

    #[test]
    fn it_reads_french_quotes_as_phrases() {
        assert_eq!(
            words("« attaque kamikaze »"),
            [vec![("attaque kamikaze".into(), true, false)]]
        );
        assert_eq!(
            words("“armée malienne”"),
            [vec![("armée malienne".into(), true, false)]]
        );
    }

    #[test]
    fn it_ignores_an_unmatched_quote() {
        assert_eq!(words("\"attaque Gao"), [vec![w("attaque")], vec![w("Gao")]]);
        assert_eq!(
            words("attaque \"Gao\" \""),
            [vec![w("attaque")], vec![("Gao".into(), true, false)]]
        );
    }

    #[test]
    fn it_reads_or_and_exclusions() {
        assert_eq!(
            words("embuscade Bankass OR Bandiagara -Wagner"),
            [
                vec![w("embuscade")],
                vec![w("Bankass"), w("Bandiagara")],
                vec![("Wagner".into(), false, true)]
            ]
        );
        assert_eq!(words("NOT Gao")[0][0], ("Gao".into(), false, true));
    }

    #[test]
    fn it_reads_known_fields_only() {
        let p = parse("title:embuscade Gao: lang:fr");
        let targets: Vec<(Target, &str)> = p
            .groups
            .iter()
            .map(|g| (g.alternatives[0].target, g.alternatives[0].text.as_str()))
            .collect();
        assert_eq!(
            targets,
            [
                (Target::Title, "embuscade"),
                (Target::All, "Gao:"),
                (Target::Lang, "fr")
            ]
        );
    }

    #[test]
    fn it_reads_hostile_input_as_words() {
        for input in [
            "((",
            ")",
            "[Gao",
            "title:",
            ":::",
            "\"",
            "«",
            "-",
            "OR",
            "l'armée)",
            "*?^~\\",
            "a:b:c",
        ] {
            let _ = parse(input);
        }
        assert!(parse("(( ) ]").is_empty());
        assert_eq!(
            words("l'armée malienne"),
            [vec![w("l'armée")], vec![w("malienne")]]
        );
        assert_eq!(words("[Gao]"), [vec![w("Gao")]]);
    }
}
