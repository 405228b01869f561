//! Tells the tests what this machine has, so that a test that needs something missing is
//! reported as ignored, with its reason, instead of passing without testing anything:
//!
//! - `vigie_shared`: the shared OrangeSum corpus is at `$VIGIE_SHARED` or `../shared`;
//! - `vigie_bench`: the public page sets with their truth are in `bench/` there;
//! - `vigie_unprivileged`: `vigie` can be run as a user who cannot read every file (the tests
//!   run as someone other than root, or as root with a working `setpriv`);
//! - `vigie_browser`: Chromium and its WebDriver, `chromedriver`, are installed (Debian's
//!   `chromium` and `chromium-driver`; `.ci/run` installs them).
//!
//! Cargo runs this again when `VIGIE_SHARED` changes or the corpus file does; a corpus that
//! appears later is seen after `cargo clean -p vigie` (watching a missing path would rebuild
//! the crate on every run).

use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(vigie_shared)");
    println!("cargo::rustc-check-cfg=cfg(vigie_bench)");
    println!("cargo::rustc-check-cfg=cfg(vigie_unprivileged)");
    println!("cargo::rustc-check-cfg=cfg(vigie_browser)");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=VIGIE_SHARED");
    let shared = std::env::var_os("VIGIE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let manifest = std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default();
            PathBuf::from(manifest).join("../shared")
        });
    let corpus = shared.join("corpus/orangesum/articles.jsonl");
    if corpus.is_file() {
        println!("cargo::rerun-if-changed={}", corpus.display());
        println!("cargo::rustc-cfg=vigie_shared");
    }
    let truths = [
        "bench/article-extraction/ground-truth.json",
        "bench/htmldate-mediacloud/truth.json",
    ]
    .map(|t| shared.join(t));
    if truths.iter().all(|t| t.is_file()) {
        for truth in &truths {
            println!("cargo::rerun-if-changed={}", truth.display());
        }
        println!("cargo::rustc-cfg=vigie_bench");
    }
    if can_run_unprivileged() {
        println!("cargo::rustc-cfg=vigie_unprivileged");
    }
    let browser = ["chromium", "chromedriver"].map(on_path);
    if let [Some(chromium), Some(driver)] = browser {
        println!("cargo::rerun-if-changed={}", chromium.display());
        println!("cargo::rerun-if-changed={}", driver.display());
        println!("cargo::rustc-cfg=vigie_browser");
    }
}

/// Where `program` is on the `PATH`, if it is.
fn on_path(program: &str) -> Option<PathBuf> {
    println!("cargo::rerun-if-env-changed=PATH");
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|path| path.is_file())
}

/// Not root, or root with a `setpriv` that can drop to the user `nobody`.
fn can_run_unprivileged() -> bool {
    let uid = Command::new("id").arg("-u").output();
    let root = uid.is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0");
    !root
        || Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "true"])
            .status()
            .is_ok_and(|s| s.success())
}
