//! Input that fights back: every bad file is reported on stderr with its name (and line) and
//! skipped or repaired, and everything else is indexed.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command as Process;

use tempfile::TempDir;

mod common;
use common::{root, samples, search, vigie};

/// A folder of good and bad files, and the index beside it.
struct Corpus {
    dir: TempDir,
}

impl Corpus {
    fn input(&self) -> std::path::PathBuf {
        self.dir.path().join("input")
    }
    fn index(&self) -> std::path::PathBuf {
        self.dir.path().join("index")
    }
}

fn hostile_corpus() -> Corpus {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("input");
    fs::create_dir(&input).unwrap();
    let put = |name: &str, bytes: &[u8]| fs::write(input.join(name), bytes).unwrap();
    put(
        "good.txt",
        &fs::read(samples().join("004_db3b67613d57645f.txt")).unwrap(),
    );
    put(
        "page.html",
        &fs::read(root().join("tests/fixtures/html/02_orange_vehicule-piege-gao.html")).unwrap(),
    );
    // Binary content behind a text extension, and nothing at all.
    put("binary.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\x02");
    put("empty.txt", b"");
    put("blank.json", b"  \n\t ");
    // A text of 100 MB (sparse: nothing is written to disk).
    let huge = fs::File::create(input.join("huge.txt")).unwrap();
    huge.set_len(100 << 20).unwrap();
    // UTF-16 with a byte-order mark, and Windows-1252.
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "Attaque près de Tessalit\n\nUne attaque a visé le camp de Tessalit, le 4 avril 2019."
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    put("utf16.txt", &utf16);
    put(
        "latin1.txt",
        b"Attaque pr\xe8s de S\xe9gou\n\nUne attaque a vis\xe9 un poste pr\xe8s de S\xe9gou, le 3 mars 2019.",
    );
    // An HTML page with no article in it.
    put(
        "menu.html",
        b"<html><body><nav><a href='/'>Accueil</a></nav></body></html>",
    );
    // JSON Lines with broken lines among good ones, and JSON nested 100 000 levels deep.
    put(
        "export.jsonl",
        concat!(
            r#"{"id": "ok-1", "title": "Attaque à Ménaka", "date": "2020-05-15", "text": "Une attaque a visé Ménaka."}"#, "\n",
            r#"{"id": "broken", "title": "Coupé"#, "\n",
            "\n",
            r#"{"id": "ok-2", "title": "Attaque à Kidal", "date": "2020-05-16", "text": "Une attaque a visé Kidal."}"#, "\n",
            r#"[1, 2]"#, "\n",
            "\u{0}\u{0}\u{0}\n",
        )
        .as_bytes(),
    );
    put(
        "nested.json",
        &[b"[".repeat(100_000), b"]".repeat(100_000)].concat(),
    );
    let mut deep_line = b"{\"text\": ".to_vec();
    deep_line.extend(b"[".repeat(50_000));
    put("nested.jsonl", &deep_line);
    // Compressed pages: an HTML page and an export, good; a file named .gz that is not gzip,
    // and a gzip cut short.
    let gzip = |bytes: &[u8]| {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    };
    put(
        "saved.html.gz",
        &gzip(
            &fs::read(
                root().join(
                    "tests/fixtures/html/10_nigerexpress_latin1-undeclared_girafes-koure.html",
                ),
            )
            .unwrap(),
        ),
    );
    put(
        "export.jsonl.gz",
        &gzip(
            concat!(
                r#"{"id": "gz-1", "title": "Attaque à Douentza", "date": "2020-05-17", "text": "Une attaque a visé Douentza."}"#,
                "\n"
            )
            .as_bytes(),
        ),
    );
    put(
        "fake.txt.gz",
        b"Attaque pres de Gao, pas compresse du tout.",
    );
    let cut = gzip(&fs::read(samples().join("004_db3b67613d57645f.txt")).unwrap());
    put("cut.txt.gz", &cut[..cut.len() / 2]);
    // A UTF-8 page spoilt by one stray byte in a script comment.
    let mut stray = "<html><head><meta charset=\"utf-8\"><title>Attaque à Ménaka</title>\
        <script>// a\u{e9}b</script></head><body><h1>Attaque à Ménaka</h1><p>Des hommes armés \
        ont attaqué un poste près de Ménaka, où la Mäscot des casques bleus a été touchée.</p>\
        </body></html>"
        .as_bytes()
        .to_vec();
    let at = stray
        .windows(3)
        .position(|w| w == "// ".as_bytes())
        .unwrap()
        + 4;
    stray.insert(at, 0xE9);
    put("stray.html", &stray);
    // A symbolic link looping back to its folder, and one pointing nowhere.
    std::os::unix::fs::symlink(&input, input.join("loop")).unwrap();
    std::os::unix::fs::symlink(input.join("nowhere.txt"), input.join("dangling.txt")).unwrap();
    Corpus { dir }
}

#[test]
fn every_bad_file_is_named_and_the_rest_is_indexed() {
    let corpus = hostile_corpus();
    let out = vigie()
        .arg("index")
        .arg("--index")
        .arg(corpus.index())
        .arg(corpus.input())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    for expected in [
        "binary.txt: binary content",
        "empty.txt: empty file",
        "blank.json: empty file",
        "huge.txt: too large (100 MB, the limit is 64 MB",
        "repaired ",
        "utf16.txt: decoded from UTF-16LE",
        "latin1.txt: not valid UTF-8: decoded as Windows-1252",
        "menu.html: no article text found in the page",
        "export.jsonl:2: malformed JSON",
        "export.jsonl:5: not a JSON object",
        "export.jsonl:6: malformed JSON",
        "nested.json: malformed JSON",
        "nested.jsonl:1: malformed JSON",
        "symbolic link loop",
        "dangling.txt",
        "fake.txt.gz: not a valid gzip file",
        "cut.txt.gz: not a valid gzip file",
        "stray.html: 1 invalid UTF-8 sequence(s) replaced",
    ] {
        assert!(
            stderr.contains(expected),
            "stderr lacks «{expected}»:\n{stderr}"
        );
    }
    // good.txt, page.html, utf16.txt, latin1.txt, the two good JSON lines, saved.html.gz,
    // the line of export.jsonl.gz and stray.html.
    assert!(stderr.contains("indexed 9 documents"), "{stderr}");
    let (json, _, _) = search(&corpus.index(), &["Douentza"]);
    assert_eq!(json["total"].as_u64(), Some(1), "the compressed export");
    let (json, _, _) = search(&corpus.index(), &["girafes Kouré"]);
    assert!(json["total"].as_u64() >= Some(1), "the compressed page");
    let (json, _, _) = search(&corpus.index(), &["Mäscot"]);
    assert_eq!(
        json["total"].as_u64(),
        Some(1),
        "the page with a stray byte"
    );
    assert_eq!(json["hits"][0]["title"].as_str(), Some("Attaque à Ménaka"));
    let (json, _, _) = search(&corpus.index(), &["Ségou"]);
    assert_eq!(
        json["total"].as_u64(),
        Some(1),
        "the Windows-1252 page is repaired"
    );
    assert_eq!(json["hits"][0]["date"].as_str(), Some("2019-03-03"));
    let (json, _, _) = search(&corpus.index(), &["Tessalit"]);
    assert_eq!(
        json["total"].as_u64(),
        Some(1),
        "the UTF-16 page is decoded"
    );
    let (json, _, _) = search(&corpus.index(), &["véhicule piégé Gao"]);
    assert_eq!(
        json["hits"][0]["date"].as_str(),
        Some("2019-07-22"),
        "the HTML page"
    );
}

/// Runs `vigie` as the unprivileged user `nobody` when the tests run as root (who can read
/// any file), so that a file without read permission really cannot be read.
fn unprivileged() -> Process {
    let bin = assert_cmd::cargo::cargo_bin("vigie");
    let uid = Process::new("id").arg("-u").output().expect("id runs");
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Process::new(bin);
    }
    let mut cmd = Process::new("setpriv");
    cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(bin);
    cmd
}

#[test]
#[cfg_attr(
    not(vigie_unprivileged),
    ignore = "needs to run vigie as a user who cannot read every file: not root, or setpriv"
)]
fn a_file_that_cannot_be_read_is_reported_and_its_old_documents_are_kept() {
    let mut cmd = unprivileged();
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("input");
    fs::create_dir(&input).unwrap();
    for name in ["003_d8e2c97ece163f82.txt", "004_db3b67613d57645f.txt"] {
        fs::copy(samples().join(name), input.join(name)).unwrap();
    }
    for path in [dir.path(), input.as_path()] {
        fs::set_permissions(path, fs::Permissions::from_mode(0o777)).unwrap();
    }
    let index = dir.path().join("index");
    let run = |cmd: &mut Process| {
        let out = cmd
            .env("NO_COLOR", "1")
            .arg("index")
            .arg("--index")
            .arg(&index)
            .arg(&input)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stderr) = run(&mut unprivileged());
    assert_eq!(code, Some(0), "{stderr}");
    // Nobody may read one page any more: it is reported and what was indexed from it stays.
    let locked = input.join("004_db3b67613d57645f.txt");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    fs::write(
        &locked,
        fs::read(samples().join("004_db3b67613d57645f.txt"))
            .unwrap()
            .repeat(2),
    )
    .unwrap();
    let (code, stderr) = run(&mut cmd);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("004_db3b67613d57645f.txt: Permission denied"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the document indexed from it earlier is kept"),
        "{stderr}"
    );
    let (json, _, _) = search(Path::new(&index), &["embuscade Bandiagara"]);
    assert_eq!(json["total"].as_u64(), Some(1), "{json}");
}
