//! A PDF's text as `pdftotext` (Debian poppler-utils, which `scripts/setup.sh --tests`
//! installs) reads it: what a funder's reader would see on the sign-in sheet.

use std::process::Command;

/// The text, laid out as on the page, with non-breaking spaces read as spaces.
pub fn text(bytes: &[u8]) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let path = std::env::temp_dir().join(format!("toile-pdf-{}-{nanos}.pdf", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (Debian poppler-utils; scripts/setup.sh --tests installs it)");
    std::fs::remove_file(&path).ok();
    assert!(out.status.success(), "pdftotext reads the PDF: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().replace('\u{a0}', " ")
}
