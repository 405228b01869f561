//! The README's quick start, `vigie index samples && vigie search "embuscade Bandiagara"`,
//! as the terminal and as JSON: a change of what analysts read shows as a reviewed snapshot
//! diff. Only the time taken is blanked out.

use tempfile::TempDir;

mod common;
use common::{root, vigie};

/// The time a search took, blanked out.
fn steady(output: &[u8]) -> String {
    let took = regex::Regex::new(r#"\(\d+(\.\d+)? ms\)|"took_ms":[0-9.e-]+"#).unwrap();
    took.replace_all(&String::from_utf8_lossy(output), "(took)")
        .into_owned()
}

#[test]
fn the_quick_start_search_prints_what_was_reviewed() {
    let dir = TempDir::new().unwrap();
    let idx = dir.path().join("index");
    // As the README says: from the repository's folder, so sources and story ids are those
    // of `samples/…` wherever the repository is.
    let out = vigie()
        .current_dir(root())
        .args(["index", "--quiet", "--index"])
        .arg(&idx)
        .arg("samples")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let search = |json: bool| {
        let mut cmd = vigie();
        cmd.arg("search")
            .arg("--index")
            .arg(&idx)
            .arg("embuscade Bandiagara");
        if json {
            cmd.arg("--json");
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        steady(&out.stdout)
    };
    insta::assert_snapshot!("terminal", search(false));
    let json = search(true);
    serde_json::from_str::<serde_json::Value>(&json.replace("(took)", "\"took_ms\":0"))
        .expect("one JSON object");
    insta::assert_snapshot!("json", indented(&json));
}

/// JSON text laid out one value a line, keys in the order printed (a JSON value of
/// serde_json would sort them).
fn indented(json: &str) -> String {
    let (mut out, mut depth, mut in_string, mut escaped) = (String::new(), 0usize, false, false);
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    };
    for c in json.trim().chars() {
        if in_string {
            out.push(c);
            in_string = escaped || c != '"';
            escaped = !escaped && c == '\\';
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                depth += 1;
                out.push(c);
                newline(&mut out, depth);
            }
            '}' | ']' => {
                depth -= 1;
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c => out.push(c),
        }
    }
    out
}
