//! JSON and JSON Lines exports: one article per object.

use std::io::{BufRead, BufReader};
use std::path::Path;

use serde_json::{Map, Value};

use super::{decode, Content, Event, Fields, Notice, Origin, Problem, RawRecord, Repair};

/// Longest JSONL line read; longer ones are skipped.
const MAX_LINE_BYTES: usize = 32 << 20;

const BODY_KEYS: [&str; 4] = ["text", "article", "body", "content"];

fn string(map: &Map<String, Value>, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| match map.get(*k)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// The fields Vigie reads from one JSON object; unknown keys are ignored.
pub fn fields_from_value(value: &Value) -> Result<Fields, Problem> {
    let Value::Object(map) = value else {
        return Err(Problem::NotAnObject);
    };
    let fields = Fields {
        id: string(map, &["id"]).map(|s| s.trim().to_string()),
        title: string(map, &["title"]),
        date: string(map, &["date"]),
        body: string(map, &BODY_KEYS),
        summary: string(map, &["summary", "heading"]),
        url: string(map, &["url"]),
        site: string(map, &["source"]),
    };
    if fields.body.is_none() && fields.title.is_none() && fields.summary.is_none() {
        return Err(Problem::NoText);
    }
    Ok(fields)
}

fn record_or_notice(origin: Origin, value: &Value) -> Event {
    match fields_from_value(value) {
        Ok(fields) => Event::Record(RawRecord {
            origin,
            content: Content::Fields(fields),
        }),
        Err(problem) => Event::Notice(Notice::Skipped { origin, problem }),
    }
}

/// A `.json` file: one object, or an array of objects.
pub fn read_document(path: &Path, text: &str, on: &mut dyn FnMut(Event)) {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return on(Event::Notice(Notice::Skipped {
                origin: Origin::file(path),
                problem: Problem::MalformedJson(e.to_string()),
            }))
        }
    };
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let origin = Origin {
                    path: path.to_path_buf(),
                    locator: Some(format!("[{i}]")),
                };
                on(record_or_notice(origin, item));
            }
        }
        other => on(record_or_notice(Origin::file(path), &other)),
    }
}

/// A `.jsonl` file, streamed line by line: a broken line is reported and skipped. The first
/// `skip` lines (read by an earlier run) are passed over unread, and the bytes reported are
/// those of the lines read.
pub fn read_lines(path: &Path, skip: usize, on: &mut dyn FnMut(Event)) {
    let file = match super::open(path) {
        Ok(f) => f,
        Err(e) => {
            return on(Event::Notice(Notice::Skipped {
                origin: Origin::file(path),
                problem: e.into(),
            }))
        }
    };
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut buf = Vec::new();
    let mut bytes_read = 0u64;
    for number in 1.. {
        buf.clear();
        let n = match reader.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => {
                on(Event::Notice(Notice::Skipped {
                    origin: Origin::line(path, number),
                    problem: Problem::ReadFailed(e.to_string()),
                }));
                break;
            }
        };
        if number <= skip {
            continue;
        }
        bytes_read += n as u64;
        let origin = Origin::line(path, number);
        if buf.len() > MAX_LINE_BYTES {
            on(Event::Notice(Notice::Skipped {
                origin,
                problem: Problem::LineTooLong(MAX_LINE_BYTES >> 20),
            }));
            continue;
        }
        let line = if number == 1 {
            buf.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&buf)
        } else {
            &buf[..]
        };
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let text = match std::str::from_utf8(line) {
            Ok(t) => t.to_string(),
            Err(_) => match decode::decode(line) {
                Ok(d) => {
                    on(Event::Notice(Notice::Repaired {
                        origin: origin.clone(),
                        repair: d.repair.unwrap_or(Repair::Windows1252),
                    }));
                    d.text
                }
                Err(problem) => {
                    on(Event::Notice(Notice::Skipped { origin, problem }));
                    continue;
                }
            },
        };
        match serde_json::from_str::<Value>(&text) {
            Ok(value) => on(record_or_notice(origin, &value)),
            Err(e) => on(Event::Notice(Notice::Skipped {
                origin,
                problem: Problem::MalformedJson(e.to_string()),
            })),
        }
    }
    on(Event::FileRead(bytes_read));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_reads_known_fields_and_ignores_others() {
        let v: Value = serde_json::from_str(
            r#"{"id": 42, "title": "T", "date": "2020-01-02", "article": "Corps", "heading": "Chapô", "extra": [1]}"#,
        )
        .unwrap();
        let f = fields_from_value(&v).unwrap();
        assert_eq!(f.id.as_deref(), Some("42"));
        assert_eq!(f.body.as_deref(), Some("Corps"));
        assert_eq!(f.summary.as_deref(), Some("Chapô"));
    }

    #[test]
    fn it_refuses_objects_without_text() {
        let v: Value = serde_json::from_str(r#"{"id": "x", "date": "2020"}"#).unwrap();
        assert_eq!(fields_from_value(&v).unwrap_err(), Problem::NoText);
        assert_eq!(
            fields_from_value(&Value::from(3)).unwrap_err(),
            Problem::NotAnObject
        );
    }
}
