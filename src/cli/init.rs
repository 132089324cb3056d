//! `pactgen init [DIR]`: a new, valid starter site in an empty folder.

use super::Outcome;
use crate::console::Console;
use std::path::Path;

pub(super) fn run_init(dir: &Path, out: Console) -> Outcome {
    let written = crate::starter::init(dir)?;
    let records = written
        .iter()
        .filter(|p| {
            p.strip_prefix(dir)
                .is_ok_and(|rel| rel.starts_with("content") && !rel.ends_with("site.yaml"))
        })
        .count();
    let shown = crate::diagnostics::terminal_safe(&dir.display().to_string()).into_owned();
    let cd = if dir == Path::new(".") {
        String::new()
    } else {
        format!("cd {shown} && ")
    };
    out.info(&format!(
        "Made a new site in {shown}: {} files, {records} example records (one of every kind) in content/, and a README.md\n\
         Next: {cd}pactgen serve   (a live preview at http://127.0.0.1:1111/; edit the files in content/ and watch it change)",
        written.len()
    ));
    Ok(0)
}
