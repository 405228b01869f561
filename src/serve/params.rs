//! A query string → the pairs it holds → a search [`Request`] (or an export). Every mistake
//! is a sentence: a parameter not valid UTF-8 or badly percent-encoded, an unknown parameter,
//! a value that is no number.

use percent_encoding::percent_decode_str;

use crate::mapper::Dated;
use crate::search::{Request, Sort};

/// The parameters of a search, as `vigie search` names its options.
pub const SEARCH: [&str; 16] = [
    "q",
    "year",
    "from",
    "to",
    "lang",
    "location",
    "actor",
    "facet_location",
    "sort",
    "limit",
    "offset",
    "all_copies",
    "exact",
    "event",
    "min_killed",
    "date_of",
];

/// Hits a page shows unless asked otherwise, as in the terminal.
const DEFAULT_LIMIT: usize = 10;

/// Decodes `+` and `%XX` of one side of a pair.
fn decode(text: &str, what: &str) -> Result<String, String> {
    if let Some(at) = text.find('%') {
        let bytes = text.as_bytes();
        let valid = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_hexdigit);
        let bad = (at..text.len()).any(|i| bytes[i] == b'%' && !(valid(i + 1) && valid(i + 2)));
        if bad {
            return Err(format!(
                "parameter {what}: a `%` not followed by two hexadecimal digits"
            ));
        }
    }
    let spaced = text.replace('+', " ");
    percent_decode_str(&spaced)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| format!("parameter {what}: not valid UTF-8 once percent-decoded"))
}

/// The name and value pairs of a query string, decoded, in order.
pub fn pairs(query: &str) -> Result<Vec<(String, String)>, String> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let name = decode(
                name,
                &format!("`{}`", name.chars().take(40).collect::<String>()),
            )?;
            let value = decode(value, &format!("`{name}`"))?;
            Ok((name, value))
        })
        .collect()
}

fn number<T: std::str::FromStr>(name: &str, value: &str) -> Result<T, String> {
    value
        .trim()
        .parse()
        .map_err(|_| format!("invalid {name} `{value}`: write a number"))
}

fn flag(name: &str, value: &str) -> Result<bool, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "" | "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(format!("invalid {name} `{value}`: write true or false")),
    }
}

/// The search a query string asks for. `also` names the other parameters the caller reads
/// (`format` for an export, `token`); any other is refused, so that a typo is not silently
/// ignored.
pub fn request(pairs: &[(String, String)], also: &[&str]) -> Result<Request, String> {
    let mut request = Request {
        limit: DEFAULT_LIMIT,
        ..Request::default()
    };
    let mut words = Vec::new();
    for (name, value) in pairs {
        match name.as_str() {
            "q" => words.push(value.clone()),
            "year" => request.years.push(
                number("year", value)
                    .map_err(|_| format!("invalid year `{value}`: write a year such as 2024"))?,
            ),
            "from" => request.from = Some(value.clone()).filter(|v| !v.trim().is_empty()),
            "to" => request.to = Some(value.clone()).filter(|v| !v.trim().is_empty()),
            "lang" => request.langs.push(value.clone()),
            "location" => request.locations.push(value.clone()),
            "actor" => request.actors.push(value.clone()),
            "facet_location" => {
                request.facet_location = Some(value.clone()).filter(|v| !v.trim().is_empty())
            }
            "sort" => {
                request.sort = match value.as_str() {
                    "relevance" => Some(Sort::Relevance),
                    "date" => Some(Sort::Date),
                    "" => None,
                    _ => return Err(format!("invalid sort `{value}`: write relevance or date")),
                }
            }
            "limit" => request.limit = number("limit", value)?,
            "offset" => request.offset = number("offset", value)?,
            "all_copies" => request.all_copies = flag("all_copies", value)?,
            "exact" => request.exact = flag("exact", value)?,
            "event" => request.events.push(value.clone()),
            "min_killed" if value.trim().is_empty() => request.min_killed = None,
            "min_killed" => request.min_killed = Some(number("min_killed", value)?),
            "date_of" => {
                request.dated = match value.as_str() {
                    "published" | "" => Dated::Published,
                    "event" => Dated::Event,
                    _ => {
                        return Err(format!(
                            "invalid date_of `{value}`: write published or event"
                        ))
                    }
                }
            }
            other if also.contains(&other) => {}
            other => {
                let mut known: Vec<&str> = SEARCH.to_vec();
                known.extend(also);
                return Err(format!(
                    "unknown parameter `{}`: the parameters are {}",
                    other.chars().take(40).collect::<String>(),
                    known.join(", ")
                ));
            }
        }
    }
    request.query = words.join(" ");
    Ok(request)
}

/// Characters of a query string's value written as `%XX`: all but the unreserved ones.
const ESCAPED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// A value for a query string, percent-encoded.
pub fn escape(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, ESCAPED).to_string()
}

/// Pairs written as a query string, every name and value percent-encoded.
pub fn encode(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(name, value)| format!("{}={}", escape(name), escape(value)))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_reads_repeated_and_encoded_parameters() {
        let pairs = pairs(
            "q=embuscade+Bandiagara&year=2024&year=2023&location=S%C3%A9gou&all_copies&limit=5&event=embuscade&event=ied&min_killed=3&date_of=event",
        )
        .unwrap();
        let request = request(&pairs, &[]).unwrap();
        assert_eq!(request.events, ["embuscade", "ied"]);
        assert_eq!(request.min_killed, Some(3));
        assert_eq!(request.dated, Dated::Event);
        assert_eq!(request.query, "embuscade Bandiagara");
        assert_eq!(request.years, [2024, 2023]);
        assert_eq!(request.locations, ["Ségou"]);
        assert!(request.all_copies);
        assert_eq!(request.limit, 5);
        assert_eq!(super::request(&[], &[]).unwrap().limit, DEFAULT_LIMIT);
    }

    #[test]
    fn it_says_what_is_wrong_with_a_parameter() {
        assert!(pairs("q=%FF%FE").unwrap_err().contains("not valid UTF-8"));
        assert!(pairs("q=%zz")
            .unwrap_err()
            .contains("two hexadecimal digits"));
        assert!(pairs("q=50%")
            .unwrap_err()
            .contains("two hexadecimal digits"));
        let wrong = |query: &str| request(&pairs(query).unwrap(), &["format"]).unwrap_err();
        assert!(wrong("locaton=Mopti").contains("unknown parameter `locaton`"));
        assert!(wrong("locaton=Mopti").contains("format"));
        assert_eq!(wrong("limit=ten"), "invalid limit `ten`: write a number");
        assert!(wrong("year=deux").contains("write a year"));
        assert!(wrong("sort=newest").contains("relevance or date"));
        assert!(wrong("all_copies=maybe").contains("true or false"));
    }
}
